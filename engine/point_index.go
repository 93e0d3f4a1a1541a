package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// datasetHashKey is the point index's key-value metadata entry holding the
// sha256 of the dataset file it was built from: an index is used only
// with that exact file.
const datasetHashKey = "spysql.dataset_sha256"

// WritePointIndex writes the point-read index of a Gold training dataset:
// its rows again, in pages of PointPageBytes with a page index, stamped
// with the dataset file's sha256 and published atomically. Run it after
// the dataset is published (spysql index); until the stamp matches the
// dataset file, lookups run in DuckDB.
func WritePointIndex(ctx context.Context, lake Lake, dataset string) error {
	if dataset == "" || dataset != filepath.Base(dataset) || strings.HasPrefix(dataset, ".") {
		return fmt.Errorf("point index: %q is not a dataset name", dataset)
	}
	src := filepath.Join(lake.GoldTrainingDir(), dataset+".parquet")
	f, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("point index: no Gold training dataset %q (%s)", dataset, src)
	}
	if err != nil {
		return fmt.Errorf("point index %s: %w", dataset, err)
	}
	defer f.Close()
	// Stamp and rows come from the same open file, whatever is renamed
	// over the path meanwhile.
	sum, err := readerSHA256(ctx, f)
	if err != nil {
		return fmt.Errorf("point index %s: hash %s: %w", dataset, src, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		return fmt.Errorf("point index %s: read %s: %w", dataset, src, err)
	}
	final := lake.GoldPointIndexPath(dataset)
	tmp, err := TempFile(filepath.Dir(final), filepath.Base(final))
	if err != nil {
		return err
	}
	opts := append(PointIndexOptions(), pf.Schema(), parquet.KeyValueMetadata(datasetHashKey, sum))
	w := parquet.NewWriter(tmp, opts...)
	err = copyRowGroups(ctx, w, pf)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("point index %s: %w", dataset, err)
	}
	if _, err := Publish(tmp, final, true); err != nil {
		return fmt.Errorf("point index %s: %w", dataset, err)
	}
	return nil
}

func copyRowGroups(ctx context.Context, w *parquet.Writer, pf *parquet.File) error {
	for _, rg := range pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows := rg.Rows()
		_, err := parquet.CopyRows(w, rows)
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
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
