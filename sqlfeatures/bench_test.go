package sqlfeatures

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

// The benchmarks build the tape bundle (every ES trade joined ASOF to the
// book, with trailing-window aggregates) over a generated lake at scale 1
// (about 2.9M Bronze rows per day). The lake is generated once with
// `spysql gen` into $SPYSQL_BENCH_LAKE (default $TMPDIR/spysql-bench-lake)
// and reused; $SPYSQL_BENCH_SCALE changes the scale.
const (
	tapeManifest   = "testdata/bundles/tape/v1.0_tape.yaml"
	benchGenStart  = "2025-12-12" // the lookback day of the first built date
	benchGenEnd    = "2026-01-13" // the 20th trading day from 2025-12-15
	benchFirstDate = "2025-12-15"
)

func benchLake(b *testing.B) store.Lake {
	b.Helper()
	dir := os.Getenv("SPYSQL_BENCH_LAKE")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "spysql-bench-lake")
	}
	scale := os.Getenv("SPYSQL_BENCH_SCALE")
	if scale == "" {
		scale = "1"
	}
	marker := fmt.Sprintf(".spysql-bench-%s-%s-x%s", benchGenStart, benchGenEnd, scale)
	return testkit.CachedLake(b, dir, marker, func(dir string) error {
		cmd := exec.Command("go", "run", "./cmd/spysql", "--lake", dir, "gen",
			"--start", benchGenStart, "--end", benchGenEnd, "--scale", scale, "--seed", "1")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("spysql gen: %v\n%s", err, out)
		}
		return nil
	})
}

// benchDates are the first n trading days from benchFirstDate.
func benchDates(b *testing.B, n int) []calendar.Date {
	b.Helper()
	cal, err := calendar.New()
	if err != nil {
		b.Fatal(err)
	}
	d, _ := calendar.ParseDate(benchFirstDate)
	end, _ := calendar.ParseDate(benchGenEnd)
	days, err := cal.TradingDays(d, end)
	if err != nil || len(days) < n {
		b.Fatalf("%d trading days, want %d: %v", len(days), n, err)
	}
	return days[:n]
}

// directCopy is the baseline: DuckDB running the bundle's final SELECT for
// one date straight into a Parquet file, with the same scoping, variables
// and views, the same RTH filter, order and writer settings, all threads.
func directCopy(lake store.Lake, b *Bundle) testkit.DirectCopy {
	return testkit.DirectCopy{Lake: lake, LookbackDays: b.Manifest.Source.LookbackDays,
		View: b.Manifest.Output.View, Key: b.Manifest.Output.Key,
		Install: func(ctx context.Context, conn *sql.Conn, _ calendar.Date) error {
			return Install(ctx, conn, b)
		}}
}

// BenchmarkSilverOverhead builds one scale-1 day with the builder and with
// directCopy, interleaved in the same process, and reports the wall-time
// ratio and each side's peak RSS.
func BenchmarkSilverOverhead(b *testing.B) {
	lake := benchLake(b)
	bundle := loadBundle(b, tapeManifest)
	day := benchDates(b, 1)
	cal, _ := calendar.New()
	sess, _, _ := cal.Session(day[0])
	ctx := context.Background()
	out := filepath.Join(b.TempDir(), "direct.parquet")
	id := bundle.Manifest.ID()
	var direct, built testkit.Side
	var rows int64
	runDirect := func() {
		os.Remove(out)
		direct.Run(func() {
			if err := directCopy(lake, bundle).Run(ctx, sess, out); err != nil {
				b.Fatal(err)
			}
		})
	}
	runBuild := func() {
		os.RemoveAll(lake.VersionDir(id))
		built.Run(func() {
			res, err := Build(ctx, lake, bundle, BuildOptions{Dates: day})
			if err != nil {
				b.Fatal(err)
			}
			rows = res.Built[0].Rows
		})
	}
	b.ResetTimer()
	testkit.Interleave(b.N, runDirect, runBuild)
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(built.Time.Seconds()/direct.Time.Seconds(), "build/direct")
	b.ReportMetric(built.Time.Seconds()*1000/n, "build-ms")
	b.ReportMetric(direct.Time.Seconds()*1000/n, "direct-ms")
	b.ReportMetric(built.PeakMiB, "build-peakRSS-MiB")
	b.ReportMetric(direct.PeakMiB, "direct-peakRSS-MiB")
	b.ReportMetric(float64(rows), "rows/date")
}

// BenchmarkSilverScaling builds 1, 5 and 20 scale-1 days in one run and
// reports the time per date and per output row, and the run's peak RSS
// (the largest of the per-date peaks and the final rollup's).
func BenchmarkSilverScaling(b *testing.B) {
	lake := benchLake(b)
	bundle := loadBundle(b, tapeManifest)
	ctx := context.Background()
	for _, n := range []int{1, 5, 20} {
		days := benchDates(b, n)
		b.Run(fmt.Sprintf("dates=%d", n), func(b *testing.B) {
			var total time.Duration
			var rows int64
			var rss float64
			for i := 0; i < b.N; i++ {
				os.RemoveAll(lake.VersionDir(bundle.Manifest.ID()))
				testkit.ResetPeakRSS()
				opts := BuildOptions{Dates: days, Progress: func(Progress) {
					rss = max(rss, testkit.PeakRSS())
					testkit.ResetPeakRSS()
				}}
				t0 := time.Now()
				res, err := Build(ctx, lake, bundle, opts)
				if err != nil {
					b.Fatal(err)
				}
				total += time.Since(t0)
				rss = max(rss, testkit.PeakRSS())
				if len(res.Built) != n {
					b.Fatalf("built %d dates, want %d", len(res.Built), n)
				}
				for _, d := range res.Built {
					rows += d.Rows
				}
			}
			b.ReportMetric(total.Seconds()*1000/float64(b.N*n), "ms/date")
			b.ReportMetric(total.Seconds()*1e6/float64(rows), "us/row")
			b.ReportMetric(rss, "peakRSS-MiB")
		})
	}
}
