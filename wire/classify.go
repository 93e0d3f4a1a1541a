package wire

import "strings"

// stmtKind is what the server does with a statement.
type stmtKind int

const (
	stmtQuery       stmtKind = iota // run by DuckDB, returns rows
	stmtBegin                       // BEGIN, START TRANSACTION
	stmtCommit                      // COMMIT, END
	stmtRollback                    // ROLLBACK, ABORT
	stmtSavepoint                   // SAVEPOINT name
	stmtRelease                     // RELEASE [SAVEPOINT] name
	stmtRollbackTo                  // ROLLBACK TO [SAVEPOINT] name
	stmtSet                         // SET of an emulated setting
	stmtShow                        // SHOW of an emulated setting
	stmtReset                       // RESET name | ALL
	stmtDiscard                     // DISCARD ALL | PLANS | ...
	stmtForbidden                   // anything that is not read-only
	stmtEmpty                       // an empty Parse
	stmtDeclare                     // DECLARE name CURSOR FOR query (cursor.go)
	stmtFetch                       // FETCH | MOVE ... name
	stmtCloseCursor                 // CLOSE name | ALL
	stmtDeallocate                  // DEALLOCATE [PREPARE] name | ALL
	stmtCopyOut                     // COPY (query) | table TO STDOUT (copy.go)
)

// isCursorKind: the statements cursor.go runs.
func isCursorKind(k stmtKind) bool {
	return k == stmtDeclare || k == stmtFetch || k == stmtCloseCursor || k == stmtDeallocate
}

// statement is one classified SQL statement.
type statement struct {
	sql  string
	kind stmtKind
	// tag is the command tag's verb: SELECT, SHOW, EXPLAIN, BEGIN, ...
	tag string
	// what names a forbidden statement ("CREATE TABLE", "COPY").
	what string
	// toks are the statement's tokens, for the SET/SHOW parsers.
	toks []token
	// explained is the statement inside an EXPLAIN, which DuckDB must
	// also see as a query: EXPLAIN ANALYZE runs it.
	explained string
}

// queryStarts are the first keywords of statements DuckDB may run: the
// read-only statements of the issue (SELECT, WITH, VALUES, TABLE, EXPLAIN,
// DESCRIBE, SHOW, SUMMARIZE) and DuckDB's FROM-first SELECT. The prepared
// statement's type is checked again after DuckDB parses it.
var queryStarts = map[string]string{
	"SELECT": "SELECT", "WITH": "SELECT", "VALUES": "SELECT", "TABLE": "SELECT", "FROM": "SELECT",
	"DESCRIBE": "SELECT", "SUMMARIZE": "SELECT", "SHOW": "SHOW", "EXPLAIN": "EXPLAIN", "(": "SELECT",
}

// classify decides a statement's kind from its leading tokens.
func classify(sql string) statement {
	toks := tokens(sql, 0)
	st := statement{sql: sql, toks: toks}
	if len(toks) == 0 {
		st.kind = stmtForbidden
		st.what = "empty statement"
		return st
	}
	w := func(i int) string {
		if i < len(toks) && (toks[i].kind == tokWord || toks[i].kind == tokPunct) {
			return toks[i].text
		}
		return ""
	}
	first := w(0)
	switch first {
	case "BEGIN":
		return st.with(stmtBegin, "BEGIN")
	case "START":
		if w(1) == "TRANSACTION" {
			return st.with(stmtBegin, "START TRANSACTION")
		}
	case "COMMIT", "END":
		if w(1) != "PREPARED" {
			return st.with(stmtCommit, "COMMIT")
		}
	case "ABORT":
		return st.with(stmtRollback, "ROLLBACK")
	case "ROLLBACK":
		i := 1
		if w(i) == "WORK" || w(i) == "TRANSACTION" {
			i++
		}
		if w(i) == "TO" {
			return st.with(stmtRollbackTo, "ROLLBACK")
		}
		if w(1) != "PREPARED" {
			return st.with(stmtRollback, "ROLLBACK")
		}
	case "SAVEPOINT":
		return st.with(stmtSavepoint, "SAVEPOINT")
	case "RELEASE":
		return st.with(stmtRelease, "RELEASE")
	case "SET":
		if isEmulatedSet(toks) {
			return st.with(stmtSet, "SET")
		}
	case "RESET":
		return st.with(stmtReset, "RESET")
	case "DISCARD":
		return st.with(stmtDiscard, "DISCARD "+w(1))
	case "DECLARE":
		return st.with(stmtDeclare, "DECLARE CURSOR")
	case "FETCH", "MOVE":
		return st.with(stmtFetch, first)
	case "CLOSE":
		return st.with(stmtCloseCursor, "CLOSE CURSOR")
	case "DEALLOCATE":
		return st.with(stmtDeallocate, "DEALLOCATE")
	case "COPY":
		if isCopyOut(toks) {
			return st.with(stmtCopyOut, "COPY")
		}
	case "SHOW":
		if isEmulatedShow(toks) {
			return st.with(stmtShow, "SHOW")
		}
		return st.with(stmtQuery, "SHOW")
	case "EXPLAIN":
		// EXPLAIN ANALYZE runs its statement: the statement must be a
		// query itself.
		i := 1
		for w(i) == "ANALYZE" || w(i) == "ANALYSE" || w(i) == "VERBOSE" {
			i++
		}
		if w(i) == "(" {
			for i < len(toks) && w(i) != ")" {
				i++
			}
			i++
		}
		if i < len(toks) {
			if tag, ok := queryStarts[w(i)]; !ok || tag != "SELECT" {
				st.kind, st.what = stmtForbidden, "EXPLAIN "+forbiddenName(toks[i:])
				return st
			}
			st.explained = sql[toks[i].pos:]
		}
		return st.with(stmtQuery, "EXPLAIN")
	}
	if tag, ok := queryStarts[first]; ok {
		return st.with(stmtQuery, tag)
	}
	st.kind = stmtForbidden
	st.what = forbiddenName(toks)
	return st
}

func (st statement) with(k stmtKind, tag string) statement {
	st.kind, st.tag = k, tag
	return st
}

// forbiddenName names a statement type for the 42501 message, e.g.
// "CREATE TABLE", "COPY", "SET GLOBAL".
func forbiddenName(toks []token) string {
	var words []string
	for _, t := range toks {
		if t.kind != tokWord {
			break
		}
		words = append(words, t.text)
		if len(words) == 1 {
			switch t.text {
			case "CREATE", "DROP", "ALTER", "EXPORT", "IMPORT", "SET", "COMMENT", "PREPARE":
				continue
			}
			break
		}
		switch t.text {
		case "OR", "REPLACE", "TEMP", "TEMPORARY", "PERSISTENT", "UNIQUE", "IF", "NOT", "EXISTS":
			continue
		}
		break
	}
	if len(words) == 0 {
		return "statement"
	}
	// Keep the verb and the object, drop modifiers in between.
	if len(words) > 2 {
		words = []string{words[0], words[len(words)-1]}
	}
	return strings.Join(words, " ")
}
