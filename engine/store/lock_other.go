//go:build !unix

package store

import (
	"errors"
	"fmt"
)

// LockDir needs flock, which only unix systems offer here.
func LockDir(dir string) (unlock func() error, err error) {
	return nil, fmt.Errorf("lock %s: %w", dir, errors.ErrUnsupported)
}
