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

// ackTimeout bounds the wait for the ack of an async publish. The client
// never times one out itself: a reply lost with a stream leader that died
// or a connection that was replaced would otherwise stall the replay.
const ackTimeout = 5 * time.Second

// drain waits for every pending ack; failed publishes, and those without
// an answer within ackTimeout, are sent again one by one (the Nats-Msg-Id
// makes a repeat harmless).
func (p *publisher) drain(ctx context.Context) error {
	t := time.NewTimer(ackTimeout)
	defer t.Stop()
	expired := false
	for _, pd := range p.pending {
		var cause error
		if expired {
			select {
			case <-pd.ack.Ok():
				continue
			case cause = <-pd.ack.Err():
			default:
				cause = errNoAck
			}
		} else {
			select {
			case <-pd.ack.Ok():
				continue
			case cause = <-pd.ack.Err():
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				expired, cause = true, errNoAck
			}
		}
		if err := p.resend(ctx, pd.msg, cause); err != nil {
			return err
		}
	}
	p.pending = p.pending[:0]
	return nil
}

var errNoAck = fmt.Errorf("no ack within %s", ackTimeout)

// resend publishes m synchronously at once, then by retry.
func (p *publisher) resend(ctx context.Context, m *nats.Msg, cause error) error {
	m.Reply = ""
	pctx, cancel := context.WithTimeout(ctx, ackTimeout)
	_, err := p.js.PublishMsg(pctx, m)
	cancel()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	p.cfg.Log.Debug("publish resend", "subject", m.Subject, "cause", cause, "err", err)
	return p.retry(ctx, m, err)
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
		pctx, cancel := context.WithTimeout(ctx, ackTimeout)
		_, err := p.js.PublishMsg(pctx, m)
		cancel()
		if err == nil {
			return nil
		}
		cause = err
	}
}
