package wire

import (
	"context"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/spysql/spysql/engine/session"
)

// portal is a bound statement ready to run, possibly suspended midway
// through its rows (Execute with a row limit).
type portal struct {
	name    string
	p       *prepared
	args    []session.Arg
	formats []int16 // Bind's result format codes (0, 1 or one per column)

	ctx    context.Context
	cancel context.CancelCauseFunc
	rows   Result
	sess   EngineConn // the connection rows stream from (nil for a point read)
	enc    []encodeFunc
	vecs   []*session.Vector
	chunk  *session.Chunk
	pos    int
	emu    *emulatedResult
	emuPos int

	started, done bool
	hold          bool // a cursor WITH HOLD: outlives its transaction

	// mem is the session's account of chunkBytes (the chunk held) and
	// argBytes (the bound arguments and the portal itself), once charged.
	mem                  *clientMemory
	chunkBytes, argBytes int64
}

func (pt *portal) close() {
	if pt.mem != nil {
		pt.mem.release(pt.chunkBytes + pt.argBytes)
		pt.chunkBytes, pt.argBytes = 0, 0
	}
	if pt.rows != nil {
		pt.rows.Close()
		pt.rows = nil
	}
	if pt.cancel != nil {
		pt.cancel(nil)
	}
	if pt.p != nil {
		pt.p.release()
		pt.p = nil
	}
}

// formatOf applies the 0/1/N rule for column i.
func formatOf(formats []int16, i int) int16 {
	switch len(formats) {
	case 0:
		return 0
	case 1:
		return formats[0]
	}
	return formats[i]
}

// rowFields is the RowDescription of a portal's result.
func (pt *portal) rowFields() []pgproto3.FieldDescription {
	f := make([]pgproto3.FieldDescription, len(pt.p.fields))
	copy(f, pt.p.fields)
	for i := range f {
		f[i].Format = formatOf(pt.formats, i)
	}
	return f
}

// allowedInFailed: only these statements run in an aborted transaction.
func allowedInFailed(k stmtKind) bool {
	return k == stmtCommit || k == stmtRollback || k == stmtRollbackTo
}

// runPortal runs or resumes pt, sending at most maxRows rows (0: all),
// then CommandComplete or PortalSuspended. With describe (the simple
// protocol) it sends RowDescription first. execPortal (statement_ops.go)
// wraps it.
func (c *conn) runPortal(pt *portal, maxRows int, describe bool) error {
	if c.txn == txnFailed && !allowedInFailed(pt.p.st.kind) {
		return errorf(CodeInFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if pt.done && pt.emu != nil {
		c.send(&pgproto3.CommandComplete{CommandTag: []byte(pt.emu.tag)})
		return nil
	}
	if pt.done {
		// An exhausted portal returns no more rows.
		c.send(&pgproto3.CommandComplete{CommandTag: []byte(queryTag(pt.p.st.tag, 0))})
		return nil
	}
	if pt.p.st.kind == stmtCopyOut {
		return c.execCopyOut(pt)
	}
	if isCursorKind(pt.p.st.kind) {
		return c.execCursorStmt(pt, describe)
	}
	if pt.p.st.kind != stmtQuery {
		return c.execEmulated(pt, maxRows, describe)
	}
	defer c.watchClient(c.portalContext(pt))()
	if !pt.started {
		if err := c.startQuery(pt); err != nil {
			pt.done = true
			return err
		}
		if err := c.applySetConfigs(pt.p.setConfigs); err != nil {
			pt.done = true
			pt.rows.Close()
			return err
		}
		if describe {
			c.send(&pgproto3.RowDescription{Fields: pt.rowFields()})
		}
	}
	c.touch(pt.sess)
	c.setCurrent(pt.cancel)
	defer c.setCurrent(nil)
	if d := c.statementTimeout(); d > 0 {
		t := time.AfterFunc(d, func() { pt.cancel(errStatementTimeout) })
		defer t.Stop()
	}
	sent, suspended, err := c.streamRows(pt, maxRows)
	if err != nil {
		pt.done = true
		pt.rows.Close()
		return err
	}
	if suspended {
		c.send(&pgproto3.PortalSuspended{})
		return nil
	}
	pt.done = true
	pt.rows.Close()
	// As PostgreSQL: the count is of the rows this Execute returned.
	c.send(&pgproto3.CommandComplete{CommandTag: []byte(queryTag(pt.p.st.tag, int64(sent)))})
	return nil
}

// portalContext gives the portal its statement context, once, and
// returns its cancel function (for watchClient).
func (c *conn) portalContext(pt *portal) context.CancelCauseFunc {
	if pt.ctx == nil {
		pt.ctx, pt.cancel = context.WithCancelCause(c.ctx)
	}
	return pt.cancel
}

// startQuery starts the portal's execution (openRows) under the
// statement's context and timeout, and picks encoders for the result's
// columns and formats.
func (c *conn) startQuery(pt *portal) error {
	pt.started = true
	c.portalContext(pt)
	c.log.Debug("statement started")
	if err := c.srv.eng.Sync(pt.ctx); err != nil {
		c.log.Warn("refresh lake views", "err", err)
	}
	c.setCurrent(pt.cancel)
	var stop func() bool
	if d := c.statementTimeout(); d > 0 {
		t := time.AfterFunc(d, func() { pt.cancel(errStatementTimeout) })
		stop = t.Stop
	}
	rows, err := c.openRows(pt)
	if stop != nil {
		stop()
	}
	c.setCurrent(nil)
	if err != nil {
		return err
	}
	pt.rows = rows
	return c.setEncoders(pt)
}

// openRows starts the portal's execution: a point read where the engine
// can answer one, else DuckDB's streaming execution.
func (c *conn) openRows(pt *portal) (Result, error) {
	if pt.p.point != nil {
		if rows, ok, err := c.pointRows(pt); ok || err != nil {
			return rows, err
		}
	}
	eng, err := c.stmtFor(pt.ctx, pt.p)
	if err != nil {
		return nil, err
	}
	pt.sess = eng.Conn()
	c.touch(pt.sess)
	return eng.Execute(pt.ctx, pt.args)
}

// setEncoders picks encoders for the result's columns and formats.
func (c *conn) setEncoders(pt *portal) error {
	cols := pt.rows.Columns()
	if len(cols) != len(pt.p.fields) {
		return errorf(CodeInternalError, "result has %d columns, %d were described", len(cols), len(pt.p.fields))
	}
	es := encodeSettings{loc: c.settings.location()}
	pt.enc = make([]encodeFunc, len(cols))
	pt.vecs = make([]*session.Vector, len(cols))
	for i, col := range cols {
		var enc encodeFunc
		var err error
		if formatOf(pt.formats, i) == 1 {
			enc, err = binaryEncoder(col.Type)
		} else {
			enc, err = textEncoder(col.Type, es)
		}
		if err != nil {
			return errorf(CodeFeatureNotSupported, "column %q: %v", col.Name, err)
		}
		pt.enc[i] = enc
	}
	return nil
}

// streamRows encodes rows straight from DuckDB's vectors into DataRow
// messages, flushing every flushThreshold bytes, so memory stays flat
// and the first rows reach the client while DuckDB still works.
func (c *conn) streamRows(pt *portal, maxRows int) (sent int, suspended bool, err error) {
	ncol := len(pt.enc)
	var splices []splice
	for {
		if pt.chunk == nil || pt.pos >= pt.chunk.Len() {
			ch, err := pt.rows.Next()
			if err == nil {
				err = c.holdChunk(pt, ch, ncol)
			}
			if err != nil {
				pt.chunk = nil
				c.holdChunk(pt, nil, 0)
				return sent, false, err
			}
			if ch == nil {
				pt.chunk = nil
				return sent, false, nil
			}
			pt.chunk, pt.pos = ch, 0
			for j := range ncol {
				pt.vecs[j] = ch.Column(j)
			}
		}
		n := pt.chunk.Len()
		for ; pt.pos < n; pt.pos++ {
			if maxRows > 0 && sent >= maxRows {
				return sent, true, nil
			}
			i := pt.pos
			out := c.out
			start := len(out)
			out = append(out, 'D', 0, 0, 0, 0, byte(ncol>>8), byte(ncol))
			var big int64 // bytes reserved for large values in this row
			spliced := 0  // bytes of the row sent from DuckDB's memory
			splices = splices[:0]
			for j, v := range pt.vecs {
				if !v.Valid(i) {
					out = append(out, 0xff, 0xff, 0xff, 0xff)
					continue
				}
				n, verbatim, err := c.checkValue(v, i, formatOf(pt.formats, j))
				if err != nil {
					c.srv.values.release(big)
					return sent, false, err
				}
				big += n
				if verbatim {
					b := v.Bytes(i)
					out = be.AppendUint32(out, uint32(len(b)))
					splices = append(splices, splice{at: len(out), data: b})
					spliced += len(b)
					continue
				}
				at := len(out)
				out = append(out, 0, 0, 0, 0)
				out = pt.enc[j](out, v, i)
				if n := len(out) - at - 4; n > c.srv.cfg.MaxFieldSize {
					c.srv.values.release(big)
					return sent, false, fieldTooLong(n, c.srv.cfg.MaxFieldSize)
				}
				be.PutUint32(out[at:], uint32(len(out)-at-4))
			}
			if n := len(out) - start - 1 + spliced; n > math.MaxInt32 {
				c.srv.values.release(big)
				return sent, false, fieldTooLong(n, math.MaxInt32)
			}
			be.PutUint32(out[start+1:], uint32(len(out)-start-1+spliced))
			c.out = out
			sent++
			if big > 0 {
				// A row with large values goes out now (spliced values
				// are only valid until the next chunk), and its
				// reservation ends once it is written.
				var err error
				if len(splices) > 0 {
					err = c.flushSplices(splices)
				} else {
					err = c.flush()
				}
				c.srv.values.release(big)
				if err != nil {
					return sent, false, err
				}
			}
			if len(c.out) >= flushThreshold {
				if err := c.flush(); err != nil {
					return sent, false, err
				}
			}
		}
	}
}

// queryTag is the CommandComplete tag of a query that returned n rows.
func queryTag(verb string, n int64) string {
	switch verb {
	case "SELECT", "SHOW", "":
		// DuckDB's SHOW TABLES and friends are queries.
		return "SELECT " + strconv.FormatInt(n, 10)
	}
	return verb
}

// execEmulated runs a statement the server answers itself.
func (c *conn) execEmulated(pt *portal, maxRows int, describe bool) error {
	if !pt.started {
		pt.started = true
		res, err := c.runEmulated(pt.p.st)
		if err != nil {
			pt.done = true
			return err
		}
		pt.emu = res
		if describe && res.cols != nil {
			c.send(&pgproto3.RowDescription{Fields: textFields(res.cols)})
		}
		for _, name := range res.changed {
			c.send(&pgproto3.ParameterStatus{Name: name, Value: c.settings.vals[name]})
		}
	}
	res := pt.emu
	sent := 0
	for ; pt.emuPos < len(res.rows); pt.emuPos++ {
		if maxRows > 0 && sent >= maxRows {
			c.send(&pgproto3.PortalSuspended{})
			return nil
		}
		vals := make([][]byte, len(res.rows[pt.emuPos]))
		for i, v := range res.rows[pt.emuPos] {
			vals[i] = []byte(v)
		}
		c.send(&pgproto3.DataRow{Values: vals})
		sent++
	}
	pt.done = true
	c.send(&pgproto3.CommandComplete{CommandTag: []byte(res.tag)})
	return nil
}

// runEmulated dispatches transaction control and settings statements.
func (c *conn) runEmulated(st statement) (*emulatedResult, error) {
	switch st.kind {
	case stmtBegin, stmtCommit, stmtRollback, stmtSavepoint, stmtRelease, stmtRollbackTo:
		return c.execTransaction(st)
	case stmtSet:
		return c.execSet(st)
	case stmtShow:
		return c.execShow(st)
	case stmtReset:
		return c.execReset(st)
	case stmtDiscard:
		return c.execDiscard(st)
	}
	return nil, errorf(CodeInternalError, "statement kind %d cannot be emulated", st.kind)
}

// statementContext is the context a statement is prepared under: until
// end is called, it is the statement that a CancelRequest, the
// statement_timeout timer and shutdown cancel, as startQuery's is while
// it runs.
func (c *conn) statementContext() (ctx context.Context, end func()) {
	ctx, cancel := context.WithCancelCause(c.ctx)
	c.setCurrent(cancel)
	var t *time.Timer
	if d := c.statementTimeout(); d > 0 {
		t = time.AfterFunc(d, func() { cancel(errStatementTimeout) })
	}
	return ctx, func() {
		if t != nil {
			t.Stop()
		}
		c.setCurrent(nil)
		cancel(nil)
	}
}

// canceled reports err as the statement's cancellation when ctx ended
// (a CancelRequest, the timeout or shutdown), whatever step noticed it.
func canceled(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || isInterrupt(err) {
		return err
	}
	return &session.Error{Kind: session.ErrInterrupt, Msg: "canceling statement", Cause: context.Cause(ctx)}
}

// isInterrupt reports whether err is a cancelled statement's.
func isInterrupt(err error) bool {
	var ee *session.Error
	return errors.As(err, &ee) && ee.Kind == session.ErrInterrupt
}

func (c *conn) setCurrent(cancel context.CancelCauseFunc) {
	c.mu.Lock()
	c.current = cancel
	c.mu.Unlock()
}

// statementTimeout is the session's statement_timeout, within the
// server's.
//
// The server's limit is a ceiling: a session may lower it, not raise or
// remove it (statement_timeout = 0 under a server limit is the limit).
func (c *conn) statementTimeout() time.Duration {
	d := c.settings.statementTimeout()
	if srv := c.srv.cfg.StatementTimeout; srv > 0 && srv < math.MaxInt64 && (d <= 0 || d > srv) {
		return srv
	}
	return d
}
