//go:build unix

package point

import (
	"bytes"
	"io"
	"os"
	"syscall"
)

// mapFile maps a point index read-only, so that a lookup's page reads are
// memory reads rather than a dozen system calls. An index is published by
// rename and never rewritten; should one be truncated in place anyway, the
// fault surfaces as an error of that lookup (see guardRead).
func mapFile(f *os.File, size int64) (io.ReaderAt, func(), error) {
	if size <= 0 || int64(int(size)) != size {
		return f, func() {}, nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return bytes.NewReader(data), func() { syscall.Munmap(data) }, nil
}
