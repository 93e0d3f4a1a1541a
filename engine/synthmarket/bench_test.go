package synthmarket

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// benchScale is the scale of the benchmarks: one day is about 0.3M rows.
const benchScale = 0.1

// BenchmarkGenerate measures one day (2025-12-15) at benchScale: "write"
// generates and publishes the Parquet files into a fresh lake, "generate"
// only builds the rows, so the difference is the Parquet share.
func BenchmarkGenerate(b *testing.B) {
	cal, err := calendar.New()
	if err != nil {
		b.Fatal(err)
	}
	d := mustDate(b, "2025-12-15")
	cfg := Config{Start: d, End: d, Scale: benchScale}
	ctx := context.Background()
	b.Run("write", func(b *testing.B) {
		var rows int64
		var elapsed time.Duration
		for b.Loop() {
			dir, err := os.MkdirTemp(b.TempDir(), "lake")
			if err != nil {
				b.Fatal(err)
			}
			lake, err := store.OpenLake(dir, true)
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			st, err := Generate(ctx, lake, cal, cfg, nil)
			if err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(t0)
			rows += st.Rows()
			b.StopTimer()
			os.RemoveAll(dir)
			b.StartTimer()
		}
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	})
	b.Run("generate", func(b *testing.B) {
		s, _, err := cal.Session(d)
		if err != nil {
			b.Fatal(err)
		}
		full, err := cfg.withDefaults()
		if err != nil {
			b.Fatal(err)
		}
		var rows int64
		t0 := time.Now()
		for b.Loop() {
			err := generateDay(ctx, cal, full, s, func(_ context.Context, h *hour) error {
				rows += int64(len(h.futures) + len(h.mbp) + len(h.stocks) + len(h.options))
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(rows)/time.Since(t0).Seconds(), "rows/s")
	})
}
