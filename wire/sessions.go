package wire

import (
	"context"
	"errors"
	"os"
	"strings"
)

// maxSessionsPerClient bounds the DuckDB connections one client may
// hold: DuckDB streams one result per connection, so each suspended
// portal that is still to resume keeps one busy. PostgreSQL has no such
// bound; 16 open cursors at once is beyond what drivers do (JDBC's
// fetchSize opens one per live ResultSet).
const maxSessionsPerClient = 16

// sessionPool is a client's DuckDB connections. The first is opened at
// login; more are opened only when a statement arrives while every
// existing one holds a suspended portal's streaming result, so that
// portal A can stay suspended while portal B or a simple query runs
// (PostgreSQL allows it; JDBC with fetchSize relies on it). A connection
// is free again as soon as its result is exhausted or its portal closed
// (Close, Sync outside a block, COMMIT, ROLLBACK). The emulated settings
// (TimeZone, statement_timeout, ...) are applied by the server to
// whichever connection runs a statement; the one setting DuckDB itself
// must know, search_path, is set on a connection before it prepares or
// runs anything whenever the client's value differs from the one the
// connection has.
type sessionPool struct {
	sess  []EngineConn
	used  []uint64 // per connection: clock of the last execution on it
	paths []string // per connection: the search_path it resolves names with
	tick  uint64
}

// defaultPath is a new connection's search path: DuckDB's default,
// which is what PostgreSQL's default ("$user", public) resolves to here,
// the lake having neither a public schema nor one per user.
var defaultPath = pathKey(parseSearchPath(`"$user", public`))

// free returns a connection without an open streaming result, opening
// one if all are busy and the bound allows. Beyond the bound it returns
// the connection used least recently: its suspended portal is
// superseded and answers 55000 if resumed, as before connections were
// pooled.
func (c *conn) freeSession(ctx context.Context) (EngineConn, error) {
	p := &c.pool
	for _, s := range p.sess {
		if !s.Busy() {
			return s, c.syncSession(ctx, s)
		}
	}
	if len(p.sess) < maxSessionsPerClient {
		s, err := c.srv.eng.Open(ctx)
		if err != nil {
			return nil, err
		}
		if err := s.SetIdentity(ctx, c.user, c.database, c.srv.cfg.Version, int32(c.key.pid)); err != nil {
			s.Close()
			return nil, err
		}
		p.sess = append(p.sess, s)
		p.used = append(p.used, 0)
		p.paths = append(p.paths, defaultPath)
		return s, c.syncSession(ctx, s)
	}
	oldest := 0
	for i := range p.used {
		if p.used[i] < p.used[oldest] {
			oldest = i
		}
	}
	return p.sess[oldest], c.syncSession(ctx, p.sess[oldest])
}

// syncSession gives s the client's search_path, if it has another.
func (c *conn) syncSession(ctx context.Context, s EngineConn) error {
	want := parseSearchPath(c.settings.vals["search_path"])
	key := pathKey(want)
	for i := range c.pool.sess {
		if c.pool.sess[i] != s || c.pool.paths[i] == key {
			continue
		}
		if err := s.SetSearchPath(ctx, want); err != nil {
			return err
		}
		c.pool.paths[i] = key
	}
	return nil
}

// parseSearchPath reads PostgreSQL's search_path: schema names separated
// by commas, double-quoted ones as written, others lower-cased. "$user"
// is left out: the lake has no schema per user.
func parseSearchPath(v string) []string {
	var names []string
	for len(v) > 0 {
		v = strings.TrimLeft(v, " \t\n")
		name := ""
		if strings.HasPrefix(v, `"`) {
			i := 1
			for i < len(v) {
				if v[i] == '"' {
					if i+1 < len(v) && v[i+1] == '"' {
						name += `"`
						i += 2
						continue
					}
					break
				}
				name += v[i : i+1]
				i++
			}
			v = v[min(i+1, len(v)):]
		} else {
			end := strings.IndexByte(v, ',')
			if end < 0 {
				end = len(v)
			}
			name, v = strings.ToLower(strings.TrimSpace(v[:end])), v[end:]
		}
		if i := strings.IndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		} else {
			v = ""
		}
		if name != "" && name != "$user" {
			names = append(names, name)
		}
	}
	return names
}

func pathKey(names []string) string { return strings.Join(names, "\x00") }

// touch records that s runs or resumes a statement now.
func (c *conn) touch(s EngineConn) {
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
func (c *conn) stmtFor(ctx context.Context, p *prepared) (EngineStmt, error) {
	if s := p.eng.Conn(); !s.Busy() {
		return p.eng, c.syncSession(ctx, s)
	}
	s, err := c.freeSession(ctx)
	if err != nil {
		return nil, err
	}
	if s == p.eng.Conn() {
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
		p.alt = map[EngineConn]EngineStmt{}
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
