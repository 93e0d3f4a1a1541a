package dbn

import (
	"bytes"
	"io"
	"testing"
)

// repeatRecords builds a plain DBN stream of the metadata of the test file
// name followed by its records repeated until there are n of them.
func repeatRecords(tb testing.TB, name string, n int) []byte {
	tb.Helper()
	raw := plain(tb, name)
	off := recordsOffset(raw)
	recs := raw[off:]
	per := 2 // every test file holds two records
	out := make([]byte, 0, off+len(recs)*(n/per+1))
	out = append(out, raw[:off]...)
	for i := 0; i < n; i += per {
		out = append(out, recs...)
	}
	return out
}

const benchRecords = 200_000

// BenchmarkDBNDecodeMBP10 measures decoding alone: an in-memory MBP-10
// stream into a reused MBP10, one record at a time.
func BenchmarkDBNDecodeMBP10(b *testing.B) {
	stream := repeatRecords(b, "test_data.mbp-10.v3.dbn.zst", benchRecords)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	var m MBP10
	var sum int64
	for b.Loop() {
		d, err := NewDecoder(bytes.NewReader(stream))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if err := d.ReadMBP10(&m); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			sum += m.Levels[9].AskPx
		}
		if d.Count() != benchRecords {
			b.Fatalf("decoded %d records", d.Count())
		}
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	_ = sum
}

// BenchmarkDBNDecodeTrades is the same for the trades schema.
func BenchmarkDBNDecodeTrades(b *testing.B) {
	stream := repeatRecords(b, "test_data.trades.v3.dbn.zst", benchRecords)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	var tr Trade
	var sum int64
	for b.Loop() {
		d, err := NewDecoder(bytes.NewReader(stream))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if err := d.ReadTrade(&tr); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			sum += tr.Price
		}
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	_ = sum
}
