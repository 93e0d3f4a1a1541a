package wire

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// The dashboard mix: what a BI tool's panels fire at once. Small
// aggregates, filtered ranges and top-N over a Gold dataset and a Silver
// version, the same data in PostgreSQL 15 with B-tree indexes where a
// dashboard's database would have them. Sizes: SPYSQL_DASH_GOLD Gold rows
// (default 1M), SPYSQL_DASH_DATES Silver dates of SPYSQL_DASH_DAY rows
// (default 20 x 20,000); SPYSQL_DASH_CACHE is serve --cache-memory
// (default 1GiB, 0 is off).

const dashVersion = "v1.0_bars"

// dashQuery is one panel's statement in both dialects; args draws its
// parameters.
type dashQuery struct {
	name, spysql, pg string
	args             func(r *rand.Rand, f *dashFixture) []any
}

func dashMix() []dashQuery {
	date := func(r *rand.Rand, f *dashFixture) string { return f.dates[r.IntN(len(f.dates))] }
	return []dashQuery{
		{"silver-agg",
			`SELECT count(*), avg(close), max(volume) FROM silver."` + dashVersion + `" WHERE date = $1`,
			`SELECT count(*), avg(close), max(volume) FROM silver_bars WHERE date = $1`,
			func(r *rand.Rand, f *dashFixture) []any { return []any{date(r, f)} }},
		{"silver-topn",
			`SELECT symbol, sum(volume) AS v FROM silver."` + dashVersion + `" WHERE date = $1 GROUP BY symbol ORDER BY v DESC LIMIT 5`,
			`SELECT symbol, sum(volume) AS v FROM silver_bars WHERE date = $1 GROUP BY symbol ORDER BY v DESC LIMIT 5`,
			func(r *rand.Rand, f *dashFixture) []any { return []any{date(r, f)} }},
		{"gold-range",
			`SELECT count(*), sum(volume), avg(price) FROM gold.dash WHERE ts_event_ns BETWEEN $1 AND $2`,
			`SELECT count(*), sum(volume), avg(price) FROM dash WHERE ts_event_ns BETWEEN $1 AND $2`,
			func(r *rand.Rand, f *dashFixture) []any {
				lo := r.Int64N(int64(f.goldRows - 5000))
				return []any{dashTS(lo), dashTS(lo + 5000)}
			}},
		{"gold-topn",
			`SELECT symbol, ts_event_ns, signal FROM gold.dash WHERE session_date = $1 ORDER BY signal DESC LIMIT 10`,
			`SELECT symbol, ts_event_ns, signal FROM dash WHERE session_date = $1 ORDER BY signal DESC LIMIT 10`,
			func(r *rand.Rand, f *dashFixture) []any {
				d, _ := time.Parse(time.DateOnly, date(r, f))
				return []any{d}
			}},
	}
}

// dashTS is row i's timestamp: one row per 10 ms from 2025-01-02.
func dashTS(i int64) int64 { return 1735828200000000000 + i*10_000_000 }

type dashFixture struct {
	srv      *testServer
	goldRows int
	dates    []string
}

var (
	dashOnce sync.Once
	dashFix  *dashFixture
	dashErr  error
)

// loadDashFixture writes the lake with DuckDB, copies the same rows into
// PostgreSQL and starts a server for it, once per test binary.
func loadDashFixture(b *testing.B) *dashFixture {
	dashOnce.Do(func() { dashFix, dashErr = newDashFixture(b) })
	if dashErr != nil {
		b.Fatal(dashErr)
	}
	return dashFix
}

func newDashFixture(b *testing.B) (*dashFixture, error) {
	pg := needPG(b)
	ctx := context.Background()
	goldRows := benchSize("SPYSQL_DASH_GOLD", 1_000_000)
	nDates := benchSize("SPYSQL_DASH_DATES", 20)
	perDay := benchSize("SPYSQL_DASH_DAY", 20_000)
	dir, err := os.MkdirTemp("", "spysql-dash-*")
	if err != nil {
		return nil, err
	}
	dashDir = dir
	lake, err := store.OpenLake(filepath.Join(dir, "lake"), true)
	if err != nil {
		return nil, err
	}
	w, err := duck.Open(ctx, lake, duck.Config{})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	f := &dashFixture{goldRows: goldRows}
	for d := range nDates {
		f.dates = append(f.dates, time.Date(2025, 1, 2+d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
	}
	// Gold: one row per 10 ms, ten symbols, sorted by ts_event_ns.
	gold := fmt.Sprintf(`SELECT %d + i * 10000000 AS ts_event_ns,
		DATE '2025-01-02' + CAST(i * %d // %d AS INTEGER) AS session_date,
		'S' || CAST(i %% 10 AS VARCHAR) AS symbol, 400 + (i %% 1000) / 4.0 AS price,
		CAST(1 + (i * 7) %% 500 AS BIGINT) AS volume, ((i * 7919) %% 10007) / 10007.0 AS signal,
		i %% 3 = 0 AS outcome FROM range(%d) t(i)`, dashTS(0), nDates, goldRows, goldRows)
	if err := os.MkdirAll(lake.GoldTrainingDir(), 0o755); err != nil {
		return nil, err
	}
	if _, err := w.SQL().ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", gold,
		duck.QuoteString(filepath.Join(lake.GoldTrainingDir(), "dash.parquet")))); err != nil {
		return nil, fmt.Errorf("write gold: %w", err)
	}
	// Silver: per date, one-minute-like bars of 20 symbols.
	for di, d := range f.dates {
		part := filepath.Join(lake.VersionDir(dashVersion), "date="+d, "part-0.parquet")
		if err := os.MkdirAll(filepath.Dir(part), 0o755); err != nil {
			return nil, err
		}
		q := fmt.Sprintf(`SELECT %d + i * 1000000000 AS ts_event_ns, 'S' || CAST(i %% 20 AS VARCHAR) AS symbol,
			100 + (i %% 997) * 0.25 AS open, 100.5 + (i %% 997) * 0.25 AS high, 99.5 + (i %% 997) * 0.25 AS low,
			100 + ((i + %d) %% 997) * 0.25 AS close, CAST(1 + (i * 13 + %d) %% 900 AS BIGINT) AS volume
			FROM range(%d) t(i)`, dashTS(int64(di)*8_640_000), di, di, perDay)
		if _, err := w.SQL().ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", q, duck.QuoteString(part))); err != nil {
			return nil, fmt.Errorf("write silver %s: %w", d, err)
		}
	}
	if err := w.Refresh(ctx); err != nil {
		return nil, err
	}
	// PostgreSQL gets the rows DuckDB reads back from the lake.
	if err := pg.Exec(ctx, `DROP TABLE IF EXISTS dash, silver_bars;
		CREATE UNLOGGED TABLE dash (ts_event_ns int8, session_date date, symbol text, price float8, volume int8, signal float8, outcome bool);
		CREATE UNLOGGED TABLE silver_bars (ts_event_ns int8, symbol text, open float8, high float8, low float8, close float8, volume int8, date text)`); err != nil {
		return nil, err
	}
	pc, err := pgx.Connect(ctx, pg.ConnString("postgres"))
	if err != nil {
		return nil, err
	}
	defer pc.Close(ctx)
	for _, t := range []struct{ pg, src string }{
		{"dash", "SELECT * FROM gold.dash"},
		{"silver_bars", `SELECT ts_event_ns, symbol, open, high, low, close, volume, date FROM silver."` + dashVersion + `"`},
	} {
		rows, err := w.SQL().QueryContext(ctx, t.src)
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		n, err := pc.CopyFrom(ctx, pgx.Identifier{t.pg}, cols, &sqlRowsSource{rows: rows, n: len(cols)})
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.pg, err)
		}
		b.Logf("postgres %s: %d rows", t.pg, n)
	}
	if err := pg.Exec(ctx, `CREATE INDEX ON dash (ts_event_ns); CREATE INDEX ON dash (session_date);
		CREATE INDEX ON silver_bars (date); ANALYZE dash; ANALYZE silver_bars`); err != nil {
		return nil, err
	}
	cache := int64(1 << 30)
	if v := os.Getenv("SPYSQL_DASH_CACHE"); v != "" {
		if cache, err = duck.ParseBytes(v); err != nil {
			return nil, err
		}
	}
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: benchSize("SPYSQL_BENCH_THREADS", 0), AdaptiveThreads: true, CacheMemory: cache})
	if err != nil {
		return nil, err
	}
	srv, err := NewServer(NewDuckEngine(db), Config{Auth: AuthTrust, MaxConnections: 200})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go srv.Serve(ctx, ln)
	f.srv = &testServer{srv: srv, db: db, lake: lake, addr: ln.Addr().String()}
	return f, nil
}

var dashDir string

// dashCleanup stops the dashboard server and removes its lake.
func dashCleanup() {
	if dashFix != nil {
		dashFix.srv.srv.Close()
		dashFix.srv.db.Close()
	}
	if dashDir != "" {
		os.RemoveAll(dashDir)
	}
}

// sqlRowsSource feeds database/sql rows to pgx's CopyFrom.
type sqlRowsSource struct {
	rows interface {
		Next() bool
		Scan(...any) error
		Err() error
	}
	n int
}

func (s *sqlRowsSource) Next() bool { return s.rows.Next() }
func (s *sqlRowsSource) Values() ([]any, error) {
	vals := make([]any, s.n)
	ptrs := make([]any, s.n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := s.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	return vals, nil
}
func (s *sqlRowsSource) Err() error { return s.rows.Err() }

// BenchmarkDashboard runs the mix from 1, 16 and 64 clients, each with
// its own connection to each server. A round is a block on spysql then a
// block on PostgreSQL: every client runs perClient mix statements; the
// servers alternate so that drift of a shared machine hits both. Reports
// each server's throughput and p50/p99 latency, and the ratios.
func BenchmarkDashboard(b *testing.B) {
	for _, clients := range []int{1, 16, 64} {
		b.Run("clients="+strconv.Itoa(clients), func(b *testing.B) {
			f := loadDashFixture(b)
			ctx := context.Background()
			conns := [2][]*pgx.Conn{}
			for i, cs := range []string{f.srv.connString("bench"), needPG(b).ConnString("postgres")} {
				for range clients {
					conns[i] = append(conns[i], connect(b, cs))
				}
			}
			mix := dashMix()
			perClient := max(8, 64/clients)
			var lat [2][]time.Duration
			var wall [2]time.Duration
			var count [2]int
			block := func(srv int) {
				per := make([][]time.Duration, clients)
				var wg sync.WaitGroup
				start := time.Now()
				for c := range clients {
					wg.Go(func() {
						r := rand.New(rand.NewPCG(uint64(c), uint64(time.Now().UnixNano())))
						conn := conns[srv][c]
						for j := range perClient {
							q := mix[(c+j)%len(mix)]
							sql := q.spysql
							if srv == 1 {
								sql = q.pg
							}
							t0 := time.Now()
							rows, err := conn.Query(ctx, sql, q.args(r, f)...)
							if err != nil {
								b.Errorf("%s: %v", q.name, err)
								return
							}
							n := 0
							for rows.Next() {
								n++
							}
							if err := rows.Err(); err != nil {
								b.Errorf("%s: %v", q.name, err)
								return
							}
							if n == 0 {
								b.Errorf("%s: no rows", q.name)
								return
							}
							per[c] = append(per[c], time.Since(t0))
						}
					})
				}
				wg.Wait()
				wall[srv] += time.Since(start)
				for _, p := range per {
					lat[srv] = append(lat[srv], p...)
					count[srv] += len(p)
				}
			}
			// Warm both: connections, prepared statements, caches.
			block(0)
			block(1)
			lat, wall, count = [2][]time.Duration{}, [2]time.Duration{}, [2]int{}
			resetPeakRSS()
			for b.Loop() {
				block(0)
				block(1)
			}
			if b.Failed() {
				return
			}
			qps := [2]float64{}
			for i := range 2 {
				qps[i] = float64(count[i]) / wall[i].Seconds()
				slices.Sort(lat[i])
			}
			pct := func(i int, p float64) float64 {
				return float64(lat[i][int(p*float64(len(lat[i])-1))].Microseconds()) / 1000
			}
			b.ReportMetric(qps[0], "spysql-q/s")
			b.ReportMetric(qps[1], "postgres-q/s")
			b.ReportMetric(qps[0]/qps[1], "ratio")
			b.ReportMetric(pct(0, 0.5), "spysql-p50-ms")
			b.ReportMetric(pct(0, 0.99), "spysql-p99-ms")
			b.ReportMetric(pct(1, 0.5), "postgres-p50-ms")
			b.ReportMetric(pct(1, 0.99), "postgres-p99-ms")
			b.ReportMetric(pct(0, 0.99)/pct(1, 0.99), "p99-ratio")
			b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
			b.ReportMetric(float64(f.srv.db.CacheStats().Bytes)/1e6, "cache-MB")
		})
	}
}
