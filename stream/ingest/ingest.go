package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/stream/natsmsg"
	"github.com/spysql/spysql/stream/natsutil"
)

// Ingester lands JetStream messages in the lake: market.> into Bronze and
// levels.signals.> into Gold. Make one with New and call Run.
type Ingester struct {
	js  jetstream.JetStream
	cfg Config

	messages, rows, files, deadLetters, skipped, progressed atomic.Int64
	lag                                                     [2]atomic.Int64

	// Test hooks (export_test.go): beforePublish runs in the writer
	// before a partition is locked; noKeepAlive stops InProgress.
	beforePublish func(dir string, seqs []uint64)
	noKeepAlive   bool
}

// Stats are running totals of one Ingester.
type Stats struct {
	Messages    int64 // received, bad ones included
	Rows        int64 // written to published files
	Files       int64 // published
	DeadLetters int64 // bad messages republished to deadletter.>
	Skipped     int64 // redeliveries already in a published file
	InProgress  int64 // InProgress sent for messages held long
	Lag         int64 // undelivered plus unacked messages, last look
}

// New checks cfg and returns an Ingester reading from js.
func New(js jetstream.JetStream, cfg Config) (*Ingester, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Ingester{js: js, cfg: cfg}, nil
}

// Stats returns the totals so far; safe to call while Run runs.
func (in *Ingester) Stats() Stats {
	return Stats{
		Messages: in.messages.Load(), Rows: in.rows.Load(), Files: in.files.Load(),
		DeadLetters: in.deadLetters.Load(), Skipped: in.skipped.Load(), InProgress: in.progressed.Load(),
		Lag: in.lag[0].Load() + in.lag[1].Load(),
	}
}

// Run creates the streams and consumers (unless NoCreate), then lands
// messages until ctx is done; it then flushes and acks what it holds and
// returns nil. An error that stops the ingest (a write that fails, a
// consumer that cannot be made) is returned; unacked messages are then
// redelivered to the next run.
func (in *Ingester) Run(ctx context.Context) error {
	if !in.cfg.NoCreate {
		if err := natsutil.EnsureStreams(ctx, in.js, in.cfg.Replicas); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	specs := []struct {
		stream, filter string
		accept         func(natsmsg.Kind) bool
	}{
		{natsutil.MarketStream, natsmsg.MarketSubjects, func(k natsmsg.Kind) bool { return k != natsmsg.Signals }},
		{natsutil.LevelsStream, natsmsg.LevelsSubjects, func(k natsmsg.Kind) bool { return k == natsmsg.Signals }},
	}
	var pipes []*pipeline
	for i, s := range specs {
		cons, cfg, err := in.consumer(ctx, s.stream, s.filter)
		if err != nil {
			return err
		}
		pipes = append(pipes, &pipeline{
			in: in, cfg: cfg, stream: s.stream, accept: s.accept, cons: cons, lag: &in.lag[i],
			parts: map[partKey]*part{}, latest: map[kindKey]int64{}, spare: map[natsmsg.Kind][]*part{},
			seen: newWritten(s.stream),
		})
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	errs := make([]error, len(pipes))
	for i, p := range pipes {
		wg.Go(func() {
			if err := p.run(ctx); err != nil {
				errs[i] = err
				cancel(err)
			}
		})
		wg.Go(func() { p.watchLag(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// consumer returns the durable pull consumer on stream, made or updated
// unless NoCreate, and the config adjusted to it.
func (in *Ingester) consumer(ctx context.Context, stream, filter string) (jetstream.Consumer, Config, error) {
	cfg := in.cfg
	var cons jetstream.Consumer
	var err error
	if cfg.NoCreate {
		cons, err = in.js.Consumer(ctx, stream, cfg.Durable)
	} else {
		cons, err = in.js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
			Durable:       cfg.Durable,
			FilterSubject: filter,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       cfg.AckWait,
			MaxAckPending: cfg.maxAckPending(),
			MaxDeliver:    -1,
			DeliverPolicy: jetstream.DeliverAllPolicy,
		})
	}
	if err != nil {
		return nil, cfg, fmt.Errorf("ingest: consumer %s on %s: %w", cfg.Durable, stream, err)
	}
	info := cons.CachedInfo()
	cfg.AckWait = info.Config.AckWait // an existing consumer keeps its own
	if info.Config.AckPolicy != jetstream.AckExplicitPolicy {
		return nil, cfg, fmt.Errorf("ingest: consumer %s on %s: ack policy must be explicit", cfg.Durable, stream)
	}
	if cfg.MaxAge*3 > info.Config.AckWait {
		return nil, cfg, fmt.Errorf("ingest: consumer %s on %s: ack wait %s is under three times the max age %s",
			cfg.Durable, stream, info.Config.AckWait, cfg.MaxAge)
	}
	// Keep what one process holds under the consumer's MaxAckPending.
	if map_ := info.Config.MaxAckPending; map_ > 0 && cfg.MaxRows+cfg.Fetch > map_/2 {
		cfg.Fetch = max(1, min(cfg.Fetch, map_/4))
		cfg.MaxRows = max(1, map_/2-cfg.Fetch)
		cfg.Log.Warn("buffer shrunk to the consumer's MaxAckPending", "stream", stream,
			"max_ack_pending", map_, "max_rows", cfg.MaxRows, "fetch", cfg.Fetch)
	}
	return cons, cfg, nil
}

// watchLag samples the consumer's backlog every second.
func (p *pipeline) watchLag(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		info, err := p.cons.Info(ctx)
		if err == nil {
			n := int64(info.NumPending) + int64(info.NumAckPending)
			p.lag.Store(n)
			if m := p.cfg.Metrics; m != nil {
				m.Lag.WithLabelValues(p.stream).Set(float64(n))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
