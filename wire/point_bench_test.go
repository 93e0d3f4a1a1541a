package wire

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/store"
)

// typedBenchSelect is a Gold table of market-like rows with TIMESTAMP
// (the key), DECIMAL, text, DATE and numeric columns, in SQL that DuckDB
// and PostgreSQL both run over i in generate_series.
const typedBenchSelect = `SELECT TIMESTAMP '2025-01-02 09:30:00' + i * INTERVAL '1 millisecond' AS ts,
	'SYM' || (i %% 500) AS symbol, CAST((i %% 100000) * 0.0125 AS DECIMAL(18,4)) AS price,
	CAST(i %% 977 AS BIGINT) AS qty, CAST(((i * 13) %% 2000 - 1000) / 7.0 AS DOUBLE PRECISION) AS fwd_return_bps,
	CAST(((i * 31) %% 1000) / 10.0 AS DOUBLE PRECISION) AS barrier_state, i %% 3 = 0 AS outcome,
	DATE '2025-01-02' + CAST((i - i %% 100000) / 100000 AS INTEGER) AS session_date, 'note ' || (i %% 7919) AS note
	FROM generate_series(CAST(%d AS BIGINT), CAST(%d AS BIGINT)) AS g(i)`

// silverBenchDates are the dates of the benchmark's Silver version.
var silverBenchDates = []string{"2025-01-02", "2025-01-03", "2025-01-06", "2025-01-07"}

type typedFixture struct {
	ts   *testServer
	rows int
}

// loadTypedFixture writes gold.typed and silver."v_bench" (the same rows
// split over four dates) with their point indexes, and the same rows to
// PostgreSQL as tables typed and silver_v with a B-tree on ts.
func loadTypedFixture(b *testing.B) *typedFixture {
	var typedFix *typedFixture
	var typedErr error
	func() {
		rows := benchSize("SPYSQL_BENCH_POINT_ROWS", 2_000_000)
		ctx := context.Background()
		pg := needPG(b)
		dir, err := os.MkdirTemp("", "spysql-pbench-*")
		if err != nil {
			typedErr = err
			return
		}
		b.Cleanup(func() { os.RemoveAll(dir) }) // after the server's cleanup
		lake, err := store.OpenLake(filepath.Join(dir, "lake"), true)
		if err != nil {
			typedErr = err
			return
		}
		w, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
		if err != nil {
			typedErr = err
			return
		}
		copyTo := func(from, to int, path string) error {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			q := fmt.Sprintf("COPY ("+typedBenchSelect+" ORDER BY ts) TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d)",
				from, to-1, duck.QuoteString(path), store.RowGroupRows)
			_, err := w.SQL().ExecContext(ctx, q)
			return err
		}
		if err := copyTo(0, rows, filepath.Join(lake.GoldTrainingDir(), "typed.parquet")); err != nil {
			typedErr = err
			return
		}
		per := rows / len(silverBenchDates)
		for i, d := range silverBenchDates {
			if err := copyTo(i*per, (i+1)*per, lake.VersionDatePart("v_bench", d)); err != nil {
				typedErr = err
				return
			}
		}
		w.Close()
		for _, src := range []point.Source{{Schema: "gold", Name: "typed"}, {Schema: "silver", Name: "v_bench"}} {
			rep, err := point.WriteIndex(ctx, lake, src, "ts")
			if err != nil {
				typedErr = err
				return
			}
			b.Logf("%s: dataset %d bytes, point index %d bytes (%.2fx)", src, rep.DatasetBytes, rep.IndexBytes, float64(rep.IndexBytes)/float64(rep.DatasetBytes))
		}
		silverPG := "DROP TABLE IF EXISTS silver_v; CREATE UNLOGGED TABLE silver_v AS "
		for i, d := range silverBenchDates {
			if i > 0 {
				silverPG += " UNION ALL "
			}
			silverPG += fmt.Sprintf("SELECT *, '%s'::text AS date FROM ("+typedBenchSelect+") s", d, i*per, (i+1)*per-1)
		}
		if err := pg.Exec(ctx, "DROP TABLE IF EXISTS typed; CREATE UNLOGGED TABLE typed AS "+fmt.Sprintf(typedBenchSelect, 0, rows-1)+
			"; CREATE INDEX ON typed (ts); ANALYZE typed; "+silverPG+"; CREATE INDEX ON silver_v (ts); ANALYZE silver_v;"); err != nil {
			typedErr = fmt.Errorf("load postgres: %w", err)
			return
		}
		db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: benchSize("SPYSQL_BENCH_THREADS", 0)})
		if err != nil {
			typedErr = err
			return
		}
		srv, err := NewServer(NewDuckEngine(db), Config{Auth: AuthTrust, MaxConnections: 10})
		if err != nil {
			typedErr = err
			return
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			typedErr = err
			return
		}
		go srv.Serve(ctx, ln)
		b.Cleanup(func() {
			srv.Close()
			db.Close()
		})
		typedFix = &typedFixture{ts: &testServer{srv: srv, db: db, lake: lake, addr: ln.Addr().String()}, rows: rows - rows%len(silverBenchDates)}
	}()
	if typedErr != nil {
		b.Fatal(typedErr)
	}
	return typedFix
}

// BenchmarkPointQueryTyped: keyed lookups by a TIMESTAMP on a Gold
// dataset with DECIMAL, text and DATE columns, and on a Silver version,
// on one connection each to spysql (point index) and PostgreSQL 15
// (B-tree), taking turns in blocks of 256 queries as BenchmarkPointQuery
// does. pgx sends the timestamp in binary, as a prepared statement.
func BenchmarkPointQueryTyped(b *testing.B) {
	f := loadTypedFixture(b)
	for _, q := range []struct{ name, spysql, pg string }{
		{"gold", "SELECT * FROM gold.typed WHERE ts = $1", "SELECT * FROM typed WHERE ts = $1"},
		{"silver", `SELECT * FROM silver."v_bench" WHERE ts = $1`, "SELECT * FROM silver_v WHERE ts = $1"},
	} {
		b.Run(q.name, func(b *testing.B) {
			sc, pc := connect(b, f.ts.connString("bench")), connect(b, needPG(b).ConnString("postgres"))
			ctx := context.Background()
			base := time.Date(2025, 1, 2, 9, 30, 0, 0, time.UTC)
			run := func(c *pgx.Conn, sql string) time.Duration {
				key := base.Add(time.Duration(rand.IntN(f.rows)) * time.Millisecond)
				start := time.Now()
				r, err := c.Query(ctx, sql, key)
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
					b.Fatalf("%s key %s: %d rows, want 1", sql, key, rows)
				}
				return time.Since(start)
			}
			// The index opens and verifies its key in the background.
			for deadline := time.Now().Add(30 * time.Second); ; {
				before := f.ts.srv.pointReads.Load()
				run(sc, q.spysql)
				if f.ts.srv.pointReads.Load() > before {
					break
				}
				if time.Now().After(deadline) {
					b.Fatal("lookups are not point reads")
				}
			}
			before := f.ts.srv.pointReads.Load()
			const block = 256
			var ts, tp time.Duration
			var ns, np int
			for i := 0; b.Loop(); i++ {
				if i/block%2 == 0 {
					ts += run(sc, q.spysql)
					ns++
				} else {
					tp += run(pc, q.pg)
					np++
				}
			}
			if got := f.ts.srv.pointReads.Load() - before; got < int64(ns)-1 {
				b.Fatalf("%d of %d lookups were point reads", got, ns)
			}
			b.ReportMetric(float64(ns)/ts.Seconds(), "spysql-q/s")
			if np > 0 {
				b.ReportMetric(float64(np)/tp.Seconds(), "postgres-q/s")
				b.ReportMetric(float64(ns)/ts.Seconds()/(float64(np)/tp.Seconds()), "ratio")
			}
		})
	}
}
