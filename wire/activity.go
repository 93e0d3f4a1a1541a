package wire

import (
	"net"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Activity is one live session as pg_stat_activity shows it: who is
// connected, since when, and what it runs now. Server.Activity lists
// them; engine/pgcatalog exposes the list as pg_stat_activity.
type Activity struct {
	// PID is the session's BackendKeyData process id, the one a
	// CancelRequest (pg_cancel_backend) names.
	PID             uint32
	User            string
	ApplicationName string
	ClientAddr      string
	ClientPort      int
	BackendStart    time.Time
	// State is "active", "idle", "idle in transaction" or "idle in
	// transaction (aborted)", as PostgreSQL's.
	State       string
	StateChange time.Time
	// Query is the running statement, or the last one when idle;
	// QueryStart when it started (zero before the first).
	Query      string
	QueryStart time.Time
}

// activity is what a conn records for Activity; its own lock, so that
// listing never waits for a statement.
type activity struct {
	mu          sync.Mutex
	start       time.Time
	state       string
	stateChange time.Time
	query       string
	queryStart  time.Time
	app         string
}

// began marks a session started (registered) with application_name app.
func (a *activity) began(app string, now time.Time) {
	a.mu.Lock()
	a.start, a.state, a.stateChange, a.app = now, "idle", now, app
	a.mu.Unlock()
}

// running marks query running from now; app is the application_name
// the session has now (the settings are the conn goroutine's alone).
func (a *activity) running(query, app string, now time.Time) {
	a.mu.Lock()
	a.state, a.stateChange, a.query, a.queryStart, a.app = "active", now, query, now, app
	a.mu.Unlock()
}

// idle marks the session waiting for the client in transaction state txn.
func (a *activity) idle(txn txnState, now time.Time) {
	s := "idle"
	switch txn {
	case txnBlock:
		s = "idle in transaction"
	case txnFailed:
		s = "idle in transaction (aborted)"
	}
	a.mu.Lock()
	a.state, a.stateChange = s, now
	a.mu.Unlock()
}

// Activity lists the live sessions by process id: the hook behind
// pg_stat_activity.
func (s *Server) Activity() []Activity {
	s.mu.Lock()
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	out := make([]Activity, 0, len(conns))
	for _, c := range conns {
		out = append(out, c.activity())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}

func (c *conn) activity() Activity {
	a := &c.act
	a.mu.Lock()
	defer a.mu.Unlock()
	r := Activity{
		PID: c.key.pid, User: c.user, BackendStart: a.start, State: a.state, StateChange: a.stateChange,
		Query: a.query, QueryStart: a.queryStart, ApplicationName: a.app,
	}
	if host, port, err := net.SplitHostPort(c.nc.RemoteAddr().String()); err == nil {
		r.ClientAddr = host
		r.ClientPort, _ = strconv.Atoi(port)
	}
	return r
}
