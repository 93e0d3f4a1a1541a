package wire

import (
	"errors"

	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/session"
)

// pointQuery is a prepared statement of the one shape the engine answers
// from a point index instead of DuckDB (Engine.PointRead):
//
//	SELECT * | col [, col ...] FROM gold.dataset | silver.version WHERE key = $1
//
// Each column is a plain reference, so DuckDB's prepared result columns
// name columns of the file. Anything else, or a lookup the engine refuses,
// runs in DuckDB as every other query does.
type pointQuery struct {
	schema       string // "gold" or "silver"
	dataset, key string
	star         bool // SELECT *
}

// pointShape recognizes the point-read shape; nil for any other statement.
func pointShape(sql string) *pointQuery {
	src := trimStatement(sql)
	toks := tokens(src, 0)
	i := 0
	peek := func() token {
		if i < len(toks) {
			return toks[i]
		}
		return token{kind: tokPunct}
	}
	word := func(w string) bool {
		if t := peek(); t.kind == tokWord && t.text == w {
			i++
			return true
		}
		return false
	}
	punct := func(p string) bool {
		if t := peek(); t.kind == tokPunct && t.text == p {
			i++
			return true
		}
		return false
	}
	// ident is a column or dataset name as DuckDB resolves it: quoted
	// names exactly, unquoted ones as written (DuckDB matches them without
	// regard to case; so does the engine).
	ident := func() (string, bool) {
		t := peek()
		switch t.kind {
		case tokIdent:
			if t.text == "" {
				return "", false
			}
			i++
			return t.text, true
		case tokWord:
			if reserved[t.text] {
				return "", false
			}
			i++
			end := t.pos
			for end < len(src) && isIdentPart(src[end]) {
				end++
			}
			return src[t.pos:end], true
		}
		return "", false
	}
	param := func() bool {
		if t := peek(); t.kind == tokParam && t.text == "$1" {
			i++
			return true
		}
		return false
	}
	if !word("SELECT") {
		return nil
	}
	star := punct("*")
	if !star {
		for {
			if _, ok := ident(); !ok {
				return nil
			}
			if !punct(",") {
				break
			}
		}
	}
	if !word("FROM") {
		return nil
	}
	var schema string
	switch t := peek(); {
	case t.kind == tokWord && t.text == "GOLD" || t.kind == tokIdent && t.text == "gold":
		schema = "gold"
	case t.kind == tokWord && t.text == "SILVER" || t.kind == tokIdent && t.text == "silver":
		schema = "silver"
	default:
		return nil
	}
	i++
	if !punct(".") {
		return nil
	}
	dataset, ok := ident()
	if !ok || !word("WHERE") {
		return nil
	}
	var key string
	if param() {
		if !punct("=") {
			return nil
		}
		if key, ok = ident(); !ok {
			return nil
		}
	} else {
		if key, ok = ident(); !ok || !punct("=") || !param() {
			return nil
		}
	}
	if i != len(toks) {
		return nil
	}
	return &pointQuery{schema: schema, dataset: dataset, key: key, star: star}
}

// reserved are the words the point shape never takes as a name.
var reserved = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "DISTINCT": true, "ALL": true, "AS": true,
	"AND": true, "OR": true, "NOT": true, "NULL": true, "TRUE": true, "FALSE": true,
	"GROUP": true, "ORDER": true, "LIMIT": true, "UNION": true, "JOIN": true, "ON": true,
}

// pointRows answers a point-shaped portal from the dataset's point index.
// ok is false when the engine cannot (the engine also decides whether it
// reads the argument exactly as DuckDB would cast it): the portal then
// runs in DuckDB. The next execution tries again: most
// refusals are of one key or one moment (an index being built or
// replaced), and a refusal costs two stat calls.
func (c *conn) pointRows(pt *portal) (rows Result, ok bool, err error) {
	q := pt.p.point
	if len(pt.args) != 1 || len(pt.p.paramTypes) != 1 {
		return nil, false, nil
	}
	if pt.args[0].Kind == session.ArgNull {
		return nil, false, nil
	}
	rows, err = c.srv.eng.PointRead(pt.ctx, point.PointQuery{Schema: q.schema, Dataset: q.dataset, Key: q.key, Cols: pt.p.cols, Star: q.star, KeyType: pt.p.paramTypes[0].Kind}, pt.args[0])
	if errors.Is(err, point.ErrNotPointable) {
		c.log.Debug("point read refused, running in DuckDB", "reason", err)
		return nil, false, nil
	}
	if err != nil && pt.ctx.Err() == nil {
		// Not an interrupt: never the client's problem, DuckDB answers.
		c.log.Warn("point read failed, running in DuckDB", "err", err)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	c.srv.pointReads.Add(1)
	return rows, true, nil
}
