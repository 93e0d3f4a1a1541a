package wire

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/spysql/spysql/engine/session"
)

// encodeFunc appends the wire form of entry i of v (known not NULL) to
// dst, without the length prefix. Encoders read vectors in place: no
// per-value interface or allocation on the common types.
type encodeFunc func(dst []byte, v *session.Vector, i int) []byte

// encodeSettings are the session settings that change text output.
type encodeSettings struct {
	loc *time.Location // TimeZone, for timestamptz text
}

// textEncoder is the PostgreSQL text output function for t.
func textEncoder(t session.SQLType, es encodeSettings) (encodeFunc, error) {
	switch t.Kind {
	case session.KindBoolean:
		return func(dst []byte, v *session.Vector, i int) []byte {
			if v.Bool(i) {
				return append(dst, 't')
			}
			return append(dst, 'f')
		}, nil
	case session.KindTinyInt:
		return intText[int8], nil
	case session.KindSmallInt:
		return intText[int16], nil
	case session.KindInteger:
		return intText[int32], nil
	case session.KindBigInt:
		return intText[int64], nil
	case session.KindUTinyInt:
		return uintText[uint8], nil
	case session.KindUSmallInt:
		return uintText[uint16], nil
	case session.KindUInteger:
		return uintText[uint32], nil
	case session.KindUBigInt:
		return uintText[uint64], nil
	case session.KindHugeInt, session.KindUHugeInt, session.KindDecimal:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendDecimalText(dst, decimalOf(v, i))
		}, nil
	case session.KindFloat:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendFloatText(dst, float64(session.Values[float32](v)[i]), 32)
		}, nil
	case session.KindDouble:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendFloatText(dst, session.Values[float64](v)[i], 64)
		}, nil
	case session.KindVarchar, session.KindUnknown:
		return func(dst []byte, v *session.Vector, i int) []byte { return append(dst, v.Bytes(i)...) }, nil
	case session.KindBlob:
		return func(dst []byte, v *session.Vector, i int) []byte {
			b := v.Bytes(i)
			dst = append(dst, '\\', 'x')
			return hex.AppendEncode(dst, b)
		}, nil
	case session.KindDate:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendDateText(dst, session.Values[int32](v)[i])
		}, nil
	case session.KindTime:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendClockText(dst, session.Values[int64](v)[i])
		}, nil
	case session.KindTimestamp, session.KindTimestampS, session.KindTimestampMS, session.KindTimestampNS:
		scale := tsScale(t.Kind)
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendTimestampText(dst, scale(session.Values[int64](v)[i]), nil)
		}, nil
	case session.KindTimestampTZ:
		loc := es.loc
		if loc == nil {
			loc = time.UTC
		}
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendTimestampText(dst, session.Values[int64](v)[i], loc)
		}, nil
	case session.KindInterval:
		return func(dst []byte, v *session.Vector, i int) []byte {
			m, d, us := v.Interval(i)
			return appendIntervalText(dst, m, d, us)
		}, nil
	case session.KindUUID:
		return func(dst []byte, v *session.Vector, i int) []byte {
			return appendUUIDText(dst, uuidBytes(v, i))
		}, nil
	case session.KindList, session.KindArray:
		return arrayTextEncoder(*t.Elem, es)
	}
	return nil, fmt.Errorf("no text encoder for %s", t)
}

func intText[T int8 | int16 | int32 | int64](dst []byte, v *session.Vector, i int) []byte {
	return strconv.AppendInt(dst, int64(session.Values[T](v)[i]), 10)
}

func uintText[T uint8 | uint16 | uint32 | uint64](dst []byte, v *session.Vector, i int) []byte {
	return strconv.AppendUint(dst, uint64(session.Values[T](v)[i]), 10)
}

// appendFloatText formats like PostgreSQL 12+ with extra_float_digits 1:
// the shortest exact digits, fixed notation for decimal exponents in
// [-4, 15) (float8) or [-4, 6) (float4), otherwise e-notation.
func appendFloatText(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	var buf, buf2 [32]byte
	e := shortestInside(buf2[:0], strconv.AppendFloat(buf[:0], f, 'e', -1, bits), f, bits)
	// e is [-]d[.ddd]e±XX; find the exponent.
	k := len(e) - 1
	for e[k] != 'e' {
		k--
	}
	exp := 0
	for _, ch := range e[k+2:] {
		exp = exp*10 + int(ch-'0')
	}
	if e[k+1] == '-' {
		exp = -exp
	}
	limit := 15
	if bits == 32 {
		limit = 6
	}
	if exp < -4 || exp >= limit {
		return append(dst, e...)
	}
	// Positional notation from the same shortest digits ('f' with
	// precision -1 yields them too), without formatting again.
	mant := e[:k]
	if mant[0] == '-' {
		dst = append(dst, '-')
		mant = mant[1:]
	}
	first, rest := mant[0], []byte(nil)
	if len(mant) > 2 {
		rest = mant[2:] // after "d."
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for range -exp - 1 {
			dst = append(dst, '0')
		}
		dst = append(dst, first)
		return append(dst, rest...)
	}
	// exp+1 integer digits: the first, exp more from rest or zeros.
	dst = append(dst, first)
	if exp >= len(rest) {
		dst = append(dst, rest...)
		for range exp - len(rest) {
			dst = append(dst, '0')
		}
		return dst
	}
	dst = append(dst, rest[:exp]...)
	dst = append(dst, '.')
	return append(dst, rest[exp:]...)
}

func uuidBytes(v *session.Vector, i int) [16]byte {
	lo, hi := v.Int128(i)
	hi ^= 1 << 63 // DuckDB flips the top bit so UUIDs sort as signed
	var b [16]byte
	for k := range 8 {
		b[k] = byte(hi >> (56 - 8*k))
		b[8+k] = byte(lo >> (56 - 8*k))
	}
	return b
}

func appendUUIDText(dst []byte, b [16]byte) []byte {
	dst = hex.AppendEncode(dst, b[0:4])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[4:6])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[6:8])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[8:10])
	dst = append(dst, '-')
	return hex.AppendEncode(dst, b[10:16])
}

// tsScale converts a TIMESTAMP_S/MS/NS value to microseconds (keeping
// infinities).
func tsScale(k session.SQLKind) func(int64) int64 {
	switch k {
	case session.KindTimestampS:
		return func(x int64) int64 { return clampScale(x, 1_000_000) }
	case session.KindTimestampMS:
		return func(x int64) int64 { return clampScale(x, 1_000) }
	case session.KindTimestampNS:
		return func(x int64) int64 {
			if x == math.MaxInt64 || x == -math.MaxInt64 {
				return x
			}
			q := x / 1000
			if x%1000 < 0 {
				q--
			}
			return q
		}
	}
	return func(x int64) int64 { return x }
}

func clampScale(x, m int64) int64 {
	if x == math.MaxInt64 || x == -math.MaxInt64 {
		return x
	}
	return x * m
}
