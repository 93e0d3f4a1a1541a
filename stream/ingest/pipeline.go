package ingest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/natsmsg"
	"github.com/spysql/spysql/stream/natsutil"
)

// kindKey is one symbol of one kind, across hours.
type kindKey struct {
	kind natsmsg.Kind
	key  string
}

// pipeline consumes one stream: it buffers per partition and flushes.
// It runs on one goroutine.
type pipeline struct {
	in     *Ingester
	cfg    Config
	stream string
	accept func(natsmsg.Kind) bool
	cons   jetstream.Consumer
	lag    *atomic.Int64

	parts  map[partKey]*part
	latest map[kindKey]int64 // newest hour seen per symbol
	spare  map[natsmsg.Kind][]*part
	// held maps the sequences of buffered and in-flight parts to their
	// part. Only a redelivery can find one there, so it is built (with
	// nothing in flight) when a redelivery comes, kept up while they come
	// and dropped at a flush with none since.
	held        map[uint64]*part
	redelivered bool // since the last flush
	rows        int
	bytes       int
	oldest      time.Time
	seen        *written
	tick        time.Duration
	lastKeep    time.Time // of keepAlive

	// The last record decoded of each kind: add copies it into a buffer.
	decoded struct {
		ft  store.FuturesTrade
		mbp store.MBP10
		st  store.StockTrade
		ot  store.OptionTrade
		sig natsmsg.Signal
	}

	// The writer goroutine and the one batch it may hold.
	toWriter   chan *batch
	fromWriter chan *batch
	inflight   *batch
}

// run pulls messages until ctx is done, then flushes what it holds.
func (p *pipeline) run(ctx context.Context) error {
	p.tick = min(p.cfg.MaxAge/4, 250*time.Millisecond)
	tick := p.tick
	p.toWriter, p.fromWriter = make(chan *batch), make(chan *batch, 1)
	wctx, wcancel := context.WithCancel(context.WithoutCancel(ctx))
	go p.writer(wctx)
	defer func() {
		close(p.toWriter)
		wcancel()
	}()
	var it jetstream.MessagesContext
	defer func() {
		if it != nil {
			it.Stop()
		}
	}()
	// Next waits at most until tctx ends, so the loop comes round at least
	// every tick for flushes by age. One context serves every Next of a
	// tick: a timer per message costs more than the rest of Next.
	var win tickWindow
	defer win.stop()
loop:
	for ctx.Err() == nil {
		tctx := win.get(ctx, tick)
		if err := p.poll(); err != nil {
			return p.stop(err)
		}
		if it == nil {
			var err error
			it, err = p.cons.Messages(jetstream.PullMaxMessages(p.cfg.Fetch))
			if err != nil {
				p.cfg.Log.Warn("pull", "stream", p.stream, "err", err)
				if !natsutil.Sleep(ctx, 250*time.Millisecond) {
					break
				}
				continue
			}
		}
		msg, err := it.Next(jetstream.NextContext(tctx))
		switch {
		case err == nil:
			if err := p.handle(ctx, msg); err != nil {
				if ctx.Err() != nil {
					// Shutdown cut a wait for the writer short: the
					// message stays unacked; the rest is flushed below.
					break loop
				}
				return p.stop(err)
			}
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		default:
			// Closed iterator, lost heartbeats, a server gone: start again.
			p.cfg.Log.Warn("pull", "stream", p.stream, "err", err)
			it.Stop()
			it = nil
			natsutil.Sleep(ctx, 100*time.Millisecond) // the loop ends if ctx is done
		}
		now := time.Now() // one clock read a message for both checks
		if p.rows > 0 || p.inflight != nil {
			p.keepAlive(now)
		}
		if p.rows > 0 && (p.rows >= p.cfg.MaxRows || p.bytes >= p.cfg.MaxBytes || now.Sub(p.oldest) >= p.cfg.MaxAge) {
			if err := p.flush(ctx, nil); err != nil {
				if ctx.Err() != nil {
					break loop
				}
				return p.stop(err)
			}
		}
	}
	// Shutting down: what is buffered is written and acked.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.AckWait)
	defer cancel()
	if err := p.flush(fctx, nil); err != nil {
		return p.stop(err)
	}
	if err := p.wait(fctx); err != nil {
		return p.stop(err)
	}
	return nil
}

// stop is a fatal error: buffered messages stay unacked for redelivery.
func (p *pipeline) stop(err error) error {
	p.cfg.Log.Error("ingest stopped", "stream", p.stream, "err", err)
	return err
}

// tickWindow is a context that ends tick after it was made, made anew once
// it has ended.
type tickWindow struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (w *tickWindow) get(parent context.Context, tick time.Duration) context.Context {
	if w.ctx == nil || w.ctx.Err() != nil {
		w.stop()
		w.ctx, w.cancel = context.WithTimeout(parent, tick)
	}
	return w.ctx
}

func (w *tickWindow) stop() {
	if w.cancel != nil {
		w.cancel()
	}
}

// handle decodes one message and buffers it, dead-letters it or acks it
// as already written. A returned error stops the ingest.
func (p *pipeline) handle(ctx context.Context, msg jetstream.Msg) error {
	seq, delivered, ok := replySeqs(msg.Reply())
	if !ok {
		meta, err := msg.Metadata()
		if err != nil {
			p.cfg.Log.Warn("not a JetStream message", "subject", msg.Subject(), "err", err)
			return nil
		}
		seq, delivered = meta.Sequence.Stream, meta.NumDelivered
	}
	p.in.messages.Add(1)
	if m := p.cfg.Metrics; m != nil {
		m.Messages.WithLabelValues(p.stream).Inc()
	}
	subject, data := msg.Subject(), msg.Data()
	kind, key, err := natsmsg.ParseSubject(subject)
	if err == nil && !p.accept(kind) {
		err = &natsmsg.DecodeError{Subject: subject, Reason: "unknown subject for stream " + p.stream}
	}
	if err != nil {
		return p.deadLetter(ctx, msg, seq, err)
	}
	in := arrival{msg: msg, seq: seq, redelivered: delivered > 1, size: len(data)}
	d := &p.decoded
	switch kind {
	case natsmsg.FuturesTrades:
		if d.ft, err = natsmsg.DecodeFuturesTrade(subject, key, data); err != nil {
			return p.deadLetter(ctx, msg, seq, err)
		}
		return add(ctx, p, in, partKey{kind, key, hourOf(d.ft.TsEventNS)}, &d.ft)
	case natsmsg.FuturesMBP10:
		if err := natsmsg.DecodeMBP10Into(&d.mbp, subject, key, data); err != nil {
			return p.deadLetter(ctx, msg, seq, err)
		}
		return add(ctx, p, in, partKey{kind, key, hourOf(d.mbp.TsEventNS)}, &d.mbp)
	case natsmsg.StocksTrades:
		if d.st, err = natsmsg.DecodeStockTrade(subject, key, data); err != nil {
			return p.deadLetter(ctx, msg, seq, err)
		}
		return add(ctx, p, in, partKey{kind, key, hourOf(d.st.TsEventNS)}, &d.st)
	case natsmsg.OptionsTrades:
		if d.ot, err = natsmsg.DecodeOptionTrade(subject, key, data); err != nil {
			return p.deadLetter(ctx, msg, seq, err)
		}
		return add(ctx, p, in, partKey{kind, key, hourOf(d.ot.TsEventNS)}, &d.ot)
	default:
		if d.sig, err = natsmsg.DecodeSignal(subject, key, data); err != nil {
			return p.deadLetter(ctx, msg, seq, err)
		}
		return add(ctx, p, in, partKey{kind, key, hourOf(d.sig.TsEventNS)}, &d.sig)
	}
}

// arrival is one delivered message.
type arrival struct {
	msg         jetstream.Msg
	seq         uint64
	redelivered bool
	size        int
}

// add buffers a copy of record r of message a in partition k, unless the
// message is already buffered or, redelivered, already in a published file.
func add[T any](ctx context.Context, p *pipeline, a arrival, k partKey, r *T) error {
	if a.redelivered {
		p.redelivered = true
		if p.held == nil {
			// The writer may still change the in-flight parts: settle
			// them first, then only the buffered parts need indexing.
			if err := p.wait(ctx); err != nil {
				return err
			}
			p.buildHeld()
		}
		if pt, ok := p.held[a.seq]; ok {
			// Delivered again while buffered: ack this copy with the part.
			if pt.flushing {
				pt.late = append(pt.late, a.msg)
			} else {
				pt.msgs = append(pt.msgs, a.msg)
			}
			return nil
		}
		done, err := p.seen.has(k.dir(p.cfg.Lake), a.seq)
		if err != nil {
			return err
		}
		if done {
			p.ack(a.msg)
			p.in.skipped.Add(1)
			if m := p.cfg.Metrics; m != nil {
				m.Skipped.WithLabelValues(p.stream).Inc()
			}
			return nil
		}
	}
	// A newer hour of a symbol closes its older hours.
	kk := kindKey{k.kind, k.key}
	if last, ok := p.latest[kk]; !ok || k.hour > last {
		p.latest[kk] = k.hour
		if ok {
			err := p.flush(ctx, func(q partKey) bool { return q.kind == k.kind && q.key == k.key && q.hour < k.hour })
			if err != nil {
				return err
			}
		}
	}
	pt := p.parts[k]
	if pt == nil {
		pt = p.newPart(k)
		pt.first = time.Now()
		p.parts[k] = pt
		if p.oldest.IsZero() {
			p.oldest = pt.first
		}
	}
	pt.rows.(appender[T]).push(r)
	pt.seqs = append(grow(pt.seqs), a.seq)
	pt.msgs = append(grow(pt.msgs), a.msg)
	pt.bytes += a.size
	if p.held != nil {
		p.held[a.seq] = pt
	}
	p.rows++
	p.bytes += a.size
	return nil
}

// buildHeld indexes the sequences of the buffered parts; none may be in
// flight.
func (p *pipeline) buildHeld() {
	p.held = map[uint64]*part{}
	for _, pt := range p.parts {
		for _, s := range pt.seqs {
			p.held[s] = pt
		}
	}
}

// newPart is an empty part for k, a spare one when there is one.
func (p *pipeline) newPart(k partKey) *part {
	if s := p.spare[k.kind]; len(s) > 0 {
		pt := s[len(s)-1]
		p.spare[k.kind] = s[:len(s)-1]
		pt.reuse(k)
		return pt
	}
	return newPart(k)
}

func (p *pipeline) ack(m jetstream.Msg) {
	// A lost ack only means a redelivery, which the published file's
	// sequences then answer.
	if err := m.Ack(); err != nil {
		p.cfg.Log.Debug("ack", "stream", p.stream, "err", err)
	}
}

// deadLetter republishes a bad message to deadletter.<subject> with the
// reason in the Spysql-Error header, then acks it.
func (p *pipeline) deadLetter(ctx context.Context, msg jetstream.Msg, seq uint64, cause error) error {
	reason := cause.Error()
	var de *natsmsg.DecodeError
	if errors.As(cause, &de) {
		reason = de.Reason
	}
	out := nats.NewMsg(natsmsg.DeadLetterPrefix + msg.Subject())
	out.Data = msg.Data()
	out.Header.Set("Spysql-Error", reason)
	out.Header.Set("Spysql-Stream", p.stream)
	out.Header.Set("Spysql-Stream-Seq", strconv.FormatUint(seq, 10))
	out.Header.Set(jetstream.MsgIDHeader, p.stream+"-"+strconv.FormatUint(seq, 10))
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := p.in.js.PublishMsg(pctx, out); err != nil {
		// Left unacked: it comes back after AckWait and is tried again.
		p.cfg.Log.Warn("dead letter not stored", "subject", msg.Subject(), "err", err)
		return nil
	}
	p.ack(msg)
	p.in.deadLetters.Add(1)
	if m := p.cfg.Metrics; m != nil {
		m.DeadLetters.WithLabelValues(p.stream).Inc()
	}
	p.cfg.Log.Debug("dead letter", "subject", msg.Subject(), "reason", reason)
	return nil
}

// hourOf is the UTC hour bucket (hours since the epoch) of a time in ns.
func hourOf(ns int64) int64 {
	const h = int64(time.Hour)
	q := ns / h
	if ns%h < 0 {
		q--
	}
	return q
}

// sortedParts lists the buffered partitions selected by sel (all when
// nil) in a fixed order.
func (p *pipeline) sortedParts(sel func(partKey) bool) []*part {
	var out []*part
	for k, pt := range p.parts {
		if sel == nil || sel(k) {
			out = append(out, pt)
		}
	}
	slices.SortFunc(out, func(a, b *part) int {
		return cmp.Or(cmp.Compare(a.key.kind, b.key.kind), cmp.Compare(a.key.key, b.key.key), cmp.Compare(a.key.hour, b.key.hour))
	})
	return out
}
