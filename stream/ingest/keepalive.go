package ingest

import "time"

// A message held longer than AckWait is given again to another process on
// the durable (or to this one), which costs a second decode and, before
// the partition lock settled it, could cost a duplicate. So once a tick,
// the messages of buffered or in-flight parts held for more than half the
// consumer's AckWait are reported in progress, a part at a time, at most
// once per half AckWait: a slow but healthy process keeps its messages.
// Messages still in the client's pull buffer cannot be reached; a stalled
// pipeline leaves them to a redelivery, and the partition lock keeps that
// from doubling a row.

// keepAlive sends InProgress for the old messages held, at most once a
// tick.
func (p *pipeline) keepAlive(now time.Time) {
	if p.in.noKeepAlive || now.Sub(p.lastKeep) < p.tick {
		return
	}
	p.lastKeep = now
	old := now.Add(-p.cfg.AckWait / 2)
	for _, pt := range p.parts {
		p.progress(pt, old, now)
	}
	if p.inflight != nil {
		// The writer only reads msgs; Msg is safe for concurrent use.
		for _, pt := range p.inflight.parts {
			p.progress(pt, old, now)
		}
	}
}

// progress reports pt's messages in progress if they were last reported
// (or arrived) before old.
func (p *pipeline) progress(pt *part, old, now time.Time) {
	since := pt.progressed
	if since.IsZero() {
		since = pt.first
	}
	if since.After(old) {
		return
	}
	pt.progressed = now
	for _, m := range pt.msgs {
		// An error means it was acked meanwhile, or a redelivery follows,
		// which the published files then answer.
		_ = m.InProgress()
	}
	p.in.progressed.Add(int64(len(pt.msgs)))
}
