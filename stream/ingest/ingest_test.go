package ingest_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsutil"
	"github.com/spysql/spysql/stream/replay"
)

// runReplay replays the test day from src, paced so it lasts about d
// (0: as fast as possible), and returns a channel with its result.
func runReplay(ctx context.Context, js jetstream.JetStream, src store.Lake, d time.Duration) <-chan error {
	cal, _ := calendar.New()
	speed := 0.0
	if d > 0 {
		// The test day's session spans 16 hours of event time.
		speed = (16 * time.Hour).Seconds() / d.Seconds()
	}
	done := make(chan error, 1)
	go func() {
		_, err := replay.Run(ctx, js, replay.Config{Lake: src, Calendar: cal, From: testDate, To: testDate, Speed: speed}, nil)
		done <- err
	}()
	return done
}

// startIngest runs an in-process Ingester until the returned stop is
// called; stop returns Run's error.
func startIngest(t *testing.T, js jetstream.JetStream, cfg ingest.Config) (*ingest.Ingester, func() error) {
	t.Helper()
	in, err := ingest.New(js, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() { stop() })
	return in, stop
}

func waitSettled(t *testing.T, js jetstream.JetStream, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(d)
	for !settled(ctx, js, natsutil.MarketStream, ingest.DefaultDurable) {
		if time.Now().After(deadline) {
			c, _ := js.Consumer(ctx, natsutil.MarketStream, ingest.DefaultDurable)
			if c != nil {
				info, _ := c.Info(ctx)
				t.Fatalf("timed out after %s waiting for the MARKET consumer to ack everything: %+v", d, info)
			}
			t.Fatalf("timed out after %s waiting for the MARKET consumer", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func mustReplay(t *testing.T, done <-chan error, d time.Duration) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
	case <-time.After(d):
		t.Fatal("replay did not finish")
	}
}

// A replayed day lands in Bronze row for row; replaying it again within
// the duplicate window stores nothing new.
func TestReplayIngestExact(t *testing.T) {
	src := sourceLake(t)
	s := startServer(t, t.TempDir(), 0)
	js := connect(t, s.ClientURL())
	out := newLake(t)
	reg := prometheus.NewRegistry()
	cfg := testConfig(out, nil)
	m, err := ingest.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Metrics = m
	in, stop := startIngest(t, js, cfg)
	mustReplay(t, runReplay(context.Background(), js, src, 0), time.Minute)
	waitSettled(t, js, time.Minute)
	mustReplay(t, runReplay(context.Background(), js, src, 0), time.Minute)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	want := lakeRows(t, src)
	sameRows(t, want, lakeRows(t, out))
	n := 0
	for _, r := range want {
		n += len(r)
	}
	st := in.Stats()
	if st.Rows != int64(n) || st.DeadLetters != 0 {
		t.Errorf("stats %+v, want %d rows and no dead letters", st, n)
	}
	// The Prometheus metrics say the same.
	var rows, files float64
	for _, tb := range store.BronzeTables() {
		rows += testutil.ToFloat64(m.Rows.WithLabelValues(tb.Name()))
		files += testutil.ToFloat64(m.Files.WithLabelValues(tb.Name()))
	}
	if rows != float64(n) || files != float64(st.Files) || files == 0 {
		t.Errorf("metrics: %g rows in %g files, want %d in %d", rows, files, n, st.Files)
	}
	if got := testutil.ToFloat64(m.Messages.WithLabelValues(natsutil.MarketStream)); got < float64(n) {
		t.Errorf("metrics: %g messages, want at least %d", got, n)
	}
	if c := testutil.CollectAndCount(m.Flush); c != 1 {
		t.Errorf("flush histogram: %d series", c)
	}
	ms, _ := js.Stream(context.Background(), natsutil.MarketStream)
	info, _ := ms.Info(context.Background())
	if info.State.Msgs != uint64(n) {
		t.Errorf("MARKET holds %d messages after two replays, want %d", info.State.Msgs, n)
	}
}

// SIGKILL the ingest process at random moments while a replay runs, a
// dozen times: at the end Bronze holds every row exactly once.
func TestKillDuringReplay(t *testing.T) {
	src := sourceLake(t)
	s := startServer(t, t.TempDir(), 0)
	js := connect(t, s.ClientURL())
	if err := natsutil.EnsureStreams(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	out := newLake(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	done := runReplay(context.Background(), js, src, 8*time.Second)
	kills := 0
	for kills < 12 {
		c := child(t, s.ClientURL(), out)
		time.Sleep(time.Duration(150+rng.IntN(700)) * time.Millisecond)
		c.Process.Kill()
		err := c.Wait()
		var ee interface{ Sys() any }
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("ingest ended by %v before the kill", err)
			}
		}
		kills++
	}
	mustReplay(t, done, time.Minute)
	c := child(t, s.ClientURL(), out)
	waitSettled(t, js, time.Minute)
	c.Process.Signal(syscall.SIGTERM)
	if err := c.Wait(); err != nil {
		t.Fatalf("ingest after SIGTERM: %v", err)
	}
	t.Logf("%d kills", kills)
	sameRows(t, lakeRows(t, src), lakeRows(t, out))
}

// Two processes on the same durable share the work: no duplicates, no
// loss.
func TestTwoProcessesOneDurable(t *testing.T) {
	src := sourceLake(t)
	s := startServer(t, t.TempDir(), 0)
	js := connect(t, s.ClientURL())
	if err := natsutil.EnsureStreams(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	out := newLake(t)
	a, b := child(t, s.ClientURL(), out), child(t, s.ClientURL(), out)
	mustReplay(t, runReplay(context.Background(), js, src, 3*time.Second), time.Minute)
	waitSettled(t, js, time.Minute)
	a.Process.Signal(syscall.SIGTERM)
	b.Process.Signal(syscall.SIGTERM)
	if err := a.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := b.Wait(); err != nil {
		t.Fatal(err)
	}
	sameRows(t, lakeRows(t, src), lakeRows(t, out))
}

// The nats-server restarts during the ingest: the writer reconnects and
// carries on.
func TestServerRestart(t *testing.T) {
	src := sourceLake(t)
	store := t.TempDir()
	s := startServer(t, store, 0)
	port := s.Addr().(*net.TCPAddr).Port
	url := s.ClientURL()
	js := connect(t, url)
	out := newLake(t)
	in, stop := startIngest(t, js, testConfig(out, nil))
	done := runReplay(context.Background(), js, src, 6*time.Second)
	waitFor(t, time.Minute, "some rows landed", func() bool { return in.Stats().Rows > 0 })
	s.Shutdown()
	s.WaitForShutdown()
	before := in.Stats().Messages
	s2 := startServer(t, store, port)
	if s2.ClientURL() != url {
		t.Fatalf("restarted at %s, want %s", s2.ClientURL(), url)
	}
	mustReplay(t, done, time.Minute)
	waitSettled(t, js, time.Minute)
	if in.Stats().Messages <= before {
		t.Errorf("no message received after the restart")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	sameRows(t, lakeRows(t, src), lakeRows(t, out))
}
