package wire

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// stmtQueue bounds the statements DuckDB runs at once. A statement takes
// a slot for one Execute (a suspended portal gives its slot back until it
// resumes, so no client holds one while it thinks); beyond the slots it
// waits in a queue of bounded length, in arrival order, as long as its
// context lets it (cancel, statement_timeout); with the queue full it is
// refused with 53300 at once and the statements running or queued are
// not touched.
type stmtQueue struct {
	slots    chan struct{}
	maxQueue int

	mu     sync.Mutex
	queued int
	// running mirrors len(slots) for reading without the channel.
	running atomic.Int64
}

func newStmtQueue(active, queue int) *stmtQueue {
	return &stmtQueue{slots: make(chan struct{}, active), maxQueue: queue}
}

// errQueueFull is a statement refused because the queue is full.
type errQueueFull struct{ running, queued int }

func (e errQueueFull) Error() string {
	return fmt.Sprintf("too many statements: %d running and %d waiting, the server's limits (--max-active-statements, --statement-queue)", e.running, e.queued)
}

// acquire takes a slot, waiting in the queue if need be; release gives
// it back. The error is errQueueFull or ctx's.
func (a *stmtQueue) acquire(ctx context.Context) error {
	select {
	case a.slots <- struct{}{}:
		a.running.Add(1)
		return nil
	default:
	}
	a.mu.Lock()
	if a.queued >= a.maxQueue {
		q := a.queued
		a.mu.Unlock()
		return errQueueFull{running: cap(a.slots), queued: q}
	}
	a.queued++
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.queued--
		a.mu.Unlock()
	}()
	select {
	case a.slots <- struct{}{}:
		a.running.Add(1)
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (a *stmtQueue) release() {
	a.running.Add(-1)
	<-a.slots
}

// waiting is the queue's length now.
func (a *stmtQueue) waiting() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.queued
}
