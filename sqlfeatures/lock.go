package sqlfeatures

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// errLockBusy says another process or goroutine holds the lock.
var errLockBusy = errors.New("lock is held")

// fileLock is an exclusive advisory lock on a file (flock on Unix,
// LockFileEx on Windows). The kernel
// releases it when the process dies, so a killed build never leaves a
// stale lock behind.
type fileLock struct {
	f *os.File
}

// lockPollInterval is how often a blocked lock is retried, so waiting can
// be cancelled through ctx.
const lockPollInterval = 25 * time.Millisecond

// acquireLock takes the exclusive lock on path (created if missing),
// waiting until it is free or ctx is done. onWait, when set, is called
// once if the lock is busy.
func acquireLock(ctx context.Context, path string, onWait func()) (*fileLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	waited := false
	for {
		err := tryLock(f)
		if err == nil {
			return &fileLock{f: f}, nil
		}
		if !errors.Is(err, errLockBusy) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !waited && onWait != nil {
			onWait()
		}
		waited = true
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, context.Cause(ctx))
		case <-time.After(lockPollInterval):
		}
	}
}

// release drops the lock.
func (l *fileLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// locked reports whether another process or goroutine holds the lock on
// path right now. It never creates the file.
func locked(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := tryLock(f); err != nil {
		return true
	}
	unlock(f)
	return false
}
