package replay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/spysql/spysql/stream/natsutil"
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

// ackTimeout bounds the first wait for the acks of a window. The client
// never times an async publish out itself: a reply lost with a stream
// leader that died or a connection that was replaced would otherwise
// stall the replay. Each further round waits twice as long, up to
// maxAckTimeout, so a slow cluster is not flooded with repeats.
// A publish no round waits for any more leaves the client's books after
// staleAck, longer than any round (see Run).
const (
	ackTimeout    = 5 * time.Second
	maxAckTimeout = 30 * time.Second
	staleAck      = 2 * maxAckTimeout
)

var errNoAck = errors.New("no ack in time")

// drain waits for every pending ack. What failed or had no answer in time
// is published again, asynchronously and all together (the Nats-Msg-Id
// makes a repeat harmless), until everything is stored or Retry has
// passed since the first failure.
func (p *publisher) drain(ctx context.Context) error {
	var deadline time.Time
	wait := ackTimeout
	for len(p.pending) > 0 {
		failed, cause, err := p.collect(ctx, wait)
		if err != nil {
			return err
		}
		p.pending = p.pending[:0]
		if len(failed) == 0 {
			return nil
		}
		now := time.Now()
		if deadline.IsZero() {
			deadline = now.Add(p.cfg.Retry)
		}
		if now.After(deadline) {
			return fmt.Errorf("replay: publish %s: %w", failed[0].Subject, cause)
		}
		p.cfg.Log.Debug("publish again", "messages", len(failed), "err", cause)
		if !natsutil.Sleep(ctx, 200*time.Millisecond) {
			return ctx.Err()
		}
		for _, m := range failed {
			m.Reply = ""
			f, err := p.js.PublishMsgAsync(m)
			if err != nil {
				f = nil // counted as failed by the next collect
			}
			p.pending = append(p.pending, pending{msg: m, ack: f})
		}
		wait = min(2*wait, maxAckTimeout)
	}
	return nil
}

// collect waits up to wait in all for the pending acks and returns the
// messages that failed or had no answer, and the last reason.
func (p *publisher) collect(ctx context.Context, wait time.Duration) ([]*nats.Msg, error, error) {
	t := time.NewTimer(wait)
	defer t.Stop()
	expired := false
	var failed []*nats.Msg
	var cause error
	for _, pd := range p.pending {
		if pd.ack == nil {
			failed, cause = append(failed, pd.msg), errNoAck
			continue
		}
		var err error
		if expired {
			select {
			case <-pd.ack.Ok():
				continue
			case err = <-pd.ack.Err():
			default:
				err = errNoAck
			}
		} else {
			select {
			case <-pd.ack.Ok():
				continue
			case err = <-pd.ack.Err():
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			case <-t.C:
				expired, err = true, errNoAck
			}
		}
		failed, cause = append(failed, pd.msg), err
	}
	return failed, cause, nil
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
		if !natsutil.Sleep(ctx, 200*time.Millisecond) {
			return ctx.Err()
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
