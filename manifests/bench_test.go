package manifests_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// The benchmark lake: 2025-12-15 and 2025-12-16 at scale 1 (about 2.9M
// Bronze rows a day), generated once into $SPYSQL_FEATURES_BENCH_LAKE
// (default $TMPDIR/spysql-features-bench-lake) and reused.
const (
	benchStart = "2025-12-15"
	benchDay   = "2025-12-16"
)

func benchLake(b *testing.B) store.Lake {
	b.Helper()
	dir := os.Getenv("SPYSQL_FEATURES_BENCH_LAKE")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "spysql-features-bench-lake")
	}
	marker := filepath.Join(dir, ".spysql-features-bench-"+benchStart+"-"+benchDay+"-x1")
	if _, err := os.Stat(marker); err != nil {
		b.Logf("generating %s..%s at scale 1 into %s (once)", benchStart, benchDay, dir)
		if err := generate(dir, benchStart, benchDay, 1); err != nil {
			b.Fatal(err)
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

// BenchmarkShippedVersions builds one scale-1 day of each signal version
// with the builder and with DuckDB running the same bundle straight into
// a Parquet file (same scoping, variables, views, RTH filter, order and
// writer settings), interleaved in one process; it reports both wall
// times, their ratio and each side's peak RSS. dates=2 builds two days in
// one run to show the peak does not grow with the number of dates.
func BenchmarkShippedVersions(b *testing.B) {
	lake := benchLake(b)
	ctx := context.Background()
	cal, err := calendar.New()
	if err != nil {
		b.Fatal(err)
	}
	day := mustDate(b, benchDay)
	sess, _, _ := cal.Session(day)
	for _, m := range []string{"v1.0_mechanics_only.yaml", "v2.0_full_ensemble.yaml"} {
		bundle := loadBench(b, lake, m)
		id := bundle.Manifest.ID()
		b.Run(strings.TrimSuffix(m, ".yaml"), func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "direct.parquet")
			var direct, built time.Duration
			var directRSS, builtRSS float64
			var rows int64
			runDirect := func() {
				os.Remove(out)
				resetPeakRSS()
				t0 := time.Now()
				if err := directCopy(ctx, lake, bundle, sess, out); err != nil {
					b.Fatal(err)
				}
				direct += time.Since(t0)
				directRSS = max(directRSS, peakRSS())
			}
			runBuild := func() {
				os.RemoveAll(lake.VersionDir(id))
				resetPeakRSS()
				t0 := time.Now()
				res, err := sqlfeatures.Build(ctx, lake, bundle, sqlfeatures.BuildOptions{Dates: []calendar.Date{day}})
				if err != nil {
					b.Fatal(err)
				}
				built += time.Since(t0)
				builtRSS = max(builtRSS, peakRSS())
				rows = res.Built[0].Rows
			}
			for i := 0; i < b.N; i++ {
				if i%2 == 0 {
					runDirect()
					runBuild()
				} else {
					runBuild()
					runDirect()
				}
			}
			n := float64(b.N)
			b.ReportMetric(built.Seconds()/direct.Seconds(), "build/direct")
			b.ReportMetric(built.Seconds()/n, "build-s")
			b.ReportMetric(direct.Seconds()/n, "direct-s")
			b.ReportMetric(builtRSS, "build-peakRSS-MiB")
			b.ReportMetric(directRSS, "direct-peakRSS-MiB")
			b.ReportMetric(float64(rows), "rows/date")
		})
		b.Run(strings.TrimSuffix(m, ".yaml")+"/dates=2", func(b *testing.B) {
			var rss float64
			for i := 0; i < b.N; i++ {
				os.RemoveAll(lake.VersionDir(id))
				resetPeakRSS()
				opts := sqlfeatures.BuildOptions{Dates: []calendar.Date{mustDate(b, benchStart), day},
					Progress: func(sqlfeatures.Progress) { rss = max(rss, peakRSS()); resetPeakRSS() }}
				if _, err := sqlfeatures.Build(ctx, lake, bundle, opts); err != nil {
					b.Fatal(err)
				}
				rss = max(rss, peakRSS())
			}
			b.ReportMetric(rss, "peakRSS-MiB")
		})
	}
}

func loadBench(b *testing.B, lake store.Lake, manifest string) *sqlfeatures.Bundle {
	b.Helper()
	db, err := duck.Open(context.Background(), lake, duck.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	bundle, err := sqlfeatures.LoadBundle(context.Background(), db.SQL(), manifest, sibling)
	if err != nil {
		b.Fatal(err)
	}
	return bundle
}

// directCopy is the baseline: the bundle installed on a DuckDB of its own,
// its output for one session written by one COPY with all threads.
func directCopy(ctx context.Context, lake store.Lake, b *sqlfeatures.Bundle, s calendar.Session, out string) error {
	db, err := duck.Open(ctx, lake, duck.Config{})
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
	if err := sqlfeatures.Install(ctx, conn, b); err != nil {
		return err
	}
	if err := sqlfeatures.BindBuildDate(ctx, conn, s.Date.String()); err != nil {
		return err
	}
	key := make([]string, len(b.Manifest.Output.Key))
	for i, k := range b.Manifest.Output.Key {
		key[i] = duck.QuoteIdent(k)
	}
	stmt := fmt.Sprintf(`COPY (SELECT * FROM %s WHERE ts_event_ns >= %d AND ts_event_ns < %d ORDER BY %s)
		TO '%s' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE %d)`,
		duck.QuoteIdent(b.Manifest.Output.View), s.RTHOpen.UnixNano(), s.RTHClose.UnixNano(),
		strings.Join(key, ", "), out, store.RowGroupRows)
	_, err = conn.ExecContext(ctx, stmt)
	return err
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
