package natsutil

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx is done; it reports whether the whole wait
// passed. The retry and pacing loops of the live path wait with it.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
