package wire

import (
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// execTransaction tracks transaction blocks. spysql is read-only and
// DuckDB never sees BEGIN/COMMIT: the server keeps the state that
// ReadyForQuery reports (I, T, E) and PostgreSQL's rules around it.
func (c *conn) execTransaction(st statement) (*emulatedResult, error) {
	switch st.kind {
	case stmtBegin:
		if err := checkTransactionModes(st.toks); err != nil {
			return nil, err
		}
		if c.txn != txnIdle {
			c.send(notice(CodeActiveSQLTransaction, "there is already a transaction in progress"))
		} else {
			c.txn = txnBlock
		}
		return &emulatedResult{tag: st.tag}, nil
	case stmtCommit, stmtRollback:
		tag := st.tag
		switch c.txn {
		case txnIdle:
			c.send(notice(CodeNoActiveSQLTransaction, "there is no transaction in progress"))
		case txnFailed:
			tag = "ROLLBACK"
		}
		changed := c.endTransaction(tag == "COMMIT")
		return &emulatedResult{tag: tag, changed: changed}, nil
	case stmtSavepoint:
		if c.txn == txnIdle {
			return nil, errorf(CodeNoActiveSQLTransaction, "SAVEPOINT can only be used in transaction blocks")
		}
		c.savepoints = append(c.savepoints, savepointName(st.toks, 1))
		c.settings.savepoint()
		return &emulatedResult{tag: "SAVEPOINT"}, nil
	case stmtRelease, stmtRollbackTo:
		verb := "RELEASE SAVEPOINT"
		if st.kind == stmtRollbackTo {
			verb = "ROLLBACK TO SAVEPOINT"
		}
		if c.txn == txnIdle {
			return nil, errorf(CodeNoActiveSQLTransaction, "%s can only be used in transaction blocks", verb)
		}
		name := savepointName(st.toks, 1)
		i := len(c.savepoints) - 1
		for i >= 0 && c.savepoints[i] != name {
			i--
		}
		if i < 0 {
			return nil, errorf(CodeInvalidSavepoint, "savepoint %q does not exist", name)
		}
		if st.kind == stmtRollbackTo {
			c.savepoints = c.savepoints[:i+1]
			c.txn = txnBlock
			return &emulatedResult{tag: "ROLLBACK", changed: c.settings.rollbackTo(i)}, nil
		}
		c.savepoints = c.savepoints[:i]
		c.settings.release(i)
		return &emulatedResult{tag: "RELEASE"}, nil
	}
	return nil, errorf(CodeInternalError, "not a transaction statement")
}

// endTransaction returns to idle; portals die with their transaction.
// Settings changed in it are kept (commit) or undone, SET LOCAL ones
// end either way; it returns the reported settings that changed.
func (c *conn) endTransaction(commit bool) []string {
	c.txn = txnIdle
	c.savepoints = nil
	return c.settings.endTxn(commit)
}

// endImplicit ends the implicit transaction of a Query message or an
// extended-protocol batch (outside a block), rolled back after an error.
func (c *conn) endImplicit(failed bool) {
	if c.txn != txnIdle {
		return
	}
	for _, name := range c.settings.endTxn(!failed) {
		c.send(&pgproto3.ParameterStatus{Name: name, Value: c.settings.vals[name]})
	}
}

// savepointName is the last identifier of SAVEPOINT/RELEASE/ROLLBACK TO.
func savepointName(toks []token, from int) string {
	name := ""
	for _, t := range toks[from:] {
		switch t.kind {
		case tokWord:
			switch t.text {
			case "SAVEPOINT", "TO", "WORK", "TRANSACTION":
				continue
			}
			name = strings.ToLower(t.text)
		case tokIdent:
			name = t.text
		}
	}
	return name
}
