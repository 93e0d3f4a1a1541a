package point

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/store"
)

// Key-value metadata of a point index.
const (
	// datasetHashKey holds the sha256 of the dataset file the index was
	// built from: an index is used only with that exact file.
	datasetHashKey = "spysql.dataset_sha256"
	// pointColumnsKey holds the dataset's columns (JSON pointColumn list).
	pointColumnsKey = "spysql.point_columns"
	// pointKeyKey names the key column.
	pointKeyKey = "spysql.point_key"
)

// pointRecord is one row of a point index: the key, and the dataset row
// encoded whole (encodeRow), so that a lookup reads two small pages, not
// one per column.
type pointRecord struct {
	Key int64  `parquet:"key"`
	Row []byte `parquet:"row"`
}

// pointColumn is a dataset column as the index records it.
type pointColumn struct {
	Name string `json:"name"`
	Type string `json:"type"` // as DuckDB reads it (pointKindNames); "OTHER": not in the rows
}

// pointKindNames name the column types of an index's encoded rows; the
// index stores names, so that the SQLKind numbering may change.
var pointKindNames = map[session.SQLKind]string{
	session.KindBoolean: "BOOLEAN", session.KindInteger: "INTEGER", session.KindBigInt: "BIGINT", session.KindFloat: "FLOAT",
	session.KindDouble: "DOUBLE", session.KindVarchar: "VARCHAR", session.KindBlob: "BLOB", session.KindDate: "DATE",
}

// pointKindOf is the kind an index's type name stands for.
func pointKindOf(name string) (session.SQLKind, bool) {
	if name == "OTHER" {
		return session.KindOther, true
	}
	for k, n := range pointKindNames {
		if n == name {
			return k, true
		}
	}
	return session.KindOther, false
}

// WritePointIndex writes the point index of a Gold training dataset: for
// each row, in the dataset's order, its key and the whole row encoded, in
// pages of PointPageBytes with a page index, stamped with the dataset
// file's sha256 and published atomically. key names the key column, an
// INTEGER or BIGINT column the dataset is sorted by; "" picks the first
// such column. Run it after the dataset is published (spysql index);
// until the stamp matches the dataset file, lookups run in DuckDB.
// It returns the key column's name.
func WritePointIndex(ctx context.Context, lake store.Lake, dataset, key string) (string, error) {
	if dataset == "" || dataset != filepath.Base(dataset) || strings.HasPrefix(dataset, ".") {
		return "", fmt.Errorf("point index: %q is not a dataset name", dataset)
	}
	src := filepath.Join(lake.GoldTrainingDir(), dataset+".parquet")
	f, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("point index: no Gold training dataset %q (%s)", dataset, src)
	}
	if err != nil {
		return "", fmt.Errorf("point index %s: %w", dataset, err)
	}
	defer f.Close()
	// Stamp and rows come from the same open file, whatever is renamed
	// over the path meanwhile.
	sum, err := readerSHA256(ctx, f)
	if err != nil {
		return "", fmt.Errorf("point index %s: hash %s: %w", dataset, src, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		return "", fmt.Errorf("point index %s: read %s: %w", dataset, src, err)
	}
	final := lake.GoldPointIndexPath(dataset)
	tmp, err := store.TempFile(filepath.Dir(final), filepath.Base(final))
	if err != nil {
		return "", err
	}
	key, err = buildPointIndex(ctx, tmp, pf, sum, key)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("point index %s: %w", dataset, err)
	}
	if _, err := store.Publish(tmp, final, true); err != nil {
		return "", fmt.Errorf("point index %s: %w", dataset, err)
	}
	return key, nil
}

// buildPointIndex writes the index of pf to w.
func buildPointIndex(ctx context.Context, w io.Writer, pf *parquet.File, sum, key string, opts ...parquet.WriterOption) (string, error) {
	cols, err := datasetColumns(pf)
	if err != nil {
		return "", err
	}
	k, err := pickKey(pf, cols, key)
	if err != nil {
		return "", err
	}
	meta := make([]pointColumn, len(cols))
	for i, c := range cols {
		meta[i] = pointColumn{Name: c.name, Type: "OTHER"}
		if n, ok := pointKindNames[c.kind]; ok {
			meta[i].Type = n
		}
	}
	js, err := json.Marshal(meta)
	if err != nil {
		return "", err
	}
	opts = append(append(store.PointIndexOptions(), parquet.KeyValueMetadata(datasetHashKey, sum),
		parquet.KeyValueMetadata(pointColumnsKey, string(js)), parquet.KeyValueMetadata(pointKeyKey, cols[k].name)), opts...)
	pw := parquet.NewGenericWriter[pointRecord](w, opts...)
	recs := make([]pointRecord, 0, 1024)
	rows := make([]parquet.Row, 256)
	byLeaf := map[int]parquet.Value{}
	var arena []byte
	for _, rg := range pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		rr := rg.Rows()
		for {
			n, err := rr.ReadRows(rows)
			for _, row := range rows[:n] {
				clear(byLeaf)
				for _, v := range row {
					byLeaf[v.Column()] = v
				}
				start := len(arena)
				arena = encodeRow(arena, cols, byLeaf)
				recs = append(recs, pointRecord{Key: intOf(byLeaf[cols[k].leaf]), Row: arena[start:len(arena):len(arena)]})
			}
			if len(recs) >= 1024 || err != nil {
				if _, werr := pw.Write(recs); werr != nil {
					rr.Close()
					return "", werr
				}
				recs, arena = recs[:0], nil
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rr.Close()
				return "", err
			}
		}
		rr.Close()
	}
	return cols[k].name, pw.Close()
}

// datasetColumns are pf's top-level columns with the type DuckDB reads
// each as. Names differing only in case are refused: DuckDB renames one,
// and names would no longer map one to one.
func datasetColumns(pf *parquet.File) ([]pointCol, error) {
	var cols []pointCol
	seen := map[string]string{}
	leaf := 0
	for _, col := range pf.Root().Columns() {
		k := strings.ToLower(col.Name())
		if other, dup := seen[k]; dup {
			return nil, fmt.Errorf("columns %q and %q differ only in case (DuckDB renames one)", other, col.Name())
		}
		seen[k] = col.Name()
		c := pointCol{name: col.Name(), kind: session.KindOther, leaf: -1}
		if col.Leaf() {
			c.leaf = leaf
			if !col.Repeated() {
				c.kind = duckKind(col.Type())
			}
		}
		leaf += countLeaves(col)
		cols = append(cols, c)
	}
	return cols, nil
}

// pickKey is the position of the key column: the one named, or the first
// INTEGER or BIGINT column; it must hold no NULL and be sorted.
func pickKey(pf *parquet.File, cols []pointCol, key string) (int, error) {
	for i, c := range cols {
		if key != "" && !strings.EqualFold(c.name, key) || c.kind != session.KindInteger && c.kind != session.KindBigInt {
			continue
		}
		if sortedColumn(pf, c.leaf) {
			return i, nil
		}
		if key != "" {
			return 0, fmt.Errorf("the dataset is not sorted by %q, or it has NULLs", c.name)
		}
	}
	if key != "" {
		return 0, fmt.Errorf("no INTEGER or BIGINT column %q", key)
	}
	return 0, errors.New("no INTEGER or BIGINT column the dataset is sorted by")
}

func sortedColumn(pf *parquet.File, leaf int) bool {
	prev := int64(math.MinInt64)
	var buf []parquet.Value
	for _, rg := range pf.RowGroups() {
		vals, err := readColumn(rg, leaf, 0, rg.NumRows(), &buf)
		if err != nil {
			return false
		}
		for _, v := range vals {
			if v.IsNull() || intOf(v) < prev {
				return false
			}
			prev = intOf(v)
		}
	}
	return true
}

// encodeRow appends the row's decodable columns, in order: a presence
// byte (0 for NULL), then the value: 1 byte for BOOLEAN, 4 little-endian
// for INTEGER, DATE and FLOAT, 8 for BIGINT and DOUBLE, a uvarint length
// and the bytes for VARCHAR and BLOB.
func encodeRow(b []byte, cols []pointCol, byLeaf map[int]parquet.Value) []byte {
	for _, c := range cols {
		if _, ok := pointTypes[c.kind]; !ok {
			continue
		}
		v := byLeaf[c.leaf]
		if v.IsNull() {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		switch c.kind {
		case session.KindBoolean:
			if v.Boolean() {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case session.KindInteger, session.KindDate:
			b = binary.LittleEndian.AppendUint32(b, uint32(v.Int32()))
		case session.KindFloat:
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v.Float()))
		case session.KindBigInt:
			b = binary.LittleEndian.AppendUint64(b, uint64(v.Int64()))
		case session.KindDouble:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Double()))
		case session.KindVarchar, session.KindBlob:
			b = binary.AppendUvarint(b, uint64(len(v.ByteArray())))
			b = append(b, v.ByteArray()...)
		}
	}
	return b
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
