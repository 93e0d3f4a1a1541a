package wire

import (
	"context"
	"errors"
	"time"
)

// errClientGone is the cause of a statement interrupted because its
// client closed the connection.
var errClientGone = errors.New("terminating statement: the client closed the connection")

// clientPollInterval is how often a running statement's socket is
// checked for a closed client.
const clientPollInterval = 100 * time.Millisecond

// watchClient interrupts the running statement (cancel) when the client
// closes its connection while the statement runs, so that a killed
// client does not leave a statement holding its slot and CPU. The
// returned stop must be called when the statement ends.
func (c *conn) watchClient(cancel context.CancelCauseFunc) (stop func()) {
	if c.raw == nil {
		return func() {}
	}
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(clientPollInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if peerClosed(c.raw) {
					c.log.Debug("client closed the connection during a statement")
					cancel(errClientGone)
					c.cancelConn(errClientGone)
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}
