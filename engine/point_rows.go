package engine

import (
	"fmt"
	"math"
	"unicode/utf8"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/parquet-go/parquet-go"
)

// PointRows is the result of a point read: at most one chunk, in DuckDB's
// vector layout, read like Rows.
type PointRows struct {
	cols  []ResultColumn
	chunk Chunk
	dc    bindings.DataChunk
	n     int
	done  bool
}

// Columns are the result columns, as the statement was prepared.
func (r *PointRows) Columns() []ResultColumn { return r.cols }

// Next returns the chunk of matching rows once, then nil. The chunk is
// valid until the next call to Next or Close.
func (r *PointRows) Next() (*Chunk, error) {
	r.chunk.release()
	if r.done || r.n == 0 {
		r.done = true
		return nil, nil
	}
	r.done = true
	r.chunk.reset(r.dc, r.n, r.cols)
	r.dc.Ptr = nil // the chunk owns it now
	return &r.chunk, nil
}

// Close frees the rows. Safe to call more than once.
func (r *PointRows) Close() {
	r.done = true
	r.chunk.release()
	if r.dc.Ptr != nil {
		bindings.DestroyDataChunk(&r.dc)
		r.dc.Ptr = nil
	}
}

var pointTypes = map[SQLKind]bindings.Type{
	KindBoolean: bindings.TypeBoolean,
	KindInteger: bindings.TypeInteger,
	KindBigInt:  bindings.TypeBigInt,
	KindFloat:   bindings.TypeFloat,
	KindDouble:  bindings.TypeDouble,
	KindVarchar: bindings.TypeVarchar,
	KindBlob:    bindings.TypeBlob,
	KindDate:    bindings.TypeDate,
}

// fill reads the matching rows of every output column into a new chunk.
// The key column is not read again: every matching row holds key. (Reading
// the columns concurrently was measured slower: each is a few µs.)
func (r *PointRows) fill(t *pointTable, matches []match, n int, cols []pointCol, keyLeaf int, key int64) error {
	types := make([]bindings.LogicalType, len(r.cols))
	for i, c := range r.cols {
		types[i] = bindings.CreateLogicalType(pointTypes[c.Type.Kind])
	}
	r.dc = bindings.CreateDataChunk(types)
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	var buf []parquet.Value
	for j, c := range cols {
		vec := bindings.DataChunkGetVector(r.dc, bindings.IdxT(j))
		var err error
		if c.leaf == keyLeaf {
			err = fillKey(vec, c.kind, n, key)
		} else {
			err = fillColumn(t, vec, r.cols[j], c.leaf, matches, n, &buf)
		}
		if err != nil {
			return err
		}
	}
	bindings.DataChunkSetSize(r.dc, bindings.IdxT(n))
	r.n = n
	return nil
}

// fillKey stores key in the first n entries of the key column's vector.
func fillKey(vec bindings.Vector, kind SQLKind, n int, key int64) error {
	data := bindings.VectorGetData(vec)
	for i := range n {
		switch kind {
		case KindBigInt:
			*(*int64)(unsafe.Add(data, i*8)) = key
		case KindInteger:
			*(*int32)(unsafe.Add(data, i*4)) = int32(key)
		default:
			return notPointable("key of type %d", kind)
		}
	}
	return nil
}

// fillColumn reads the matching rows of one column into its vector.
func fillColumn(t *pointTable, vec bindings.Vector, col ResultColumn, leaf int, matches []match, n int, buf *[]parquet.Value) error {
	data := bindings.VectorGetData(vec)
	row := 0
	for _, m := range matches {
		vals, err := readColumn(t.pf.RowGroups()[m.rg], leaf, m.off, m.len, buf)
		if err != nil {
			return err
		}
		for _, v := range vals {
			if v.IsNull() {
				bindings.VectorEnsureValidityWritable(vec)
				bindings.ValiditySetRowInvalid(bindings.VectorGetValidity(vec), bindings.IdxT(row))
			} else if err := putValue(vec, data, col.Type.Kind, row, v); err != nil {
				return fmt.Errorf("column %q: %w", col.Name, err)
			}
			row++
		}
	}
	if row != n {
		return fmt.Errorf("point read column %q: %d rows, key matched %d", col.Name, row, n)
	}
	return nil
}

// putValue stores v as entry i of a vector of the given kind.
func putValue(vec bindings.Vector, data unsafe.Pointer, kind SQLKind, i int, v parquet.Value) error {
	switch kind {
	case KindBoolean:
		b := byte(0)
		if v.Boolean() {
			b = 1
		}
		*(*byte)(unsafe.Add(data, i)) = b
	case KindInteger, KindDate:
		*(*int32)(unsafe.Add(data, i*4)) = v.Int32()
	case KindBigInt:
		*(*int64)(unsafe.Add(data, i*8)) = v.Int64()
	case KindFloat:
		*(*uint32)(unsafe.Add(data, i*4)) = math.Float32bits(v.Float())
	case KindDouble:
		*(*uint64)(unsafe.Add(data, i*8)) = math.Float64bits(v.Double())
	case KindVarchar:
		b := v.ByteArray()
		if !utf8.Valid(b) {
			// DuckDB refuses the file; let it say so.
			return notPointable("invalid UTF-8 in a VARCHAR")
		}
		bindings.VectorAssignStringElementLen(vec, bindings.IdxT(i), b)
	case KindBlob:
		bindings.VectorAssignStringElementLen(vec, bindings.IdxT(i), v.ByteArray())
	default:
		return notPointable("type %d not decoded", kind)
	}
	return nil
}
