package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/spysql/spysql/engine"
)

var be = binary.BigEndian

// binaryEncoder is the PostgreSQL binary send function for t.
func binaryEncoder(t engine.SQLType) (encodeFunc, error) {
	switch t.Kind {
	case engine.KindBoolean:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			if v.Bool(i) {
				return append(dst, 1)
			}
			return append(dst, 0)
		}, nil
	case engine.KindTinyInt:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint16(dst, uint16(int16(engine.Values[int8](v)[i])))
		}, nil
	case engine.KindUTinyInt:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint16(dst, uint16(engine.Values[uint8](v)[i]))
		}, nil
	case engine.KindSmallInt:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint16(dst, uint16(engine.Values[int16](v)[i]))
		}, nil
	case engine.KindUSmallInt:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint32(dst, uint32(engine.Values[uint16](v)[i]))
		}, nil
	case engine.KindInteger:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint32(dst, uint32(engine.Values[int32](v)[i]))
		}, nil
	case engine.KindUInteger:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(engine.Values[uint32](v)[i]))
		}, nil
	case engine.KindBigInt:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(engine.Values[int64](v)[i]))
		}, nil
	case engine.KindUBigInt, engine.KindHugeInt, engine.KindUHugeInt, engine.KindDecimal:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return appendDecimalBinary(dst, decimalOf(v, i))
		}, nil
	case engine.KindFloat:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint32(dst, math.Float32bits(engine.Values[float32](v)[i]))
		}, nil
	case engine.KindDouble:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint64(dst, math.Float64bits(engine.Values[float64](v)[i]))
		}, nil
	case engine.KindVarchar, engine.KindBlob, engine.KindUnknown:
		return func(dst []byte, v *engine.Vector, i int) []byte { return append(dst, v.Bytes(i)...) }, nil
	case engine.KindDate:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint32(dst, uint32(pgDate(engine.Values[int32](v)[i])))
		}, nil
	case engine.KindTime:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(engine.Values[int64](v)[i]))
		}, nil
	case engine.KindTimestamp, engine.KindTimestampS, engine.KindTimestampMS, engine.KindTimestampNS, engine.KindTimestampTZ:
		scale := tsScale(t.Kind)
		return func(dst []byte, v *engine.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(pgTimestamp(scale(engine.Values[int64](v)[i]))))
		}, nil
	case engine.KindInterval:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			m, d, us := v.Interval(i)
			dst = be.AppendUint64(dst, uint64(us))
			dst = be.AppendUint32(dst, uint32(d))
			return be.AppendUint32(dst, uint32(m))
		}, nil
	case engine.KindUUID:
		return func(dst []byte, v *engine.Vector, i int) []byte {
			b := uuidBytes(v, i)
			return append(dst, b[:]...)
		}, nil
	case engine.KindList, engine.KindArray:
		return arrayBinaryEncoder(t)
	}
	return nil, fmt.Errorf("no binary encoder for %s", t)
}

// arrayBinaryEncoder is array_send for a one-dimensional array.
func arrayBinaryEncoder(t engine.SQLType) (encodeFunc, error) {
	et, ok := typeFor(*t.Elem)
	if !ok {
		return nil, fmt.Errorf("no binary encoder for %s", t)
	}
	elem, err := binaryEncoder(*t.Elem)
	if err != nil {
		return nil, err
	}
	return func(dst []byte, v *engine.Vector, i int) []byte {
		off, n := v.ListEntry(i)
		child := v.Elem()
		if n == 0 {
			dst = be.AppendUint32(dst, 0)
			dst = be.AppendUint32(dst, 0)
			return be.AppendUint32(dst, et.oid)
		}
		hasNull := uint32(0)
		for k := off; k < off+n; k++ {
			if !child.Valid(k) {
				hasNull = 1
				break
			}
		}
		dst = be.AppendUint32(dst, 1)
		dst = be.AppendUint32(dst, hasNull)
		dst = be.AppendUint32(dst, et.oid)
		dst = be.AppendUint32(dst, uint32(n))
		dst = be.AppendUint32(dst, 1)
		for k := off; k < off+n; k++ {
			dst = appendValue(dst, child, k, elem)
		}
		return dst
	}, nil
}

// appendValue appends a length-prefixed value (-1 for NULL).
func appendValue(dst []byte, v *engine.Vector, i int, enc encodeFunc) []byte {
	if !v.Valid(i) {
		return be.AppendUint32(dst, math.MaxUint32)
	}
	at := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = enc(dst, v, i)
	be.PutUint32(dst[at:], uint32(len(dst)-at-4))
	return dst
}

// arrayTextEncoder is array_out for a one-dimensional array.
func arrayTextEncoder(elemType engine.SQLType, es encodeSettings) (encodeFunc, error) {
	elem, err := textEncoder(elemType, es)
	if err != nil {
		return nil, err
	}
	var scratch []byte
	return func(dst []byte, v *engine.Vector, i int) []byte {
		off, n := v.ListEntry(i)
		child := v.Elem()
		dst = append(dst, '{')
		for k := off; k < off+n; k++ {
			if k > off {
				dst = append(dst, ',')
			}
			if !child.Valid(k) {
				dst = append(dst, "NULL"...)
				continue
			}
			scratch = elem(scratch[:0], child, k)
			dst = appendArrayElem(dst, scratch)
		}
		return append(dst, '}')
	}, nil
}

// appendArrayElem quotes an element as array_out does when it is empty,
// "NULL", or contains a delimiter, brace, quote, backslash or space.
func appendArrayElem(dst, s []byte) []byte {
	need := len(s) == 0 || bytes.EqualFold(s, []byte("NULL"))
	for _, c := range s {
		switch c {
		case '{', '}', ',', '"', '\\', ' ', '\t', '\n', '\r', '\v', '\f':
			need = true
		}
	}
	if !need {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for _, c := range s {
		if c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}
