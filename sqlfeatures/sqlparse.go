package sqlfeatures

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Querier runs one query returning one row: a *sql.DB or *sql.Conn of
// DuckDB. Bundles are parsed with DuckDB's own parser through it.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// parsedSQL is what the bundle checker needs from one SQL file, read from
// DuckDB's json_serialize_sql: the parse tree, not the text, so comments
// and string contents never count.
type parsedSQL struct {
	// canonical is the parse tree as JSON with every query_location
	// removed and keys sorted: whitespace and comments do not change it.
	canonical []byte
	// statements is how many statements the file holds;
	// secondAt is the byte offset of the second one, if any.
	statements int
	secondAt   int
	refs       []tableRef
	funcs      []tableFunc
	vars       []varRef
}

// tableRef is a FROM/JOIN reference to a table or view (CTE names are
// resolved away).
type tableRef struct {
	catalog, schema, name string
	at                    int // byte offset; -1 unknown
}

// tableFunc is a table function in FROM, e.g. read_parquet(...).
type tableFunc struct {
	name string
	at   int
}

// varRef is one getvariable(...) call; name is "" when its argument is not
// a string constant.
type varRef struct {
	name string
	at   int
}

// serializeError is a DuckDB parser error at a byte offset.
type serializeError struct {
	msg string
	at  int // -1 unknown
}

func (e *serializeError) Error() string { return e.msg }

// parseSQL parses text with DuckDB's parser.
func parseSQL(ctx context.Context, q Querier, text string) (*parsedSQL, error) {
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT CAST(json_serialize_sql(CAST(? AS VARCHAR)) AS VARCHAR)", text).Scan(&raw); err != nil {
		return nil, fmt.Errorf("json_serialize_sql: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("json_serialize_sql output: %w", err)
	}
	if failed, _ := tree["error"].(bool); failed {
		msg, _ := tree["error_message"].(string)
		at := -1
		if pos, ok := tree["position"].(string); ok {
			if n, err := strconv.Atoi(pos); err == nil {
				at = n
			}
		}
		if strings.Contains(msg, "Only SELECT statements") {
			msg = "only a SELECT statement is allowed (DDL, DML, PIVOT and SET are not)"
		}
		return nil, &serializeError{msg: msg, at: at}
	}
	stmts, _ := tree["statements"].([]any)
	p := &parsedSQL{statements: len(stmts), secondAt: -1}
	if len(stmts) > 1 {
		p.secondAt = minLocation(stmts[1])
	}
	if len(stmts) == 0 {
		return p, nil
	}
	p.walk(stmts[0], nil)
	stripped := stripLocations(stmts[0])
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(stripped); err != nil {
		return nil, err
	}
	p.canonical = bytes.TrimSpace(buf.Bytes())
	return p, nil
}

// walk collects table references, table functions and getvariable calls.
// scope holds the CTE names visible at v.
func (p *parsedSQL) walk(v any, scope map[string]bool) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			p.walk(e, scope)
		}
	case map[string]any:
		if ctes := cteNames(x); len(ctes) > 0 {
			inner := make(map[string]bool, len(scope)+len(ctes))
			for k := range scope {
				inner[k] = true
			}
			for _, c := range ctes {
				inner[strings.ToLower(c)] = true
			}
			scope = inner
		}
		typ, _ := x["type"].(string)
		switch {
		case typ == "BASE_TABLE":
			r := tableRef{at: location(x)}
			r.catalog, _ = x["catalog_name"].(string)
			r.schema, _ = x["schema_name"].(string)
			r.name, _ = x["table_name"].(string)
			if r.catalog != "" || r.schema != "" || !scope[strings.ToLower(r.name)] {
				p.refs = append(p.refs, r)
			}
		case typ == "TABLE_FUNCTION":
			if fn, ok := x["function"].(map[string]any); ok {
				name, _ := fn["function_name"].(string)
				p.funcs = append(p.funcs, tableFunc{name: strings.ToLower(name), at: location(x)})
			}
		}
		if cls, _ := x["class"].(string); cls == "FUNCTION" {
			if name, _ := x["function_name"].(string); strings.EqualFold(name, "getvariable") {
				p.vars = append(p.vars, varRef{name: constantString(x), at: location(x)})
			}
		}
		for _, e := range x {
			p.walk(e, scope)
		}
	}
}

// cteNames lists the names a node's WITH clause defines.
func cteNames(node map[string]any) []string {
	cm, ok := node["cte_map"].(map[string]any)
	if !ok {
		return nil
	}
	entries, _ := cm["map"].([]any)
	var out []string
	for _, e := range entries {
		if m, ok := e.(map[string]any); ok {
			if k, ok := m["key"].(string); ok {
				out = append(out, k)
			}
		}
	}
	return out
}

// constantString is the first argument of a function call when it is a
// VARCHAR constant, else "".
func constantString(fn map[string]any) string {
	children, _ := fn["children"].([]any)
	if len(children) == 0 {
		return ""
	}
	c, _ := children[0].(map[string]any)
	if cls, _ := c["class"].(string); cls != "CONSTANT" {
		return ""
	}
	val, _ := c["value"].(map[string]any)
	if isNull, _ := val["is_null"].(bool); isNull {
		return ""
	}
	s, _ := val["value"].(string)
	return s
}

// location is a node's query_location, or -1 when it has none.
func location(node map[string]any) int {
	n, ok := node["query_location"].(json.Number)
	if !ok {
		return -1
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || i < 0 || i > 1<<40 {
		return -1
	}
	return int(i)
}

// minLocation is the smallest query_location in a subtree, or -1.
func minLocation(v any) int {
	best := -1
	var rec func(any)
	rec = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				rec(e)
			}
		case map[string]any:
			if l := location(x); l >= 0 && (best < 0 || l < best) {
				best = l
			}
			for _, e := range x {
				rec(e)
			}
		}
	}
	rec(v)
	return best
}

// stripLocations copies a parse tree without its query_location keys.
func stripLocations(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripLocations(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k != "query_location" {
				out[k] = stripLocations(e)
			}
		}
		return out
	}
	return v
}

// lineAt is the 1-based line of byte offset at in text; 0 when unknown.
func lineAt(text string, at int) int {
	if at < 0 || at > len(text) {
		return 0
	}
	return 1 + strings.Count(text[:at], "\n")
}
