package wire

import (
	"github.com/jackc/pgx/v5/pgproto3"
)

// handleQuery runs a simple-protocol Query: every statement in it, in
// order, each with RowDescription, DataRows and CommandComplete; the
// first error ends the message. One ReadyForQuery closes it.
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
	for _, s := range stmts {
		if err := c.runSimple(s); err != nil {
			if fatal := c.statementFailed(err); fatal != nil {
				return fatal
			}
			break
		}
	}
	if c.txn == txnIdle {
		c.closePortals()
	}
	return c.ready()
}

// runSimple runs one statement of a Query message, rows in text.
func (c *conn) runSimple(sql string) error {
	st := classify(sql)
	if c.txn == txnFailed && !allowedInFailed(st.kind) {
		return errorf(CodeInFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	p, err := c.prepareStatement(c.ctx, "", sql, nil)
	if err != nil {
		return err
	}
	defer p.close()
	if len(p.paramOIDs) > 0 && st.kind == stmtQuery {
		return errorf(CodeUndefinedParameter, "there is no parameter $1")
	}
	p.refs++
	pt := &portal{p: p}
	defer pt.close()
	return c.execPortal(pt, 0, true)
}
