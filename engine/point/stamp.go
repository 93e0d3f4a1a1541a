package point

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/spysql/spysql/engine/store"
)

// sourceStamp is the stamp of a dataset's files: the sha256 of a single
// file; for several, the sha256 of their lake-relative paths and sums.
func sourceStamp(lake store.Lake, paths, sums []string) string {
	if len(paths) == 1 {
		return sums[0]
	}
	h := sha256.New()
	for i, p := range paths {
		fmt.Fprintf(h, "%s %s\n", lake.LakeRelative(p), sums[i])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fileSHA256 is the hex sha256 of the file at path.
func fileSHA256(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return readerSHA256(ctx, f)
}

// readerSHA256 hashes r from its start, checking ctx between blocks.
func readerSHA256(ctx context.Context, r io.ReaderAt) (string, error) {
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for off := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := r.ReadAt(buf, off)
		h.Write(buf[:n])
		off += int64(n)
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return "", err
		}
	}
}
