package replay_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/stream/replay"
)

// Publishes JetStream stores but does not answer (as when a stream
// leader dies between storing and replying) are sent again after 5s, and
// the answer to the repeat (a duplicate, by Nats-Msg-Id) completes them:
// the stream holds every row once, in order. MARKET is made with NoAck,
// so the first window's publishes are stored and never answered; at the
// first repeat the test turns answers on. The caller's handle allows as
// many publishes in flight as the window (the same squeeze as two
// unanswered windows of 2,000 under the client's default of 4,000): a
// publish replay has given up on must not hold one of those places.
func TestReplayResendsUnanswered(t *testing.T) {
	const window = 5
	s := startServer(t)
	js := connect(t, s.ClientURL(), jetstream.WithPublishAsyncMaxPending(window))
	admin := connect(t, s.ClientURL())
	scfg := noAckMarket(t, admin)
	lake, ts := paceLake(t)

	var mu sync.Mutex
	var repeats []int64 // messages sent again, per round
	var firstRepeat time.Time
	log := watchLog("publish again", func(r slog.Record) {
		mu.Lock()
		defer mu.Unlock()
		repeats = append(repeats, attrInt(r, "messages"))
		if len(repeats) > 1 {
			return
		}
		firstRepeat = time.Now()
		// Run waits here: answers are on before anything is sent again.
		scfg.NoAck = false
		if _, err := admin.UpdateStream(context.Background(), scfg); err != nil {
			t.Errorf("update stream: %v", err)
		}
	})
	cfg := replay.Config{Lake: lake, Calendar: newCalendar(t), From: date(t, "2025-12-16"), To: date(t, "2025-12-16"),
		Window: window, Retry: 15 * time.Second, Log: log}
	start := time.Now()
	st, err := replay.Run(context.Background(), js, cfg, nil)
	if err != nil {
		t.Fatalf("replay: %v (repeats %v)", err, repeats)
	}
	if st.Messages != int64(len(ts)) {
		t.Errorf("stats %+v, want %d messages", st, len(ts))
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(repeats, []int64{window}) {
		t.Errorf("messages sent again per round: %v, want one round of %d", repeats, window)
	}
	if waited := firstRepeat.Sub(start); waited < 5*time.Second {
		t.Errorf("sent again %s after the start, before the 5s ack wait", waited)
	}
	var want []string
	for i := range ts {
		want = append(want, "p"+itoa2(i))
	}
	if got := tags(streamMsgs(t, admin)); !slices.Equal(got, want) {
		t.Errorf("MARKET holds %v, want %v", got, want)
	}
}
