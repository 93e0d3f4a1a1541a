package wire

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spysql/spysql/engine/duck"
)

// bigAggregate is one statement that scans the whole Gold dataset.
const bigAggregate = `SELECT symbol, count(*), avg(price), sum(volume), stddev_samp(signal) FROM gold.dash GROUP BY symbol ORDER BY symbol`

// BenchmarkThreadsPolicy compares DuckDB's parallelism policies on the
// dashboard lake: a server with all cores fixed (DuckDB's threads
// default), one with threads = 1 fixed (every statement on the thread
// that runs it, no fan-out) and one with adaptive threads (what serve
// runs: all cores while one statement runs, fewer as more run), each with
// its own DuckDB over the same files and the same cache budget.
// Sub-benchmarks: the dashboard mix from 1 and 16 clients, and one big
// aggregate from one client; the servers alternate in blocks, in a
// rotating order. Reports each policy's statements/s and p99, and the
// ratios one-thread / all-cores and adaptive / all-cores.
func BenchmarkThreadsPolicy(b *testing.B) {
	f := loadDashFixture(b)
	ctx := context.Background()
	cache := int64(1 << 30)
	if v := os.Getenv("SPYSQL_DASH_CACHE"); v != "" {
		var err error
		if cache, err = duck.ParseBytes(v); err != nil {
			b.Fatal(err)
		}
	}
	open := func(cfg duck.Config) *testServer {
		cfg.Sandbox, cfg.CacheMemory = true, cache
		db, err := duck.Open(ctx, f.srv.lake, cfg)
		if err != nil {
			b.Fatal(err)
		}
		srv, err := NewServer(NewDuckEngine(db), Config{Auth: AuthTrust, MaxConnections: 200})
		if err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go srv.Serve(ctx, ln)
		b.Cleanup(func() {
			srv.Close()
			db.Close()
		})
		return &testServer{srv: srv, db: db, lake: f.srv.lake, addr: ln.Addr().String()}
	}
	names := []string{"all-cores", "one-thread", "adaptive"}
	threads := benchSize("SPYSQL_BENCH_THREADS", 0)
	servers := []*testServer{open(duck.Config{Threads: threads}), open(duck.Config{Threads: 1}), f.srv}
	b.Logf("cores %d; all-cores and adaptive's most: threads %d (SPYSQL_BENCH_THREADS, 0: all cores)", runtime.NumCPU(), threads)
	run := func(b *testing.B, clients, perClient int, pick func(r *rand.Rand, c, j int) (string, []any)) {
		np := len(servers)
		conns := make([][]*pgx.Conn, np)
		for i, ts := range servers {
			for range clients {
				conns[i] = append(conns[i], connect(b, ts.connString("bench")))
			}
		}
		lat := make([][]time.Duration, np)
		wall := make([]time.Duration, np)
		count := make([]int, np)
		block := func(srv int) {
			per := make([][]time.Duration, clients)
			var wg sync.WaitGroup
			start := time.Now()
			for c := range clients {
				wg.Go(func() {
					r := rand.New(rand.NewPCG(uint64(c), uint64(time.Now().UnixNano())))
					for j := range perClient {
						sql, args := pick(r, c, j)
						t0 := time.Now()
						rows, err := conns[srv][c].Query(ctx, sql, args...)
						if err != nil {
							b.Error(err)
							return
						}
						n := 0
						for rows.Next() {
							n++
						}
						if err := rows.Err(); err != nil || n == 0 {
							b.Errorf("%s: %d rows, %v", sql, n, err)
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
		for i := range np {
			block(i) // warm every server
		}
		lat, wall, count = make([][]time.Duration, np), make([]time.Duration, np), make([]int, np)
		changes := servers[2].db.ThreadStats().Changes
		for i := 0; b.Loop(); i++ {
			// Rotate the order, so no policy always follows another.
			for k := range np {
				block((i + k) % np)
			}
		}
		if b.Failed() {
			return
		}
		qps := make([]float64, np)
		for i := range np {
			qps[i] = float64(count[i]) / wall[i].Seconds()
			slices.Sort(lat[i])
			b.ReportMetric(qps[i], names[i]+"-q/s")
			b.ReportMetric(float64(lat[i][int(0.99*float64(len(lat[i])-1))].Microseconds())/1000, names[i]+"-p99-ms")
		}
		b.ReportMetric(qps[1]/qps[0], "one-thread/all")
		b.ReportMetric(qps[2]/qps[0], "adaptive/all")
		b.ReportMetric(float64(servers[2].db.ThreadStats().Changes-changes)/float64(count[2]), "adaptive-changes/stmt")
	}
	mix := dashMix()
	for _, clients := range []int{1, 16} {
		b.Run(fmt.Sprintf("mix/clients=%d", clients), func(b *testing.B) {
			run(b, clients, max(8, 64/clients), func(r *rand.Rand, c, j int) (string, []any) {
				q := mix[(c+j)%len(mix)]
				return q.spysql, q.args(r, f)
			})
		})
	}
	b.Run("big", func(b *testing.B) {
		run(b, 1, 4, func(*rand.Rand, int, int) (string, []any) { return bigAggregate, nil })
	})
}
