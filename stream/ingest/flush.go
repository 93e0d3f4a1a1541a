package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/spysql/spysql/engine/store"
)

// A flush hands the selected partitions to the pipeline's writer
// goroutine, which publishes each as one file and then acks its messages,
// while the pipeline goes on decoding the next batch. One batch is written
// at a time: a flush first waits for the previous one, so a process holds
// at most two buffers' worth of messages.

// batch is one flush on its way to the writer, and back.
type batch struct {
	parts []*part
	start time.Time
	err   error
}

// flush hands the selected partitions (all when sel is nil) to the
// writer, after the previous batch is done.
func (p *pipeline) flush(ctx context.Context, sel func(partKey) bool) error {
	parts := p.sortedParts(sel)
	if len(parts) == 0 {
		return nil
	}
	if err := p.wait(ctx); err != nil {
		return err
	}
	for _, pt := range parts {
		delete(p.parts, pt.key)
		pt.flushing = true
	}
	p.rows, p.bytes, p.oldest = 0, 0, time.Time{}
	for _, pt := range p.parts {
		p.rows += pt.rows.len()
		p.bytes += pt.bytes
		if p.oldest.IsZero() || pt.first.Before(p.oldest) {
			p.oldest = pt.first
		}
	}
	if !p.redelivered {
		p.held = nil
	}
	p.redelivered = false
	p.inflight = &batch{parts: parts, start: time.Now()}
	p.toWriter <- p.inflight
	return nil
}

// wait waits for the batch being written, if any, and settles it. A slow
// write keeps its messages, and the buffered ones, alive meanwhile.
func (p *pipeline) wait(ctx context.Context) error {
	if p.inflight == nil {
		return nil
	}
	t := time.NewTicker(max(p.tick, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case b := <-p.fromWriter:
			return p.settle(b)
		case <-ctx.Done():
			return context.Cause(ctx)
		case now := <-t.C:
			p.keepAlive(now)
		}
	}
}

// poll settles the batch being written if it is done.
func (p *pipeline) poll() error {
	if p.inflight == nil {
		return nil
	}
	select {
	case b := <-p.fromWriter:
		return p.settle(b)
	default:
		return nil
	}
}

// settle forgets a written batch's messages and acks the copies that were
// delivered again while it was being written.
func (p *pipeline) settle(b *batch) error {
	p.inflight = nil
	if b.err != nil {
		return b.err
	}
	for _, pt := range b.parts {
		if p.held != nil {
			for _, s := range pt.seqs {
				delete(p.held, s)
			}
			for _, s := range pt.dropped {
				delete(p.held, s)
			}
		}
		if pt.name != "" {
			p.seen.add(pt.dir, pt.name, pt.written)
		}
		for _, m := range pt.late {
			p.ack(m)
		}
		if k := pt.key.kind; len(p.spare[k]) < maxSpare {
			p.spare[k] = append(p.spare[k], pt)
		}
	}
	if m := p.cfg.Metrics; m != nil {
		m.Flush.Observe(time.Since(b.start).Seconds())
	}
	return nil
}

// writer publishes batches and acks their messages until toWriter closes.
// It has its own view of published files for name conflicts.
func (p *pipeline) writer(ctx context.Context) {
	seen := newWritten(p.stream)
	for b := range p.toWriter {
		for _, pt := range b.parts {
			if err := p.writePart(ctx, seen, pt); err != nil {
				b.err = err
				break
			}
			for _, m := range pt.msgs {
				p.ack(m)
			}
		}
		p.fromWriter <- b
	}
}

// writePart publishes one partition's rows. Another process on the same
// durable may have written some of these messages already (JetStream gave
// them to it after AckWait while this one held them), so under the
// partition's lock, shared by every process on the lake, the rows that a
// published file already holds are dropped, and the rest is published
// before the lock is released.
func (p *pipeline) writePart(ctx context.Context, seen *written, pt *part) error {
	pt.dir = pt.key.dir(p.cfg.Lake)
	if pt.rows.len() == 0 {
		return nil
	}
	if h := p.in.beforePublish; h != nil {
		h(pt.dir, slices.Clone(pt.seqs))
	}
	unlock, err := store.LockDir(pt.dir)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer unlock()
	if err := dropWritten(seen, pt); err != nil {
		return err
	}
	if n := len(pt.dropped); n > 0 {
		p.cfg.Log.Warn("dropped rows another process wrote first", "dir", pt.dir, "rows", n)
		p.in.skipped.Add(int64(n))
		if m := p.cfg.Metrics; m != nil {
			m.Skipped.WithLabelValues(p.stream).Add(float64(n))
		}
	}
	if pt.rows.len() == 0 {
		return nil
	}
	seqs := slices.Clone(pt.seqs)
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	name := fileName(p.stream, seqs)
	meta := parquet.KeyValueMetadata(seqsKey, encodeSeqs(p.stream, seqs))
	res, err := pt.rows.write(ctx, p.cfg.Lake, pt.dir, name, meta)
	if err != nil {
		return fmt.Errorf("ingest %s: %w", filepath.Join(pt.dir, name), err)
	}
	pt.name, pt.written = name, seqs
	if res != store.Unchanged {
		n := int64(pt.rows.len())
		p.in.rows.Add(n)
		p.in.files.Add(1)
		if m := p.cfg.Metrics; m != nil {
			m.Rows.WithLabelValues(pt.key.label()).Add(float64(n))
			m.Files.WithLabelValues(pt.key.label()).Inc()
		}
	}
	return nil
}

// dropWritten removes from pt the rows whose messages a published file in
// its directory already holds. Only files whose names' sequence ranges
// overlap pt's are read, so a batch of new messages costs one listing.
func dropWritten(seen *written, pt *part) error {
	lo, hi := slices.Min(pt.seqs), slices.Max(pt.seqs)
	files, err := seen.overlapping(pt.dir, lo, hi)
	if err != nil || len(files) == 0 {
		return err
	}
	keep := make([]bool, len(pt.seqs))
	for i, s := range pt.seqs {
		keep[i] = true
		for _, f := range files {
			if _, ok := slices.BinarySearch(f, s); ok {
				keep[i] = false
				pt.dropped = append(pt.dropped, s)
				break
			}
		}
	}
	pt.rows.filter(func(i int) bool { return keep[i] })
	pt.seqs = filterSlice(pt.seqs, func(i int) bool { return keep[i] })
	return nil
}
