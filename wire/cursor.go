package wire

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// SQL-level cursors and prepared statements, as PostgreSQL has them: a
// cursor is a portal with a name (protocol portals and cursors share one
// namespace, as in PostgreSQL), so DECLARE binds its query as a portal,
// FETCH runs that portal for a number of rows, MOVE skips rows, CLOSE
// drops it. psycopg2's named cursors and psqlODBC's declare/fetch mode
// use them. DEALLOCATE drops a prepared statement of the protocol's
// namespace (psqlODBC deallocates its server-side plans with it).

// cursorDecl is a parsed DECLARE.
type cursorDecl struct {
	name   string
	binary bool
	hold   bool
	query  statement
}

// parseDeclare reads DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE]
// [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD] FOR query.
func parseDeclare(st statement) (*cursorDecl, error) {
	toks := st.toks
	if len(toks) < 2 || (toks[1].kind != tokWord && toks[1].kind != tokIdent) {
		return nil, errorf(CodeSyntaxError, "syntax error at or near DECLARE")
	}
	d := &cursorDecl{name: identName(toks[1])}
	i := 2
	for ; i < len(toks) && toks[i].kind == tokWord; i++ {
		switch toks[i].text {
		case "BINARY":
			d.binary = true
		case "ASENSITIVE", "INSENSITIVE", "SCROLL", "NO", "CURSOR":
		case "WITH", "WITHOUT":
			if i+1 >= len(toks) || toks[i+1].text != "HOLD" {
				return nil, errorf(CodeSyntaxError, "syntax error at or near %q", toks[i].text)
			}
			d.hold = toks[i].text == "WITH"
			i++
		case "FOR":
			q := strings.TrimSpace(st.sql[toks[i].pos+len("FOR"):])
			d.query = classify(q)
			if d.query.kind == stmtForbidden {
				return nil, errorf(CodeInsufficientPrivilege, "permission denied: %s is not allowed, spysql is read-only", d.query.what)
			}
			if d.query.kind != stmtQuery {
				return nil, errorf(CodeSyntaxError, "DECLARE CURSOR must be followed by a query")
			}
			return d, nil
		default:
			return nil, errorf(CodeSyntaxError, "syntax error at or near %q", toks[i].text)
		}
	}
	return nil, errorf(CodeSyntaxError, "syntax error: DECLARE %s needs CURSOR FOR a query", d.name)
}

// identName is a name as PostgreSQL folds it: quoted as written,
// unquoted in lower case.
func identName(t token) string {
	if t.kind == tokWord {
		return strings.ToLower(t.text)
	}
	return t.text
}

// fetchCmd is a parsed FETCH or MOVE.
type fetchCmd struct {
	move  bool
	count int // 0: ALL
	name  string
}

// parseFetch reads FETCH|MOVE [NEXT | FORWARD [n | ALL] | n | ALL]
// [FROM | IN] name; backward directions are refused, as for a NO SCROLL
// cursor.
func parseFetch(st statement) (*fetchCmd, error) {
	toks := st.toks
	f := &fetchCmd{move: toks[0].text == "MOVE", count: 1}
	i := 1
	num := func(t token) (int, bool) {
		if t.kind != tokNumber {
			return 0, false
		}
		n, err := strconv.Atoi(t.text)
		return n, err == nil && n >= 0
	}
	if i < len(toks) && toks[i].kind == tokWord {
		switch toks[i].text {
		case "NEXT":
			i++
		case "ALL":
			f.count = 0
			i++
		case "FORWARD":
			i++
			if i < len(toks) && toks[i].text == "ALL" {
				f.count = 0
				i++
			} else if i < len(toks) {
				if n, ok := num(toks[i]); ok {
					f.count = n
					i++
				}
			}
		case "PRIOR", "FIRST", "LAST", "ABSOLUTE", "RELATIVE", "BACKWARD":
			return nil, errorf(CodeObjectNotInPrerequisiteState, "cursor can only scan forward")
		}
	} else if i < len(toks) {
		if n, ok := num(toks[i]); ok {
			f.count = n
			i++
		}
	}
	if i < len(toks) && (toks[i].text == "FROM" || toks[i].text == "IN") && toks[i].kind == tokWord {
		i++
	}
	if i != len(toks)-1 || (toks[i].kind != tokWord && toks[i].kind != tokIdent) {
		return nil, errorf(CodeSyntaxError, "syntax error in %s", toks[0].text)
	}
	f.name = identName(toks[i])
	return f, nil
}

// execCursorStmt runs DECLARE, FETCH, MOVE, CLOSE and DEALLOCATE.
func (c *conn) execCursorStmt(pt *portal, describe bool) error {
	pt.done = true
	st := pt.p.st
	switch st.kind {
	case stmtDeclare:
		return c.execDeclare(pt.p)
	case stmtFetch:
		f, err := parseFetch(st)
		if err != nil {
			return err
		}
		return c.execFetch(f, describe)
	case stmtCloseCursor:
		return c.execCloseCursor(st)
	case stmtDeallocate:
		return c.execDeallocate(st)
	}
	return errorf(CodeInternalError, "statement kind %d is not a cursor statement", st.kind)
}

// execDeclare binds the cursor's prepared query as a portal named after
// the cursor.
func (c *conn) execDeclare(p *prepared) error {
	d := p.cursor
	if !d.hold && c.txn == txnIdle && !c.implicitBlock {
		return errorf(CodeNoActiveSQLTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, dup := c.portals[d.name]; dup || d.name == "" {
		return errorf(CodeDuplicateCursor, "cursor %q already exists", d.name)
	}
	inner := p.inner
	inner.refs++
	cp := &portal{name: d.name, p: inner, hold: d.hold, mem: &c.mem, argBytes: portalOverhead}
	if err := c.mem.charge(portalOverhead, "a cursor"); err != nil {
		inner.refs--
		return err
	}
	if d.binary {
		cp.formats = []int16{1}
	}
	c.portals[d.name] = cp
	c.send(&pgproto3.CommandComplete{CommandTag: []byte("DECLARE CURSOR")})
	return nil
}

// execFetch sends (or, for MOVE, skips) up to f.count rows of a cursor.
func (c *conn) execFetch(f *fetchCmd, describe bool) error {
	cp, ok := c.portals[f.name]
	if !ok {
		return errorf(CodeInvalidCursorName, "cursor %q does not exist", f.name)
	}
	verb := "FETCH"
	if f.move {
		verb = "MOVE"
	}
	if cp.p.st.kind != stmtQuery {
		return errorf(CodeInvalidCursorState, "portal %q cannot be run", f.name)
	}
	defer c.watchClient(c.portalContext(cp))()
	defer c.observeStatement(c.srv.ops.sizes.big(cp.p.st.sql))()
	if !cp.started {
		if err := c.startQuery(cp); err != nil {
			cp.done = true
			return err
		}
	}
	if describe && !f.move {
		c.send(&pgproto3.RowDescription{Fields: cp.rowFields()})
	}
	n := 0
	if !cp.done {
		c.touch(cp.sess)
		c.setCurrent(cp.cancel)
		var err error
		var suspended bool
		if f.move {
			n, suspended, err = c.skipRows(cp, f.count)
		} else {
			n, suspended, err = c.streamRows(cp, f.count)
		}
		c.setCurrent(nil)
		if err != nil {
			cp.done = true
			return err
		}
		if !suspended {
			cp.done = true
		}
	}
	c.send(&pgproto3.CommandComplete{CommandTag: []byte(fmt.Sprintf("%s %d", verb, n))})
	return nil
}

// skipRows reads up to maxRows rows (0: all) without sending them.
func (c *conn) skipRows(pt *portal, maxRows int) (n int, suspended bool, err error) {
	for {
		if pt.chunk == nil || pt.pos >= pt.chunk.Len() {
			ch, err := pt.rows.Next()
			if err == nil {
				err = c.holdChunk(pt, ch, len(pt.p.cols))
			}
			if err != nil || ch == nil {
				pt.chunk = nil
				c.holdChunk(pt, nil, 0)
				return n, false, err
			}
			pt.chunk, pt.pos = ch, 0
		}
		left := pt.chunk.Len() - pt.pos
		if maxRows > 0 && n+left > maxRows {
			pt.pos += maxRows - n
			return maxRows, true, nil
		}
		n += left
		pt.pos = pt.chunk.Len()
		if maxRows > 0 && n == maxRows {
			return n, true, nil
		}
	}
}

// execCloseCursor runs CLOSE name | ALL.
func (c *conn) execCloseCursor(st statement) error {
	toks := st.toks
	if len(toks) == 2 && toks[1].kind == tokWord && toks[1].text == "ALL" {
		for name, pt := range c.portals {
			if name != "" {
				pt.close()
				delete(c.portals, name)
			}
		}
		c.send(&pgproto3.CommandComplete{CommandTag: []byte("CLOSE CURSOR ALL")})
		return nil
	}
	if len(toks) != 2 || (toks[1].kind != tokWord && toks[1].kind != tokIdent) {
		return errorf(CodeSyntaxError, "syntax error in CLOSE")
	}
	name := identName(toks[1])
	cp, ok := c.portals[name]
	if !ok {
		return errorf(CodeInvalidCursorName, "cursor %q does not exist", name)
	}
	cp.close()
	delete(c.portals, name)
	c.send(&pgproto3.CommandComplete{CommandTag: []byte("CLOSE CURSOR")})
	return nil
}

// execDeallocate runs DEALLOCATE [PREPARE] name | ALL.
func (c *conn) execDeallocate(st statement) error {
	toks := st.toks[1:]
	if len(toks) > 0 && toks[0].kind == tokWord && toks[0].text == "PREPARE" {
		toks = toks[1:]
	}
	if len(toks) == 1 && toks[0].kind == tokWord && toks[0].text == "ALL" {
		for name, p := range c.stmts {
			if name != "" {
				p.close()
				delete(c.stmts, name)
			}
		}
		c.send(&pgproto3.CommandComplete{CommandTag: []byte("DEALLOCATE ALL")})
		return nil
	}
	if len(toks) != 1 || (toks[0].kind != tokWord && toks[0].kind != tokIdent) {
		return errorf(CodeSyntaxError, "syntax error in DEALLOCATE")
	}
	name := identName(toks[0])
	p, ok := c.stmts[name]
	if !ok || name == "" {
		return errorf(CodeInvalidSQLStatementName, "prepared statement %q does not exist", name)
	}
	p.close()
	delete(c.stmts, name)
	c.send(&pgproto3.CommandComplete{CommandTag: []byte("DEALLOCATE")})
	return nil
}
