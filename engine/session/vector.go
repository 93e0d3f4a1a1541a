package session

import (
	"fmt"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// Chunk is one DuckDB data chunk of a streaming result: up to 2048 rows,
// one Vector per column. Its memory belongs to DuckDB and is valid until
// the next Rows.Next or Rows.Close.
type Chunk struct {
	dc   bindings.DataChunk
	n    int
	vecs []Vector
}

// Len is the number of rows in the chunk.
func (c *Chunk) Len() int { return c.n }

// Column is the vector of column i.
func (c *Chunk) Column(i int) *Vector { return &c.vecs[i] }

// Reset makes the chunk a view of dc's first n rows, typed as cols; the
// chunk owns dc from then on and frees it on Release.
func (c *Chunk) Reset(dc bindings.DataChunk, n int, cols []ResultColumn) {
	c.dc, c.n = dc, n
	if cap(c.vecs) < len(cols) {
		c.vecs = make([]Vector, len(cols))
	}
	c.vecs = c.vecs[:len(cols)]
	for i := range cols {
		c.vecs[i].load(bindings.DataChunkGetVector(dc, bindings.IdxT(i)), &cols[i].Type, n)
	}
}

// Release frees the chunk; its length drops to 0 so that a caller still
// holding it reads no vector of freed memory.
func (c *Chunk) Release() {
	c.n = 0
	if c.dc.Ptr != nil {
		bindings.DestroyDataChunk(&c.dc)
		c.dc.Ptr = nil
	}
}

// Vector is one column of a chunk (or the child of a LIST/ARRAY/STRUCT
// vector), read in place.
type Vector struct {
	Type     *SQLType
	n        int
	data     unsafe.Pointer
	validity *uint64
	child    *Vector  // LIST, ARRAY, MAP
	fields   []Vector // STRUCT
}

func (v *Vector) load(vec bindings.Vector, t *SQLType, n int) {
	v.Type, v.n = t, n
	v.data = bindings.VectorGetData(vec)
	v.validity = (*uint64)(bindings.VectorGetValidity(vec))
	switch t.Kind {
	case KindList, KindMap:
		if v.child == nil {
			v.child = &Vector{}
		}
		v.child.load(bindings.ListVectorGetChild(vec), t.Elem, int(bindings.ListVectorGetSize(vec)))
	case KindArray:
		if v.child == nil {
			v.child = &Vector{}
		}
		v.child.load(bindings.ArrayVectorGetChild(vec), t.Elem, n*t.Size)
	case KindStruct:
		if len(v.fields) != len(t.Fields) {
			v.fields = make([]Vector, len(t.Fields))
		}
		for i := range t.Fields {
			v.fields[i].load(bindings.StructVectorGetChild(vec, bindings.IdxT(i)), &t.Fields[i], n)
		}
	}
}

// Len is the number of entries in the vector.
func (v *Vector) Len() int { return v.n }

// Valid reports whether entry i is not NULL.
func (v *Vector) Valid(i int) bool {
	if v.validity == nil {
		return true
	}
	w := *(*uint64)(unsafe.Add(unsafe.Pointer(v.validity), uintptr(i/64)*8))
	return w&(1<<(uint(i)%64)) != 0
}

// AllValid reports whether the vector has no NULLs at all (no mask).
func (v *Vector) AllValid() bool { return v.validity == nil }

// Elem is the child vector of a LIST, MAP or ARRAY vector.
func (v *Vector) Elem() *Vector { return v.child }

// Field is child i of a STRUCT vector.
func (v *Vector) Field(i int) *Vector { return &v.fields[i] }

// Fixed are the Go types that match a fixed-width vector layout.
type Fixed interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// Values views a fixed-width vector's data as []T (Len entries). T must
// match the type's layout; NULL entries hold garbage.
func Values[T Fixed](v *Vector) []T {
	if v.n == 0 || v.data == nil {
		return nil
	}
	return unsafe.Slice((*T)(v.data), v.n)
}

// Bool is entry i of a BOOLEAN vector.
func (v *Vector) Bool(i int) bool { return *(*byte)(unsafe.Add(v.data, i)) != 0 }

// Bytes is entry i of a VARCHAR or BLOB vector, viewed in place: the
// slice must not be kept past the chunk.
func (v *Vector) Bytes(i int) []byte {
	p := unsafe.Add(v.data, i*16)
	n := *(*uint32)(p)
	if n <= 12 {
		return unsafe.Slice((*byte)(unsafe.Add(p, 4)), n)
	}
	ptr := *(*unsafe.Pointer)(unsafe.Add(p, 8))
	return unsafe.Slice((*byte)(ptr), n)
}

// Int128 is entry i of a HUGEINT, UHUGEINT, UUID or 128-bit DECIMAL
// vector as (low, high) words.
func (v *Vector) Int128(i int) (lo uint64, hi uint64) {
	p := unsafe.Add(v.data, i*16)
	return *(*uint64)(p), *(*uint64)(unsafe.Add(p, 8))
}

// Interval is entry i of an INTERVAL vector.
func (v *Vector) Interval(i int) (months, days int32, micros int64) {
	p := unsafe.Add(v.data, i*16)
	return *(*int32)(p), *(*int32)(unsafe.Add(p, 4)), *(*int64)(unsafe.Add(p, 8))
}

// ListEntry is the child range of entry i of a LIST or MAP vector; for
// an ARRAY vector it is (i*Size, Size).
func (v *Vector) ListEntry(i int) (offset, length int) {
	if v.Type.Kind == KindArray {
		return i * v.Type.Size, v.Type.Size
	}
	p := unsafe.Add(v.data, i*16)
	return int(*(*uint64)(p)), int(*(*uint64)(unsafe.Add(p, 8)))
}

// DecimalUnscaled is entry i of a DECIMAL vector whose width fits 64
// bits, as the unscaled integer.
func (v *Vector) DecimalUnscaled(i int) int64 {
	switch v.Type.Internal {
	case 16:
		return int64(*(*int16)(unsafe.Add(v.data, i*2)))
	case 32:
		return int64(*(*int32)(unsafe.Add(v.data, i*4)))
	default:
		return *(*int64)(unsafe.Add(v.data, i*8))
	}
}

// ArgKind says how an Arg is bound.
type ArgKind int

// Argument kinds.
const (
	ArgNull        ArgKind = iota
	ArgText                // S as VARCHAR; DuckDB casts it to the parameter type
	ArgBool                // I != 0
	ArgInt64               // I
	ArgFloat64             // F
	ArgBlob                // B
	ArgDate                // I days since 1970-01-01
	ArgTime                // I µs since midnight
	ArgTimestamp           // I µs since epoch
	ArgTimestampTZ         // I µs since epoch, UTC
	ArgInterval            // Months, Days, I µs
)

// Arg is one typed statement argument.
type Arg struct {
	Kind         ArgKind
	I            int64
	F            float64
	S            string
	B            []byte
	Months, Days int32
}

func (a Arg) bind(ps bindings.PreparedStatement, i bindings.IdxT) error {
	var st bindings.State
	switch a.Kind {
	case ArgNull:
		st = bindings.BindNull(ps, i)
	case ArgText:
		st = bindings.BindVarchar(ps, i, a.S)
	case ArgBool:
		st = bindings.BindBoolean(ps, i, a.I != 0)
	case ArgInt64:
		st = bindings.BindInt64(ps, i, a.I)
	case ArgFloat64:
		st = bindings.BindDouble(ps, i, a.F)
	case ArgBlob:
		st = bindings.BindBlob(ps, i, a.B)
	case ArgDate:
		st = bindings.BindDate(ps, i, bindings.NewDate(int32(a.I)))
	case ArgTime:
		st = bindings.BindTime(ps, i, bindings.NewTime(a.I))
	case ArgTimestamp:
		st = bindings.BindTimestamp(ps, i, bindings.NewTimestamp(a.I))
	case ArgTimestampTZ:
		st = bindings.BindTimestampTZ(ps, i, bindings.NewTimestamp(a.I))
	case ArgInterval:
		st = bindings.BindInterval(ps, i, bindings.NewInterval(a.Months, a.Days, a.I))
	default:
		return fmt.Errorf("unknown argument kind %d", a.Kind)
	}
	if st == bindings.StateError {
		return &Error{Kind: ErrConversion, Msg: fmt.Sprintf("cannot bind argument %d", i)}
	}
	return nil
}
