package natsutil

import (
	"context"
	"testing"
	"time"
)

// Sleep reports a full wait, and a wait cut short by the context, which
// it never outlasts (an hour's wait ends at the cancel).
func TestSleep(t *testing.T) {
	for _, c := range []struct {
		name   string
		d      time.Duration
		cancel func(context.CancelFunc) // nil: never cancelled
		want   bool
	}{
		{"full wait", time.Millisecond, nil, true},
		{"done before", time.Hour, func(cancel context.CancelFunc) { cancel() }, false},
		{"done during", time.Hour, func(cancel context.CancelFunc) { go cancel() }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.cancel != nil {
				c.cancel(cancel)
			}
			start := time.Now()
			if got := Sleep(ctx, c.d); got != c.want {
				t.Errorf("Sleep(%s) = %v, want %v", c.d, got, c.want)
			}
			if c.want && time.Since(start) < c.d {
				t.Errorf("full wait returned after %s, before %s", time.Since(start), c.d)
			}
		})
	}
}
