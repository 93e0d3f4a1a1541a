package wire

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spysql/spysql/engine/pgcatalog"
)

// AuthMode is how clients authenticate.
type AuthMode string

// Authentication modes. There is no default in the type: Config.Auth ""
// means SCRAM, and trust must be asked for.
const (
	AuthSCRAM AuthMode = "scram"
	AuthTrust AuthMode = "trust"
)

// Config configures a Server. Zero fields take the documented defaults.
type Config struct {
	// Auth is AuthSCRAM (default) or AuthTrust.
	Auth AuthMode
	// Users are the SCRAM verifiers (required for AuthSCRAM).
	Users *Users
	// TLS, if set, answers SSLRequest with 'S' and runs TLS.
	TLS *tls.Config
	// MaxConnections bounds concurrent connections (default 100),
	// counted from their first byte, before any startup packet; beyond
	// it clients get 53300 (a few more sockets may wait
	// overflowStartupTimeout to deliver a CancelRequest).
	MaxConnections int
	// StatementTimeout bounds every statement (default 0: none); a
	// session's statement_timeout may lower it, not raise or remove it.
	StatementTimeout time.Duration
	// IdleTimeout closes a session idle that long outside a transaction
	// (default 0: never) with 57P05.
	IdleTimeout time.Duration
	// IdleInTransactionTimeout closes a session idle that long inside a
	// transaction block with 25P03 (default: IdleTimeout; negative: never).
	IdleInTransactionTimeout time.Duration
	// StartupTimeout bounds the startup and authentication exchange
	// (default 10s).
	StartupTimeout time.Duration
	// MaxFieldSize bounds one result value (default and most 1 GB - 1, as
	// PostgreSQL); beyond it the statement fails with 54000.
	MaxFieldSize int
	// ValueMemory bounds the bytes of large result values (1 MiB and up,
	// counted twice: DuckDB's copy and the encoded one) that all sessions
	// hold at once (default 1 GiB); past it a statement fails with 53200.
	ValueMemory int64
	// ClientMemory bounds what spysql holds for one session: result
	// chunks its portals and cursors hold, bound arguments, prepared
	// statements (client_memory.go); past it the statement gets 53200
	// and the session goes on. Default 0: 256 MiB; negative: no limit.
	ClientMemory int64
	// MaxMessageSize bounds one client message (default 16 MiB).
	MaxMessageSize int
	// LoginFailures failed logins from one address within LoginWindow
	// lock that address out for the rest of the window (defaults 5, 1m).
	LoginFailures int
	LoginWindow   time.Duration
	// Version is spysql's version for server_version ("15.0 (spysql X)").
	Version string
	// Logger receives the server's logs (default: discarded).
	Logger *slog.Logger
	// OpsConfig: execution slots, their queue and the slow-statement log.
	OpsConfig
	// NoPointReads runs keyed lookups on Gold datasets in DuckDB too,
	// instead of from the file's page index (default false: point reads
	// on); for comparison and tests.
	NoPointReads bool
}

func (c *Config) fill() error {
	if c.Auth == "" {
		c.Auth = AuthSCRAM
	}
	switch c.Auth {
	case AuthSCRAM:
		if c.Users == nil {
			return errors.New("scram auth needs a users file (spysql passwd)")
		}
	case AuthTrust:
	default:
		return fmt.Errorf("unknown auth mode %q (want scram or trust)", c.Auth)
	}
	if c.MaxConnections <= 0 {
		c.MaxConnections = 100
	}
	if c.IdleInTransactionTimeout == 0 {
		c.IdleInTransactionTimeout = c.IdleTimeout
	}
	if c.StartupTimeout <= 0 {
		c.StartupTimeout = 10 * time.Second
	}
	if c.MaxFieldSize <= 0 || c.MaxFieldSize > maxFieldSize {
		c.MaxFieldSize = maxFieldSize
	}
	if c.ValueMemory <= 0 {
		c.ValueMemory = 1 << 30
	}
	if c.ClientMemory == 0 {
		c.ClientMemory = defaultClientMemory
	}
	if c.MaxMessageSize <= 0 {
		c.MaxMessageSize = 16 << 20
	}
	if c.LoginFailures <= 0 {
		c.LoginFailures = 5
	}
	if c.LoginWindow <= 0 {
		c.LoginWindow = time.Minute
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Server serves the lake of one duck.DB over the PostgreSQL protocol.
type Server struct {
	cfg     Config
	eng     Engine
	ops     *serverOps // execution slots, metrics (statement_ops.go)
	log     *slog.Logger
	limiter *loginLimiter
	gate    statementGate
	values  valueBudget
	// rewrites are engine/pgcatalog's rewrites by statement text.
	rewrites *pgcatalog.RewriteCache

	mu       sync.Mutex
	conns    map[uint32]*conn // by BackendKeyData process id
	sockets  int              // accepted connections, from their first byte
	overflow int              // of which beyond MaxConnections (cancel requests)
	closing  bool
	lns      []net.Listener
	wg       sync.WaitGroup

	pointReads atomic.Int64 // statements answered by a point read
	logins     atomic.Int64 // SCRAM exchanges evaluated (tests)
}

// NewServer serves eng with cfg (its defaults filled in); Close closes
// eng.
func NewServer(eng Engine, cfg Config) (*Server, error) {
	if err := cfg.fill(); err != nil {
		return nil, fmt.Errorf("wire config: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		eng:     eng,
		ops:     newServerOps(cfg.OpsConfig),
		log:     cfg.Logger.With("subsystem", "wire"),
		limiter: newLoginLimiter(cfg.LoginFailures, cfg.LoginWindow),
		values:  valueBudget{limit: cfg.ValueMemory},
		conns:   map[uint32]*conn{},
	}
	s.gate.allowed.entries, s.gate.allowed.maxSQL = gateCacheEntries, gateCacheMaxSQL
	s.rewrites = pgcatalog.NewRewriteCache(rewriteCacheSize)
	if l, ok := eng.(sessionLister); ok {
		l.listSessions(s.Activity)
	}
	return s, nil
}

// sessionLister is an Engine that shows the server's sessions to SQL
// (pg_stat_activity).
type sessionLister interface {
	listSessions(func() []Activity)
}

// Serve accepts connections on ln until ctx ends or Close is called. It
// returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	s.lns = append(s.lns, ln)
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closing := s.closing
			s.mu.Unlock()
			if closing {
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("accept: %w", err)
			}
			// EMFILE, ENFILE, ECONNABORTED, timeouts: the listener is
			// fine, the moment is not. Back off and go on serving.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("accept failed, backing off", "err", err, "backoff", backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
			}
			continue
		}
		backoff = 0
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			nc.Close()
			return nil
		}
		adm := s.admitLocked()
		if adm == admitRefused {
			s.mu.Unlock()
			go refuseConn(nc)
			continue
		}
		// Add under the lock that Close takes, so Wait never races it.
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.leave(adm)
			defer s.wg.Done()
			// A bug reached by one client ends that connection, not the
			// server; serveConn's own defers have run by now.
			defer func() {
				if r := recover(); r != nil {
					s.log.Error("connection panic", "remote", nc.RemoteAddr().String(), "panic", r, "stack", string(debug.Stack()))
					nc.Close()
				}
			}()
			s.serveConn(ctx, nc, adm == admitOverflow)
		}()
	}
}

// Close stops accepting, cancels running statements, closes every client
// connection and waits for their goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.closing = true
	lns := s.lns
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, ln := range lns {
		ln.Close()
	}
	for _, c := range conns {
		c.shutdown()
	}
	s.wg.Wait()
	s.eng.Close()
	return nil
}

// register gives c a unique process id for BackendKeyData.
func (s *Server) register(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	for {
		pid := c.key.pid
		if _, dup := s.conns[pid]; !dup && pid != 0 {
			s.conns[pid] = c
			c.act.began(c.settings.vals["application_name"], time.Now())
			return true
		}
		c.key = newCancelKey()
	}
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	if s.conns[c.key.pid] == c {
		delete(s.conns, c.key.pid)
	}
	s.mu.Unlock()
}

// cancel handles a CancelRequest: the statement running on the session
// with that key, if the secret matches, is interrupted.
func (s *Server) cancel(pid uint32, secret []byte) {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil || !c.key.matches(secret) {
		s.log.Debug("cancel request for unknown key", "pid", pid)
		return
	}
	c.cancelStatement(errUserCancel)
}
