package wire

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgproto3"
)

// The extended protocol: Parse, Bind, Describe, Execute, Close, Sync.
// After an error every message up to Sync is skipped (conn.loop); Sync
// answers ReadyForQuery.

// handleParse prepares a statement. Named statements must be new (42P05);
// the unnamed one is replaced. One statement per Parse (42601).
func (c *conn) handleParse(m *pgproto3.Parse) error {
	stmts := splitStatements(m.Query)
	if len(stmts) > 1 {
		return errorf(CodeSyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	if m.Name != "" {
		if _, dup := c.stmts[m.Name]; dup {
			return errorf(CodeDuplicatePreparedStatement, "prepared statement %q already exists", m.Name)
		}
	}
	sql := ""
	if len(stmts) == 1 {
		sql = stmts[0]
	}
	st := classify(sql)
	if c.txn == txnFailed && !allowedInFailed(st.kind) && sql != "" {
		return errorf(CodeInFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	var p *prepared
	if sql == "" {
		p = &prepared{name: m.Name, st: statement{kind: stmtEmpty}}
	} else {
		ctx, end := c.statementContext()
		var err error
		p, err = c.prepareStatement(ctx, m.Name, st, m.ParameterOIDs)
		end()
		if err != nil {
			return err
		}
	}
	if old, ok := c.stmts[m.Name]; ok {
		old.close()
	}
	c.stmts[m.Name] = p
	c.send(&pgproto3.ParseComplete{})
	return nil
}

// handleBind creates a portal from a statement and decoded arguments.
func (c *conn) handleBind(m *pgproto3.Bind) error {
	p, ok := c.stmts[m.PreparedStatement]
	if !ok {
		return errorf(CodeInvalidSQLStatementName, "prepared statement %q does not exist", m.PreparedStatement)
	}
	if m.DestinationPortal != "" {
		if _, dup := c.portals[m.DestinationPortal]; dup {
			return errorf(CodeDuplicateCursor, "portal %q already exists", m.DestinationPortal)
		}
	}
	if len(m.Parameters) != len(p.paramOIDs) {
		return errorf(CodeProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d",
			len(m.Parameters), m.PreparedStatement, len(p.paramOIDs))
	}
	if n := len(m.ParameterFormatCodes); n > 1 && n != len(m.Parameters) {
		return errorf(CodeProtocolViolation, "bind message has %d parameter formats but %d parameters", n, len(m.Parameters))
	}
	if n := len(m.ResultFormatCodes); n > 1 && n != len(p.fields) {
		return errorf(CodeProtocolViolation, "bind message has %d result formats but query has %d columns", n, len(p.fields))
	}
	for _, f := range m.ResultFormatCodes {
		if f != 0 && f != 1 {
			return errorf(CodeProtocolViolation, "unsupported format code: %d", f)
		}
	}
	args, err := decodeArgs(p, m.ParameterFormatCodes, m.Parameters)
	if err != nil {
		return err
	}
	if old, ok := c.portals[m.DestinationPortal]; ok {
		old.close()
		delete(c.portals, m.DestinationPortal)
	}
	held := portalOverhead + argBytes(args)
	if err := c.mem.charge(held, fmt.Sprintf("portal %q with %d bytes of arguments", m.DestinationPortal, held-portalOverhead)); err != nil {
		return err
	}
	p.refs++
	c.portals[m.DestinationPortal] = &portal{
		name: m.DestinationPortal, p: p, args: args,
		formats: append([]int16(nil), m.ResultFormatCodes...),
		mem:     &c.mem, argBytes: held,
	}
	c.send(&pgproto3.BindComplete{})
	return nil
}

// handleDescribe describes a statement (ParameterDescription, then
// RowDescription or NoData) or a portal (RowDescription or NoData). It
// never executes anything.
func (c *conn) handleDescribe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		p, ok := c.stmts[m.Name]
		if !ok {
			return errorf(CodeInvalidSQLStatementName, "prepared statement %q does not exist", m.Name)
		}
		c.send(&pgproto3.ParameterDescription{ParameterOIDs: p.paramOIDs})
		if len(p.fields) == 0 {
			c.send(&pgproto3.NoData{})
		} else {
			c.send(&pgproto3.RowDescription{Fields: p.fields})
		}
	case 'P':
		pt, ok := c.portals[m.Name]
		if !ok {
			return errorf(CodeInvalidCursorName, "portal %q does not exist", m.Name)
		}
		if len(pt.p.fields) == 0 {
			c.send(&pgproto3.NoData{})
		} else {
			c.send(&pgproto3.RowDescription{Fields: pt.rowFields()})
		}
	default:
		return errorf(CodeProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
	}
	return nil
}

// handleExecute runs or resumes a portal.
func (c *conn) handleExecute(m *pgproto3.Execute) error {
	pt, ok := c.portals[m.Portal]
	if !ok {
		return errorf(CodeInvalidCursorName, "portal %q does not exist", m.Portal)
	}
	if pt.p.st.kind == stmtEmpty {
		c.send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	maxRows := int(m.MaxRows)
	if m.MaxRows > 1<<31-1 {
		maxRows = 0
	}
	return c.execPortal(pt, maxRows, false)
}

// handleClose closes a statement or portal; closing a missing one is
// not an error.
func (c *conn) handleClose(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		if p, ok := c.stmts[m.Name]; ok {
			p.close()
			delete(c.stmts, m.Name)
		}
	case 'P':
		if pt, ok := c.portals[m.Name]; ok {
			pt.close()
			delete(c.portals, m.Name)
		}
	default:
		return errorf(CodeProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	c.send(&pgproto3.CloseComplete{})
	return nil
}

// handleSync ends an extended-protocol batch: outside a transaction
// block the implicit transaction ends and its portals with it.
func (c *conn) handleSync() error {
	failed := c.ignoreUntilSync
	c.ignoreUntilSync = false
	if c.txn == txnIdle {
		c.closePortals()
	}
	c.endImplicit(failed)
	return c.ready()
}
