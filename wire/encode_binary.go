package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/spysql/spysql/engine/session"
)

var be = binary.BigEndian

// binaryEncoder is the PostgreSQL binary send function for t.
func binaryEncoder(t session.SQLType) (encodeFunc, error) {
	switch t.Kind {
	case session.KindBoolean:
		return func(dst []byte, v *session.Vector, i int) []byte {
			if v.Bool(i) {
				return append(dst, 1)
			}
			return append(dst, 0)
		}, nil
	case session.KindTinyInt:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint16(dst, uint16(int16(session.Values[int8](v)[i])))
		}, nil
	case session.KindUTinyInt:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint16(dst, uint16(session.Values[uint8](v)[i]))
		}, nil
	case session.KindSmallInt:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint16(dst, uint16(session.Values[int16](v)[i]))
		}, nil
	case session.KindUSmallInt:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint32(dst, uint32(session.Values[uint16](v)[i]))
		}, nil
	case session.KindInteger:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint32(dst, uint32(session.Values[int32](v)[i]))
		}, nil
	case session.KindUInteger:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint32(dst, session.Values[uint32](v)[i])
		}, nil
	case session.KindBigInt:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(session.Values[int64](v)[i]))
		}, nil
	case session.KindUBigInt, session.KindHugeInt, session.KindUHugeInt, session.KindDecimal:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendDecimalBinary(dst, decimalOf(v, i))
		}, nil
	case session.KindFloat:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint32(dst, math.Float32bits(session.Values[float32](v)[i]))
		}, nil
	case session.KindDouble:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint64(dst, math.Float64bits(session.Values[float64](v)[i]))
		}, nil
	case session.KindVarchar, session.KindBlob, session.KindUnknown:
		return func(dst []byte, v *session.Vector, i int) []byte { return append(dst, v.Bytes(i)...) }, nil
	case session.KindDate:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint32(dst, uint32(pgDate(session.Values[int32](v)[i])))
		}, nil
	case session.KindTime:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(session.Values[int64](v)[i]))
		}, nil
	case session.KindTimestamp, session.KindTimestampS, session.KindTimestampMS, session.KindTimestampNS, session.KindTimestampTZ:
		scale := tsScale(t.Kind)
		return func(dst []byte, v *session.Vector, i int) []byte {
			return be.AppendUint64(dst, uint64(pgTimestamp(scale(session.Values[int64](v)[i]))))
		}, nil
	case session.KindInterval:
		return func(dst []byte, v *session.Vector, i int) []byte {
			m, d, us := v.Interval(i)
			dst = be.AppendUint64(dst, uint64(us))
			dst = be.AppendUint32(dst, uint32(d))
			return be.AppendUint32(dst, uint32(m))
		}, nil
	case session.KindUUID:
		return func(dst []byte, v *session.Vector, i int) []byte {
			b := uuidBytes(v, i)
			return append(dst, b[:]...)
		}, nil
	case session.KindList, session.KindArray:
		return arrayBinaryEncoder(t)
	}
	return nil, fmt.Errorf("no binary encoder for %s", t)
}

// arrayBinaryEncoder is array_send for a one-dimensional array.
func arrayBinaryEncoder(t session.SQLType) (encodeFunc, error) {
	et, ok := typeFor(*t.Elem)
	if !ok {
		return nil, fmt.Errorf("no binary encoder for %s", t)
	}
	elem, err := binaryEncoder(*t.Elem)
	if err != nil {
		return nil, err
	}
	return func(dst []byte, v *session.Vector, i int) []byte {
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
func appendValue(dst []byte, v *session.Vector, i int, enc encodeFunc) []byte {
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
func arrayTextEncoder(elemType session.SQLType, es encodeSettings) (encodeFunc, error) {
	elem, err := textEncoder(elemType, es)
	if err != nil {
		return nil, err
	}
	var scratch []byte
	return func(dst []byte, v *session.Vector, i int) []byte {
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
