package duck_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// benchRows is the MBP-10 row count of the scan benchmark's lake.
const benchRows = 2_000_000

// benchLake writes benchRows MBP-10 rows over 8 hours once per process.
func benchLake(b *testing.B) store.Lake {
	b.Helper()
	dir, err := os.MkdirTemp("", "spysql-bench-*")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	lake, err := store.OpenLake(dir, true)
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2025, 12, 15, 14, 0, 0, 0, time.UTC).UnixNano()
	const hours = 8
	per := benchRows / hours
	for h := 0; h < hours; h++ {
		recs := make([]store.MBP10, per)
		for j := range recs {
			px := 6800 + float64(j%80)*0.25
			recs[j] = store.MBP10{
				TsEventNS: base + int64(h)*int64(time.Hour) + int64(j)*1000, TsRecvNS: base + int64(j)*1000 + 500,
				Source: "synthetic", Symbol: "ES", Instrument: "ESZ5", Action: "A", Side: "B",
				Price: px, Size: int64(j%9 + 1), Seq: int64(j), BidPx00: px, AskPx00: px + 0.25,
				BidSz00: int64(j%13 + 1), AskSz00: int64(j%11 + 1), BidCt00: 1, AskCt00: 1,
			}
		}
		if _, err := store.WriteBronze(context.Background(), lake, recs, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	return lake
}

const scanAgg = "count(*), sum(price), sum(size), sum(bid_sz_00 - ask_sz_00), max(hour)"

// BenchmarkBronzeScan compares an aggregate through the engine's Bronze
// view with DuckDB reading the same files directly, in the same process;
// the ratio metric is view time / direct time.
func BenchmarkBronzeScan(b *testing.B) {
	lake := benchLake(b)
	db, err := duck.Open(context.Background(), lake, duck.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	direct := fmt.Sprintf("SELECT %s FROM read_parquet(%s, hive_partitioning = true)", scanAgg, duck.QuoteString(lake.BronzeGlob(store.FuturesMBP10)))
	view := "SELECT " + scanAgg + " FROM bronze.futures_mbp10"
	run := func(b *testing.B, q string) time.Duration {
		start := time.Now()
		var n int64
		var a, c, d any
		var h string
		if err := db.SQL().QueryRow(q).Scan(&n, &a, &c, &d, &h); err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("rows %d", n)
		}
		return time.Since(start)
	}
	for _, tc := range []struct{ name, q string }{{"view", view}, {"direct", direct}} {
		b.Run(tc.name, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				total += run(b, tc.q)
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/total.Seconds(), "rows/s")
		})
	}
	b.Run("ratio", func(b *testing.B) {
		var tv, td time.Duration
		for i := 0; i < b.N; i++ {
			tv += run(b, view)
			td += run(b, direct)
		}
		b.ReportMetric(tv.Seconds()/td.Seconds(), "view/direct")
	})
}

// BenchmarkWriteBronze measures the Bronze writer (sort + ZSTD Parquet +
// fsync + publish) in rows/s.
func BenchmarkWriteBronze(b *testing.B) {
	lake, err := store.OpenLake(b.TempDir(), true)
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2025, 12, 15, 14, 0, 0, 0, time.UTC).UnixNano()
	recs := make([]store.StockTrade, 500_000)
	for i := range recs {
		recs[i] = store.StockTrade{TsEventNS: base + int64(i)*5000, Source: "synthetic", Symbol: "SPY",
			Price: 600 + float64(i%500)*0.01, Size: int64(i%300 + 1), Exchange: int32(i % 20), Conditions: []int32{12}, Seq: int64(i)}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.WriteBronze(context.Background(), lake, recs, fmt.Sprintf("w%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriteBronzeMBP10 measures the writer on wide MBP-10 rows.
func BenchmarkWriteBronzeMBP10(b *testing.B) {
	lake, _ := store.OpenLake(b.TempDir(), true)
	base := time.Date(2025, 12, 15, 14, 0, 0, 0, time.UTC).UnixNano()
	recs := make([]store.MBP10, 300_000)
	for j := range recs {
		px := 6800 + float64(j%80)*0.25
		r := store.MBP10{TsEventNS: base + int64(j)*1000, Source: "synthetic", Symbol: "ES", Instrument: "ESZ5", Action: "A", Side: "B", Price: px, Size: int64(j%9 + 1), Seq: int64(j)}
		r.BidPx00, r.BidPx01, r.BidPx02, r.BidPx03, r.BidPx04, r.BidPx05, r.BidPx06, r.BidPx07, r.BidPx08, r.BidPx09 = px, px-0.25, px-0.5, px-0.75, px-1, px-1.25, px-1.5, px-1.75, px-2, px-2.25
		r.AskPx00, r.AskPx01, r.AskPx02, r.AskPx03, r.AskPx04, r.AskPx05, r.AskPx06, r.AskPx07, r.AskPx08, r.AskPx09 = px+0.25, px+0.5, px+0.75, px+1, px+1.25, px+1.5, px+1.75, px+2, px+2.25, px+2.5
		r.BidSz00, r.BidSz05, r.AskSz00, r.AskSz09 = int64(j%13+1), 5, 7, 9
		recs[j] = r
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.WriteBronze(context.Background(), lake, recs, fmt.Sprintf("w%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
