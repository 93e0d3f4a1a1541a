package wire

import (
	"net"
	"time"
)

// admission is how an accepted socket counts against MaxConnections.
type admission int

const (
	// admitSession: one of the MaxConnections slots, held from the
	// socket's first byte (before any startup packet) until it closes.
	admitSession admission = iota
	// admitOverflow: beyond MaxConnections, within a small reserve kept
	// so that a CancelRequest still gets through to a full server; it
	// gets overflowStartupTimeout to send one, else 53300.
	admitOverflow
	// admitRefused: beyond the reserve too; 53300 without reading.
	admitRefused
)

// overflowStartupTimeout bounds how long an overflow socket may take to
// send its CancelRequest or startup packet.
const overflowStartupTimeout = time.Second

// overflowReserve is how many sockets beyond MaxConnections may wait for
// their startup packet (to deliver cancel requests).
func (s *Server) overflowReserve() int { return max(4, s.cfg.MaxConnections/8) }

// admitLocked counts a new socket; s.mu is held.
func (s *Server) admitLocked() admission {
	switch {
	case s.sockets < s.cfg.MaxConnections:
		s.sockets++
		return admitSession
	case s.overflow < s.overflowReserve():
		s.overflow++
		return admitOverflow
	}
	return admitRefused
}

// leave uncounts a socket when it closes.
func (s *Server) leave(a admission) {
	s.mu.Lock()
	if a == admitSession {
		s.sockets--
	} else {
		s.overflow--
	}
	s.mu.Unlock()
}

// errTooManyConnections is PostgreSQL's answer to one connection too many.
func errTooManyConnections() *pgError {
	return &pgError{Severity: "FATAL", Code: CodeTooManyConnections, Message: "sorry, too many clients already"}
}

// refuseConn answers a socket beyond every limit with 53300 and closes it,
// without reading from it (as PostgreSQL's postmaster does when full).
func refuseConn(nc net.Conn) {
	defer nc.Close()
	nc.SetWriteDeadline(time.Now().Add(overflowStartupTimeout))
	if msg, err := errTooManyConnections().response().Encode(nil); err == nil {
		nc.Write(msg)
	}
}
