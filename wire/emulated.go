package wire

import (
	"strings"
)

// emulatedResult is the answer to a statement the server answers itself
// (SET, SHOW, RESET, DISCARD): optional text columns and rows, a command
// tag, and the settings whose ParameterStatus must be sent.
type emulatedResult struct {
	cols    []string
	rows    [][]string
	tag     string
	changed []string
}

// isEmulatedSet reports whether a SET is one of PostgreSQL's forms; SET
// GLOBAL, SET VARIABLE and SET PERSISTENT are DuckDB's and forbidden.
func isEmulatedSet(toks []token) bool {
	if len(toks) < 2 {
		return false
	}
	switch toks[1].text {
	case "GLOBAL", "VARIABLE", "PERSISTENT":
		return toks[1].kind != tokWord
	}
	return true
}

// isEmulatedShow reports whether SHOW names a setting (or ALL, TIME ZONE,
// TRANSACTION ISOLATION LEVEL); other SHOWs are DuckDB's (SHOW TABLES).
func isEmulatedShow(toks []token) bool {
	if len(toks) < 2 {
		return false
	}
	switch {
	case len(toks) == 2 && toks[1].text == "ALL":
		return true
	case toks[1].text == "TIME" || toks[1].text == "TRANSACTION" || toks[1].text == "SESSION":
		return true
	}
	name := toks[1].text
	if toks[1].kind == tokWord {
		name = strings.ToLower(name)
	}
	if len(toks) == 4 && toks[2].text == "." {
		// SHOW a.b is a custom setting's, as in PostgreSQL (DESCRIBE
		// shows a table).
		return true
	}
	_, ok := lookupSetting(name)
	return ok && len(toks) == 2
}

// settingValue joins SET's value tokens as PostgreSQL stores a list.
func settingValue(toks []token) (string, bool) {
	var parts []string
	expectValue := true
	for _, t := range toks {
		if t.kind == tokPunct && t.text == "," && !expectValue {
			expectValue = true
			continue
		}
		if !expectValue {
			return "", false
		}
		switch t.kind {
		case tokWord:
			parts = append(parts, strings.ToLower(t.text))
		case tokString, tokIdent, tokNumber:
			parts = append(parts, t.text)
		case tokPunct:
			if t.text == "-" || t.text == "+" {
				parts = append(parts, t.text)
				continue // sign belongs to the number that follows
			}
			return "", false
		default:
			return "", false
		}
		expectValue = false
	}
	if expectValue && len(parts) > 0 && parts[len(parts)-1] != "-" && parts[len(parts)-1] != "+" {
		return "", false
	}
	v := strings.Join(parts, ", ")
	v = strings.ReplaceAll(strings.ReplaceAll(v, "-, ", "-"), "+, ", "+")
	return v, len(parts) > 0
}

// execSet runs SET [SESSION|LOCAL] name {TO|=} value, SET TIME ZONE,
// SET NAMES and SET [SESSION CHARACTERISTICS AS] TRANSACTION.
func (c *conn) execSet(st statement) (*emulatedResult, error) {
	toks := st.toks[1:]
	local := false
	if len(toks) > 0 && toks[0].kind == tokWord && (toks[0].text == "SESSION" || toks[0].text == "LOCAL") {
		local = toks[0].text == "LOCAL"
		if len(toks) > 1 && toks[1].text == "CHARACTERISTICS" {
			// SESSION CHARACTERISTICS AS TRANSACTION modes...
			if len(toks) < 4 || toks[2].text != "AS" || toks[3].text != "TRANSACTION" {
				return nil, errorf(CodeSyntaxError, "syntax error: want SET SESSION CHARACTERISTICS AS TRANSACTION ...")
			}
			return c.setTransaction(toks[4:])
		}
		if !(toks[0].text == "SESSION" && len(toks) > 1 && toks[1].text == "AUTHORIZATION") {
			toks = toks[1:]
		}
	}
	if len(toks) == 0 {
		return nil, errorf(CodeSyntaxError, "syntax error at end of input")
	}
	var name string
	switch {
	case toks[0].text == "TRANSACTION":
		return c.setTransaction(toks[1:])
	case toks[0].text == "TIME" && len(toks) > 1 && toks[1].text == "ZONE":
		name, toks = "TimeZone", toks[2:]
	case toks[0].text == "NAMES":
		name, toks = "client_encoding", toks[1:]
	case toks[0].kind == tokWord || toks[0].kind == tokIdent:
		name = toks[0].text
		if toks[0].kind == tokWord {
			name = strings.ToLower(name)
		}
		toks = toks[1:]
		for len(toks) >= 2 && toks[0].text == "." {
			name += "." + strings.ToLower(toks[1].text)
			toks = toks[2:]
		}
		if len(toks) == 0 || !(toks[0].text == "TO" || toks[0].text == "=") {
			return nil, errorf(CodeSyntaxError, "syntax error in SET: expected TO or = after %q", name)
		}
		toks = toks[1:]
	default:
		return nil, errorf(CodeSyntaxError, "syntax error in SET")
	}
	if local && c.txn == txnIdle && !c.implicitBlock {
		// As PostgreSQL: a warning, and the value ends with the statement.
		c.send(notice(CodeNoActiveSQLTransaction, "SET LOCAL can only be used in transaction blocks"))
	}
	if len(toks) == 1 && toks[0].kind == tokWord && (toks[0].text == "DEFAULT" || toks[0].text == "LOCAL") {
		canon, rep, err := c.settings.reset(name, local)
		if err != nil {
			return nil, err
		}
		return c.settingChanged(canon, rep, "SET"), nil
	}
	v, ok := settingValue(toks)
	if !ok {
		return nil, errorf(CodeSyntaxError, "syntax error in value of SET %s", name)
	}
	canon, rep, err := c.settings.set(name, v, local)
	if err != nil {
		return nil, err
	}
	return c.settingChanged(canon, rep, "SET"), nil
}

func (c *conn) settingChanged(canon string, reported bool, tag string) *emulatedResult {
	r := &emulatedResult{tag: tag}
	if reported {
		r.changed = []string{canon}
	}
	return r
}

// setTransaction accepts transaction modes; every transaction is
// read-only, so READ WRITE is refused.
func (c *conn) setTransaction(toks []token) (*emulatedResult, error) {
	if err := checkTransactionModes(toks); err != nil {
		return nil, err
	}
	return &emulatedResult{tag: "SET"}, nil
}

func checkTransactionModes(toks []token) error {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].text == "READ" && toks[i+1].text == "WRITE" {
			return errorf(CodeReadOnlySQLTransaction, "cannot set transaction read-write mode: spysql is read-only")
		}
	}
	return nil
}

// execShow answers SHOW name, SHOW ALL, SHOW TIME ZONE and SHOW
// TRANSACTION ISOLATION LEVEL.
func (c *conn) execShow(st statement) (*emulatedResult, error) {
	toks := st.toks[1:]
	name := toks[0].text
	if toks[0].kind == tokWord {
		name = strings.ToLower(name)
	}
	for i := 1; i+1 < len(toks) && toks[i].text == "."; i += 2 {
		name += "." + strings.ToLower(toks[i+1].text) // a custom setting
	}
	switch {
	case toks[0].text == "ALL":
		r := &emulatedResult{cols: []string{"name", "setting", "description"}, tag: "SHOW"}
		for _, d := range settingDefs {
			r.rows = append(r.rows, []string{d.name, c.settings.vals[d.name], d.desc})
		}
		return r, nil
	case toks[0].text == "TIME":
		name = "TimeZone"
	case toks[0].text == "TRANSACTION":
		name = "transaction_isolation"
	case toks[0].text == "SESSION":
		name = "session_authorization"
	}
	canon, v, ok := c.settings.get(name)
	if !ok {
		return nil, errorf(CodeUndefinedObject, "unrecognized configuration parameter %q", name)
	}
	return &emulatedResult{cols: []string{canon}, rows: [][]string{{v}}, tag: "SHOW"}, nil
}

// execReset runs RESET name and RESET ALL.
func (c *conn) execReset(st statement) (*emulatedResult, error) {
	toks := st.toks[1:]
	if len(toks) == 0 {
		return nil, errorf(CodeSyntaxError, "syntax error at end of input")
	}
	if toks[0].text == "ALL" {
		return &emulatedResult{tag: "RESET", changed: c.settings.resetAll()}, nil
	}
	name := toks[0].text
	if toks[0].kind == tokWord {
		name = strings.ToLower(name)
	}
	if name == "time" && len(toks) > 1 && toks[1].text == "ZONE" {
		name = "TimeZone"
	}
	canon, rep, err := c.settings.reset(name, false)
	if err != nil {
		return nil, err
	}
	return c.settingChanged(canon, rep, "RESET"), nil
}

// execDiscard runs DISCARD ALL (settings, prepared statements, portals),
// PLANS, SEQUENCES and TEMP (no-ops: there are none).
func (c *conn) execDiscard(st statement) (*emulatedResult, error) {
	if len(st.toks) < 2 {
		return nil, errorf(CodeSyntaxError, "syntax error at end of input")
	}
	switch st.toks[1].text {
	case "ALL":
		if c.txn != txnIdle {
			return nil, errorf(CodeActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
		}
		c.closeAllPrepared()
		return &emulatedResult{tag: "DISCARD ALL", changed: c.settings.resetAll()}, nil
	case "PLANS", "SEQUENCES", "TEMP", "TEMPORARY":
		return &emulatedResult{tag: "DISCARD " + st.toks[1].text}, nil
	}
	return nil, errorf(CodeSyntaxError, "syntax error in DISCARD")
}
