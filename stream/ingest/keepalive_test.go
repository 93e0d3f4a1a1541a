package ingest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsutil"
)

// A batch held in a stalled write for twice the consumer's AckWait is not
// redelivered while the keepalive reports it in progress; with the
// keepalive off the same hold is redelivered (the test can fail). Either
// way, once the write goes on, every message is in the lake once.
func TestKeepAlivePreventsRedelivery(t *testing.T) {
	const n = 5
	for _, c := range []struct {
		name      string
		keepAlive bool
	}{
		{"keepalive", true},
		{"no keepalive", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startServer(t, t.TempDir(), 0)
			js := connect(t, s.ClientURL())
			ctx := context.Background()
			if err := natsutil.EnsureStreams(ctx, js, 1); err != nil {
				t.Fatal(err)
			}
			want := publishTrades(t, js, n)
			out := newLake(t)
			cfg := testConfig(out, nil)
			// InProgress goes out every half AckWait (plus a tick): 1.5s
			// of margin against a slow scheduler.
			cfg.AckWait, cfg.MaxAge = 3*time.Second, 500*time.Millisecond
			in, err := ingest.New(js, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !c.keepAlive {
				ingest.DisableKeepAlive(in)
			}
			paused, release := make(chan time.Time, 1), make(chan struct{})
			var once, released sync.Once
			ingest.SetBeforePublish(in, func(string, []uint64) {
				once.Do(func() {
					paused <- time.Now()
					<-release
				})
			})
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- in.Run(rctx) }()
			t.Cleanup(func() { released.Do(func() { close(release) }); cancel(); <-done })

			var held time.Time
			select {
			case held = <-paused:
			case <-time.After(time.Minute):
				t.Fatal("the ingest never began a write")
			}
			info := func() (redelivered, ackPending int) {
				cons, err := js.Consumer(ctx, natsutil.MarketStream, ingest.DefaultDurable)
				if err != nil {
					t.Fatal(err)
				}
				ci, err := cons.Info(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return ci.NumRedelivered, ci.NumAckPending
			}
			if c.keepAlive {
				waitFor(t, time.Minute, "two ack waits held, with InProgress sent three times", func() bool {
					return time.Since(held) >= 2*cfg.AckWait && in.Stats().InProgress >= 3*n
				})
				if r, p := info(); r != 0 || p != n {
					t.Errorf("held for %s: %d redelivered, %d awaiting ack; want 0 and %d", time.Since(held), r, p, n)
				}
			} else {
				waitFor(t, time.Minute, "a redelivery", func() bool { r, _ := info(); return r > 0 })
				if st := in.Stats(); st.InProgress != 0 {
					t.Errorf("InProgress sent with the keepalive off: %+v", st)
				}
			}
			released.Do(func() { close(release) })
			waitFor(t, time.Minute, "every message acked", func() bool {
				return settled(ctx, js, natsutil.MarketStream, ingest.DefaultDurable)
			})
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			done <- nil // for the cleanup
			sameRows(t, map[store.Table][]string{store.FuturesTrades: want}, lakeRows(t, out))
		})
	}
}
