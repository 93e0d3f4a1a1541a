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
// dashboard lake: a server with all cores (DuckDB's threads default, what
// serve runs) and one with threads = 1 (every statement on the thread
// that runs it, no fan-out), each with its own DuckDB over the same
// files and the same cache budget. threads is global and locked with the
// configuration, so these are the policies a server can choose between
// at start. Sub-benchmarks: the dashboard mix from 16 clients, and one
// big aggregate from one client; the two servers alternate in blocks.
// Reports each policy's throughput (mix) or statements/s (big), p99 for
// the mix, and the ratio one-thread / all-cores.
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
	one := func() *testServer {
		db, err := duck.Open(ctx, f.srv.lake, duck.Config{Sandbox: true, Threads: 1, CacheMemory: cache})
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
	}()
	servers := [2]*testServer{f.srv, one} // all cores, one thread
	b.Logf("cores %d; policy 0: threads %d (SPYSQL_BENCH_THREADS, 0: all cores), policy 1: threads 1", runtime.NumCPU(), benchSize("SPYSQL_BENCH_THREADS", 0))
	run := func(b *testing.B, clients, perClient int, pick func(r *rand.Rand, c, j int) (string, []any)) {
		conns := [2][]*pgx.Conn{}
		for i, ts := range servers {
			for range clients {
				conns[i] = append(conns[i], connect(b, ts.connString("bench")))
			}
		}
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
		block(0)
		block(1)
		lat, wall, count = [2][]time.Duration{}, [2]time.Duration{}, [2]int{}
		for i := 0; b.Loop(); i++ {
			// Alternate which goes first, so neither always follows the other.
			block(i % 2)
			block(1 - i%2)
		}
		if b.Failed() {
			return
		}
		qps := [2]float64{}
		p99 := [2]float64{}
		for i := range 2 {
			qps[i] = float64(count[i]) / wall[i].Seconds()
			slices.Sort(lat[i])
			p99[i] = float64(lat[i][int(0.99*float64(len(lat[i])-1))].Microseconds()) / 1000
		}
		b.ReportMetric(qps[0], "all-cores-q/s")
		b.ReportMetric(qps[1], "one-thread-q/s")
		b.ReportMetric(qps[1]/qps[0], "ratio")
		b.ReportMetric(p99[0], "all-cores-p99-ms")
		b.ReportMetric(p99[1], "one-thread-p99-ms")
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
