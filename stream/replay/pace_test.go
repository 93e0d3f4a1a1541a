package replay_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
	"github.com/spysql/spysql/stream/natsutil"
	"github.com/spysql/spysql/stream/replay"
)

// paceLake holds eleven stock trades six minutes of event time apart,
// an hour in all, on 2025-12-16.
func paceLake(t *testing.T) (store.Lake, []int64) {
	t.Helper()
	lake := testkit.NewLake(t)
	var ts []int64
	var recs []store.StockTrade
	for i := range 11 {
		x := at(2025, 12, 16, 15, 0, 0, 0) + int64(i)*int64(6*time.Minute)
		ts = append(ts, x)
		recs = append(recs, stock("p"+itoa2(i), "SPY", x, 0))
	}
	write(t, lake, "a", recs...)
	return lake, ts
}

// --speed X publishes no message before its event time, relative to the
// first, divided by X has passed; --max (Speed 0) does not pace. Only
// lower bounds on wall time are asserted, which no slowness can break,
// and upper bounds far beyond any scheduling delay that still catch
// pacing in the wrong unit or direction (an hour of event time at speed 1
// would take an hour).
func TestReplaySpeed(t *testing.T) {
	lake, ts := paceLake(t)
	cal := newCalendar(t)
	span := time.Duration(ts[len(ts)-1] - ts[0])
	for _, c := range []struct {
		name  string
		speed float64
	}{
		{"max", 0},
		{"fast", span.Seconds() / 0.1}, // an hour in 100ms
		{"slow", span.Seconds() / 0.6}, // an hour in 600ms
	} {
		t.Run(c.name, func(t *testing.T) {
			s, js := withStreams(t)
			// Arrival times of each message, by ts index.
			nc, err := nats.Connect(s.ClientURL())
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			var mu sync.Mutex
			var arrived []time.Time
			sub, err := nc.Subscribe("market.>", func(*nats.Msg) {
				mu.Lock()
				arrived = append(arrived, time.Now())
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Unsubscribe()
			if err := nc.Flush(); err != nil {
				t.Fatal(err)
			}
			cfg := replay.Config{Lake: lake, Calendar: cal, From: date(t, "2025-12-16"), To: date(t, "2025-12-16"), Speed: c.speed}
			start := time.Now()
			st, err := replay.Run(context.Background(), js, cfg, nil)
			elapsed := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if st.Messages != int64(len(ts)) {
				t.Fatalf("stats %+v, want %d messages", st, len(ts))
			}
			testkit.WaitFor(t, 10*time.Second, "every message at the subscriber", func() bool {
				mu.Lock()
				defer mu.Unlock()
				return len(arrived) == len(ts)
			})
			planned := time.Duration(0)
			if c.speed > 0 {
				planned = time.Duration(float64(span) / c.speed)
			}
			if elapsed > planned+30*time.Second {
				t.Errorf("took %s for %s of event time at speed %g", elapsed, span, c.speed)
			}
			mu.Lock()
			defer mu.Unlock()
			for i, a := range arrived {
				// Publishing starts after Run does; pace waits out
				// anything over a millisecond.
				due := time.Duration(0)
				if c.speed > 0 {
					due = time.Duration(float64(ts[i]-ts[0])/c.speed) - time.Millisecond
				}
				if got := a.Sub(start); got < due {
					t.Errorf("message %d arrived %s after the start, before it was due at %s", i, got, due)
				}
			}
		})
	}
}

// Cancelling the context stops Run promptly, wherever it waits, and Run
// returns the context's error. Promptly is well under the waits it cuts
// short (pacing: six minutes; acks: 5s; retries: 200ms, then 5s).
func TestReplayCancel(t *testing.T) {
	lake, ts := paceLake(t)
	cal := newCalendar(t)
	const prompt = 3 * time.Second
	for _, c := range []struct {
		name  string
		speed float64
		// streams: "" none (every publish fails), "market" the live
		// path's, "noack" a MARKET that stores without answering.
		streams string
		// at: "start" cancels before Run, "stored" once MARKET holds n
		// messages, "again" when the first repeat is logged.
		at      string
		n       uint64
		partial bool // fewer than all messages may be counted
	}{
		{name: "before the start", streams: "market", at: "start", partial: true},
		{name: "while pacing", speed: 1, streams: "market", at: "stored", n: 1, partial: true},
		{name: "while waiting for acks", streams: "noack", at: "stored", n: uint64(len(ts))},
		{name: "while retrying", at: "again"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startServer(t)
			js := connect(t, s.ClientURL())
			switch c.streams {
			case "market":
				if err := natsutil.EnsureStreams(context.Background(), js, 1); err != nil {
					t.Fatal(err)
				}
			case "noack":
				noAckMarket(t, js)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var mu sync.Mutex
			var cancelled time.Time
			cancelNow := func() {
				mu.Lock()
				defer mu.Unlock()
				if cancelled.IsZero() {
					cancelled = time.Now()
					cancel()
				}
			}
			cfg := replay.Config{Lake: lake, Calendar: cal, From: date(t, "2025-12-16"), To: date(t, "2025-12-16"), Speed: c.speed}
			if c.at == "again" {
				cfg.Log = watchLog("publish again", func(slog.Record) { cancelNow() })
			}
			if c.at == "start" {
				cancelNow()
			}
			done := make(chan error, 1)
			var st replay.Stats
			go func() {
				var err error
				st, err = replay.Run(ctx, js, cfg, nil)
				done <- err
			}()
			if c.at == "stored" {
				testkit.WaitFor(t, 30*time.Second, "messages in MARKET", func() bool { return streamCount(t, js) >= c.n })
				cancelNow()
			}
			select {
			case err := <-done:
				mu.Lock()
				took := time.Since(cancelled)
				mu.Unlock()
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("err %v, want context.Canceled", err)
				}
				if took > prompt {
					t.Errorf("returned %s after the cancel", took)
				}
				if c.partial && st.Messages >= int64(len(ts)) {
					t.Errorf("stats %+v: everything published despite the cancel", st)
				}
			case <-time.After(time.Minute):
				t.Fatal("Run did not return within a minute of the cancel")
			}
		})
	}
}
