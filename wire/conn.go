package wire

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// txnState is the transaction status ReadyForQuery reports.
type txnState byte

const (
	txnIdle   txnState = 'I'
	txnBlock  txnState = 'T'
	txnFailed txnState = 'E'
)

// flushThreshold is how much row data is buffered before it is written:
// results stream to the socket in pieces of about this size.
const flushThreshold = 64 << 10

// conn is one client connection: its codec, session and protocol state.
type conn struct {
	srv *Server
	nc  net.Conn
	raw net.Conn // the TCP connection under TLS, for clientGone
	be  *pgproto3.Backend
	out []byte
	log *slog.Logger

	user       string
	database   string // the startup packet's, as current_database() answers
	key        cancelKey
	settings   *settings
	pool       sessionPool     // DuckDB connections; see sessions.go
	ctx        context.Context // the connection's life
	cancelConn context.CancelCauseFunc

	mem             clientMemory // what spysql holds for the session
	stmts           map[string]*prepared
	portals         map[string]*portal
	txn             txnState
	savepoints      []string
	ignoreUntilSync bool
	implicitBlock   bool // a Query message of several statements is running
	idleInTxn       bool // the armed idle timeout is the in-transaction one

	mu      sync.Mutex
	current context.CancelCauseFunc // the running statement's
	act     activity                // for pg_stat_activity (activity.go)
}

// serveConn runs one connection from startup to termination.
// An overflow connection (beyond MaxConnections) may only deliver a
// CancelRequest; its startup gets 53300.
func (s *Server) serveConn(ctx context.Context, nc net.Conn, overflow bool) {
	defer nc.Close()
	c := &conn{
		srv: s, nc: nc, raw: nc, log: s.log.With("remote", nc.RemoteAddr().String()),
		stmts: map[string]*prepared{}, portals: map[string]*portal{}, txn: txnIdle,
		key: newCancelKey(),
	}
	c.mem.limit = s.cfg.ClientMemory
	c.ctx, c.cancelConn = context.WithCancelCause(ctx)
	defer c.cancelConn(nil)
	c.be = c.newBackend(nc)
	startupTimeout := s.cfg.StartupTimeout
	if overflow {
		startupTimeout = min(startupTimeout, overflowStartupTimeout)
	}
	nc.SetDeadline(time.Now().Add(startupTimeout))
	startup, err := c.startup()
	if err != nil || startup == nil {
		c.fatal(err)
		return
	}
	if overflow {
		c.fatal(errTooManyConnections())
		return
	}
	if err := c.login(startup); err != nil {
		c.fatal(err)
		return
	}
	if !s.register(c) {
		c.fatal(&pgError{Severity: "FATAL", Code: CodeAdminShutdown, Message: errShutdown.Error()})
		return
	}
	defer s.unregister(c)
	defer c.closeSession()
	nc.SetDeadline(time.Time{})
	c.log.Debug("session started", "user", c.user)
	if err := c.loop(); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		c.log.Debug("session ended", "err", err)
		c.fatal(err)
	}
}

func (c *conn) newBackend(r io.Reader) *pgproto3.Backend {
	be := pgproto3.NewBackend(r, nil)
	be.SetMaxBodyLen(c.srv.cfg.MaxMessageSize)
	return be
}

// startup negotiates SSL/GSS encryption and returns the StartupMessage,
// or nil after a CancelRequest.
func (c *conn) startup() (*pgproto3.StartupMessage, error) {
	tlsDone := false
	for {
		msg, err := c.be.ReceiveStartupMessage()
		if err != nil {
			return nil, fmt.Errorf("startup: %w", err)
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest:
			if c.srv.cfg.TLS == nil || tlsDone {
				if _, err := c.nc.Write([]byte{'N'}); err != nil {
					return nil, err
				}
				continue
			}
			if _, err := c.nc.Write([]byte{'S'}); err != nil {
				return nil, err
			}
			tc := tls.Server(c.nc, c.srv.cfg.TLS)
			if err := tc.HandshakeContext(c.ctx); err != nil {
				return nil, fmt.Errorf("tls handshake: %w", err)
			}
			c.nc, c.be, tlsDone = tc, c.newBackend(tc), true
		case *pgproto3.GSSEncRequest:
			if _, err := c.nc.Write([]byte{'N'}); err != nil {
				return nil, err
			}
		case *pgproto3.CancelRequest:
			c.srv.cancel(m.ProcessID, m.SecretKey)
			return nil, nil
		case *pgproto3.StartupMessage:
			var unknown []string
			for k := range m.Parameters {
				if strings.HasPrefix(k, "_pq_.") {
					unknown = append(unknown, k)
				}
			}
			if m.ProtocolVersion != pgproto3.ProtocolVersion30 || len(unknown) > 0 {
				c.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknown})
			}
			return m, nil
		default:
			return nil, &pgError{Severity: "FATAL", Code: CodeProtocolViolation, Message: fmt.Sprintf("unexpected startup message %T", msg)}
		}
	}
}

// login authenticates, opens the DuckDB session and sends the greeting:
// AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery.
func (c *conn) login(m *pgproto3.StartupMessage) error {
	c.user = m.Parameters["user"]
	if c.user == "" {
		return &pgError{Severity: "FATAL", Code: CodeInvalidAuthorization, Message: "no PostgreSQL user name specified in startup packet"}
	}
	c.database = m.Parameters["database"]
	if c.database == "" {
		c.database = c.user
	}
	if err := c.authenticate(c.user); err != nil {
		return err
	}
	params := map[string]string{}
	for k, v := range m.Parameters {
		switch k {
		case "user", "database", "options", "replication":
		default:
			params[k] = v
		}
	}
	st, err := newSettings(map[string]string{
		"server_version":        "15.0 (spysql " + c.srv.cfg.Version + ")",
		"session_authorization": c.user,
	}, params)
	if err != nil {
		var pe *pgError
		if errors.As(err, &pe) {
			pe.Severity = "FATAL"
		}
		return err
	}
	c.settings = st
	if _, err := c.freeSession(c.ctx); err != nil {
		return &pgError{Severity: "FATAL", Code: CodeInternalError, Message: err.Error()}
	}
	c.send(&pgproto3.AuthenticationOk{})
	for _, name := range c.settings.reported() {
		c.send(&pgproto3.ParameterStatus{Name: name, Value: c.settings.vals[name]})
	}
	c.send(&pgproto3.BackendKeyData{ProcessID: c.key.pid, SecretKey: c.key.secret[:]})
	return c.ready()
}

// loop reads and dispatches messages until Terminate or an I/O error.
func (c *conn) loop() error {
	for {
		if err := c.armIdleTimeout(); err != nil {
			return err
		}
		msg, err := c.be.Receive()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return c.idleTimeoutError()
			}
			var tooBig *pgproto3.ExceededMaxBodyLenErr
			if errors.As(err, &tooBig) {
				return &pgError{Severity: "FATAL", Code: CodeProtocolViolation, Message: fmt.Sprintf("message too large (%d bytes)", tooBig.ActualBodyLen)}
			}
			if malformedMessage(err) {
				// The message was read whole, only its body is wrong:
				// report it and skip to Sync, as PostgreSQL does.
				c.send(errorf(CodeProtocolViolation, "invalid message format: %v", err).response())
				if err := c.flush(); err != nil {
					return err
				}
				c.ignoreUntilSync = true
				continue
			}
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return io.EOF
			}
			if c.ctx.Err() != nil {
				return context.Cause(c.ctx)
			}
			return &pgError{Severity: "FATAL", Code: CodeProtocolViolation, Message: err.Error()}
		}
		c.nc.SetReadDeadline(time.Time{})
		if c.ignoreUntilSync {
			switch msg.(type) {
			case *pgproto3.Sync:
			case *pgproto3.Flush:
				// The error is already buffered: a client that sent Parse
				// and Flush (asyncpg) waits for it before sending Sync.
			case *pgproto3.Terminate:
				return nil
			default:
				continue
			}
		}
		if err := c.dispatch(msg); err != nil {
			return err
		}
	}
}

// malformedMessage reports whether Receive's error is a message body
// that does not decode (the stream is still in step): pgproto3 returns
// io.EOF itself only from a body's decoder, since it turns a connection's
// EOF into io.ErrUnexpectedEOF, and its decoders' own errors say "body".
func malformedMessage(err error) bool {
	if err == io.EOF {
		return true
	}
	s := err.Error()
	return strings.Contains(s, " body is invalid") || strings.Contains(s, " body must have length")
}

// armIdleTimeout sets a read deadline when the session is idle outside
// a transaction and an idle timeout is configured.
// In a transaction block the idle-in-transaction timeout applies
// instead (PostgreSQL's idle_in_transaction_session_timeout), so BEGIN
// does not lift the limit.
func (c *conn) armIdleTimeout() error {
	d := c.srv.cfg.IdleTimeout
	c.idleInTxn = c.txn != txnIdle
	if c.idleInTxn {
		d = c.srv.cfg.IdleInTransactionTimeout
	}
	if d <= 0 || len(c.out) > 0 {
		return nil
	}
	return c.nc.SetReadDeadline(time.Now().Add(d))
}

// idleTimeoutError is the FATAL error of an idle timeout that fired.
func (c *conn) idleTimeoutError() *pgError {
	if c.idleInTxn {
		return &pgError{Severity: "FATAL", Code: CodeIdleInTransactionTimeout, Message: "terminating connection due to idle-in-transaction timeout"}
	}
	return &pgError{Severity: "FATAL", Code: CodeIdleSessionTimeout, Message: "terminating connection due to idle-session timeout"}
}

// dispatch handles one message. Only connection-fatal errors are
// returned; statement errors are reported to the client.
func (c *conn) dispatch(msg pgproto3.FrontendMessage) error {
	switch m := msg.(type) {
	case *pgproto3.Query:
		// Active from the moment the query arrives, as in PostgreSQL:
		// preparing it may read pg_stat_activity.
		c.act.running(m.String, c.settings.vals["application_name"], time.Now())
		defer c.act.idle(c.txn, time.Now())
		return c.handleQuery(m.String)
	case *pgproto3.Parse:
		c.act.running(m.Query, c.settings.vals["application_name"], time.Now())
		defer c.act.idle(c.txn, time.Now())
		return c.extended(c.handleParse(m))
	case *pgproto3.Bind:
		return c.extended(c.handleBind(m))
	case *pgproto3.Describe:
		return c.extended(c.handleDescribe(m))
	case *pgproto3.Execute:
		return c.extended(c.handleExecute(m))
	case *pgproto3.Close:
		return c.extended(c.handleClose(m))
	case *pgproto3.Sync:
		return c.handleSync()
	case *pgproto3.Flush:
		return c.flush()
	case *pgproto3.Terminate:
		return io.EOF
	case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		return nil // not in COPY IN: ignored, as PostgreSQL does
	case *pgproto3.FunctionCall:
		return c.extended(errorf(CodeFeatureNotSupported, "function call protocol is not supported"))
	}
	return &pgError{Severity: "FATAL", Code: CodeProtocolViolation, Message: fmt.Sprintf("unexpected message %T", msg)}
}

// extended reports an extended-protocol error and skips to Sync.
func (c *conn) extended(err error) error {
	if err == nil {
		return nil
	}
	if fatal := c.statementFailed(err); fatal != nil {
		return fatal
	}
	c.ignoreUntilSync = true
	return nil
}

// statementFailed sends the error and fails an open transaction block;
// it returns the error again if it ends the connection.
func (c *conn) statementFailed(err error) error {
	pe := toPGError(err)
	if pe.Severity == "FATAL" {
		return pe
	}
	c.send(pe.response())
	if c.txn == txnBlock {
		c.txn = txnFailed
	}
	return nil
}

// send buffers a message.
func (c *conn) send(msg pgproto3.BackendMessage) {
	out, err := msg.Encode(c.out)
	if err != nil {
		// Only malformed messages fail to encode; report instead.
		c.log.Error("encode message", "type", fmt.Sprintf("%T", msg), "err", err)
		return
	}
	c.out = out
}

// flush writes the buffered messages.
func (c *conn) flush() error {
	if len(c.out) == 0 {
		return nil
	}
	_, err := c.nc.Write(c.out)
	if cap(c.out) > 4*flushThreshold {
		c.out = make([]byte, 0, flushThreshold)
	} else {
		c.out = c.out[:0]
	}
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// ready sends ReadyForQuery and flushes.
func (c *conn) ready() error {
	c.send(&pgproto3.ReadyForQuery{TxStatus: byte(c.txn)})
	return c.flush()
}

// fatal sends a FATAL error (best effort) before the connection closes.
func (c *conn) fatal(err error) {
	if err == nil {
		c.flush()
		return
	}
	var pe *pgError
	if !errors.As(err, &pe) {
		c.log.Debug("connection error", "err", err)
		return
	}
	pe.Severity = "FATAL"
	c.send(pe.response())
	c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	c.flush()
}

func (c *conn) remoteIP() string {
	host, _, err := net.SplitHostPort(c.nc.RemoteAddr().String())
	if err != nil {
		return c.nc.RemoteAddr().String()
	}
	return host
}

// cancelStatement interrupts the running statement, if any.
func (c *conn) cancelStatement(cause error) {
	c.mu.Lock()
	cancel := c.current
	c.mu.Unlock()
	if cancel != nil {
		cancel(cause)
	}
}

// shutdown ends the connection from another goroutine (server Close).
func (c *conn) shutdown() {
	c.cancelStatement(errShutdown)
	c.cancelConn(errShutdown)
	c.nc.SetDeadline(time.Now().Add(-time.Second))
	if _, ok := c.nc.(*tls.Conn); !ok {
		c.nc.Close()
	}
}

func (c *conn) closeSession() {
	c.closeAllPrepared()
	c.closeSessions()
}
