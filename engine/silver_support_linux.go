package engine

// #include <malloc.h>
// static void spysql_malloc_trim(void) { malloc_trim(0); }
import "C"

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

// ReleaseMemory returns memory that C allocations (DuckDB's) have freed to
// the operating system (glibc malloc_trim), so a long run of independent
// steps, such as a build of many dates, peaks at its largest step instead
// of accumulating each step's fragmentation.
func ReleaseMemory() { C.spysql_malloc_trim() }
