package wire

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// Benchmarks against PostgreSQL 15 on the same machine and the same data.
// Sizes default to the (5M Gold rows x 10 columns, 20M Bronze
// rows) and can be lowered with SPYSQL_BENCH_ROWS and SPYSQL_BENCH_BRONZE;
// SPYSQL_BENCH_THREADS sets spysql's DuckDB threads (default all cores).

func benchSize(env string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(env)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchFixture is one lake and the same data loaded into PostgreSQL.
type benchFixture struct {
	ts        *testServer
	noPoint   *testServer // the same database, point reads off
	goldRows  int
	bronzeRow int
}

var (
	benchDir    string // the fixture's lake, removed by TestMain
	fixtureOnce sync.Once
	fixture     *benchFixture
	fixtureErr  error
)

func loadFixture(b *testing.B) *benchFixture {
	pg := needPG(b)
	fixtureOnce.Do(func() {
		goldRows := benchSize("SPYSQL_BENCH_ROWS", 5_000_000)
		bronzeRows := benchSize("SPYSQL_BENCH_BRONZE", 20_000_000)
		dir, err := os.MkdirTemp("", "spysql-bench-*")
		if err != nil {
			fixtureErr = err
			return
		}
		benchDir = dir
		lake, err := store.OpenLake(filepath.Join(dir, "lake"), true)
		if err != nil {
			fixtureErr = err
			return
		}
		writeGold(b, lake, "bench", goldRows)
		if ds, err := os.Stat(filepath.Join(lake.GoldTrainingDir(), "bench.parquet")); err == nil {
			if idx, err := os.Stat(lake.GoldPointIndexPath("bench")); err == nil {
				b.Logf("gold.bench: dataset %d bytes, point index %d bytes", ds.Size(), idx.Size())
			}
		}
		writeBronze(b, lake, bronzeRows)
		// PostgreSQL gets the same rows, generated the same way.
		ctx := context.Background()
		if err := pg.Exec(ctx, `DROP TABLE IF EXISTS bench; CREATE UNLOGGED TABLE bench AS SELECT i AS ts_event_ns, i % 7 AS level_kind,
			400 + (i % 1000) / 4.0::float8 AS level_price, (i * 31) % 1000 / 10.0::float8 AS barrier_state,
			(i * 17) % 500 - 250.5::float8 AS barrier_delta_liq, i % 3 = 0 AS outcome,
			((i * 13) % 2000 - 1000) / 7.0::float8 AS fwd_return_bps, 'SPY'::text AS underlying,
			DATE '2025-01-02' + (i % 30)::int AS session_date, (i % 100)::int AS touch_count
			FROM generate_series(0::int8, `+strconv.Itoa(goldRows-1)+`) AS g(i);
			CREATE INDEX ON bench (ts_event_ns); ANALYZE bench;
			DROP TABLE IF EXISTS trades; CREATE UNLOGGED TABLE trades AS SELECT
			1735828200000000000 + i * 1000000 AS ts_event_ns, 5000 + (i % 997) * 0.25::float8 AS price, (1 + i % 9)::int8 AS size
			FROM generate_series(0::int8, `+strconv.Itoa(bronzeRows-1)+`) AS g(i); ANALYZE trades;`); err != nil {
			fixtureErr = fmt.Errorf("load postgres: %w", err)
			return
		}
		// The fixture's garbage is not the server's memory.
		debug.FreeOSMemory()
		// The server lives as long as the test binary, across benchmarks.
		db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: benchSize("SPYSQL_BENCH_THREADS", 0)})
		if err != nil {
			fixtureErr = err
			return
		}
		// Two servers on the one database: point reads on, and off.
		var ts [2]*testServer
		for i, cfg := range []Config{{}, {NoPointReads: true}} {
			cfg.Auth, cfg.MaxConnections = AuthTrust, 10
			srv, err := NewServer(NewDuckEngine(db), cfg)
			if err != nil {
				fixtureErr = err
				return
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				fixtureErr = err
				return
			}
			go srv.Serve(ctx, ln)
			ts[i] = &testServer{srv: srv, db: db, lake: lake, addr: ln.Addr().String()}
		}
		fixture = &benchFixture{ts: ts[0], noPoint: ts[1], goldRows: goldRows, bronzeRow: bronzeRows}
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixture
}

// writeBronze writes n futures trades, one file per UTC hour, as the
// Bronze writer lays them out.
func writeBronze(tb testing.TB, lake store.Lake, n int) {
	ctx := context.Background()
	db, err := duck.Open(ctx, lake, duck.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	dir := filepath.Join(lake.BronzeDir(store.FuturesTrades), "symbol=ES")
	q := `COPY (SELECT 1735828200000000000 + i * 1000000 AS ts_event_ns, 1735828200000000000 + i * 1000000 + 5000 AS ts_recv_ns,
		'synthetic' AS source, 'ESH5' AS instrument, 5000 + (i % 997) * 0.25 AS price, CAST(1 + i % 9 AS BIGINT) AS size,
		CAST(0 AS TINYINT) AS aggressor, 'CME' AS exchange, i AS seq,
		strftime(make_timestamp(CAST((1735828200000000000 + i * 1000000) / 1000 AS BIGINT)), '%Y-%m-%d') AS date,
		strftime(make_timestamp(CAST((1735828200000000000 + i * 1000000) / 1000 AS BIGINT)), '%H') AS hour
		FROM range(` + strconv.Itoa(n) + `) t(i)) TO '` + dir + `' (FORMAT parquet, PARTITION_BY (date, hour), COMPRESSION zstd, OVERWRITE_OR_IGNORE)`
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, q); err != nil {
		tb.Fatal(err)
	}
}

// peakRSS resets (clear_refs 5) or reads VmHWM of this process in MB.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSSMB() float64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func benchConn(b *testing.B, spysql bool) *pgx.Conn {
	f := loadFixture(b)
	if spysql {
		return connect(b, f.ts.connString("bench"))
	}
	return connect(b, needPG(b).ConnString("postgres"))
}

// connect opens a pgx connection closed with the benchmark.
func connect(b *testing.B, cs string) *pgx.Conn {
	c, err := pgx.Connect(context.Background(), cs)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(context.Background()) })
	return c
}

var servers = []struct {
	name   string
	spysql bool
}{{"spysql", true}, {"postgres", false}}

// BenchmarkStream streams the whole Gold table through pgx (text: simple
// protocol; binary: extended protocol with binary results).
func BenchmarkStream(b *testing.B) {
	for _, srv := range servers {
		for _, mode := range []struct {
			name string
			mode pgx.QueryExecMode
		}{{"text", pgx.QueryExecModeSimpleProtocol}, {"binary", pgx.QueryExecModeCacheDescribe}} {
			b.Run(srv.name+"/"+mode.name, func(b *testing.B) {
				c := benchConn(b, srv.spysql)
				table := "bench"
				if srv.spysql {
					table = "gold.bench"
				}
				ctx := context.Background()
				rows := 0
				resetPeakRSS()
				start := time.Now()
				var first time.Duration
				for b.Loop() {
					r, err := c.Query(ctx, "SELECT * FROM "+table, mode.mode)
					if err != nil {
						b.Fatal(err)
					}
					for r.Next() {
						if rows == 0 {
							first = time.Since(start)
						}
						_ = r.RawValues()
						rows++
					}
					if err := r.Err(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
				b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
				b.ReportMetric(float64(first.Microseconds())/1000, "first-row-ms")
			})
		}
	}
}

// BenchmarkPointQuery: prepared round trips on one connection, a
// parameter echo (protocol cost) and a keyed lookup in the Gold table,
// which spysql answers from the dataset's point index or, in
// lookup-duckdb, in DuckDB. spysql and PostgreSQL take turns in blocks of
// 256 back-to-back queries, so that the ratio holds on a machine whose
// speed drifts.
func BenchmarkPointQuery(b *testing.B) {
	for _, q := range []struct {
		name, spysql, pg string
		noPoint          bool
	}{
		{"echo", "SELECT CAST($1 AS BIGINT) + 1", "SELECT $1::int8 + 1", false},
		{"lookup", "SELECT * FROM gold.bench WHERE ts_event_ns = $1", "SELECT * FROM bench WHERE ts_event_ns = $1", false},
		{"lookup-duckdb", "SELECT * FROM gold.bench WHERE ts_event_ns = $1", "", true},
	} {
		b.Run(q.name, func(b *testing.B) {
			f := loadFixture(b)
			sc, pc := benchConn(b, true), benchConn(b, false)
			if q.noPoint {
				sc = connect(b, f.noPoint.connString("bench"))
			}
			ctx := context.Background()
			n := int64(f.goldRows)
			run := func(c *pgx.Conn, sql string) time.Duration {
				start := time.Now()
				r, err := c.Query(ctx, sql, rand.Int64N(n))
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				for r.Next() {
					rows++
				}
				if err := r.Err(); err != nil {
					b.Fatal(err)
				}
				if rows != 1 {
					b.Fatalf("%d rows, want 1", rows)
				}
				return time.Since(start)
			}
			// Blocks of back-to-back queries, alternating servers.
			const block = 256
			var ts, tp time.Duration
			var ns, np int
			for i := 0; b.Loop(); i++ {
				if q.pg == "" || i/block%2 == 0 {
					ts += run(sc, q.spysql)
					ns++
				} else {
					tp += run(pc, q.pg)
					np++
				}
			}
			b.ReportMetric(float64(ns)/ts.Seconds(), "spysql-q/s")
			if np > 0 { // fewer than block queries never reach PostgreSQL
				b.ReportMetric(float64(np)/tp.Seconds(), "postgres-q/s")
				b.ReportMetric(float64(ns)/ts.Seconds()/(float64(np)/tp.Seconds()), "ratio")
			}
		})
	}
}

// BenchmarkBars aggregates the Bronze trades into one-minute OHLCV bars.
func BenchmarkBars(b *testing.B) {
	for _, srv := range servers {
		b.Run(srv.name, func(b *testing.B) {
			c := benchConn(b, srv.spysql)
			sql := `SELECT ts_event_ns / 60000000000 AS minute, min(price) AS low, max(price) AS high,
				sum(size) AS volume, count(*) AS trades FROM trades GROUP BY 1 ORDER BY 1`
			if srv.spysql {
				sql = `SELECT ts_event_ns // 60000000000 AS minute, arg_min(price, ts_event_ns) AS open, min(price) AS low,
					max(price) AS high, arg_max(price, ts_event_ns) AS close, sum(size) AS volume, count(*) AS trades
					FROM bronze.futures_trades GROUP BY 1 ORDER BY 1`
			} else {
				sql = `SELECT ts_event_ns / 60000000000 AS minute, (array_agg(price ORDER BY ts_event_ns))[1] AS open, min(price) AS low,
					max(price) AS high, (array_agg(price ORDER BY ts_event_ns DESC))[1] AS close, sum(size) AS volume, count(*) AS trades
					FROM trades GROUP BY 1 ORDER BY 1`
			}
			ctx := context.Background()
			for b.Loop() {
				r, err := c.Query(ctx, sql)
				if err != nil {
					b.Fatal(err)
				}
				bars := 0
				for r.Next() {
					bars++
				}
				if err := r.Err(); err != nil {
					b.Fatal(err)
				}
				// One trade per millisecond.
				if want := (loadFixture(b).bronzeRow + 59_999) / 60_000; bars < want-1 || bars > want+1 {
					b.Fatalf("%d bars, want about %d", bars, want)
				}
			}
		})
	}
}
