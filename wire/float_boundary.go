package wire

import (
	"math"
	"math/bits"
	"strconv"
)

// PostgreSQL's float4out/float8out (Ryu, extra_float_digits > 0) print the
// shortest digits strictly inside the interval of decimals that read back
// as the value. strconv's shortest output may sit exactly on an end of
// that interval (a tie that round-half-even reads back correctly), e.g.
// float4 464918016 as 4.64918e+08, where PostgreSQL prints 4.6491802e+08.

// shortestInside returns e (strconv's 'e' format with the shortest
// digits) or, when that decimal lies exactly halfway between f and a
// neighbour, the first longer correctly rounded form that does not.
func shortestInside(buf []byte, e []byte, f float64, bitSize int) []byte {
	if !onBoundary(e, f, bitSize) {
		return e
	}
	maxDigits := 17
	if bitSize == 32 {
		maxDigits = 9
	}
	n := 0
	for _, c := range e {
		if c == 'e' {
			break
		}
		if c >= '0' && c <= '9' {
			n++
		}
	}
	for p := n + 1; p <= maxDigits; p++ {
		e = strconv.AppendFloat(buf[:0], f, 'e', p-1, bitSize)
		if !onBoundary(e, f, bitSize) {
			return trimMantissaZeros(e)
		}
	}
	return e
}

// trimMantissaZeros drops trailing zeros (and a bare '.') of the
// mantissa of an 'e'-format number.
func trimMantissaZeros(e []byte) []byte {
	k := len(e) - 1
	for e[k] != 'e' {
		k--
	}
	j := k
	for j > 0 && e[j-1] == '0' {
		j--
	}
	if j > 0 && e[j-1] == '.' {
		j--
	}
	if j == k {
		return e
	}
	return append(e[:j], e[k:]...)
}

// onBoundary reports whether the decimal e ('e' format) equals exactly
// the midpoint between |f| and one of its neighbours in the float type of
// bitSize. Both are odd × 2^p; the comparison is in integers.
func onBoundary(e []byte, f float64, bitSize int) bool {
	// The decimal: digits × 10^exp10.
	var digits uint64
	nd, exp10, i := 0, 0, 0
	if e[0] == '-' {
		i = 1
	}
	for ; e[i] != 'e'; i++ {
		if c := e[i]; c >= '0' && c <= '9' {
			digits = digits*10 + uint64(c-'0')
			nd++
		}
	}
	neg := e[i+1] == '-'
	for _, c := range e[i+2:] {
		exp10 = exp10*10 + int(c-'0')
	}
	if neg {
		exp10 = -exp10
	}
	exp10 -= nd - 1
	if digits == 0 {
		return false
	}
	// As odd × 2^p.
	tz := bits.TrailingZeros64(digits)
	odd, p := digits>>tz, tz+exp10
	for ; exp10 < 0; exp10++ {
		if odd%5 != 0 {
			return false // not a dyadic rational
		}
		odd /= 5
	}
	for ; exp10 > 0; exp10-- {
		hi, lo := bits.Mul64(odd, 5)
		if hi != 0 || lo > 1<<56 {
			return false // larger than any midpoint's odd part
		}
		odd = lo
	}
	// |f| as m × 2^q with its exponent field.
	var m uint64
	var q int
	var minNormal bool
	if bitSize == 32 {
		b := math.Float32bits(float32(math.Abs(f)))
		frac, be := uint64(b&(1<<23-1)), int(b>>23&0xff)
		if be == 0 {
			m, q = frac, -149
		} else {
			m, q, minNormal = frac|1<<23, be-150, frac == 0 && be > 1
		}
	} else {
		b := math.Float64bits(math.Abs(f))
		frac, be := b&(1<<52-1), int(b>>52&0x7ff)
		if be == 0 {
			m, q = frac, -1074
		} else {
			m, q, minNormal = frac|1<<52, be-1075, frac == 0 && be > 1
		}
	}
	if odd == 2*m+1 && p == q-1 {
		return true // halfway to the next larger value
	}
	if minNormal {
		// Below a power of two the spacing halves.
		return odd == 4*m-1 && p == q-2
	}
	return odd == 2*m-1 && p == q-1
}
