package store

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps two existing paths atomically with renameat2
// RENAME_EXCHANGE; errors.ErrUnsupported when the kernel or file system
// cannot.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return errors.ErrUnsupported
	}
	return err
}
