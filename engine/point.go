package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Keyed point reads on Gold training datasets.
//
// DuckDB 1.5 binds and plans every execution of a prepared statement that
// reads a table again (duckdb/duckdb#20885) and reads a whole row group
// of a Parquet file for one row: about 5 ms a lookup. A Gold training
// file is sorted by its key and carries a Parquet page index, so a lookup
// by key is a binary search over the key column's page statistics and one
// small page per column; the rows land in a DuckDB data chunk of the
// prepared statement's types, which the wire server encodes as usual.

// ErrNotPointable says a lookup cannot be answered from the page index
// (no such dataset file, no page index, key not sorted, a column type the
// reader does not decode, too many matching rows): the caller runs the
// statement in DuckDB instead.
var ErrNotPointable = errors.New("not answerable by a point read")

// maxPointRows bounds a point read's result to one DuckDB vector.
const maxPointRows = 2048

// PointRead answers SELECT cols FROM gold.dataset WHERE keyCol = key
// from the dataset's point index (WritePointIndex). cols are the result
// columns as DuckDB prepared the statement, each a plain reference to a
// column of the file (the caller checks the statement's shape); each must
// have the type DuckDB reads the column as. all says cols are the
// statement's SELECT *: they must then be the file's columns, in order.
func (db *DB) PointRead(ctx context.Context, dataset, keyCol string, key int64, cols []ResultColumn, all bool) (*PointRows, error) {
	if err := ctx.Err(); err != nil {
		return nil, interruptedBy(ctx)
	}
	t, release, err := db.points.get(db.lake, dataset)
	if err != nil {
		return nil, err
	}
	defer release()
	return t.lookup(keyCol, key, cols, all)
}

// pointTables caches one open point index per dataset, checked against
// the dataset file and reopened when either file is replaced.
type pointTables struct {
	mu     sync.Mutex
	tables map[string]*pointEntry
}

type pointEntry struct {
	mu      sync.RWMutex // held for reading during a lookup
	ds, idx fileID       // the files t was checked against
	checked bool
	t       *pointTable // nil: no usable index for ds and idx
}

func (p *pointTables) get(lake Lake, dataset string) (*pointTable, func(), error) {
	if dataset == "" || dataset != filepath.Base(dataset) || strings.HasPrefix(dataset, ".") {
		return nil, nil, ErrNotPointable
	}
	dsPath := filepath.Join(lake.GoldTrainingDir(), dataset+".parquet")
	idxPath := lake.GoldPointIndexPath(dataset)
	ds, ok1 := regularFile(dsPath)
	idx, ok2 := regularFile(idxPath)
	if !ok1 || !ok2 {
		return nil, nil, ErrNotPointable
	}
	p.mu.Lock()
	if p.tables == nil {
		p.tables = map[string]*pointEntry{}
	}
	e := p.tables[dataset]
	if e == nil {
		e = &pointEntry{}
		p.tables[dataset] = e
	}
	p.mu.Unlock()
	e.mu.RLock()
	if !e.checked || e.ds != ds || e.idx != idx {
		e.mu.RUnlock()
		e.mu.Lock()
		if !e.checked || e.ds != ds || e.idx != idx {
			if e.t != nil {
				e.t.close()
			}
			e.t = openPointTable(dsPath, idxPath, idx)
			e.ds, e.idx, e.checked = ds, idx, true
		}
		e.mu.Unlock()
		e.mu.RLock()
		// Another reopen may have run between the locks.
		if e.ds != ds || e.idx != idx {
			e.mu.RUnlock()
			return nil, nil, ErrNotPointable
		}
	}
	if e.t == nil {
		e.mu.RUnlock()
		return nil, nil, ErrNotPointable
	}
	return e.t, e.mu.RUnlock, nil
}

// regularFile is the identity of a regular file (not a symlink) at path.
func regularFile(path string) (fileID, bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return fileID{}, false
	}
	return fileIdentity(fi), true
}

func (p *pointTables) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.tables {
		e.mu.Lock()
		if e.t != nil {
			e.t.close()
			e.t = nil
		}
		e.mu.Unlock()
	}
}

// fileID identifies one version of a file: a replaced file has another
// inode (or size or mtime).
type fileID struct {
	dev, ino uint64
	size     int64
	mtime    int64
}

func fileIdentity(fi os.FileInfo) fileID {
	id := fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = uint64(st.Dev), st.Ino
	}
	return id
}

// pointTable is one open Gold file with its page index.
type pointTable struct {
	id      fileID
	f       *os.File
	unmap   func()
	pf      *parquet.File
	rgFirst []int64        // first row of each row group
	leaves  map[string]int // column name -> leaf index (flat schemas only)
	kinds   []SQLKind      // the type DuckDB reads each leaf as (KindOther: not decoded)

	mu   sync.Mutex
	keys map[int]*keyPages // sorted key columns, built on first use; nil entry: not sorted
}

// keyPages are the pages of a sorted key column across the file, in row
// order, with their bounds.
type keyPages struct {
	rg       []int
	first    []int64 // first row of the page within its row group
	min, max []int64
}

// openPointTable opens the point index of the dataset file, or returns
// nil if it was not built from that exact file.
func openPointTable(dsPath, idxPath string, id fileID) *pointTable {
	f, err := os.Open(idxPath)
	if err != nil {
		return nil
	}
	r, unmap, err := mapFile(f, id.size)
	if err != nil {
		f.Close()
		return nil
	}
	pf, err := openParquet(r, id.size)
	if err != nil {
		unmap()
		f.Close()
		return nil
	}
	stamp, ok := pf.Lookup(datasetHashKey)
	if sum, err := fileSHA256(dsPath); !ok || err != nil || sum != stamp {
		unmap()
		f.Close()
		return nil
	}
	t := &pointTable{id: id, f: f, unmap: unmap, pf: pf, leaves: map[string]int{}, keys: map[int]*keyPages{}}
	var row int64
	for _, rg := range pf.RowGroups() {
		t.rgFirst = append(t.rgFirst, row)
		row += rg.NumRows()
	}
	for i, col := range pf.Root().Columns() {
		t.kinds = append(t.kinds, KindOther)
		if !col.Leaf() || col.Repeated() {
			continue
		}
		t.leaves[col.Name()] = i
		t.kinds[i] = duckKind(col.Type())
	}
	return t
}

func (t *pointTable) close() {
	t.unmap()
	t.f.Close()
}

// openParquet opens a mapped file; a fault reading the mapping is an error.
func openParquet(r io.ReaderAt, size int64) (pf *parquet.File, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverFault(&err)
	return parquet.OpenFile(r, size, parquet.ReadBufferSize(4096))
}

// recoverFault turns a memory fault on a mapped file (a file truncated
// under its mapping) into an error of the goroutine's read.
func recoverFault(err *error) {
	if r := recover(); r != nil {
		// debug.SetPanicOnFault: a fault is a runtime.Error with Addr.
		if re, ok := r.(interface {
			runtime.Error
			Addr() uintptr
		}); ok {
			*err = fmt.Errorf("point read: memory fault at %#x reading a mapped index: %v", re.Addr(), re)
			return
		}
		panic(r)
	}
}

// duckKind is the type DuckDB gives a flat Parquet column, for the types a
// point read decodes; KindOther for the rest.
func duckKind(pt parquet.Type) SQLKind {
	var lv format.LogicalTypeValue
	if lt := pt.LogicalType(); lt != nil {
		lv = lt.Value
	}
	switch pt.Kind() {
	case parquet.Boolean:
		if lv == nil {
			return KindBoolean
		}
	case parquet.Int32:
		switch v := lv.(type) {
		case nil:
			return KindInteger
		case *format.DateType:
			return KindDate
		case *format.IntType:
			if v.BitWidth == 32 && v.IsSigned {
				return KindInteger
			}
		}
	case parquet.Int64:
		switch v := lv.(type) {
		case nil:
			return KindBigInt
		case *format.IntType:
			if v.BitWidth == 64 && v.IsSigned {
				return KindBigInt
			}
		}
	case parquet.Float:
		if lv == nil {
			return KindFloat
		}
	case parquet.Double:
		if lv == nil {
			return KindDouble
		}
	case parquet.ByteArray:
		switch lv.(type) {
		case nil:
			return KindBlob
		case *format.StringType:
			return KindVarchar
		}
	}
	return KindOther
}

// leaf is the column called name: exactly, else the one column whose name
// differs only in case (DuckDB's rule for unquoted names).
func (t *pointTable) leaf(name string) (int, bool) {
	if l, ok := t.leaves[name]; ok {
		return l, true
	}
	found, n := 0, 0
	for c, l := range t.leaves {
		if strings.EqualFold(c, name) {
			found, n = l, n+1
		}
	}
	return found, n == 1
}

// keyIndex is the sorted page list of leaf, or nil when the column is not
// an integer key sorted across the file with a page index.
func (t *pointTable) keyIndex(leaf int) *keyPages {
	t.mu.Lock()
	defer t.mu.Unlock()
	if k, ok := t.keys[leaf]; ok {
		return k
	}
	k := t.buildKeyIndex(leaf)
	t.keys[leaf] = k
	return k
}

func (t *pointTable) buildKeyIndex(leaf int) *keyPages {
	if t.kinds[leaf] != KindBigInt && t.kinds[leaf] != KindInteger {
		return nil
	}
	// Written bounds, as stored: an index without bounds reads as zeros.
	raw, ncol := t.pf.ColumnIndexes(), len(t.kinds)
	if len(raw) != len(t.pf.RowGroups())*ncol {
		return nil
	}
	k := &keyPages{}
	for r, rg := range t.pf.RowGroups() {
		stored := raw[r*ncol+leaf]
		cc := rg.ColumnChunks()[leaf]
		ci, err := cc.ColumnIndex()
		if err != nil || ci == nil {
			return nil
		}
		oi, err := cc.OffsetIndex()
		if err != nil || oi == nil || oi.NumPages() != ci.NumPages() {
			return nil
		}
		for p := range ci.NumPages() {
			if ci.NullPage(p) || ci.NullCount(p) > 0 {
				return nil // NULL keys: leave it to DuckDB
			}
			if p >= len(stored.MinValues) || len(stored.MinValues[p]) == 0 || len(stored.MaxValues[p]) == 0 {
				return nil
			}
			mn, mx := ci.MinValue(p), ci.MaxValue(p)
			if mn.IsNull() || mx.IsNull() || mn.Kind() != mx.Kind() || (mn.Kind() != parquet.Int64 && mn.Kind() != parquet.Int32) {
				return nil // no page bounds
			}
			lo, hi := intOf(mn), intOf(mx)
			if lo > hi || len(k.max) > 0 && lo < k.max[len(k.max)-1] {
				return nil // not sorted
			}
			k.rg = append(k.rg, r)
			k.first = append(k.first, oi.FirstRowIndex(p))
			k.min = append(k.min, lo)
			k.max = append(k.max, hi)
		}
	}
	if !t.verifyKey(k, leaf) {
		return nil
	}
	return k
}

// verifyKey reads the whole key column once and checks what lookups rely
// on: the values are sorted and every page holds only values within its
// stated bounds (a writer may store no bounds at all, which reads as 0).
func (t *pointTable) verifyKey(k *keyPages, leaf int) bool {
	prev := int64(math.MinInt64)
	p := 0
	var buf []parquet.Value
	for r, rg := range t.pf.RowGroups() {
		vals, err := readColumn(rg, leaf, 0, rg.NumRows(), &buf)
		if err != nil {
			return false
		}
		for i, v := range vals {
			row := int64(i)
			for p+1 < len(k.rg) && k.rg[p+1] == r && k.first[p+1] <= row || p < len(k.rg) && k.rg[p] < r {
				p++
			}
			x := intOf(v)
			if v.IsNull() || x < prev || p >= len(k.rg) || k.rg[p] != r || x < k.min[p] || x > k.max[p] {
				return false
			}
			prev = x
		}
	}
	return true
}

// intOf is an INT32 or INT64 value as int64.
func intOf(v parquet.Value) int64 {
	if v.Kind() == parquet.Int32 {
		return int64(v.Int32())
	}
	return v.Int64()
}

// match is a run of consecutive matching rows in one row group.
type match struct {
	rg       int
	off, len int64
}

func (t *pointTable) lookup(keyCol string, key int64, cols []ResultColumn, all bool) (*PointRows, error) {
	leaf, ok := t.leaf(keyCol)
	if !ok || t.kinds[leaf] == KindInteger && int64(int32(key)) != key {
		return nil, ErrNotPointable // DuckDB reports the overflow
	}
	if all && len(cols) != len(t.kinds) {
		return nil, ErrNotPointable
	}
	outLeaves := make([]int, len(cols))
	for i, c := range cols {
		l, ok := t.leaf(c.Name)
		if !ok || all && l != i || t.kinds[l] != c.Type.Kind || c.Type.Alias != "" {
			return nil, ErrNotPointable
		}
		outLeaves[i] = l
	}
	k := t.keyIndex(leaf)
	if k == nil {
		return nil, ErrNotPointable
	}
	matches, n, err := t.findKey(k, leaf, key)
	if err != nil {
		return nil, err
	}
	pr := &PointRows{cols: cols}
	if n == 0 {
		return pr, nil
	}
	if err := pr.fill(t, matches, n, outLeaves, leaf, key); err != nil {
		pr.Close()
		return nil, err
	}
	return pr, nil
}

// findKey reads the key pages whose bounds hold key and returns the runs
// of rows equal to it.
func (t *pointTable) findKey(k *keyPages, leaf int, key int64) ([]match, int, error) {
	start := sort.Search(len(k.max), func(i int) bool { return k.max[i] >= key })
	var out []match
	total := 0
	var buf []parquet.Value
	for p := start; p < len(k.min) && k.min[p] <= key; p++ {
		rg := t.pf.RowGroups()[k.rg[p]]
		end := rg.NumRows()
		if p+1 < len(k.rg) && k.rg[p+1] == k.rg[p] {
			end = k.first[p+1]
		}
		vals, err := readColumn(rg, leaf, k.first[p], end-k.first[p], &buf)
		if err != nil {
			return nil, 0, err
		}
		for i, v := range vals {
			if v.IsNull() || intOf(v) != key {
				continue
			}
			off := k.first[p] + int64(i)
			if m := len(out) - 1; m >= 0 && out[m].rg == k.rg[p] && out[m].off+out[m].len == off {
				out[m].len++
			} else {
				out = append(out, match{rg: k.rg[p], off: off, len: 1})
			}
			if total++; total > maxPointRows {
				return nil, 0, ErrNotPointable
			}
		}
	}
	return out, total, nil
}

// readColumn reads n values of leaf from row off of rg, page by page.
func readColumn(rg parquet.RowGroup, leaf int, off, n int64, buf *[]parquet.Value) (_ []parquet.Value, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverFault(&err)
	pages := rg.ColumnChunks()[leaf].Pages()
	defer pages.Close()
	if err := pages.SeekToRow(off); err != nil {
		return nil, fmt.Errorf("point read: seek row %d: %w", off, err)
	}
	out := (*buf)[:0]
	for int64(len(out)) < n {
		p, err := pages.ReadPage()
		if err != nil {
			return nil, fmt.Errorf("point read: page at row %d: %w", off+int64(len(out)), err)
		}
		want := min(n-int64(len(out)), p.NumValues())
		at := len(out)
		out = append(out, make([]parquet.Value, want)...)
		got, err := p.Values().ReadValues(out[at:])
		if p.Type().Kind() == parquet.ByteArray {
			// Byte arrays point into the page, which goes back to a pool.
			for i := at; i < at+got; i++ {
				out[i] = out[i].Clone()
			}
		}
		parquet.Release(p)
		if int64(got) != want && err != nil {
			return nil, fmt.Errorf("point read: values at row %d: %w", off+int64(at), err)
		}
		out = out[:at+got]
		if got == 0 {
			return nil, fmt.Errorf("point read: empty page at row %d", off+int64(at))
		}
	}
	*buf = out
	return out, nil
}
