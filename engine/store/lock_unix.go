//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the lock file LockDir keeps in a directory: hidden and not
// .parquet, so no glob of the lake sees it.
const lockName = ".spysql.lock"

// LockDir takes an exclusive lock on directory dir (made if absent) that
// every process on the lake respects: an flock on dir/.spysql.lock. It
// blocks until the lock is free and returns the function that releases
// it. The kernel releases the lock of a process that dies.
func LockDir(dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Closing the file drops the flock.
	return f.Close, nil
}
