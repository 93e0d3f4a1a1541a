package sqlfeatures

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// chainSQL is a bundle of four views: d reads b and c, both read a.
var chainSQL = map[string]string{
	"sql/a.sql": "SELECT ts_event_ns, price AS x FROM bronze.stocks_trades",
	"sql/b.sql": "WITH z AS (SELECT 1 AS k) SELECT ts_event_ns, x FROM a, z",
	"sql/c.sql": "WITH q AS (SELECT * FROM a) SELECT ts_event_ns, x FROM q",
	"sql/d.sql": "SELECT b.ts_event_ns, b.x, c.x * getvariable('N') AS y FROM b JOIN c USING (ts_event_ns)",
}

func chainManifest(sqlList string) string {
	m := strings.Replace(baseManifest, "sql: [sql/a.sql, sql/b.sql]", "sql: "+sqlList, 1)
	return strings.Replace(m, "  view: b\n", "  view: d\n", 1)
}

// TestViewOrder checks views are created after their dependencies and
// that the file order changes neither the order nor the fingerprint.
func TestViewOrder(t *testing.T) {
	sqlFiles := chainSQL
	orders := []string{
		"[sql/a.sql, sql/b.sql, sql/c.sql, sql/d.sql]",
		"[sql/d.sql, sql/c.sql, sql/b.sql, sql/a.sql]",
		"[sql/c.sql, sql/d.sql, sql/a.sql, sql/b.sql]",
	}
	ctx := context.Background()
	q := parser(t)
	var fp string
	for _, order := range orders {
		t.Run(order, func(t *testing.T) {
			b, err := LoadBundle(ctx, q, writeBundle(t, chainManifest(order), sqlFiles), DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, v := range b.Views {
				names = append(names, v.Name)
			}
			if got := strings.Join(names, ","); got != "a,b,c,d" {
				t.Fatalf("order %s, want a,b,c,d", got)
			}
			if d := b.Views[3]; strings.Join(d.Deps, ",") != "b,c" {
				t.Fatalf("deps of d: %v", d.Deps)
			}
			if c := b.Views[2]; strings.Join(c.Deps, ",") != "a" {
				t.Fatalf("deps of c (through a CTE): %v", c.Deps)
			}
			if fp == "" {
				fp = b.Fingerprint
			} else if b.Fingerprint != fp {
				t.Fatalf("fingerprint depends on file order: %s vs %s", b.Fingerprint, fp)
			}
		})
	}
}

// TestFingerprint checks what changes the fingerprint and what does not.
func TestFingerprint(t *testing.T) {
	ctx := context.Background()
	q := parser(t)
	load := func(t *testing.T, manifest string, files map[string]string) string {
		b, err := LoadBundle(ctx, q, writeBundle(t, manifest, files), DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return b.Fingerprint
	}
	base := load(t, baseManifest, baseSQL)
	if !strings.HasPrefix(base, "sha256:") || len(base) != 71 {
		t.Fatalf("fingerprint %q", base)
	}
	cases := []struct {
		name     string
		manifest [][2]string
		sql      map[string]string
		same     bool
	}{
		{name: "comments and whitespace", same: true, sql: map[string]string{
			"sql/b.sql": "/* block */ SELECT\n\n   ts_event_ns,   x,\n x*getvariable('N')   AS y -- trailing\nFROM a ; -- end\n"}},
		{name: "keyword case", same: true, sql: map[string]string{"sql/b.sql": "select ts_event_ns, x, x * getvariable('N') as y from a"}},
		{name: "description and created_at", same: true, manifest: [][2]string{
			{"description: test", "description: another text"}, {"created_at: 2025-12-24T12:00:00Z", "created_at: 2026-01-01T00:00:00Z"}}},
		{name: "sql file order", same: true, manifest: [][2]string{{"sql: [sql/a.sql, sql/b.sql]", "sql: [sql/b.sql, sql/a.sql]"}}},
		{name: "schema order", same: true, manifest: [][2]string{{"[stocks/trades, futures/mbp10]", "[futures/mbp10, stocks/trades]"}}},
		{name: "parameter written long", same: true, manifest: [][2]string{{"  N: 5", "  N: {type: int, value: 5}"}}},
		{name: "duration in seconds", same: true, manifest: [][2]string{{"value: 240s}", "value: 240}"}}},
		{name: "sql semantics", sql: map[string]string{"sql/b.sql": "SELECT ts_event_ns, x, x * getvariable('N') + 1 AS y FROM a"}},
		{name: "string literal", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns, price AS x FROM bronze.stocks_trades WHERE symbol = 'QQQ'"}},
		{name: "parameter value", manifest: [][2]string{{"  N: 5", "  N: 6"}}},
		{name: "parameter type", manifest: [][2]string{{"  N: 5", "  N: 5.0"}}},
		{name: "validation rule", manifest: [][2]string{{"max_null_rate: 0.05", "max_null_rate: 0.06"}}},
		{name: "allow empty", manifest: [][2]string{{"validation: {max_null_rate: 0.05}", "validation: {max_null_rate: 0.05, allow_empty: true}"}}},
		{name: "lookback", manifest: [][2]string{{"lookback_days: 1", "lookback_days: 2"}}},
		{name: "key", manifest: [][2]string{{"key: [ts_event_ns]", "key: [ts_event_ns, x]"}}},
		{name: "feature groups", manifest: [][2]string{{"columns: [x]", "columns: [x, y]"}}},
		{name: "version", manifest: [][2]string{{"version: v1.0", "version: v1.1"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseManifest
			for _, r := range tc.manifest {
				if !strings.Contains(m, r[0]) {
					t.Fatalf("case does not apply: %q", r[0])
				}
				m = strings.Replace(m, r[0], r[1], 1)
			}
			got := load(t, m, withSQL(tc.sql))
			if (got == base) != tc.same {
				t.Fatalf("same fingerprint = %v, want %v", got == base, tc.same)
			}
		})
	}
}

// TestViewText: a view file is one statement for DuckDB's parser, which
// alone decides where it ends: the view created from each file returns
// exactly the rows of the statement it holds.
func TestViewText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT 1;", "SELECT 1"},
		{"SELECT 1 ; -- done\n", "SELECT 1"},
		{"SELECT 1; -- done", "SELECT 1"},
		{"SELECT ';' AS s;", "SELECT ';' AS s"},
		{"SELECT 'it''s;' AS s;", "SELECT 'it''s;' AS s"},
		{"SELECT E'a\\';' AS s;", "SELECT E'a\\';' AS s"},
		{`SELECT 1 AS "a;b";`, `SELECT 1 AS "a;b"`},
		{"SELECT 1 -- a; comment\n, 2;", "SELECT 1 -- a; comment\n, 2"},
		{"SELECT 1 /* a; */ ;", "SELECT 1 /* a; */"},
		{"SELECT $$a;b$$;", "SELECT $$a;b$$"},
		{"SELECT $q$a;b$q$ ;", "SELECT $q$a;b$q$"},
		{"\n  SELECT 1\n", "SELECT 1"},
		// Nested block comments: the ';' and the first "*/" are inside.
		{"SELECT 1 AS a /* x /* y; */ z; */, 2 AS b; /* after */", "SELECT 1 AS a, 2 AS b"},
	}
	ctx := context.Background()
	db := parser(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows := func(query string) string {
		t.Helper()
		r, err := conn.QueryContext(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer r.Close()
		cols, _ := r.Columns()
		out := strings.Join(cols, ",") + "\n"
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintln(vals...)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range cases {
		p, err := parseSQL(ctx, db, tc.in)
		if err != nil || p.statements != 1 {
			t.Errorf("%q: DuckDB's parser: %+v, %v; want one statement", tc.in, p, err)
			continue
		}
		if _, err := conn.ExecContext(ctx, createViewSQL(View{Name: "v", Text: tc.in})); err != nil {
			t.Errorf("%q: create view: %v", tc.in, err)
			continue
		}
		if got, want := rows("SELECT * FROM v"), rows(tc.want); got != want {
			t.Errorf("%q: view returns\n%s\nwant (%s)\n%s", tc.in, got, tc.want, want)
		}
	}
}

// TestParameterBinding checks every parameter type reaches SQL with its
// type and value through Install.
func TestParameterBinding(t *testing.T) {
	params := `parameters:
  I: 42
  F: 0.25
  S: "it's; DROP TABLE x"
  B: true
  D: {type: duration, value: 240s}
  D2: {type: duration, value: 1.5}
  F2: {type: float, value: 3}
`
	m := strings.Replace(baseManifest, "parameters:\n  N: 5\n  W: {type: duration, value: 240s}\n", params, 1)
	files := withSQL(map[string]string{"sql/b.sql": "SELECT ts_event_ns, x, x AS y FROM a"})
	ctx := context.Background()
	lake := freshLake(t)
	db := openEngine(t, lake)
	b, err := LoadBundle(ctx, db.SQL(), writeBundle(t, m, files), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := Install(ctx, conn, b); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ expr, want string }{
		{"typeof(getvariable('I')) || ' ' || getvariable('I')", "BIGINT 42"},
		{"typeof(getvariable('F')) || ' ' || getvariable('F')", "DOUBLE 0.25"},
		{"typeof(getvariable('S')) || ' ' || getvariable('S')", "VARCHAR it's; DROP TABLE x"},
		{"typeof(getvariable('B')) || ' ' || getvariable('B')", "BOOLEAN true"},
		{"typeof(getvariable('D')) || ' ' || epoch_ns(getvariable('D'))", "INTERVAL 240000000000"},
		{"epoch_ns(getvariable('d2'))", "1500000000"},
		{"typeof(getvariable('F2')) || ' ' || getvariable('F2')", "DOUBLE 3.0"},
		// Unscoped, the reserved BUILD_DATE is a NULL DATE.
		{"typeof(getvariable('BUILD_DATE')) || ' ' || (getvariable('BUILD_DATE') IS NULL)", "DATE true"},
	}
	for _, tc := range cases {
		var got string
		if err := conn.QueryRowContext(ctx, "SELECT CAST("+tc.expr+" AS VARCHAR)").Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, got, tc.want)
		}
	}
	if err := BindBuildDate(ctx, conn, "2025-12-16"); err != nil {
		t.Fatal(err)
	}
	var date string
	if err := conn.QueryRowContext(ctx, "SELECT typeof(getvariable('BUILD_DATE')) || ' ' || getvariable('BUILD_DATE')").Scan(&date); err != nil {
		t.Fatal(err)
	}
	if date != "DATE 2025-12-16" {
		t.Errorf("bound BUILD_DATE = %q, want DATE 2025-12-16", date)
	}
	// The views are there by name, over the unscoped lake.
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM b").Scan(&n); err != nil || n == 0 {
		t.Fatalf("count(*) FROM b = %d, %v", n, err)
	}
	if err := Uninstall(ctx, conn, b); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT * FROM b"); err == nil {
		t.Fatal("view b still exists after Uninstall")
	}
}
