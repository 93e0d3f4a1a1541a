package wire

import (
	"bytes"
	"context"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// pgColumns runs query on PostgreSQL with args in text format and returns
// each column of the result as PostgreSQL sent it in formats.
func pgColumns(t *testing.T, c *pgconn.PgConn, query string, args []string, formats []int16) [][][]byte {
	t.Helper()
	params := make([][]byte, len(args))
	for i, a := range args {
		params[i] = []byte(a)
	}
	res := c.ExecParams(context.Background(), query, params, nil, nil, formats).Read()
	if res.Err != nil {
		t.Fatalf("postgres: %s: %v", query, res.Err)
	}
	cols := make([][][]byte, len(formats))
	for _, r := range res.Rows {
		for k := range cols {
			cols[k] = append(cols[k], r[k])
		}
	}
	return cols
}

func pgConn(t *testing.T) *pgconn.PgConn {
	t.Helper()
	c, err := pgconn.Connect(context.Background(), needPG(t).ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// TestFloatTextMatchesPostgres: appendFloatText writes what PostgreSQL
// 15's float4out and float8out send (extra_float_digits 1, the default
// of libpq clients) for the same values: special values, boundaries of
// the positional range and random bit patterns. The values reach
// PostgreSQL as strconv's shortest round-trip text, which float4in and
// float8in read back exactly.
func TestFloatTextMatchesPostgres(t *testing.T) {
	c := pgConn(t)
	if _, err := c.Exec(context.Background(), "SET extra_float_digits = 1").ReadAll(); err != nil {
		t.Fatalf("SET extra_float_digits: %v", err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	fixed := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1, -1, 0.1, 0.0001,
		0.00012345, 0.00009999, 1e-5, 9.5, 10, 100, 123456, 999999, 1234567, 1e14, 1e15, 99999999999999.9,
		123456789012345, 1.5e14, 3.14159, -2.5e-3, math.MaxFloat64, math.SmallestNonzeroFloat64,
		math.MaxFloat32, math.SmallestNonzeroFloat32}
	for _, bitSize := range []int{64, 32} {
		vals := append([]float64(nil), fixed...)
		for range 20000 {
			if bitSize == 64 {
				vals = append(vals, math.Float64frombits(r.Uint64()))
			} else {
				vals = append(vals, float64(math.Float32frombits(r.Uint32())))
			}
			// Random decimals cover the positional range.
			d := math.Round(r.Float64()*1e6) / math.Pow10(r.IntN(12)) * math.Pow10(r.IntN(12))
			vals = append(vals, d)
		}
		typ := "float8"
		if bitSize == 32 {
			typ = "float4"
		}
		var in []string
		var kept []float64
		for _, f := range vals {
			if bitSize == 32 {
				if math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
					continue
				}
				f = float64(float32(f))
			}
			kept = append(kept, f)
			switch {
			case math.IsNaN(f):
				in = append(in, "NaN")
			case math.IsInf(f, 1):
				in = append(in, "Infinity")
			case math.IsInf(f, -1):
				in = append(in, "-Infinity")
			default:
				in = append(in, strconv.FormatFloat(f, 'g', -1, bitSize))
			}
		}
		got := pgColumns(t, c, "SELECT v FROM unnest($1::"+typ+"[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
			[]string{"{" + strings.Join(in, ",") + "}"}, []int16{0})[0]
		if len(got) != len(kept) {
			t.Fatalf("%s: postgres returned %d values for %d", typ, len(got), len(kept))
		}
		bad := 0
		for i, f := range kept {
			if have := appendFloatText(nil, f, bitSize); !bytes.Equal(have, got[i]) {
				t.Errorf("%s %s: spysql %q, postgres %q", typ, in[i], have, got[i])
				if bad++; bad > 10 {
					t.FailNow()
				}
			}
		}
	}
}

// TestNumericMatchesPostgres: appendDecimalText and appendDecimalBinary
// write what PostgreSQL 15's numeric_out and numeric_send send for the
// same NUMERIC values, up to DuckDB's 38 digits and scales 0-38. Each
// value reaches PostgreSQL as an unscaled integer (math/big's text) and a
// scale, and PostgreSQL scales it with exact multiplication, so no spysql
// code makes the input.
func TestNumericMatchesPostgres(t *testing.T) {
	c := pgConn(t)
	r := rand.New(rand.NewPCG(3, 4))
	// 10^38 - 1, DuckDB's widest decimal.
	maxHi, maxLo := uint64(0x4b3b4ca85a86c47a), uint64(0x098a223fffffffff)
	decs := []decimal{{}, {scale: 5}, {lo: 1}, {lo: 1, scale: 38}, {hi: maxHi, lo: maxLo}, {hi: maxHi, lo: maxLo, scale: 38},
		{neg: true, hi: maxHi, lo: maxLo, scale: 19}, {lo: 10000, scale: 4}, {lo: 12345678, scale: 3},
		{lo: 10000}, {neg: true, lo: 1, scale: 1}, {lo: 100000000, scale: 8}, {lo: 5, scale: 4}}
	for range 20000 {
		d := decimal{neg: r.IntN(2) == 0, scale: r.IntN(39)}
		switch r.IntN(4) {
		case 0:
			d.lo = r.Uint64N(1_000_000)
		case 1:
			d.lo = r.Uint64()
		case 2:
			d.lo = uint64(math.Pow10(r.IntN(19))) // runs of zero digits
		default:
			d.hi, d.lo = r.Uint64N(maxHi+1), r.Uint64()
			if d.hi == maxHi && d.lo > maxLo {
				d.lo = maxLo
			}
		}
		if d.hi == 0 && d.lo == 0 {
			d.neg = false // DuckDB has no negative zero
		}
		decs = append(decs, d)
	}
	var unscaled, scales []string
	for _, d := range decs {
		n := new(big.Int).Lsh(new(big.Int).SetUint64(d.hi), 64)
		n.Or(n, new(big.Int).SetUint64(d.lo))
		if d.neg {
			n.Neg(n)
		}
		unscaled = append(unscaled, n.String())
		scales = append(scales, strconv.Itoa(d.scale))
	}
	cols := pgColumns(t, c, `SELECT v, v FROM (SELECT n::numeric * ('1e-' || s)::numeric AS v, i
		FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS u(n, s, i)) q ORDER BY i`,
		[]string{"{" + strings.Join(unscaled, ",") + "}", "{" + strings.Join(scales, ",") + "}"}, []int16{0, 1})
	if len(cols[0]) != len(decs) {
		t.Fatalf("postgres returned %d values for %d", len(cols[0]), len(decs))
	}
	bad := 0
	for i, d := range decs {
		text, bin := appendDecimalText(nil, d), appendDecimalBinary(nil, d)
		if !bytes.Equal(text, cols[0][i]) || !bytes.Equal(bin, cols[1][i]) {
			t.Errorf("%se-%s: spysql %s % x, postgres %s % x", unscaled[i], scales[i], text, bin, cols[0][i], cols[1][i])
			if bad++; bad > 10 {
				t.FailNow()
			}
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
