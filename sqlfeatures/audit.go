package sqlfeatures

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spysql/spysql/engine/duck"
)

// ColumnSchema is one output column and its DuckDB type.
type ColumnSchema struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// ColumnStats are the statistics of one column over a date or a version.
// Min and Max are JSON numbers for numeric columns and strings (DuckDB's
// text form) otherwise; both are null for nested types and empty columns.
type ColumnStats struct {
	Type     string  `json:"type"`
	Nulls    int64   `json:"nulls"`
	NullRate float64 `json:"null_rate"`
	Min      any     `json:"min"`
	Max      any     `json:"max"`
}

// Stats are what an audit measures over one or more Silver files.
type Stats struct {
	Rows          int64                  `json:"rows"`
	DuplicateKeys int64                  `json:"duplicate_keys"` // key values that occur more than once
	NullKeys      int64                  `json:"null_keys"`      // rows with a NULL in a key column
	KeyUnique     bool                   `json:"key_unique"`
	OutsideRTH    int64                  `json:"outside_rth"` // rows outside their date's RTH session
	RTHOK         bool                   `json:"rth_ok"`
	Columns       map[string]ColumnStats `json:"columns"`
}

// describeColumns lists the columns of a query without running it.
func describeColumns(ctx context.Context, q *sql.Conn, query string) ([]ColumnSchema, error) {
	rows, err := q.QueryContext(ctx, "DESCRIBE "+query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []ColumnSchema
	vals := make([]any, len(cols))
	for rows.Next() {
		ptrs := make([]any, len(cols))
		for i := range ptrs {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, ColumnSchema{Name: fmt.Sprint(vals[0]), Type: fmt.Sprint(vals[1])})
	}
	return out, rows.Err()
}

// measure computes Stats over src (a FROM clause). rth is the SQL
// condition a row must meet to be inside its session.
func measure(ctx context.Context, q *sql.Conn, src string, cols []ColumnSchema, key []string, rth string) (*Stats, error) {
	exprs := []string{"count(*)"}
	nullKey := make([]string, len(key))
	for i, k := range key {
		nullKey[i] = duck.QuoteIdent(k) + " IS NULL"
	}
	exprs = append(exprs,
		"count(*) FILTER (WHERE "+strings.Join(nullKey, " OR ")+")",
		"count(*) FILTER (WHERE NOT coalesce("+rth+", false))")
	for _, c := range cols {
		id := duck.QuoteIdent(c.Name)
		exprs = append(exprs, "count("+id+")")
		if orderable(c.Type) {
			exprs = append(exprs, "CAST(min("+id+") AS VARCHAR)", "CAST(max("+id+") AS VARCHAR)")
		} else {
			exprs = append(exprs, "NULL", "NULL")
		}
	}
	vals := make([]any, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	query := "SELECT " + strings.Join(exprs, ", ") + " FROM " + src
	if err := q.QueryRowContext(ctx, query).Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	st := &Stats{Rows: toInt(vals[0]), NullKeys: toInt(vals[1]), OutsideRTH: toInt(vals[2]), Columns: map[string]ColumnStats{}}
	for i, c := range cols {
		nonNull := toInt(vals[3+3*i])
		cs := ColumnStats{Type: c.Type, Nulls: st.Rows - nonNull}
		if st.Rows > 0 {
			cs.NullRate = float64(cs.Nulls) / float64(st.Rows)
		}
		cs.Min = statValue(vals[4+3*i], c.Type)
		cs.Max = statValue(vals[5+3*i], c.Type)
		st.Columns[c.Name] = cs
	}
	keyCols := make([]string, len(key))
	for i, k := range key {
		keyCols[i] = duck.QuoteIdent(k)
	}
	dup := "SELECT count(*) FROM (SELECT 1 FROM " + src + " GROUP BY " + strings.Join(keyCols, ", ") + " HAVING count(*) > 1)"
	if err := q.QueryRowContext(ctx, dup).Scan(&st.DuplicateKeys); err != nil {
		return nil, fmt.Errorf("measure key uniqueness: %w", err)
	}
	st.KeyUnique = st.DuplicateKeys == 0 && st.NullKeys == 0
	st.RTHOK = st.OutsideRTH == 0
	return st, nil
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case uint64:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

// orderable reports whether min/max make sense for a DuckDB type: not for
// lists, arrays, structs, maps or unions.
func orderable(typ string) bool {
	t := strings.ToUpper(typ)
	return !strings.HasSuffix(t, "]") && !strings.HasPrefix(t, "STRUCT") &&
		!strings.HasPrefix(t, "MAP") && !strings.HasPrefix(t, "UNION")
}

func numeric(typ string) bool {
	t := strings.ToUpper(typ)
	if strings.HasPrefix(t, "DECIMAL") {
		return true
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
		"UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE":
		return true
	}
	return false
}

// statValue turns DuckDB's text of a min or max into a JSON value: a
// number for finite numerics, else the text.
func statValue(v any, typ string) any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if numeric(typ) {
		if _, err := strconv.ParseFloat(s, 64); err == nil && json.Valid([]byte(s)) {
			return json.Number(s)
		}
	}
	return s
}

// auditRules checks a date's Stats against the manifest; it returns the
// reasons the date must not be published.
func auditRules(m *Manifest, cols []ColumnSchema, st *Stats, stagedRows int64) []string {
	var reasons []string
	have := map[string]bool{}
	for _, c := range cols {
		have[c.Name] = true
	}
	for _, c := range declaredColumns(m) {
		if !have[c.name] {
			reasons = append(reasons, fmt.Sprintf("column %s (%s) is missing", c.name, c.role))
		}
	}
	if st.Rows != stagedRows {
		reasons = append(reasons, fmt.Sprintf("file has %d rows, the query gave %d", st.Rows, stagedRows))
	}
	if st.Rows == 0 && !m.Validation.AllowEmpty {
		reasons = append(reasons, "no rows (is Bronze missing for this date? set validation.allow_empty to publish empty dates)")
	}
	if st.DuplicateKeys > 0 {
		reasons = append(reasons, fmt.Sprintf("key (%s) is not unique: %d key values occur more than once", strings.Join(m.Output.Key, ", "), st.DuplicateKeys))
	}
	if st.NullKeys > 0 {
		reasons = append(reasons, fmt.Sprintf("%d rows have a NULL key column", st.NullKeys))
	}
	if st.OutsideRTH > 0 {
		reasons = append(reasons, fmt.Sprintf("%d rows are outside the RTH session", st.OutsideRTH))
	}
	for _, c := range cols {
		limit, ok := nullLimit(m, c.Name)
		if cs := st.Columns[c.Name]; ok && cs.NullRate > limit {
			reasons = append(reasons, fmt.Sprintf("column %s null rate %.4f > %g", c.Name, cs.NullRate, limit))
		}
	}
	return reasons
}

// nullLimit is the max null rate that applies to a column, if any.
func nullLimit(m *Manifest, col string) (float64, bool) {
	if r, ok := m.Validation.MaxNullRateByColumn[col]; ok {
		return r, true
	}
	for _, k := range append(append([]string{}, m.Output.Key...), m.Output.Labels...) {
		if k == col {
			return 0, false
		}
	}
	return m.Validation.MaxNullRate, m.Validation.HasMaxNullRate
}

type declaredColumn struct{ name, role string }

// declaredColumns are the output columns the manifest names: ts_event_ns
// (for the RTH filter), key, labels, feature columns and null-rate
// overrides.
func declaredColumns(m *Manifest) []declaredColumn {
	out := []declaredColumn{{"ts_event_ns", "the RTH filter"}}
	for _, k := range m.Output.Key {
		out = append(out, declaredColumn{k, "output.key"})
	}
	for _, l := range m.Output.Labels {
		out = append(out, declaredColumn{l, "output.labels"})
	}
	for _, g := range m.Features.Groups {
		for _, c := range g.Columns {
			out = append(out, declaredColumn{c, "features group " + g.Name})
		}
	}
	for _, c := range sortedKeys(m.Validation.MaxNullRateByColumn) {
		out = append(out, declaredColumn{c, "validation.max_null_rate_by_column"})
	}
	return out
}
