package testkit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// pauseLimit is how long KillChild waits for a child to reach its pause
// point before the test fails.
const pauseLimit = 2 * time.Minute

// ChildCommand prepares a re-execution of the running test binary with
// no test selected and job, as JSON, in the environment variable env (the
// package's TestMain hands it to the child; see RunMain), plus extraEnv.
func ChildCommand(t testing.TB, env string, job any, extraEnv ...string) *exec.Cmd {
	t.Helper()
	spec, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env+"="+string(spec)), extraEnv...)
	return cmd
}

// Pauser is a child's pause hook: at point at it prints "PAUSED <at>"
// and waits to be killed; every other point passes. An empty at never
// pauses.
func Pauser(at string) func(point string) {
	return func(point string) {
		if at != "" && point == at {
			fmt.Printf("PAUSED %s\n", point)
			time.Sleep(time.Hour)
		}
	}
}

// KillChild starts cmd and SIGKILLs it once it prints "PAUSED <pauseAt>"
// (pauseAt set: the test fails if the child exits first or does not get
// there within two minutes) or after delay. It reports whether the child
// was still running when killed.
func KillChild(t *testing.T, cmd *exec.Cmd, pauseAt string, delay time.Duration) bool {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paused := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "PAUSED ") {
				close(paused)
			}
		}
	}()
	wait := make(chan error, 1)
	go func() { wait <- cmd.Wait() }()
	timer := time.After(delay)
	if pauseAt != "" {
		timer = time.After(pauseLimit)
	}
	select {
	case <-paused:
	case <-timer:
		if pauseAt != "" {
			cmd.Process.Kill()
			<-wait
			t.Fatalf("child never reached %s", pauseAt)
		}
	case err := <-wait:
		if pauseAt != "" {
			t.Fatalf("child exited before %s: %v", pauseAt, err)
		}
		return false
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	<-wait
	return true
}
