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

// The redelivery race, forced: process A holds a batch in a stalled
// write past AckWait, JetStream gives its messages to B on the same
// durable, B writes them in files of its own (one row each), and only
// then does A's write go on. A must find B's files under the partition
// lock and drop those rows: every message is in the lake exactly once.
func TestRedeliveryWhileHeldNoDuplicate(t *testing.T) {
	s := startServer(t, t.TempDir(), 0)
	js := connect(t, s.ClientURL())
	ctx := context.Background()
	if err := natsutil.EnsureStreams(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	// Ten trades of one symbol in one hour, all in the stream before A
	// starts, so A pulls them together into one batch.
	want := publishTrades(t, js, 10)

	out := newLake(t)
	// A: a short AckWait, no InProgress (a stall it cannot report), one
	// message pulled ahead, and its first write paused until released.
	cfgA := testConfig(out, nil)
	cfgA.AckWait, cfgA.MaxAge, cfgA.Fetch = time.Second, 200*time.Millisecond, 1
	a, err := ingest.New(js, cfgA)
	if err != nil {
		t.Fatal(err)
	}
	ingest.DisableKeepAlive(a)
	type held struct {
		dir  string
		seqs []uint64
	}
	paused, release := make(chan held, 1), make(chan struct{})
	var once sync.Once
	ingest.SetBeforePublish(a, func(dir string, seqs []uint64) {
		once.Do(func() {
			paused <- held{dir, seqs}
			<-release
		})
	})
	actx, acancel := context.WithCancel(ctx)
	adone := make(chan error, 1)
	go func() { adone <- a.Run(actx) }()
	var stopOnce sync.Once
	var errA error
	stopA := func() error { stopOnce.Do(func() { acancel(); errA = <-adone }); return errA }
	var released sync.Once
	t.Cleanup(func() { released.Do(func() { close(release) }); stopA() })

	var h held
	select {
	case h = <-paused:
	case <-time.After(time.Minute):
		t.Fatal("A never began a write")
	}
	if len(h.seqs) < 2 {
		// B writes one row per file: a one-row batch of A's would share
		// its name and the race would not show.
		t.Fatalf("A's first batch holds %d messages, want several", len(h.seqs))
	}
	// B: same durable, existing consumer, one row per file.
	cfgB := testConfig(out, nil)
	cfgB.NoCreate, cfgB.MaxRows, cfgB.MaxAge, cfgB.Fetch = true, 1, 200*time.Millisecond, 10
	b, stopB := startIngest(t, js, cfgB)
	// Every message acked: B has written what A still holds.
	waitFor(t, time.Minute, "B to write and ack every message", func() bool {
		return settled(ctx, js, natsutil.MarketStream, ingest.DefaultDurable)
	})
	if b.Stats().Rows == 0 {
		t.Fatal("B wrote nothing")
	}
	released.Do(func() { close(release) })
	if err := stopA(); err != nil {
		t.Fatal(err)
	}
	if err := stopB(); err != nil {
		t.Fatal(err)
	}
	if st := a.Stats(); st.Skipped == 0 {
		t.Errorf("A dropped nothing B wrote: %+v", st)
	}
	sameRows(t, map[store.Table][]string{store.FuturesTrades: want}, lakeRows(t, out))
}
