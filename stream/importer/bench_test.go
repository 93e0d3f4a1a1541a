package importer

import (
	"context"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// benchImport imports path into a fresh lake per iteration and reports the
// total rate, the share of time spent in store.WriteBronze and the rate of
// everything else (two decode passes, hashing, mapping to Bronze records).
func benchImport(b *testing.B, kind Kind, path string, records int64) {
	ctx := context.Background()
	var total, write time.Duration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		lake, err := store.OpenLake(b.TempDir(), true)
		if err != nil {
			b.Fatal(err)
		}
		im, err := New(Config{Lake: lake})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		res, err := im.ImportFile(ctx, kind, path)
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		write += res.WriteElapsed
		if res.Records != records {
			b.Fatalf("imported %d records, want %d", res.Records, records)
		}
	}
	n := float64(records) * float64(b.N)
	b.ReportMetric(n/total.Seconds(), "records/s")
	b.ReportMetric(100*write.Seconds()/total.Seconds(), "write-%")
	b.ReportMetric(n/write.Seconds(), "write-records/s")
	b.ReportMetric(n/(total-write).Seconds(), "decode-records/s")
}

// BenchmarkDBNImportMBP10 imports a 100k-record MBP-10 file (two hours, so
// two partitions) end to end: validate, decode, write, ledger.
func BenchmarkDBNImportMBP10(b *testing.B) {
	const n = 100_000
	path := writeTemp(b, "mbp10.dbn", synthDBN(b, "test_data.mbp-10.v3.dbn.zst", n, 2))
	benchImport(b, KindDBN, path, n)
}

// BenchmarkPolygonStocksImport imports a 200k-row stocks trades CSV (two
// tickers over two hours, four partitions) end to end.
func BenchmarkPolygonStocksImport(b *testing.B) {
	const n = 200_000
	path := writeTemp(b, "stocks.csv", synthStocksCSV(n, 2))
	benchImport(b, KindPolygonStocks, path, n)
}
