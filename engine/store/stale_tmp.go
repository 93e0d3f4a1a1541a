package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempPattern is TempFile's name pattern for name: hidden, with the
// writer's process id, so that a later writer can tell a temp file left
// by a killed process from one being written.
func tempPattern(name string) string {
	return "." + name + "." + strconv.Itoa(os.Getpid()) + ".*.tmp"
}

// removeStaleTemps removes the temp files for name in dir left by
// processes that no longer run (a killed import), after a publish of
// name succeeded.
func removeStaleTemps(dir, name string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+name+".*.tmp"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), "."+name+".")
		pidText, _, ok := strings.Cut(rest, ".")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 {
			continue // not ours to judge
		}
		if pid != os.Getpid() && !processAlive(pid) {
			os.Remove(m)
		}
	}
}
