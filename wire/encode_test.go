package wire

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// appendFloatTextRef is appendFloatText as it was, formatting twice: the
// reference the single-format version must match byte for byte.
func appendFloatTextRef(dst []byte, f float64, bitSize int) []byte {
	e := strconv.AppendFloat(nil, f, 'e', -1, bitSize)
	k := len(e) - 1
	for e[k] != 'e' {
		k--
	}
	exp, _ := strconv.Atoi(string(e[k+1:]))
	limit := 15
	if bitSize == 32 {
		limit = 6
	}
	if exp < -4 || exp >= limit {
		return append(dst, e...)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, bitSize)
}

func TestAppendFloatText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(f float64, bitSize int) {
		t.Helper()
		if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		got := string(appendFloatText(nil, f, bitSize))
		if want := string(appendFloatTextRef(nil, f, bitSize)); got != want {
			t.Fatalf("float%d %v: got %q, want %q", bitSize, f, got, want)
		}
	}
	fixed := []float64{1, -1, 0.1, 0.0001, 0.00012345, 0.00009999, 1e-5, 9.5, 10, 100, 123456, 1234567,
		1e14, 1e15, 99999999999999.9, 123456789012345, 1.5e14, 3.14159, -2.5e-3, math.MaxFloat64, math.SmallestNonzeroFloat64}
	for _, f := range fixed {
		check(f, 64)
		check(float64(float32(f)), 32)
	}
	for range 200000 {
		// Random bits cover every exponent; random decimals the
		// positional range.
		f := math.Float64frombits(r.Uint64())
		check(f, 64)
		check(float64(math.Float32frombits(r.Uint32())), 32)
		d := math.Round(r.Float64()*1e6) / math.Pow10(r.IntN(12)) * math.Pow10(r.IntN(12))
		check(d, 64)
		check(float64(float32(d)), 32)
	}
}

// TestAppendDecimalBinary: numeric_send's format of random decimals up
// to DuckDB's 38 digits reads back as their text.
func TestAppendDecimalBinary(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// 10^38 - 1, DuckDB's widest decimal.
	maxHi, maxLo := uint64(0x4b3b4ca85a86c47a), uint64(0x098a223fffffffff)
	decs := []decimal{{}, {neg: true}, {lo: 1}, {lo: 1, scale: 38}, {hi: maxHi, lo: maxLo}, {hi: maxHi, lo: maxLo, scale: 38},
		{neg: true, hi: maxHi, lo: maxLo, scale: 19}, {lo: 10000, scale: 4}, {lo: 12345678, scale: 3}}
	for range 100000 {
		d := decimal{neg: r.IntN(2) == 0, scale: r.IntN(39)}
		switch r.IntN(3) {
		case 0:
			d.lo = r.Uint64N(1_000_000)
		case 1:
			d.lo = r.Uint64()
		default:
			d.hi, d.lo = r.Uint64N(maxHi+1), r.Uint64()
			if d.hi == maxHi && d.lo > maxLo {
				d.lo = maxLo
			}
		}
		decs = append(decs, d)
	}
	for _, d := range decs {
		bin := appendDecimalBinary(nil, d)
		got, err := numericBinaryText(bin)
		if err != nil {
			t.Fatalf("%+v: %v", d, err)
		}
		want := string(appendDecimalText(nil, d))
		if d.hi == 0 && d.lo == 0 && d.neg {
			want = string(appendDecimalText(nil, decimal{scale: d.scale}))
		}
		if got != want {
			t.Fatalf("%+v: got %s, want %s", d, got, want)
		}
	}
}

// TestEncodeAllocs: encoding a NUMERIC in binary or a float in text
// allocates nothing per value.
func TestEncodeAllocs(t *testing.T) {
	dst := make([]byte, 0, 256)
	d := decimal{neg: true, hi: 0x4b3b4ca85a86c47a, lo: 0x098a223fffffffff, scale: 17}
	if n := testing.AllocsPerRun(100, func() { dst = appendDecimalBinary(dst[:0], d) }); n != 0 {
		t.Errorf("appendDecimalBinary: %v allocations per value", n)
	}
	for _, f := range []float64{3.14159, 1e20, 0.000123} {
		if n := testing.AllocsPerRun(100, func() { dst = appendFloatText(dst[:0], f, 64) }); n != 0 {
			t.Errorf("appendFloatText(%v): %v allocations per value", f, n)
		}
	}
}
