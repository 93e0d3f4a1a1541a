package store_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// LockDir excludes a second holder, even one in the same process, until
// the first releases it.
func TestLockDirExcludes(t *testing.T) {
	dir := t.TempDir() + "/part"
	unlock, err := store.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got atomic.Bool
	done := make(chan error, 1)
	go func() {
		u, err := store.LockDir(dir)
		if err == nil {
			got.Store(true)
			err = u()
		}
		done <- err
	}()
	// The second LockDir must still be waiting while the first holds it.
	select {
	case err := <-done:
		t.Fatalf("second lock taken while the first is held (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil || !got.Load() {
			t.Fatalf("second lock after release: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second lock not taken after release")
	}
}
