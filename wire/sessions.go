package wire

import (
	"context"
	"errors"
	"os"

	"github.com/spysql/spysql/engine"
)

// maxSessionsPerClient bounds the DuckDB connections one client may
// hold: DuckDB streams one result per connection, so each suspended
// portal that is still to resume keeps one busy.
const maxSessionsPerClient = 4

// sessionPool is a client's DuckDB connections. The first is opened at
// login; more are opened only when a statement arrives while every
// existing one holds a suspended portal's streaming result, so that
// portal A can stay suspended while portal B or a simple query runs
// (PostgreSQL allows it; JDBC with fetchSize relies on it). A connection
// is free again as soon as its result is exhausted or its portal closed
// (Close, Sync outside a block, COMMIT, ROLLBACK). The connections carry
// no session state of their own: the emulated settings (TimeZone,
// statement_timeout, ...) are applied by the server to whichever
// connection runs a statement.
type sessionPool struct {
	sess []*engine.Session
	used []uint64 // per connection: clock of the last execution on it
	tick uint64
}

// free returns a connection without an open streaming result, opening
// one if all are busy and the bound allows. Beyond the bound it returns
// the connection used least recently: its suspended portal is
// superseded and answers 55000 if resumed, as before connections were
// pooled.
func (c *conn) freeSession(ctx context.Context) (*engine.Session, error) {
	p := &c.pool
	for _, s := range p.sess {
		if !s.Busy() {
			return s, nil
		}
	}
	if len(p.sess) < maxSessionsPerClient {
		s, err := c.srv.db.NewSession(ctx)
		if err != nil {
			return nil, err
		}
		p.sess = append(p.sess, s)
		p.used = append(p.used, 0)
		return s, nil
	}
	oldest := 0
	for i := range p.used {
		if p.used[i] < p.used[oldest] {
			oldest = i
		}
	}
	return p.sess[oldest], nil
}

// touch records that s runs or resumes a statement now.
func (c *conn) touch(s *engine.Session) {
	p := &c.pool
	p.tick++
	for i := range p.sess {
		if p.sess[i] == s {
			p.used[i] = p.tick
		}
	}
}

// stmtFor returns p's DuckDB statement on a free connection: the one it
// was prepared on if that is free, else the same SQL prepared again on
// another (kept in p.alt for the next execution).
func (c *conn) stmtFor(ctx context.Context, p *prepared) (*engine.Stmt, error) {
	if !p.eng.Session().Busy() {
		return p.eng, nil
	}
	s, err := c.freeSession(ctx)
	if err != nil {
		return nil, err
	}
	if s == p.eng.Session() {
		return p.eng, nil
	}
	if st, ok := p.alt[s]; ok {
		return st, nil
	}
	st, err := s.Prepare(ctx, p.engSQL)
	if err != nil {
		return nil, err
	}
	if p.alt == nil {
		p.alt = map[*engine.Session]*engine.Stmt{}
	}
	p.alt[s] = st
	return st, nil
}

// closeSessions closes every connection of the client.
func (c *conn) closeSessions() {
	for _, s := range c.pool.sess {
		if err := s.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
			c.log.Debug("close session", "err", err)
		}
	}
	c.pool = sessionPool{}
}
