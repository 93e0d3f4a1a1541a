package ingest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsutil"
)

// The process benchmarks run as an ingest is deployed: the nats-server,
// the bare consumer and spysql's ingest are each a process of their own
// (this test binary with SPYSQL_BENCH_CHILD set), so each one's peak RSS
// is its own and the server's work is not counted against either.

// procResult is what a consumer child prints when done.
type procResult struct {
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"`
}

// benchChild runs one child role and returns the exit code.
func benchChild(role string) int {
	var err error
	if path := os.Getenv("CHILD_CPUPROFILE"); path != "" && role != "server" {
		// Set by hand to profile the consumers: CHILD_CPUPROFILE=/tmp/x
		// writes /tmp/x.bare and /tmp/x.spysql.
		f, err := os.Create(path + "." + role)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	switch role {
	case "server":
		err = childServer()
	case "bare", "spysql":
		var r procResult
		r, err = childConsume(role)
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(r)
		}
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// childServer serves JetStream from STORE, prints its URL and stops when
// stdin closes.
func childServer() error {
	s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: os.Getenv("STORE")})
	if err != nil {
		return err
	}
	fmt.Println(s.ClientURL())
	_, _ = io.Copy(io.Discard, os.Stdin)
	s.Shutdown()
	s.WaitForShutdown()
	return nil
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

// childConsume drains N messages of MARKET with a fresh durable, as the
// bare consumer in MODE or as spysql's ingest with MAX_ROWS into LAKE.
func childConsume(role string) (procResult, error) {
	nc, err := nats.Connect(os.Getenv("NATS_URL"))
	if err != nil {
		return procResult{}, err
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	n, durable := envInt("N"), os.Getenv("DURABLE")
	if role == "bare" {
		el, err := bareMode(js, os.Getenv("MODE"), durable, n)
		return procResult{Seconds: el.Seconds()}, err
	}
	lake, err := store.OpenLake(os.Getenv("LAKE"), true)
	if err != nil {
		return procResult{}, err
	}
	in, err := ingest.New(js, ingest.Config{Lake: lake, Durable: durable, MaxRows: envInt("MAX_ROWS")})
	if err != nil {
		return procResult{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	t0 := time.Now()
	go func() { done <- in.Run(ctx) }()
	for in.Stats().Messages < int64(n) {
		select {
		case err := <-done:
			return procResult{}, fmt.Errorf("ingest stopped early: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		return procResult{}, err
	}
	return procResult{Seconds: time.Since(t0).Seconds(), Rows: in.Stats().Rows}, nil
}

// bareMode drains n messages with a consumer that only acks:
//   - explicit: AckExplicit, every message acked, pulls of DefaultFetch
//     (what the ingest itself does, and the baseline of the ratio);
//   - explicit-big: the same with pulls of 10,000 refilled at half;
//   - ackall: AckAll, one ack per 1,000 messages and the last;
//   - acknone: AckNone, no acks at all.
func bareMode(js jetstream.JetStream, mode, durable string, n int) (time.Duration, error) {
	ctx := context.Background()
	cfg := jetstream.ConsumerConfig{Durable: durable, AckPolicy: jetstream.AckExplicitPolicy,
		MaxAckPending: 2 * (ingest.DefaultMaxRows + ingest.DefaultFetch)}
	pull := []jetstream.PullMessagesOpt{jetstream.PullMaxMessages(ingest.DefaultFetch)}
	every := 1
	switch mode {
	case "explicit":
	case "explicit-big":
		pull = []jetstream.PullMessagesOpt{jetstream.PullMaxMessages(10_000), jetstream.PullThresholdMessages(5_000)}
	case "ackall":
		cfg.AckPolicy, every = jetstream.AckAllPolicy, 1000
		pull = []jetstream.PullMessagesOpt{jetstream.PullMaxMessages(10_000), jetstream.PullThresholdMessages(5_000)}
	case "acknone":
		cfg.AckPolicy, cfg.MaxAckPending, every = jetstream.AckNonePolicy, 0, 0
		pull = []jetstream.PullMessagesOpt{jetstream.PullMaxMessages(10_000), jetstream.PullThresholdMessages(5_000)}
	default:
		return 0, fmt.Errorf("unknown bare mode %q", mode)
	}
	c, err := js.CreateOrUpdateConsumer(ctx, natsutil.MarketStream, cfg)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	it, err := c.Messages(pull...)
	if err != nil {
		return 0, err
	}
	defer it.Stop()
	for i := range n {
		m, err := it.Next()
		if err != nil {
			return 0, err
		}
		if every > 0 && (i%every == every-1 || i == n-1) {
			if err := m.Ack(); err != nil {
				return 0, err
			}
		}
	}
	if every > 0 {
		// The last ack is on its way: wait until the server has it.
		if err := js.Conn().FlushTimeout(10 * time.Second); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}

// procRun is one finished child: its result, peak RSS and CPU time
// (user and system, start-up included).
type procRun struct {
	procResult
	peakRSS int64 // bytes
	cpu     time.Duration
}

// runChild runs the test binary in role with env and returns its result.
func runChild(b *testing.B, role string, env ...string) procRun {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "SPYSQL_BENCH_CHILD="+role), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s child: %v", role, err)
	}
	var r procRun
	if err := json.Unmarshal(out, &r.procResult); err != nil {
		b.Fatalf("%s child printed %q: %v", role, out, err)
	}
	r.peakRSS = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return r
}

// serverProc starts a nats-server child on a temp store and returns a
// JetStream client of it; cleanup stops it.
func serverProc(b *testing.B) (string, jetstream.JetStream) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SPYSQL_BENCH_CHILD=server", "STORE="+b.TempDir())
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("server child: %v", err)
	}
	url := strings.TrimSpace(line)
	nc, err := nats.Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	if err := natsutil.EnsureStreams(context.Background(), js, 1); err != nil {
		b.Fatal(err)
	}
	return url, js
}

// BenchmarkIngestProc: spysql's ingest against the bare consumer, each in
// its own process beside a nats-server process; reports the rates, their
// ratio, the ingest's peak RSS at the default buffer settings and the CPU
// each consumer process spent per message (which, unlike the rates, the
// load of a shared machine hardly moves).
func BenchmarkIngestProc(b *testing.B) {
	for _, kind := range []struct {
		name string
		n    int
	}{{"trades", 400_000}, {"mbp10", 100_000}} {
		b.Run(kind.name, func(b *testing.B) {
			url, js := serverProc(b)
			benchMessages(b, js, kind.name, kind.n)
			var bare, spy float64
			var bareCPU, spyCPU time.Duration
			var rss int64
			i := 0
			for b.Loop() {
				common := []string{"NATS_URL=" + url, "N=" + strconv.Itoa(kind.n)}
				r := runChild(b, "bare", append(common, "MODE=explicit", fmt.Sprintf("DURABLE=bare%d", i))...)
				bare += r.Seconds
				bareCPU += r.cpu
				r = runChild(b, "spysql", append(common, "LAKE="+b.TempDir(), fmt.Sprintf("DURABLE=spysql%d", i))...)
				if r.Rows != int64(kind.n) {
					b.Fatalf("landed %d rows, want %d", r.Rows, kind.n)
				}
				spy += r.Seconds
				spyCPU += r.cpu
				rss = max(rss, r.peakRSS)
				i++
			}
			msgs := float64(kind.n * i)
			b.ReportMetric(msgs/bare, "bare-msgs/s")
			b.ReportMetric(msgs/spy, "spysql-msgs/s")
			b.ReportMetric(bare/spy, "ratio")
			b.ReportMetric(float64(rss)/(1<<20), "spysql-peak-MiB")
			b.ReportMetric(float64(bareCPU.Microseconds())/msgs, "bare-cpu-µs/msg")
			b.ReportMetric(float64(spyCPU.Microseconds())/msgs, "spysql-cpu-µs/msg")
		})
	}
}

// BenchmarkBareCeiling: what a consumer that only acks gets out of a
// nats-server process on this machine, by pull size and ack policy, for
// trades (the 200k msgs/s goal).
func BenchmarkBareCeiling(b *testing.B) {
	const n = 400_000
	url, js := serverProc(b)
	benchMessages(b, js, "trades", n)
	for _, mode := range []string{"explicit", "explicit-big", "ackall", "acknone"} {
		b.Run(mode, func(b *testing.B) {
			var el float64
			i := 0
			for b.Loop() {
				el += runChild(b, "bare", "NATS_URL="+url, "N="+strconv.Itoa(n), "MODE="+mode,
					fmt.Sprintf("DURABLE=%s%d", mode, i)).Seconds
				i++
			}
			b.ReportMetric(float64(n*i)/el, "msgs/s")
		})
	}
}

// BenchmarkIngestPeakRSS: the ingest's peak RSS for MBP-10 backlogs of
// 100k, 300k and 600k messages, each drained with a 5,000-row and with a
// 20,000-row buffer: it follows the buffer, not the backlog.
func BenchmarkIngestPeakRSS(b *testing.B) {
	for _, n := range []int{100_000, 300_000, 600_000} {
		b.Run(fmt.Sprintf("backlog=%d", n), func(b *testing.B) {
			url, js := serverProc(b)
			benchMessages(b, js, "mbp10", n)
			rss := map[int]int64{}
			i := 0
			for b.Loop() {
				for _, rows := range []int{5_000, 20_000} {
					r := runChild(b, "spysql", "NATS_URL="+url, "N="+strconv.Itoa(n), "MAX_ROWS="+strconv.Itoa(rows),
						"LAKE="+b.TempDir(), fmt.Sprintf("DURABLE=spysql%d-%d", rows, i))
					if r.Rows != int64(n) {
						b.Fatalf("landed %d rows, want %d", r.Rows, n)
					}
					rss[rows] = max(rss[rows], r.peakRSS)
				}
				i++
			}
			for rows, v := range rss {
				b.ReportMetric(float64(v)/(1<<20), fmt.Sprintf("peak-MiB-rows=%d", rows))
			}
		})
	}
}
