//go:build !unix

package point

import (
	"io"
	"os"
)

// mapFile reads through the file where mmap is not available.
func mapFile(f *os.File, size int64) (io.ReaderAt, func(), error) {
	return f, func() {}, nil
}
