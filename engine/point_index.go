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
// with the dataset file's sha256 and published atomically. A promotion
// writes it after publishing the dataset; until the stamp matches the
// dataset file, lookups run in DuckDB.
func WritePointIndex(ctx context.Context, lake Lake, dataset string) error {
	if dataset == "" || dataset != filepath.Base(dataset) || strings.HasPrefix(dataset, ".") {
		return fmt.Errorf("point index: %q is not a dataset name", dataset)
	}
	src := filepath.Join(lake.GoldTrainingDir(), dataset+".parquet")
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("point index: no Gold training dataset %q (%s)", dataset, src)
	}
	sum, err := fileSHA256(src)
	if err != nil {
		return fmt.Errorf("point index %s: %w", dataset, err)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("point index %s: %w", dataset, err)
	}
	defer f.Close()
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

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
