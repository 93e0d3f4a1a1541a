package point

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/spysql/spysql/engine/session"
)

// pointTable is one open point index.
type pointTable struct {
	f     *os.File
	unmap func()
	pf    *parquet.File
	cols  []pointCol     // the dataset's columns, in order (leaf unused)
	names map[string]int // lower-cased name -> position in cols
	key   int            // position of the key column in cols
	// keyLeaf and rowLeaf are the index's key and row columns.
	keyLeaf, rowLeaf int

	refs    int          // lookups and background work using the table (cache.mu)
	retired bool         // replaced: closed when refs drops to 0
	dataset string       // set once cached
	cache   *pointTables // set once cached, with dataset

	mu       sync.Mutex
	keys     map[int]*keyPages // sorted key columns by leaf; nil entry: not a key
	building map[int]chan struct{}
}

// pointCol is a top-level column: the type DuckDB reads it as (session.KindOther
// for types a point read does not decode) and its leaf (column chunk)
// index, -1 for a nested column.
type pointCol struct {
	name string
	kind session.SQLKind
	leaf int
}

// keyPages are the pages of a sorted key column across the file, in row
// order, with their bounds.
type keyPages struct {
	rg       []int
	first    []int64 // first row of the page within its row group
	min, max []int64
}

// openPointTable opens the point index of the dataset file. An error
// wrapping ErrNotPointable is about the files' content (not built from
// that file, unreadable); others may pass.
func openPointTable(ctx context.Context, dsPath, idxPath string, id fileID) (*pointTable, error) {
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
	stamp, _ := t.pf.Lookup(datasetHashKey)
	sum, err := fileSHA256(ctx, dsPath)
	if err != nil {
		return fail(err)
	}
	if sum != stamp {
		return fail(notPointable("%s was not built from %s (spysql index)", idxPath, dsPath))
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
		kind, ok := pointKindOf(c.Type)
		if !ok {
			return fail(notPointable("%s: column %q of unknown type %q", idxPath, c.Name, c.Type))
		}
		t.cols = append(t.cols, pointCol{name: c.Name, kind: kind, leaf: -1})
		if c.Name == keyName {
			t.key = i
		}
	}
	kc, rc := t.pf.Root().Column("key"), t.pf.Root().Column("row")
	if t.key < 0 || !plainLeaf(kc, parquet.Int64) || !plainLeaf(rc, parquet.ByteArray) {
		return fail(notPointable("%s is not a point index", idxPath))
	}
	t.keyLeaf, t.rowLeaf = kc.Index(), rc.Index()
	return t, nil
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

// duckKind is the type DuckDB gives a flat Parquet column, for the types a
// point read decodes; session.KindOther for the rest.
func duckKind(pt parquet.Type) session.SQLKind {
	var lv format.LogicalTypeValue
	if lt := pt.LogicalType(); lt != nil {
		lv = lt.Value
	}
	switch pt.Kind() {
	case parquet.Boolean:
		if lv == nil {
			return session.KindBoolean
		}
	case parquet.Int32:
		switch v := lv.(type) {
		case nil:
			return session.KindInteger
		case *format.DateType:
			return session.KindDate
		case *format.IntType:
			if v.BitWidth == 32 && v.IsSigned {
				return session.KindInteger
			}
		}
	case parquet.Int64:
		switch v := lv.(type) {
		case nil:
			return session.KindBigInt
		case *format.IntType:
			if v.BitWidth == 64 && v.IsSigned {
				return session.KindBigInt
			}
		}
	case parquet.Float:
		if lv == nil {
			return session.KindFloat
		}
	case parquet.Double:
		if lv == nil {
			return session.KindDouble
		}
	case parquet.ByteArray:
		switch lv.(type) {
		case nil:
			return session.KindBlob
		case *format.StringType:
			return session.KindVarchar
		}
	}
	return session.KindOther
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
			if mn.IsNull() || mx.IsNull() || mn.Kind() != mx.Kind() || (mn.Kind() != parquet.Int64 && mn.Kind() != parquet.Int32) {
				return nil, nil // no page bounds
			}
			lo, hi := intOf(mn), intOf(mx)
			if lo > hi || len(k.max) > 0 && lo < k.max[len(k.max)-1] {
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
	prev := int64(math.MinInt64)
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
			x := intOf(v)
			if v.IsNull() || x < prev || p >= len(k.rg) || k.rg[p] != r || x < k.min[p] || x > k.max[p] {
				return false, nil
			}
			prev = x
		}
	}
	return true, nil
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

func (t *pointTable) lookup(ctx context.Context, q PointQuery, key int64) (pr *PointRows, err error) {
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
	if keyCol.kind != q.KeyType || keyCol.kind != session.KindInteger && keyCol.kind != session.KindBigInt {
		return nil, notPointable("key %q is not an INTEGER or BIGINT compared with its own type", q.Key)
	}
	if keyCol.kind == session.KindInteger && int64(int32(key)) != key {
		return nil, notPointable("key out of INTEGER range") // DuckDB reports it
	}
	if q.Star && len(q.Cols) != len(t.cols) {
		return nil, notPointable("SELECT * has %d columns, the index %d", len(q.Cols), len(t.cols))
	}
	out := make([]int, len(q.Cols))
	for i, c := range q.Cols {
		j, ok := t.column(c.Name)
		if _, decoded := pointTypes[c.Type.Kind]; !ok || !decoded || q.Star && j != i || t.cols[j].kind != c.Type.Kind || c.Type.Alias != "" {
			return nil, notPointable("column %q is not read as %s", c.Name, c.Type.Name)
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
	return pr, pr.fill(t, matches, n, out)
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
