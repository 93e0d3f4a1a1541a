package point

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/session"
)

// PointRows is the result of a point read: at most one chunk, in DuckDB's
// vector layout, read like Rows.
type PointRows struct {
	cols  []session.ResultColumn
	chunk session.Chunk
	dc    bindings.DataChunk
	n     int
	done  bool
}

// Columns are the result columns, as the statement was prepared.
func (r *PointRows) Columns() []session.ResultColumn { return r.cols }

// Next returns the chunk of matching rows once, then nil. The chunk is
// valid until the next call to Next or Close.
func (r *PointRows) Next() (*session.Chunk, error) {
	r.chunk.Release()
	if r.done || r.n == 0 {
		r.done = true
		return nil, nil
	}
	r.done = true
	r.chunk.Reset(r.dc, r.n, r.cols)
	r.dc.Ptr = nil // the chunk owns it now
	return &r.chunk, nil
}

// Close frees the rows. Safe to call more than once.
func (r *PointRows) Close() {
	r.done = true
	r.chunk.Release()
	if r.dc.Ptr != nil {
		bindings.DestroyDataChunk(&r.dc)
		r.dc.Ptr = nil
	}
}

// pointTypes are the types a point read decodes, as DuckDB types.
var pointTypes = map[session.SQLKind]bindings.Type{
	session.KindBoolean: bindings.TypeBoolean,
	session.KindInteger: bindings.TypeInteger,
	session.KindBigInt:  bindings.TypeBigInt,
	session.KindFloat:   bindings.TypeFloat,
	session.KindDouble:  bindings.TypeDouble,
	session.KindVarchar: bindings.TypeVarchar,
	session.KindBlob:    bindings.TypeBlob,
	session.KindDate:    bindings.TypeDate,
}

// fill decodes the matching rows' encoded rows (encodeRow) into a new
// chunk: out[j] is the dataset column of result column j.
func (r *PointRows) fill(t *pointTable, matches []match, n int, out []int) error {
	types := make([]bindings.LogicalType, len(r.cols))
	for i, c := range r.cols {
		types[i] = bindings.CreateLogicalType(pointTypes[c.Type.Kind])
	}
	r.dc = bindings.CreateDataChunk(types)
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	vecs := make([]bindings.Vector, len(out))
	data := make([]unsafe.Pointer, len(out))
	for j := range out {
		vecs[j] = bindings.DataChunkGetVector(r.dc, bindings.IdxT(j))
		data[j] = bindings.VectorGetData(vecs[j])
	}
	// want[c] lists the result columns showing dataset column c.
	want := make([][]int, len(t.cols))
	for j, c := range out {
		want[c] = append(want[c], j)
	}
	var buf []parquet.Value
	row := 0
	for _, m := range matches {
		vals, err := readColumn(t.pf.RowGroups()[m.rg], t.rowLeaf, m.off, m.len, &buf)
		if err != nil {
			return err
		}
		for _, v := range vals {
			if err := r.decodeRow(v.ByteArray(), t.cols, want, vecs, data, row); err != nil {
				return err
			}
			row++
		}
	}
	if row != n {
		return fmt.Errorf("%d rows read, key matched %d", row, n)
	}
	bindings.DataChunkSetSize(r.dc, bindings.IdxT(n))
	r.n = n
	return nil
}

// decodeRow walks one encoded row and stores the wanted columns as entry
// i of their vectors.
func (r *PointRows) decodeRow(b []byte, cols []pointCol, want [][]int, vecs []bindings.Vector, data []unsafe.Pointer, i int) error {
	for c, col := range cols {
		if _, ok := pointTypes[col.kind]; !ok {
			continue
		}
		if len(b) < 1 {
			return errors.New("encoded row too short")
		}
		present := b[0] != 0
		b = b[1:]
		var val []byte
		if present {
			size := 0
			switch col.kind {
			case session.KindBoolean:
				size = 1
			case session.KindInteger, session.KindDate, session.KindFloat:
				size = 4
			case session.KindBigInt, session.KindDouble:
				size = 8
			case session.KindVarchar, session.KindBlob:
				l, k := binary.Uvarint(b)
				if k <= 0 || uint64(len(b)-k) < l {
					return errors.New("encoded row: bad length")
				}
				b, size = b[k:], int(l)
			}
			if len(b) < size {
				return errors.New("encoded row too short")
			}
			val, b = b[:size], b[size:]
		}
		for _, j := range want[c] {
			if !present {
				bindings.VectorEnsureValidityWritable(vecs[j])
				bindings.ValiditySetRowInvalid(bindings.VectorGetValidity(vecs[j]), bindings.IdxT(i))
				continue
			}
			if err := putValue(vecs[j], data[j], col.kind, i, val); err != nil {
				return fmt.Errorf("column %q: %w", col.name, err)
			}
		}
	}
	if len(b) != 0 {
		return errors.New("encoded row: trailing bytes")
	}
	return nil
}

// putValue stores an encoded value as entry i of a vector of the given
// kind.
func putValue(vec bindings.Vector, data unsafe.Pointer, kind session.SQLKind, i int, v []byte) error {
	switch kind {
	case session.KindBoolean:
		*(*byte)(unsafe.Add(data, i)) = v[0]
	case session.KindInteger, session.KindDate, session.KindFloat:
		*(*uint32)(unsafe.Add(data, i*4)) = binary.LittleEndian.Uint32(v)
	case session.KindBigInt, session.KindDouble:
		*(*uint64)(unsafe.Add(data, i*8)) = binary.LittleEndian.Uint64(v)
	case session.KindVarchar:
		if !utf8.Valid(v) {
			// DuckDB refuses the file; let it say so.
			return notPointable("invalid UTF-8 in a VARCHAR")
		}
		bindings.VectorAssignStringElementLen(vec, bindings.IdxT(i), v)
	case session.KindBlob:
		bindings.VectorAssignStringElementLen(vec, bindings.IdxT(i), v)
	default:
		return notPointable("type %d not decoded", kind)
	}
	return nil
}
