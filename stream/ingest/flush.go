package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/spysql/spysql/engine/store"
)

// flush writes the selected partitions (all when sel is nil), each as one
// file named for its sequence range with the sequences in its footer, and
// acks their messages once the file is durable.
func (p *pipeline) flush(ctx context.Context, sel func(partKey) bool) error {
	parts := p.sortedParts(sel)
	if len(parts) == 0 {
		return nil
	}
	t0 := time.Now()
	for _, pt := range parts {
		if err := p.writePart(ctx, pt); err != nil {
			return err
		}
		for _, m := range pt.msgs {
			p.ack(m)
		}
		delete(p.parts, pt.key)
		for _, s := range pt.seqs {
			delete(p.held, s)
		}
	}
	p.rows, p.bytes, p.oldest = 0, 0, time.Time{}
	for _, pt := range p.parts {
		p.rows += pt.rows.len()
		p.bytes += pt.bytes
		if p.oldest.IsZero() || pt.first.Before(p.oldest) {
			p.oldest = pt.first
		}
	}
	if m := p.cfg.Metrics; m != nil {
		m.Flush.Observe(time.Since(t0).Seconds())
	}
	return nil
}

// writePart publishes one partition's rows. A name already published with
// other rows means another process wrote some of these messages first
// (a redelivery race): those are dropped and the rest written under the
// name of what remains.
func (p *pipeline) writePart(ctx context.Context, pt *part) error {
	dir := pt.key.dir(p.cfg.Lake)
	for attempt := 0; ; attempt++ {
		if pt.rows.len() == 0 {
			return nil
		}
		seqs := slices.Clone(pt.seqs)
		slices.Sort(seqs)
		seqs = slices.Compact(seqs)
		name := fileName(p.stream, seqs)
		meta := parquet.KeyValueMetadata(seqsKey, encodeSeqs(p.stream, seqs))
		res, err := pt.rows.write(ctx, p.cfg.Lake, dir, name, meta)
		if errors.Is(err, store.ErrExists) && attempt < 3 {
			p.cfg.Log.Warn("file exists with other rows; dropping what it holds", "dir", dir, "name", name)
			if err := p.dropWritten(dir, pt); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("ingest %s: %w", filepath.Join(dir, name), err)
		}
		p.seen.add(dir, name, seqs)
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
}

// dropWritten removes from pt the rows whose messages a published file in
// dir already holds.
func (p *pipeline) dropWritten(dir string, pt *part) error {
	keep := make([]bool, len(pt.seqs))
	for i, s := range pt.seqs {
		done, err := p.seen.has(dir, s)
		if err != nil {
			return err
		}
		keep[i] = !done
		if done {
			delete(p.held, s)
		}
	}
	pt.rows.filter(func(i int) bool { return keep[i] })
	pt.seqs = filterSlice(pt.seqs, func(i int) bool { return keep[i] })
	return nil
}
