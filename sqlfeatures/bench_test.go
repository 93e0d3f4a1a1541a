package sqlfeatures

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
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
	marker := filepath.Join(dir, fmt.Sprintf(".spysql-bench-%s-%s-x%s", benchGenStart, benchGenEnd, scale))
	if _, err := os.Stat(marker); err != nil {
		b.Logf("generating %s..%s at scale %s into %s (once)", benchGenStart, benchGenEnd, scale, dir)
		cmd := exec.Command("go", "run", "./cmd/spysql", "--lake", dir, "gen",
			"--start", benchGenStart, "--end", benchGenEnd, "--scale", scale, "--seed", "1")
		cmd.Dir = ".."
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("spysql gen: %v\n%s", err, out)
		}
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	lake, err := store.OpenLake(dir, false)
	if err != nil {
		b.Fatal(err)
	}
	return lake
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

// resetPeakRSS starts a new peak-RSS measurement (Linux: writing 5 to
// clear_refs resets VmHWM to the current RSS).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o644) }

// peakRSS is VmHWM in MiB.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// directCopy is the baseline: DuckDB running the bundle's final SELECT for
// one date straight into a Parquet file, with the same scoping, variables
// and views, the same RTH filter, order and writer settings, all threads.
func directCopy(ctx context.Context, lake store.Lake, b *Bundle, s calendar.Session, out string, threads int) error {
	db, err := duck.Open(ctx, lake, duck.Config{Threads: threads})
	if err != nil {
		return err
	}
	defer db.Close()
	scope := []calendar.Date{s.Date}
	for range b.Manifest.Source.LookbackDays {
		p, err := db.Calendar().PrevTradingDay(scope[0])
		if err != nil {
			return err
		}
		scope = append([]calendar.Date{p}, scope...)
	}
	if err := db.RegisterBronze(ctx, scope); err != nil {
		return err
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := Install(ctx, conn, b); err != nil {
		return err
	}
	key := make([]string, len(b.Manifest.Output.Key))
	for i, k := range b.Manifest.Output.Key {
		key[i] = duck.QuoteIdent(k)
	}
	stmt := fmt.Sprintf(`COPY (SELECT * FROM %s WHERE ts_event_ns >= %d AND ts_event_ns < %d ORDER BY %s)
		TO %s (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE %d)`,
		duck.QuoteIdent(b.Manifest.Output.View), s.RTHOpen.UnixNano(), s.RTHClose.UnixNano(),
		strings.Join(key, ", "), sqlString(out), store.RowGroupRows)
	_, err = conn.ExecContext(ctx, stmt)
	return err
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
	var direct, built time.Duration
	var directRSS, builtRSS float64
	var rows int64
	runDirect := func() {
		os.Remove(out)
		resetPeakRSS()
		t0 := time.Now()
		if err := directCopy(ctx, lake, bundle, sess, out, 0); err != nil {
			b.Fatal(err)
		}
		direct += time.Since(t0)
		directRSS = max(directRSS, peakRSS())
	}
	runBuild := func() {
		os.RemoveAll(lake.VersionDir(id))
		resetPeakRSS()
		t0 := time.Now()
		res, err := Build(ctx, lake, bundle, BuildOptions{Dates: day})
		if err != nil {
			b.Fatal(err)
		}
		built += time.Since(t0)
		builtRSS = max(builtRSS, peakRSS())
		rows = res.Built[0].Rows
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			runDirect()
			runBuild()
		} else {
			runBuild()
			runDirect()
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(built.Seconds()/direct.Seconds(), "build/direct")
	b.ReportMetric(built.Seconds()*1000/n, "build-ms")
	b.ReportMetric(direct.Seconds()*1000/n, "direct-ms")
	b.ReportMetric(builtRSS, "build-peakRSS-MiB")
	b.ReportMetric(directRSS, "direct-peakRSS-MiB")
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
				resetPeakRSS()
				opts := BuildOptions{Dates: days, Progress: func(Progress) {
					rss = max(rss, peakRSS())
					resetPeakRSS()
				}}
				t0 := time.Now()
				res, err := Build(ctx, lake, bundle, opts)
				if err != nil {
					b.Fatal(err)
				}
				total += time.Since(t0)
				rss = max(rss, peakRSS())
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
