package testkit

import (
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// NewLake is a new, empty lake in the test's temporary directory.
func NewLake(t testing.TB) store.Lake {
	t.Helper()
	l, err := store.OpenLake(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// WaitFor polls cond every 20ms until it holds, and fails t when d has
// passed first: what a test waits on, never a fixed sleep.
func WaitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
