package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"slices"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// stamp identifies a file's content cheaply between the two passes.
type stamp struct {
	size int64
	mod  time.Time
}

// scan is pass 1: it decodes the whole file while hashing it and counts its
// records. Nothing is kept, so the file's size does not matter.
func scan[T store.Record](ctx context.Context, path string, sp spec[T]) (n int64, sum string, st stamp, err error) {
	h := sha256.New()
	st, err = decodeFile(ctx, path, sp, h, func(src source[T]) error {
		var rec T
		for {
			if err := src.Next(&rec); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			n++
			if n%(1<<16) == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
	})
	if err != nil {
		return 0, "", stamp{}, err
	}
	return n, hex.EncodeToString(h.Sum(nil)), st, nil
}

// rescan is pass 2: it decodes the file again and hands it to flush in
// batches of batchRows records, checking that the file still has the size,
// modification time and record count of pass 1. The last batch is flushed
// only after that check.
func rescan[T store.Record](ctx context.Context, path string, sp spec[T], batchRows int, want stamp, wantN int64, flush func([]T) error) error {
	batch := make([]T, 0, min(int64(batchRows), wantN+1))
	var n int64
	st, err := decodeFile(ctx, path, sp, nil, func(src source[T]) error {
		for {
			// Decode straight into the batch's next slot.
			batch = slices.Grow(batch, 1)[:len(batch)+1]
			if err := src.Next(&batch[len(batch)-1]); err == io.EOF {
				batch = batch[:len(batch)-1]
				return nil
			} else if err != nil {
				return err
			}
			n++
			if len(batch) == batchRows {
				if err := flush(batch); err != nil {
					return err
				}
				clear(batch)
				batch = batch[:0]
			}
		}
	})
	if err != nil {
		return err
	}
	if st != want || n != wantN {
		return fmt.Errorf("file changed during import (%d bytes, %d records; was %d bytes, %d records)", st.size, n, want.size, wantN)
	}
	return flush(batch)
}

// decodeFile opens path and runs fn over sp's source of it. With h, every
// byte of the file goes through h, even bytes after the decoder stops. The
// stamp is taken when fn is done.
func decodeFile[T store.Record](ctx context.Context, path string, sp spec[T], h hash.Hash, fn func(source[T]) error) (stamp, error) {
	if err := ctx.Err(); err != nil {
		return stamp{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return stamp{}, err
	}
	defer f.Close()
	var r io.Reader = f
	if h != nil {
		r = io.TeeReader(f, h)
	}
	src, err := sp.open(r)
	if err != nil {
		return stamp{}, err
	}
	err = fn(src)
	if cerr := src.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return stamp{}, err
	}
	if h != nil {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return stamp{}, fmt.Errorf("read %s: %w", path, err)
		}
	}
	fi, err := f.Stat()
	if err != nil {
		return stamp{}, err
	}
	return stamp{size: fi.Size(), mod: fi.ModTime()}, nil
}
