package manifests_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
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
	return testkit.CachedLake(b, dir, ".spysql-features-bench-"+benchStart+"-"+benchDay+"-x1", func(dir string) error {
		return generate(dir, benchStart, benchDay, 1)
	})
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
					res, err := sqlfeatures.Build(ctx, lake, bundle, sqlfeatures.BuildOptions{Dates: []calendar.Date{day}})
					if err != nil {
						b.Fatal(err)
					}
					rows = res.Built[0].Rows
				})
			}
			testkit.Interleave(b.N, runDirect, runBuild)
			n := float64(b.N)
			b.ReportMetric(built.Time.Seconds()/direct.Time.Seconds(), "build/direct")
			b.ReportMetric(built.Time.Seconds()/n, "build-s")
			b.ReportMetric(direct.Time.Seconds()/n, "direct-s")
			b.ReportMetric(built.PeakMiB, "build-peakRSS-MiB")
			b.ReportMetric(direct.PeakMiB, "direct-peakRSS-MiB")
			b.ReportMetric(float64(rows), "rows/date")
		})
		b.Run(strings.TrimSuffix(m, ".yaml")+"/dates=2", func(b *testing.B) {
			var rss float64
			for i := 0; i < b.N; i++ {
				os.RemoveAll(lake.VersionDir(id))
				testkit.ResetPeakRSS()
				opts := sqlfeatures.BuildOptions{Dates: []calendar.Date{mustDate(b, benchStart), day},
					Progress: func(sqlfeatures.Progress) { rss = max(rss, testkit.PeakRSS()); testkit.ResetPeakRSS() }}
				if _, err := sqlfeatures.Build(ctx, lake, bundle, opts); err != nil {
					b.Fatal(err)
				}
				rss = max(rss, testkit.PeakRSS())
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

// directCopy is the baseline: the bundle installed on a DuckDB of its own
// (BUILD_DATE bound, as the builder does), its output for one session
// written by one COPY with all threads.
func directCopy(lake store.Lake, b *sqlfeatures.Bundle) testkit.DirectCopy {
	return testkit.DirectCopy{Lake: lake, LookbackDays: b.Manifest.Source.LookbackDays,
		View: b.Manifest.Output.View, Key: b.Manifest.Output.Key,
		Install: func(ctx context.Context, conn *sql.Conn, date calendar.Date) error {
			if err := sqlfeatures.Install(ctx, conn, b); err != nil {
				return err
			}
			return sqlfeatures.BindBuildDate(ctx, conn, date.String())
		}}
}
