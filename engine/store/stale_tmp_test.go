package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestPublishRemovesTempOfKilledWriter: a temp file left by a process
// that was killed mid-write is removed by the next successful publish of
// the same file; one of a live process is kept.
func TestPublishRemovesTempOfKilledWriter(t *testing.T) {
	dir := t.TempDir()
	// A process that existed and is gone: start one and wait for it.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	stale := filepath.Join(dir, ".x.parquet."+strconv.Itoa(dead)+".123.tmp")
	live := filepath.Join(dir, ".x.parquet."+strconv.Itoa(os.Getppid())+".456.tmp")
	for _, p := range []string{stale, live} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // published, then unchanged: both clean up
		tmp, err := TempFile(dir, "x.parquet")
		if err != nil {
			t.Fatal(err)
		}
		tmp.WriteString("data")
		if _, err := Publish(tmp, filepath.Join(dir, "x.parquet"), false); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(stale); !os.IsNotExist(err) {
			t.Fatalf("temp file of the killed writer still there: %v", err)
		}
		if _, err := os.Stat(live); err != nil {
			t.Fatalf("temp file of a live writer removed: %v", err)
		}
		os.WriteFile(stale, []byte("partial"), 0o644)
	}
}
