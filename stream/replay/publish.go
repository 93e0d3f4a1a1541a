package replay

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// publish sends m asynchronously; every Window messages it waits for the
// acks and resends what failed.
func (p *publisher) publish(ctx context.Context, m *nats.Msg) error {
	f, err := p.js.PublishMsgAsync(m)
	if err != nil {
		if err := p.drain(ctx); err != nil {
			return err
		}
		if f, err = p.js.PublishMsgAsync(m); err != nil {
			return p.retry(ctx, m, err)
		}
	}
	p.pending = append(p.pending, pending{msg: m, ack: f})
	if len(p.pending) >= p.cfg.Window {
		return p.drain(ctx)
	}
	return nil
}

// drain waits for every pending ack; failed publishes are sent again one
// by one (the Nats-Msg-Id makes a repeat harmless).
func (p *publisher) drain(ctx context.Context) error {
	for _, pd := range p.pending {
		select {
		case <-pd.ack.Ok():
		case err := <-pd.ack.Err():
			if err := p.retry(ctx, pd.msg, err); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.pending = p.pending[:0]
	return nil
}

// retry publishes m synchronously until it is stored or Retry has passed.
func (p *publisher) retry(ctx context.Context, m *nats.Msg, cause error) error {
	deadline := time.Now().Add(p.cfg.Retry)
	for {
		p.cfg.Log.Debug("publish retry", "subject", m.Subject, "err", cause)
		m.Reply = ""
		if time.Now().After(deadline) {
			return fmt.Errorf("replay: publish %s: %w", m.Subject, cause)
		}
		t := time.NewTimer(200 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := p.js.PublishMsg(pctx, m)
		cancel()
		if err == nil {
			return nil
		}
		cause = err
	}
}
