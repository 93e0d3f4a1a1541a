package point

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/store"
)

// Key-value metadata of a point index.
const (
	// datasetHashKey holds the stamp of the dataset the index was built
	// from (sourceStamp): an index is used only with those exact files.
	datasetHashKey = "spysql.dataset_sha256"
	// pointColumnsKey holds the dataset's columns (JSON pointColumn list).
	pointColumnsKey = "spysql.point_columns"
	// pointKeyKey names the key column.
	pointKeyKey = "spysql.point_key"
	// pointFormatKey is the index layout: pointFormat.
	pointFormatKey = "spysql.point_format"
)

// pointFormat names the layout of the index: keys, and blocks of
// blockRows rows (block.go). Indexes of another layout are not read.
const pointFormat = "blocks-512-dict-32768"

// intRecord and strRecord are rows of a point index: the key (an
// integer of DuckDB's unit, or a string), on the first row of each
// block of blockRows rows the block, and on the first row of each segment
// of segRows rows its dictionaries (dict.go), NULL on the others.
type intRecord struct {
	Key   int64  `parquet:"key,delta"`
	Block []byte `parquet:"block,optional"`
	Dict  []byte `parquet:"dict,optional"`
}

type strRecord struct {
	Key   string `parquet:"key,delta"`
	Block []byte `parquet:"block,optional"`
	Dict  []byte `parquet:"dict,optional"`
}

// pointColumn is a dataset column as the index records it.
type pointColumn struct {
	Name string `json:"name"`
	Type string `json:"type"` // colType.String(); "OTHER": not in the blocks
}

// Source is a dataset a point index is built for: a Gold training
// dataset (Schema "gold") or a Silver version (Schema "silver", whose
// rows are its dates' files in date order with the partition column
// "date" last, as the view silver."<version>" reads them).
type Source struct {
	Schema, Name string
}

func (s Source) String() string { return s.Schema + "." + s.Name }

// IndexPath is where the index of s lives.
func (s Source) IndexPath(lake store.Lake) string {
	if s.Schema == "silver" {
		return lake.SilverPointIndexPath(s.Name)
	}
	return lake.GoldPointIndexPath(s.Name)
}

// files lists the data files of s in row order, with the value of the
// partition column of each (Silver).
func (s Source) files(lake store.Lake) (paths, parts []string, err error) {
	if s.Name == "" || s.Name != filepath.Base(s.Name) || strings.HasPrefix(s.Name, ".") || strings.HasPrefix(s.Name, "_") {
		return nil, nil, fmt.Errorf("%q is not a dataset name", s.Name)
	}
	switch s.Schema {
	case "gold":
		// The current promotion's file, as the view gold.<name> reads it.
		p := lake.GoldDatasetResolved(s.Name)
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("no Gold training dataset %q (%s)", s.Name, p)
		}
		return []string{p}, nil, nil
	case "silver":
		dates, err := lake.VersionDates(s.Name)
		if err != nil {
			return nil, nil, err
		}
		if len(dates) == 0 {
			return nil, nil, fmt.Errorf("no Silver version %q with a built date (%s)", s.Name, lake.VersionDir(s.Name))
		}
		for _, d := range dates {
			paths = append(paths, lake.VersionDatePart(s.Name, d))
		}
		return paths, dates, nil
	}
	return nil, nil, fmt.Errorf("schema %q has no point indexes (gold or silver)", s.Schema)
}

// IndexReport describes a written index.
type IndexReport struct {
	Source  Source `json:"-"`
	Path    string `json:"path"`
	Key     string `json:"key"`
	KeyType string `json:"key_type"`
	// DatasetBytes and IndexBytes are the sizes on disk.
	DatasetBytes int64 `json:"dataset_bytes"`
	IndexBytes   int64 `json:"index_bytes"`
	// Undecoded are the columns (name: type) the index does not hold:
	// a lookup that returns one runs in DuckDB.
	Undecoded []string `json:"undecoded"`
}

// WritePointIndex writes the point index of a Gold training dataset and
// returns its key column (see WriteIndex).
func WritePointIndex(ctx context.Context, lake store.Lake, dataset, key string) (string, error) {
	r, err := WriteIndex(ctx, lake, Source{Schema: "gold", Name: dataset}, key)
	return r.Key, err
}

// WriteIndex writes the point index of src: for each row, in the
// dataset's order, its key, and the rows in blocks of blockRows (each
// column's values together, the key left out), in small pages with a
// page index, stamped with the dataset files' sha256 and published
// atomically. key names the key column, which the dataset must be sorted
// by and which holds no NULL: an INTEGER, BIGINT, DATE, TIMESTAMP,
// TIMESTAMP_NS, TIMESTAMPTZ or VARCHAR column; "" picks the first such
// column other than VARCHAR. Run it after the dataset is published
// (spysql index); until the stamp matches the dataset, lookups run in
// DuckDB.
func WriteIndex(ctx context.Context, lake store.Lake, src Source, key string) (IndexReport, error) {
	rep := IndexReport{Source: src}
	fail := func(err error) (IndexReport, error) { return rep, fmt.Errorf("point index %s: %w", src, err) }
	paths, parts, err := src.files(lake)
	if err != nil {
		return fail(err)
	}
	var files []*parquet.File
	var sums []string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		// Stamp and rows come from the same open file, whatever is
		// renamed over the path meanwhile.
		sum, err := readerSHA256(ctx, f)
		if err != nil {
			return fail(fmt.Errorf("hash %s: %w", p, err))
		}
		fi, err := f.Stat()
		if err != nil {
			return fail(err)
		}
		pf, err := parquet.OpenFile(f, fi.Size())
		if err != nil {
			return fail(fmt.Errorf("read %s: %w", p, err))
		}
		rep.DatasetBytes += fi.Size()
		files = append(files, pf)
		sums = append(sums, sum)
	}
	rep.Path = src.IndexPath(lake)
	if err := os.MkdirAll(filepath.Dir(rep.Path), 0o755); err != nil {
		return fail(err)
	}
	tmp, err := store.TempFile(filepath.Dir(rep.Path), filepath.Base(rep.Path))
	if err != nil {
		return fail(err)
	}
	b := &indexBuild{files: files, parts: parts, stamp: sourceStamp(lake, paths, sums)}
	if err := b.write(ctx, tmp, key); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fail(err)
	}
	if _, err := store.Publish(tmp, rep.Path, true); err != nil {
		return fail(err)
	}
	fi, err := os.Stat(rep.Path)
	if err != nil {
		return fail(err)
	}
	rep.IndexBytes = fi.Size()
	rep.Key, rep.KeyType = b.cols[b.key].name, b.cols[b.key].typ.String()
	for _, c := range b.cols {
		if !c.typ.decoded() {
			rep.Undecoded = append(rep.Undecoded, c.name+": "+c.typeName)
		}
	}
	return rep, nil
}

// indexBuild writes one index.
type indexBuild struct {
	files []*parquet.File
	parts []string // Silver: the partition value of each file
	stamp string
	cols  []srcCol
	key   int // position of the key column in cols
}

// keyKinds are the key column types, in the order "" picks them.
var keyKinds = map[session.SQLKind]bool{
	session.KindInteger: true, session.KindBigInt: true, session.KindDate: true,
	session.KindTimestamp: true, session.KindTimestampNS: true, session.KindTimestampTZ: true,
	session.KindVarchar: true,
}

func (b *indexBuild) write(ctx context.Context, w io.Writer, key string, opts ...parquet.WriterOption) error {
	cols, err := datasetColumns(b.files[0])
	if err != nil {
		return err
	}
	for i, pf := range b.files[1:] {
		other, err := datasetColumns(pf)
		if err != nil {
			return err
		}
		if !sameColumns(other, cols) {
			return fmt.Errorf("the files of date %s and date %s have different columns", b.parts[0], b.parts[i+1])
		}
	}
	if b.parts != nil {
		for _, c := range cols {
			if strings.EqualFold(c.name, "date") {
				return fmt.Errorf("column %q clashes with the partition column date", c.name)
			}
		}
		cols = append(cols, srcCol{name: "date", typ: colType{kind: session.KindVarchar}, typeName: "VARCHAR", leaf: -1, part: true})
	}
	b.cols = cols
	if b.key, err = b.pickKey(key); err != nil {
		return err
	}
	meta := make([]pointColumn, len(cols))
	for i, c := range cols {
		meta[i] = pointColumn{Name: c.name, Type: c.typ.String()}
	}
	js, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	opts = append(append(store.PointIndexOptions(), parquet.KeyValueMetadata(datasetHashKey, b.stamp),
		parquet.KeyValueMetadata(pointColumnsKey, string(js)), parquet.KeyValueMetadata(pointKeyKey, cols[b.key].name),
		parquet.KeyValueMetadata(pointFormatKey, pointFormat), parquet.SkipPageBounds("block"), parquet.SkipPageStatistics("block"),
		parquet.SkipPageBounds("dict"), parquet.SkipPageStatistics("dict")), opts...)
	if cols[b.key].typ.kind == session.KindVarchar {
		return writeRecords(ctx, b, parquet.NewGenericWriter[strRecord](w, opts...),
			func(k cell, blk, dict []byte) strRecord { return strRecord{Key: string(k.b), Block: blk, Dict: dict} })
	}
	return writeRecords(ctx, b, parquet.NewGenericWriter[intRecord](w, opts...),
		func(k cell, blk, dict []byte) intRecord {
			return intRecord{Key: keyInt(cols[b.key].typ, k), Block: blk, Dict: dict}
		})
}

// sameColumns reports whether two files' columns read alike.
func sameColumns(a, b []srcCol) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.name != y.name || x.typ.String() != y.typ.String() || x.typeName != y.typeName || x.leaf != y.leaf ||
			x.mult != y.mult || x.listBase != y.listBase || x.elemDef != y.elemDef {
			return false
		}
	}
	return true
}

// keyInt is an integer-like key cell as the index stores it.
func keyInt(t colType, k cell) int64 {
	if t.size() == 4 {
		return int64(int32(uint32(k.lo)))
	}
	return int64(k.lo)
}

// writeRecords writes the keys, blocks and dictionaries of every row,
// a segment at a time.
func writeRecords[R any](ctx context.Context, b *indexBuild, pw *parquet.GenericWriter[R], rec func(key cell, block, dict []byte) R) error {
	var types []colType
	var stored []int // dataset columns in the blocks
	for i, c := range b.cols {
		if c.typ.decoded() && i != b.key {
			types = append(types, c.typ)
			stored = append(stored, i)
		}
	}
	z, err := newSizer()
	if err != nil {
		return err
	}
	defer z.enc.Close()
	segCols := make([][]cell, len(stored))
	keys := make([]cell, 0, segRows)
	flush := func() error {
		if len(keys) == 0 {
			return nil
		}
		blocks, dict := encodeSegment(types, segCols, len(keys), z)
		recs := make([]R, len(keys))
		for i, k := range keys {
			var blk, d []byte
			if i%blockRows == 0 {
				blk = blocks[i/blockRows]
			}
			if i == 0 {
				d = dict
			}
			recs[i] = rec(k, blk, d)
		}
		keys = keys[:0]
		for c := range segCols {
			segCols[c] = segCols[c][:0]
		}
		_, err := pw.Write(recs)
		return err
	}
	rows := make([]parquet.Row, 256)
	byLeaf := make([][]parquet.Value, len(b.files[0].Schema().Columns()))
	for f, pf := range b.files {
		for _, rg := range pf.RowGroups() {
			if err := ctx.Err(); err != nil {
				return err
			}
			rr := rg.Rows()
			for {
				n, err := rr.ReadRows(rows)
				for _, row := range rows[:n] {
					for l := range byLeaf {
						byLeaf[l] = byLeaf[l][:0]
					}
					for _, v := range row {
						byLeaf[v.Column()] = append(byLeaf[v.Column()], v)
					}
					for j, c := range stored {
						cl, cerr := b.cell(b.cols[c], byLeaf, f)
						if cerr != nil {
							rr.Close()
							return cerr
						}
						segCols[j] = append(segCols[j], cl)
					}
					k, kerr := b.cell(b.cols[b.key], byLeaf, f)
					if kerr != nil {
						rr.Close()
						return kerr
					}
					keys = append(keys, k)
					if len(keys) == segRows {
						if ferr := flush(); ferr != nil {
							rr.Close()
							return ferr
						}
					}
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					rr.Close()
					return err
				}
			}
			rr.Close()
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return pw.Close()
}

// cell reads column c of a row of file f.
func (b *indexBuild) cell(c srcCol, byLeaf [][]parquet.Value, f int) (cell, error) {
	if c.part {
		return cell{b: []byte(b.parts[f])}, nil
	}
	vals := byLeaf[c.leaf]
	if c.typ.kind != session.KindList {
		if len(vals) != 1 {
			return cell{}, fmt.Errorf("column %q: %d values in a row", c.name, len(vals))
		}
		return flatCell(c.name, c.typ, c.mult, vals[0])
	}
	if len(vals) == 0 {
		return cell{}, fmt.Errorf("column %q: no value in a row", c.name)
	}
	if d := vals[0].DefinitionLevel(); d < c.listBase {
		return cell{null: true}, nil
	} else if d == c.listBase {
		return cell{elems: []cell{}}, nil
	}
	out := cell{elems: make([]cell, len(vals))}
	for i, v := range vals {
		if v.DefinitionLevel() < c.elemDef {
			out.elems[i] = cell{null: true}
			continue
		}
		e, err := flatCell(c.name, *c.typ.elem, c.mult, v)
		if err != nil {
			return cell{}, err
		}
		out.elems[i] = e
	}
	return out, nil
}

// flatCell is a flat value as a cell of its type.
func flatCell(name string, t colType, mult int64, v parquet.Value) (cell, error) {
	if v.IsNull() {
		return cell{null: true}, nil
	}
	switch t.kind {
	case session.KindBoolean:
		if v.Boolean() {
			return cell{lo: 1}, nil
		}
		return cell{}, nil
	case session.KindInteger, session.KindDate:
		return cell{lo: uint64(uint32(v.Int32()))}, nil
	case session.KindFloat:
		return cell{lo: uint64(math.Float32bits(v.Float()))}, nil
	case session.KindDouble:
		return cell{lo: math.Float64bits(v.Double())}, nil
	case session.KindBigInt, session.KindTimestamp, session.KindTimestampNS, session.KindTimestampTZ:
		x := v.Int64()
		if mult != 1 {
			if x > math.MaxInt64/mult || x < math.MinInt64/mult {
				return cell{}, fmt.Errorf("column %q: timestamp %d out of range", name, x)
			}
			x *= mult
		}
		return cell{lo: uint64(x)}, nil
	case session.KindVarchar, session.KindBlob:
		return cell{b: append([]byte(nil), v.ByteArray()...)}, nil
	case session.KindDecimal:
		var lo, hi uint64
		switch v.Kind() {
		case parquet.Int32:
			lo = uint64(int64(v.Int32()))
			hi = uint64(int64(lo) >> 63)
		case parquet.Int64:
			lo = uint64(v.Int64())
			hi = uint64(int64(lo) >> 63)
		default:
			var ok bool
			if lo, hi, ok = int128BE(v.ByteArray()); !ok {
				return cell{}, fmt.Errorf("column %q: DECIMAL of %d bytes", name, len(v.ByteArray()))
			}
		}
		if t.size() == 8 && hi != uint64(int64(lo)>>63) {
			return cell{}, fmt.Errorf("column %q: value out of DECIMAL(%d,%d)", name, t.width, t.scale)
		}
		return cell{lo: lo, hi: hi}, nil
	}
	return cell{}, fmt.Errorf("column %q: type %s not encoded", name, t)
}

// int128BE reads a big-endian two's complement integer of up to 16 bytes.
func int128BE(b []byte) (lo, hi uint64, ok bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, 0, false
	}
	var buf [16]byte
	if b[0]&0x80 != 0 {
		for i := range buf {
			buf[i] = 0xff
		}
	}
	copy(buf[16-len(b):], b)
	return binary.BigEndian.Uint64(buf[8:]), binary.BigEndian.Uint64(buf[:8]), true
}

// defaultKeyTiers are the key types "" picks, in order of preference.
var defaultKeyTiers = [][]session.SQLKind{
	{session.KindInteger, session.KindBigInt},
	{session.KindTimestamp, session.KindTimestampNS, session.KindTimestampTZ},
	{session.KindDate},
}

// pickKey is the position of the key column: the one named, or the first
// sorted column of the most preferred integer-like type; it must hold no
// NULL and be sorted.
func (b *indexBuild) pickKey(key string) (int, error) {
	if key == "" {
		for _, tier := range defaultKeyTiers {
			for i, c := range b.cols {
				if c.part || !slices.Contains(tier, c.typ.kind) {
					continue
				}
				ok, err := b.sorted(c)
				if err != nil {
					return 0, err
				}
				if ok {
					return i, nil
				}
			}
		}
		return 0, errors.New("no INTEGER, BIGINT, TIMESTAMP or DATE column the dataset is sorted by (--key names one)")
	}
	for i, c := range b.cols {
		if !strings.EqualFold(c.name, key) {
			continue
		}
		if c.part || !keyKinds[c.typ.kind] {
			return 0, fmt.Errorf("column %q is %s: a key is INTEGER, BIGINT, DATE, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ or VARCHAR", c.name, c.typeName)
		}
		ok, err := b.sorted(c)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, fmt.Errorf("the dataset is not sorted by %q, or it has NULLs", c.name)
		}
		return i, nil
	}
	return 0, fmt.Errorf("no column %q", key)
}

// sorted reports whether column c is sorted across the files, without
// NULLs.
func (b *indexBuild) sorted(c srcCol) (bool, error) {
	var prev *cell
	var buf []parquet.Value
	for _, pf := range b.files {
		for _, rg := range pf.RowGroups() {
			vals, err := readColumn(rg, c.leaf, 0, rg.NumRows(), &buf)
			if err != nil {
				return false, err
			}
			for _, v := range vals {
				k, err := flatCell(c.name, c.typ, c.mult, v)
				if err != nil {
					return false, err
				}
				if k.null || prev != nil && compareKey(c.typ, *prev, k) > 0 {
					return false, nil
				}
				prev = &k
			}
		}
	}
	return true, nil
}

// compareKey orders key cells as DuckDB orders the type.
func compareKey(t colType, a, b cell) int {
	if t.kind == session.KindVarchar {
		return strings.Compare(string(a.b), string(b.b))
	}
	x, y := keyInt(t, a), keyInt(t, b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
