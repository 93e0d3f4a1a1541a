package point

import (
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

// fill decodes the matching rows into a new chunk: out[j] is the dataset
// column of result column j; key is the key the rows matched (the key
// column is not in the blocks).
func (r *PointRows) fill(t *pointTable, matches []match, n int, out []int, key keyVal) error {
	types := make([]bindings.LogicalType, len(out))
	for j, c := range out {
		types[j] = t.cols[c].typ.logical()
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
	childLen := make([]int, len(out))
	var buf []parquet.Value
	var blk *blockView
	blkRG, blkStart := -1, int64(-1)
	row := 0
	for _, m := range matches {
		for off := m.off; off < m.off+m.len; off++ {
			start := off - off%blockRows
			if blk == nil || blkRG != m.rg || blkStart != start {
				vals, err := readColumn(t.pf.RowGroups()[m.rg], t.blockLeaf, start, 1, &buf)
				if err != nil {
					return err
				}
				if len(vals) != 1 || vals[0].IsNull() {
					return fmt.Errorf("no block at row %d", start)
				}
				if blk, err = readBlock(vals[0].ByteArray(), t.types); err != nil {
					return err
				}
				rg, seg := m.rg, start-start%segRows
				blk.dicts = func() ([]*section, error) { return t.segDicts(rg, seg) }
				blkRG, blkStart = m.rg, start
			}
			i := int(off - start)
			if i >= blk.rows {
				return errBlock
			}
			for j, c := range out {
				col := t.cols[c]
				if c == t.key {
					putKey(vecs[j], data[j], col.typ, row, key)
					continue
				}
				sec, err := blk.section(col.section)
				if err != nil {
					return err
				}
				if err := putCell(vecs[j], data[j], sec, i, row, &childLen[j]); err != nil {
					return fmt.Errorf("column %q: %w", col.name, err)
				}
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

// putKey stores the key as entry row of a vector of the key's type.
func putKey(vec bindings.Vector, data unsafe.Pointer, t colType, row int, key keyVal) {
	switch {
	case t.kind == session.KindVarchar:
		bindings.VectorAssignStringElementLen(vec, bindings.IdxT(row), []byte(key.s))
	case t.vectorWidth() == 4:
		*(*int32)(unsafe.Add(data, row*4)) = int32(key.i)
	default:
		*(*int64)(unsafe.Add(data, row*8)) = key.i
	}
}

// setNull marks entry row of vec NULL.
func setNull(vec bindings.Vector, row int) {
	bindings.VectorEnsureValidityWritable(vec)
	bindings.ValiditySetRowInvalid(bindings.VectorGetValidity(vec), bindings.IdxT(row))
}

// putCell stores value i of a section as entry row of vec; childLen is
// the size of a list vector's child so far.
func putCell(vec bindings.Vector, data unsafe.Pointer, sec *section, i, row int, childLen *int) error {
	if sec.null(i) {
		setNull(vec, row)
		return nil
	}
	t := sec.t
	switch {
	case t.kind == session.KindList:
		off, cnt, err := sec.span(i)
		if err != nil || off+cnt > sec.elems.n {
			return errBlock
		}
		at := *childLen
		*(*[2]uint64)(unsafe.Add(data, row*16)) = [2]uint64{uint64(at), uint64(cnt)}
		if bindings.ListVectorReserve(vec, bindings.IdxT(at+cnt)) == bindings.StateError {
			return errors.New("cannot grow a list vector")
		}
		child := bindings.ListVectorGetChild(vec)
		cdata := bindings.VectorGetData(child)
		for e := range cnt {
			if err := putCell(child, cdata, sec.elems, off+e, at+e, nil); err != nil {
				return err
			}
		}
		*childLen = at + cnt
		bindings.ListVectorSetSize(vec, bindings.IdxT(*childLen))
	case t.size() == 0:
		v, err := sec.bytesAt(i)
		if err != nil {
			return err
		}
		if t.kind == session.KindVarchar && !utf8.Valid(v) {
			// DuckDB refuses the file; let it say so.
			return notPointable("invalid UTF-8 in a VARCHAR")
		}
		bindings.VectorAssignStringElementLen(vec, bindings.IdxT(row), v)
	default:
		lo, hi, err := sec.value(i)
		if err != nil {
			return err
		}
		switch t.vectorWidth() {
		case 1:
			*(*byte)(unsafe.Add(data, row)) = byte(lo)
		case 2:
			*(*uint16)(unsafe.Add(data, row*2)) = uint16(lo)
		case 4:
			*(*uint32)(unsafe.Add(data, row*4)) = uint32(lo)
		case 8:
			*(*uint64)(unsafe.Add(data, row*8)) = lo
		case 16:
			*(*[2]uint64)(unsafe.Add(data, row*16)) = [2]uint64{lo, hi}
		}
	}
	return nil
}
