package point

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/session"
)

// pointTable is one open point index.
type pointTable struct {
	f     *os.File
	unmap func()
	pf    *parquet.File
	cols  []pointCol     // the dataset's columns, in order
	names map[string]int // lower-cased name -> position in cols
	key   int            // position of the key column in cols
	// keyLeaf, blockLeaf and dictLeaf are the index's key, block and
	// dictionary columns.
	keyLeaf, blockLeaf, dictLeaf int
	dicts                        dictCache
	// types are the columns in the blocks, in order.
	types []colType

	refs    int          // lookups and background work using the table (cache.mu)
	retired bool         // replaced: closed when refs drops to 0
	dataset string       // set once cached
	cache   *pointTables // set once cached, with dataset

	mu       sync.Mutex
	keys     map[int]*keyPages // sorted key columns by leaf; nil entry: not a key
	building map[int]chan struct{}
}

// pointCol is a dataset column: its type and its section in the blocks
// (-1: not in the blocks, the key or a type not decoded).
type pointCol struct {
	name    string
	typ     colType
	section int
}

// keyVal is a key: an integer of DuckDB's unit, or a string.
type keyVal struct {
	i int64
	s string
}

// keyPages are the pages of a sorted key column across the file, in row
// order, with their bounds.
type keyPages struct {
	rg       []int
	first    []int64 // first row of the page within its row group
	min, max []keyVal
}

// openPointTable opens the point index of a dataset of the given stamp
// (a func, run only once the index looks usable). An error wrapping
// ErrNotPointable is about the files' content (not built from those
// files, unreadable); others may pass.
func openPointTable(ctx context.Context, stamp func(context.Context) (string, error), idxPath string) (*pointTable, error) {
	f, err := os.Open(idxPath)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, unmap, err := mapFile(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	t := &pointTable{f: f, unmap: unmap, names: map[string]int{}, keys: map[int]*keyPages{}, building: map[int]chan struct{}{}}
	fail := func(err error) (*pointTable, error) {
		t.close()
		return nil, err
	}
	t.pf, err = openParquet(r, fi.Size())
	if err != nil {
		return fail(notPointable("read %s: %v", idxPath, err))
	}
	if v, _ := t.pf.Lookup(pointFormatKey); v != pointFormat {
		return fail(notPointable("%s is of another layout (%q; spysql index writes %q)", idxPath, v, pointFormat))
	}
	want, _ := t.pf.Lookup(datasetHashKey)
	sum, err := stamp(ctx)
	if err != nil {
		return fail(err)
	}
	if sum != want {
		return fail(notPointable("%s was not built from the dataset's files (spysql index)", idxPath))
	}
	var meta []pointColumn
	js, _ := t.pf.Lookup(pointColumnsKey)
	keyName, _ := t.pf.Lookup(pointKeyKey)
	if err := json.Unmarshal([]byte(js), &meta); err != nil {
		return fail(notPointable("%s: no column list: %v", idxPath, err))
	}
	t.key = -1
	for i, c := range meta {
		k := strings.ToLower(c.Name)
		if _, dup := t.names[k]; dup {
			return fail(notPointable("columns named %q differ only in case", c.Name))
		}
		t.names[k] = i
		typ, ok := parseColType(c.Type)
		if !ok {
			return fail(notPointable("%s: column %q of unknown type %q", idxPath, c.Name, c.Type))
		}
		t.cols = append(t.cols, pointCol{name: c.Name, typ: typ, section: -1})
		if c.Name == keyName {
			t.key = i
		}
	}
	for i := range t.cols {
		if i != t.key && t.cols[i].typ.decoded() {
			t.cols[i].section = len(t.types)
			t.types = append(t.types, t.cols[i].typ)
		}
	}
	kc, bc, dc := t.pf.Root().Column("key"), t.pf.Root().Column("block"), t.pf.Root().Column("dict")
	if t.key < 0 || !keyKinds[t.cols[t.key].typ.kind] || !optionalBytes(bc) || !optionalBytes(dc) {
		return fail(notPointable("%s is not a point index", idxPath))
	}
	keyKind := parquet.Int64
	if t.cols[t.key].typ.kind == session.KindVarchar {
		keyKind = parquet.ByteArray
	}
	if !plainLeaf(kc, keyKind) {
		return fail(notPointable("%s is not a point index", idxPath))
	}
	rgs := t.pf.RowGroups()
	for i, rg := range rgs {
		if i < len(rgs)-1 && rg.NumRows()%segRows != 0 {
			return fail(notPointable("%s: a row group of %d rows splits a segment", idxPath, rg.NumRows()))
		}
	}
	t.keyLeaf, t.blockLeaf, t.dictLeaf = kc.Index(), bc.Index(), dc.Index()
	return t, nil
}

// optionalBytes reports whether c is an optional BYTE_ARRAY leaf.
func optionalBytes(c *parquet.Column) bool {
	return c != nil && c.Leaf() && c.Optional() && c.Type().Kind() == parquet.ByteArray
}

// segDicts are the dictionaries of the segment of row group rg that
// starts at row first, read once and kept within maxDictCache.
func (t *pointTable) segDicts(rg int, first int64) ([]*section, error) {
	if d, ok := t.dicts.get(rg, first); ok {
		return d, nil
	}
	var buf []parquet.Value
	vals, err := readColumn(t.pf.RowGroups()[rg], t.dictLeaf, first, 1, &buf)
	if err != nil {
		return nil, err
	}
	if len(vals) != 1 || vals[0].IsNull() {
		return nil, fmt.Errorf("no dictionaries at row %d", first)
	}
	d, size, err := readDicts(vals[0].ByteArray(), t.types)
	if err != nil {
		return nil, err
	}
	t.dicts.put(rg, first, d, size)
	return d, nil
}

// plainLeaf reports whether c is a required leaf of the physical kind.
func plainLeaf(c *parquet.Column, kind parquet.Kind) bool {
	return c != nil && c.Leaf() && c.Required() && c.Type().Kind() == kind
}

func countLeaves(c *parquet.Column) int {
	if c.Leaf() {
		return 1
	}
	n := 0
	for _, ch := range c.Columns() {
		n += countLeaves(ch)
	}
	return n
}

func (t *pointTable) close() {
	t.unmap()
	t.f.Close()
}

// openParquet opens a mapped file; a panic reading it is an error.
func openParquet(r io.ReaderAt, size int64) (pf *parquet.File, err error) {
	defer guardRead(&err)()
	return parquet.OpenFile(r, size, parquet.ReadBufferSize(4096))
}

// guardRead makes a read of the index fail with an error, not a crash:
// a memory fault on the mapping (a file truncated under it) or a panic of
// the Parquet reader on damaged bytes. Use as defer guardRead(&err)().
func guardRead(err *error) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			*err = fmt.Errorf("reading the point index: %v", r)
		}
	}
}

// column is the column a statement names, as DuckDB resolves names:
// without regard to case (openPointTable refused tables where that is
// ambiguous).
func (t *pointTable) column(name string) (int, bool) {
	i, ok := t.names[strings.ToLower(name)]
	return i, ok
}

// keyIndex is the sorted page list of leaf, built and verified once, in
// the background (see pointTables); a statement waits for it as for an
// index being opened.
func (t *pointTable) keyIndex(ctx context.Context, leaf int) (*keyPages, error) {
	for attempt := 0; ; attempt++ {
		t.mu.Lock()
		if k, ok := t.keys[leaf]; ok {
			t.mu.Unlock()
			return keyOrRefusal(k)
		}
		done, building := t.building[leaf]
		if !building {
			done = make(chan struct{})
			t.building[leaf] = done
			t.cache.acquire(t)
			go t.build(leaf, done)
		}
		t.mu.Unlock()
		if attempt > 0 {
			return nil, notPointable("the key column is being verified")
		}
		if err := awaitBackground(ctx, done); err != nil {
			return nil, err
		}
	}
}

func keyOrRefusal(k *keyPages) (*keyPages, error) {
	if k == nil {
		return nil, notPointable("the column is not a sorted integer key with page bounds")
	}
	return k, nil
}

// build builds and verifies a key column's index in the background; a
// read error marks the index damaged.
func (t *pointTable) build(leaf int, done chan struct{}) {
	defer t.cache.release(t)
	defer close(done)
	life := t.cache.lifetime()
	k, err := t.buildKeyIndex(life, leaf)
	t.mu.Lock()
	delete(t.building, leaf)
	if err == nil {
		t.keys[leaf] = k // nil: not a key, remembered
	}
	t.mu.Unlock()
	if err != nil && !errors.Is(err, ErrNotPointable) && life.Err() == nil {
		t.cache.damaged(t)
	}
}

// buildKeyIndex reads the key column's page index and verifies it against
// the values. A nil result without error: not a usable key.
func (t *pointTable) buildKeyIndex(ctx context.Context, leaf int) (_ *keyPages, err error) {
	defer guardRead(&err)()
	// Written bounds, as stored: an index without bounds reads as zeros.
	raw, nleaf := t.pf.ColumnIndexes(), len(t.pf.Schema().Columns())
	if len(raw) != len(t.pf.RowGroups())*nleaf {
		return nil, nil
	}
	k := &keyPages{}
	for r, rg := range t.pf.RowGroups() {
		stored := raw[r*nleaf+leaf]
		cc := rg.ColumnChunks()[leaf]
		ci, err := cc.ColumnIndex()
		if err != nil || ci == nil {
			return nil, nil
		}
		oi, err := cc.OffsetIndex()
		n := ci.NumPages()
		if err != nil || oi == nil || oi.NumPages() != n ||
			len(stored.MinValues) != n || len(stored.MaxValues) != n || len(stored.NullPages) != n ||
			len(stored.NullCounts) != 0 && len(stored.NullCounts) != n {
			return nil, nil
		}
		for p := range n {
			if ci.NullPage(p) || len(stored.NullCounts) == n && ci.NullCount(p) > 0 {
				return nil, nil // NULL keys: leave it to DuckDB
			}
			if len(stored.MinValues[p]) == 0 || len(stored.MaxValues[p]) == 0 {
				return nil, nil
			}
			mn, mx := ci.MinValue(p), ci.MaxValue(p)
			if mn.IsNull() || mx.IsNull() || mn.Kind() != mx.Kind() || mn.Kind() != parquet.Int64 && mn.Kind() != parquet.ByteArray {
				return nil, nil // no page bounds
			}
			lo, hi := t.keyOf(mn), t.keyOf(mx)
			if t.cmpKey(lo, hi) > 0 || len(k.max) > 0 && t.cmpKey(lo, k.max[len(k.max)-1]) < 0 {
				return nil, nil // not sorted
			}
			k.rg = append(k.rg, r)
			k.first = append(k.first, oi.FirstRowIndex(p))
			k.min = append(k.min, lo)
			k.max = append(k.max, hi)
		}
	}
	ok, err := t.verifyKey(ctx, k, leaf)
	if err != nil || !ok {
		return nil, err
	}
	return k, nil
}

// verifyKey reads the whole key column once and checks what lookups rely
// on: the values are sorted and every page holds only values within its
// stated bounds (a writer may store no bounds at all, which reads as 0).
func (t *pointTable) verifyKey(ctx context.Context, k *keyPages, leaf int) (bool, error) {
	var prev *keyVal
	p := 0
	var buf []parquet.Value
	for r, rg := range t.pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		vals, err := readColumn(rg, leaf, 0, rg.NumRows(), &buf)
		if err != nil {
			return false, fmt.Errorf("verify key: %w", err)
		}
		for i, v := range vals {
			row := int64(i)
			for p+1 < len(k.rg) && k.rg[p+1] == r && k.first[p+1] <= row || p < len(k.rg) && k.rg[p] < r {
				p++
			}
			if v.IsNull() {
				return false, nil
			}
			x := t.keyOf(v)
			if prev != nil && t.cmpKey(x, *prev) < 0 || p >= len(k.rg) || k.rg[p] != r || t.cmpKey(x, k.min[p]) < 0 || t.cmpKey(x, k.max[p]) > 0 {
				return false, nil
			}
			prev = &x
		}
	}
	return true, nil
}

// keyOf is a value of the index's key column as a key.
func (t *pointTable) keyOf(v parquet.Value) keyVal {
	if v.Kind() == parquet.ByteArray {
		return keyVal{s: string(v.ByteArray())}
	}
	return keyVal{i: v.Int64()}
}

// cmpKey orders keys as DuckDB orders the key column's type.
func (t *pointTable) cmpKey(a, b keyVal) int {
	if t.cols[t.key].typ.kind == session.KindVarchar {
		return strings.Compare(a.s, b.s)
	}
	return cmp.Compare(a.i, b.i)
}

// equalKey reports whether a key column value equals k.
func (t *pointTable) equalKey(v parquet.Value, k keyVal) bool {
	if v.IsNull() {
		return false
	}
	if v.Kind() == parquet.ByteArray {
		return string(v.ByteArray()) == k.s
	}
	return v.Int64() == k.i
}

// match is a run of consecutive matching rows in one row group.
type match struct {
	rg       int
	off, len int64
}

func (t *pointTable) lookup(ctx context.Context, q PointQuery, arg session.Arg) (pr *PointRows, err error) {
	defer func() {
		if err != nil && pr != nil {
			pr.Close()
			pr = nil
		}
	}()
	defer guardRead(&err)() // runs first: a panic becomes err

	kc, ok := t.column(q.Key)
	if !ok || kc != t.key {
		return nil, notPointable("%q is not the key of the point index", q.Key)
	}
	keyCol := t.cols[kc]
	if keyCol.typ.kind != q.KeyType {
		return nil, notPointable("key %q is %s, compared with a %d parameter", q.Key, keyCol.typ, q.KeyType)
	}
	key, ok := keyFromArg(keyCol.typ, arg)
	if !ok {
		return nil, notPointable("the argument is not a %s the point read reads as DuckDB would", keyCol.typ) // DuckDB casts it
	}
	if q.Star && len(q.Cols) != len(t.cols) {
		return nil, notPointable("SELECT * has %d columns, the index %d", len(q.Cols), len(t.cols))
	}
	out := make([]int, len(q.Cols))
	for i, c := range q.Cols {
		j, ok := t.column(c.Name)
		if !ok || q.Star && j != i || !t.cols[j].typ.matches(c.Type) {
			return nil, notPointable("column %q is not read as %s", c.Name, c.Type)
		}
		out[i] = j
	}
	k, err := t.keyIndex(ctx, t.keyLeaf)
	if err != nil {
		return nil, err
	}
	matches, n, err := t.findKey(k, t.keyLeaf, key)
	if err != nil {
		return nil, err
	}
	pr = &PointRows{cols: q.Cols}
	if n == 0 {
		return pr, nil
	}
	return pr, pr.fill(t, matches, n, out, key)
}

// findKey reads the key pages whose bounds hold key and returns the runs
// of rows equal to it.
func (t *pointTable) findKey(k *keyPages, leaf int, key keyVal) ([]match, int, error) {
	start := sort.Search(len(k.max), func(i int) bool { return t.cmpKey(k.max[i], key) >= 0 })
	var out []match
	total := 0
	var buf []parquet.Value
	for p := start; p < len(k.min) && t.cmpKey(k.min[p], key) <= 0; p++ {
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
			if !t.equalKey(v, key) {
				continue
			}
			off := k.first[p] + int64(i)
			if m := len(out) - 1; m >= 0 && out[m].rg == k.rg[p] && out[m].off+out[m].len == off {
				out[m].len++
			} else {
				out = append(out, match{rg: k.rg[p], off: off, len: 1})
			}
			if total++; total > maxPointRows {
				return nil, 0, notPointable("more than %d rows match", maxPointRows)
			}
		}
	}
	return out, total, nil
}

// readColumn reads n values of leaf from row off of rg, page by page.
func readColumn(rg parquet.RowGroup, leaf int, off, n int64, buf *[]parquet.Value) (_ []parquet.Value, err error) {
	defer guardRead(&err)()
	pages := rg.ColumnChunks()[leaf].Pages()
	defer pages.Close()
	if err := pages.SeekToRow(off); err != nil {
		return nil, fmt.Errorf("seek row %d: %w", off, err)
	}
	out := (*buf)[:0]
	for int64(len(out)) < n {
		p, err := pages.ReadPage()
		if err != nil {
			return nil, fmt.Errorf("page at row %d: %w", off+int64(len(out)), err)
		}
		want := min(n-int64(len(out)), p.NumValues())
		at := len(out)
		out = slices.Grow(out, int(want))[:at+int(want)]
		got, err := p.Values().ReadValues(out[at:])
		if p.Type().Kind() == parquet.ByteArray {
			// Byte arrays point into the page, which goes back to a pool.
			for i := at; i < at+got; i++ {
				out[i] = out[i].Clone()
			}
		}
		parquet.Release(p)
		if int64(got) != want && err != nil {
			return nil, fmt.Errorf("values at row %d: %w", off+int64(at), err)
		}
		out = out[:at+got]
		if got == 0 {
			return nil, fmt.Errorf("empty page at row %d", off+int64(at))
		}
	}
	*buf = out
	return out, nil
}
