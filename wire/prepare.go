package wire

import (
	"context"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/spysql/spysql/engine/pgcatalog"
	"github.com/spysql/spysql/engine/session"
)

// prepared is a parsed statement: a named or unnamed prepared statement
// of the extended protocol, or the statement of a simple query.
type prepared struct {
	name string
	st   statement
	// eng is DuckDB's prepared statement (stmtQuery only), engSQL the
	// text it was prepared from (wrapped when a column needed it), alt
	// the same statement prepared on the client's other connections.
	eng    EngineStmt
	engSQL string
	alt    map[EngineConn]EngineStmt
	// paramOIDs are the parameter types: the client's where it gave one,
	// else DuckDB's (text when DuckDB cannot tell).
	paramOIDs []uint32
	// paramTypes are DuckDB's parameter types (len may be < paramOIDs).
	paramTypes []session.SQLType
	// cols are the result columns; fields their RowDescription.
	cols   []session.ResultColumn
	fields []pgproto3.FieldDescription
	// clientOIDs are the parameter types Parse gave (0: unspecified).
	clientOIDs []uint32
	// cursor is a DECLARE's cursor and inner its prepared query.
	cursor *cursorDecl
	inner  *prepared
	// point is set when the statement has the point-read shape.
	point *pointQuery
	// setConfigs are the statement's set_config calls, applied each time
	// it runs (settings_config.go).
	setConfigs []pgcatalog.SetConfig
	refs       int // portals using eng
	closed     bool
	// mem is the session's account of memBytes, released once freed.
	mem      *clientMemory
	memBytes int64
}

// prepareStatement prepares a classified statement: for a query, DuckDB
// prepares it. Forbidden statements fail here, before anything runs. ctx
// is the statement's (statementContext): when it ends, the preparation
// fails with the cancellation.
func (c *conn) prepareStatement(ctx context.Context, name string, st statement, oids []uint32) (*prepared, error) {
	p, err := c.prepareStatementCtx(ctx, name, st, oids)
	if err == nil {
		n := preparedOverhead + 2*int64(len(st.sql))
		if err = c.mem.charge(n, "a prepared statement"); err != nil {
			p.close()
			return nil, err
		}
		p.mem, p.memBytes = &c.mem, n
	}
	return p, canceled(ctx, err)
}

func (c *conn) prepareStatementCtx(ctx context.Context, name string, st statement, oids []uint32) (*prepared, error) {
	p := &prepared{name: name, st: st}
	switch st.kind {
	case stmtForbidden:
		sess, err := c.freeSession(ctx)
		if err != nil {
			return nil, err
		}
		if err := sess.CheckSyntax(st.sql); err != nil {
			return nil, err
		}
		return nil, errorf(CodeInsufficientPrivilege, "permission denied: %s is not allowed, spysql is read-only", st.what)
	case stmtQuery:
		p.clientOIDs = oids
		if err := c.prepareQuery(ctx, p); err != nil {
			return nil, err
		}
	case stmtShow:
		if res, err := c.execShow(st); err == nil {
			p.fields = textFields(res.cols)
		}
	case stmtDeclare:
		d, err := parseDeclare(st)
		if err != nil {
			return nil, err
		}
		inner, err := c.prepareStatementCtx(ctx, "", d.query, oids)
		if err != nil {
			return nil, err
		}
		p.cursor, p.inner = d, inner
		if len(oids) > 0 || len(inner.paramOIDs) > 0 {
			inner.close()
			return nil, errorf(CodeUndefinedParameter, "there is no parameter $1")
		}
	case stmtCopyOut:
		cmd, err := parseCopy(st)
		if err != nil {
			return nil, err
		}
		inner, err := c.prepareStatementCtx(ctx, "", cmd.query, oids)
		if err != nil {
			return nil, err
		}
		p.inner = inner
		if len(oids) > 0 || len(inner.paramOIDs) > 0 {
			inner.close()
			return nil, errorf(CodeUndefinedParameter, "there is no parameter $1")
		}
	case stmtFetch:
		// Describe answers with the cursor's columns when it exists.
		if f, err := parseFetch(st); err == nil && !f.move {
			if cp := c.portals[f.name]; cp != nil && cp.p != nil {
				p.fields = cp.rowFields()
			}
		}
	}
	if len(oids) > len(p.paramTypes) && st.kind != stmtQuery {
		return nil, errorf(CodeProtocolViolation, "statement has no parameters, %d parameter types given", len(oids))
	}
	n := max(len(oids), len(p.paramTypes))
	p.paramOIDs = make([]uint32, n)
	for i := range n {
		switch {
		case i < len(oids) && oids[i] != 0:
			p.paramOIDs[i] = oids[i]
		case i < len(p.paramTypes):
			if pt, ok := typeFor(p.paramTypes[i]); ok {
				p.paramOIDs[i] = pt.oid
			} else {
				p.paramOIDs[i] = oidText
			}
		default:
			p.paramOIDs[i] = oidText
		}
	}
	return p, nil
}

// prepareQuery prepares a query in DuckDB, checks that DuckDB agrees it
// is read-only, and rewrites it when a column has no wire type.
func (c *conn) prepareQuery(ctx context.Context, p *prepared) error {
	if err := c.srv.eng.Sync(ctx); err != nil {
		c.log.Warn("refresh lake views", "err", err)
	}
	// The catalog queries clients send, in PostgreSQL's dialect, become
	// DuckDB's over engine/pgcatalog; result columns get PostgreSQL's names.
	// The gate decides what DuckDB will bind: the rewritten text.
	opts := pgcatalog.Options{Setting: c.settingValue, SetConfig: c.settings.setConfigValue}
	text, _, sets, err := c.srv.rewrites.Rewrite(p.st.sql, opts)
	if err != nil {
		return settingError(err)
	}
	p.setConfigs = sets
	gated := text
	if p.st.explained != "" {
		gated, _, _, _ = c.srv.rewrites.Rewrite(p.st.explained, pgcatalog.Options{Setting: c.settingValue})
	}
	if err := c.srv.checkGate(ctx, gated); err != nil {
		return err
	}
	sess, err := c.freeSession(ctx)
	if err != nil {
		return err
	}
	eng, err := sess.Prepare(ctx, text)
	if err != nil {
		return err
	}
	// PostgreSQL fixes every parameter's type at Parse: the client's, or
	// text. DuckDB leaves a parameter it cannot place (select $1, $2)
	// unknown and then describes no real result: cast those and prepare
	// again.
	if casts := untypedParams(eng.Params(), p.clientOIDs); len(casts) > 0 {
		if cast, ok := pgcatalog.CastParams(text, casts); ok {
			if again, err := sess.Prepare(ctx, cast); err == nil {
				eng.Close()
				eng, text = again, cast
			}
		}
	}
	p.engSQL = text
	readOnly := eng.Kind() == session.StmtSelect
	if eng.Kind() == session.StmtExplain && p.st.explained != "" {
		// A WITH can front INSERT/UPDATE/DELETE, and EXPLAIN ANALYZE runs
		// what it explains: the inner statement must be a query too.
		explained, _, _, _ := c.srv.rewrites.Rewrite(p.st.explained, pgcatalog.Options{Setting: c.settingValue})
		inner, err := sess.Prepare(ctx, explained)
		if err != nil {
			eng.Close()
			return err
		}
		readOnly = inner.Kind() == session.StmtSelect
		inner.Close()
	}
	if !readOnly {
		eng.Close()
		return errorf(CodeInsufficientPrivilege, "permission denied: only queries are allowed, spysql is read-only")
	}
	if wrapped := wrapQuery(text, eng.Columns()); wrapped != "" {
		params := eng.Params()
		eng.Close()
		if eng, err = sess.Prepare(ctx, wrapped); err != nil {
			return err
		}
		p.engSQL = wrapped
		// Parameter types as the user's statement has them.
		p.paramTypes = params
	} else {
		p.paramTypes = eng.Params()
		if !c.srv.cfg.NoPointReads && eng.Kind() == session.StmtSelect && len(p.paramTypes) == 1 {
			p.point = pointShape(p.st.sql)
		}
	}
	p.eng = eng
	p.cols = eng.Columns()
	p.fields = make([]pgproto3.FieldDescription, len(p.cols))
	for i, col := range p.cols {
		pt, _ := typeFor(col.Type)
		p.fields[i] = pgproto3.FieldDescription{
			Name: []byte(col.Name), DataTypeOID: pt.oid, DataTypeSize: pt.size, TypeModifier: pt.typmod,
		}
	}
	return nil
}

// textFields describes text columns (SHOW).
func textFields(cols []string) []pgproto3.FieldDescription {
	f := make([]pgproto3.FieldDescription, len(cols))
	for i, n := range cols {
		f[i] = pgproto3.FieldDescription{Name: []byte(n), DataTypeOID: oidText, DataTypeSize: -1, TypeModifier: -1}
	}
	return f
}

// release drops a portal's reference; the DuckDB statement is freed once
// the statement is closed and unused.
func (p *prepared) release() {
	p.refs--
	p.free()
}

func (p *prepared) close() {
	p.closed = true
	if p.inner != nil {
		p.inner.close()
		p.inner = nil
	}
	p.free()
}

func (p *prepared) free() {
	if p.closed && p.refs <= 0 && p.mem != nil {
		p.mem.release(p.memBytes)
		p.mem, p.memBytes = nil, 0
	}
	if p.closed && p.refs <= 0 && p.eng != nil {
		p.eng.Close()
		p.eng = nil
		for _, st := range p.alt {
			st.Close()
		}
		p.alt = nil
	}
}

// closeAllPrepared drops every portal and prepared statement.
func (c *conn) closeAllPrepared() {
	for name, pt := range c.portals {
		pt.close()
		delete(c.portals, name)
	}
	for name, p := range c.stmts {
		p.close()
		delete(c.stmts, name)
	}
}

// closePortals drops every portal (a transaction ended) but cursors
// declared WITH HOLD.
func (c *conn) closePortals() {
	for name, pt := range c.portals {
		if pt.hold {
			continue
		}
		pt.close()
		delete(c.portals, name)
	}
}

// settingValue is a setting's value for current_setting().
// rewriteCacheSize bounds the server's cache of rewritten statements.
const rewriteCacheSize = 1024

func (c *conn) settingValue(name string) (string, bool) {
	_, v, ok := c.settings.get(name)
	return v, ok
}

// untypedParams names, by parameter number, the type to cast each
// parameter DuckDB left unknown to: the client's type, else text.
func untypedParams(params []session.SQLType, clientOIDs []uint32) map[int]string {
	casts := map[int]string{}
	for i, pt := range params {
		if pt.Kind != session.KindUnknown {
			continue
		}
		var oid uint32
		if i < len(clientOIDs) {
			oid = clientOIDs[i]
		}
		casts[i+1] = pgcatalog.ParamTypeName(oid)
	}
	return casts
}
