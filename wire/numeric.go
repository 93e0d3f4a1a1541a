package wire

import (
	"encoding/binary"
	"math/bits"
	"strconv"

	"github.com/spysql/spysql/engine/session"
)

// decimal is an exact number: magnitude (hi, lo) * 10^-scale.
type decimal struct {
	neg    bool
	hi, lo uint64
	scale  int
}

// decimalOf reads entry i of a DECIMAL, HUGEINT, UHUGEINT or UBIGINT
// vector.
func decimalOf(v *session.Vector, i int) decimal {
	t := v.Type
	switch t.Kind {
	case session.KindUBigInt:
		return decimal{lo: session.Values[uint64](v)[i]}
	case session.KindUHugeInt:
		lo, hi := v.Int128(i)
		return decimal{hi: hi, lo: lo}
	case session.KindHugeInt:
		lo, hi := v.Int128(i)
		return signed128(hi, lo, 0)
	}
	if t.Internal == 128 {
		lo, hi := v.Int128(i)
		return signed128(hi, lo, int(t.Scale))
	}
	x := v.DecimalUnscaled(i)
	d := decimal{scale: int(t.Scale)}
	if x < 0 {
		d.neg = true
		d.lo = uint64(-x)
	} else {
		d.lo = uint64(x)
	}
	return d
}

func signed128(hi, lo uint64, scale int) decimal {
	d := decimal{hi: hi, lo: lo, scale: scale}
	if int64(hi) < 0 {
		d.neg = true
		// two's complement negate
		d.lo = ^lo + 1
		d.hi = ^hi
		if d.lo == 0 {
			d.hi++
		}
	}
	return d
}

// appendUint128 appends the decimal digits of (hi, lo).
func appendUint128(dst []byte, hi, lo uint64) []byte {
	if hi == 0 {
		return strconv.AppendUint(dst, lo, 10)
	}
	const e19 = 10_000_000_000_000_000_000
	qhi, r1 := hi/e19, hi%e19
	qlo, r := bits.Div64(r1, lo, e19)
	dst = appendUint128(dst, qhi, qlo)
	var buf [19]byte
	s := strconv.AppendUint(buf[:0], r, 10)
	for range 19 - len(s) {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// digits is the magnitude's decimal digits, at least scale+1 of them.
func (d decimal) digits(buf []byte) []byte {
	s := appendUint128(buf[:0], d.hi, d.lo)
	if len(s) <= d.scale {
		pad := d.scale + 1 - len(s)
		s = append(s, make([]byte, pad)...)
		copy(s[pad:], s[:len(s)-pad])
		for k := range pad {
			s[k] = '0'
		}
	}
	return s
}

func appendDecimalText(dst []byte, d decimal) []byte {
	var buf [48]byte
	s := d.digits(buf[:])
	if d.neg && !(d.hi == 0 && d.lo == 0) {
		dst = append(dst, '-')
	}
	ip := len(s) - d.scale
	dst = append(dst, s[:ip]...)
	if d.scale > 0 {
		dst = append(dst, '.')
		dst = append(dst, s[ip:]...)
	}
	return dst
}

// appendDecimalBinary is numeric_send: ndigits, weight, sign, dscale,
// then base-10000 digits.
func appendDecimalBinary(dst []byte, d decimal) []byte {
	var buf [48]byte
	s := d.digits(buf[:])
	ip := len(s) - d.scale
	intPart, frac := s[:ip], s[ip:]
	// Left-pad the integer part and right-pad the fraction to multiples
	// of four digits. At most 39 digits (38 of precision and the leading
	// zero of scale 38) and 3 of padding each side: 44 digits, 11 groups,
	// so both fit fixed arrays on the stack.
	var allBuf [44]byte
	var groupsBuf [11]uint16
	groups := groupsBuf[:0]
	lead := (4 - len(intPart)%4) % 4
	ig := (len(intPart) + lead) / 4
	all := allBuf[:0]
	for range lead {
		all = append(all, '0')
	}
	all = append(all, intPart...)
	all = append(all, frac...)
	for len(all)%4 != 0 || len(all)/4 < ig {
		all = append(all, '0')
	}
	for k := 0; k < len(all); k += 4 {
		g := uint16(all[k]-'0')*1000 + uint16(all[k+1]-'0')*100 + uint16(all[k+2]-'0')*10 + uint16(all[k+3]-'0')
		groups = append(groups, g)
	}
	weight := ig - 1
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	sign := uint16(0)
	if d.neg && len(groups) > 0 {
		sign = 0x4000
	}
	if len(groups) == 0 {
		weight = 0
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(groups)))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	dst = binary.BigEndian.AppendUint16(dst, uint16(d.scale))
	for _, g := range groups {
		dst = binary.BigEndian.AppendUint16(dst, g)
	}
	return dst
}
