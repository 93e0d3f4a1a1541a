package wire

import (
	"github.com/jackc/pgx/v5/pgproto3"
)

// handleQuery runs a simple-protocol Query: every statement in it, in
// order, each with RowDescription, DataRows and CommandComplete; the
// first error ends the message. As in PostgreSQL, the whole string is
// parsed first, so a syntax error anywhere runs nothing. One
// ReadyForQuery closes it.
func (c *conn) handleQuery(sql string) error {
	stmts := splitStatements(sql)
	if len(stmts) == 0 {
		c.send(&pgproto3.EmptyQueryResponse{})
		return c.ready()
	}
	// A Query destroys the unnamed statement and portal.
	if p, ok := c.stmts[""]; ok {
		p.close()
		delete(c.stmts, "")
	}
	if pt, ok := c.portals[""]; ok {
		pt.close()
		delete(c.portals, "")
	}
	// Each statement is classified once, here; preparing and running
	// use that.
	sts := make([]statement, len(stmts))
	preps := make([]*prepared, len(stmts))
	errs := make([]error, len(stmts))
	defer func() {
		for _, p := range preps {
			if p != nil {
				p.close()
			}
		}
	}()
	// The preparation of the whole message is one statement for
	// CancelRequest and statement_timeout: a cancel between two
	// preparations is not lost, and, as a syntax error, a cancel
	// anywhere runs nothing.
	ctx, end := c.statementContext()
	for i, s := range stmts {
		sts[i] = classify(s)
		preps[i], errs[i] = c.prepareStatement(ctx, "", sts[i], nil)
		if errs[i] != nil && (isInterrupt(errs[i]) || toPGError(errs[i]).Code == CodeSyntaxError) {
			end()
			if fatal := c.statementFailed(errs[i]); fatal != nil {
				return fatal
			}
			return c.ready()
		}
	}
	end()
	// Several statements run in one implicit transaction block.
	c.implicitBlock = len(stmts) > 1
	defer func() { c.implicitBlock = false }()
	failed := false
	for i := range stmts {
		if err := c.runSimple(sts[i], preps[i], errs[i]); err != nil {
			if fatal := c.statementFailed(err); fatal != nil {
				return fatal
			}
			failed = true
			break
		}
	}
	if c.txn == txnIdle {
		c.closePortals()
	}
	c.endImplicit(failed)
	return c.ready()
}

// runSimple runs one prepared statement of a Query message, rows in
// text; prepErr is the error preparing it gave, reported in its turn.
func (c *conn) runSimple(st statement, p *prepared, prepErr error) error {
	if c.txn == txnFailed && !allowedInFailed(st.kind) {
		return errorf(CodeInFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if prepErr != nil {
		return prepErr
	}
	if len(p.paramOIDs) > 0 {
		return errorf(CodeUndefinedParameter, "there is no parameter $1")
	}
	p.refs++
	pt := &portal{p: p}
	defer pt.close()
	return c.execPortal(pt, 0, true)
}
