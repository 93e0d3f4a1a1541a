package pgcatalog

import (
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// What the rewrite must remove or keep, checked on the text it gives
// (the answers themselves are checked against DuckDB in
// TestCatalogAnswersLikePostgres).
func TestRewriteShapes(t *testing.T) {
	cases := []struct {
		name, sql  string
		changed    bool
		mustHave   []string
		mustNotHas []string
	}{
		{"operator and collate", `SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default`,
			true, []string{"regexp_matches(", "__pg_catalog.pg_class"}, []string{"OPERATOR", "COLLATE"}},
		{"negated case-insensitive regex", `SELECT 1 AS x FROM pg_namespace WHERE nspname !~* '^pg_'`,
			true, []string{"NOT regexp_matches(nspname, '^pg_', 'i')"}, nil},
		{"regclass literal compares as an oid", `SELECT attname FROM pg_attribute WHERE attrelid = 'gold.ds'::regclass`,
			true, []string{"spysql_regclass_in('gold.ds')"}, []string{"regclass_out"}},
		{"regclass column shown as a name", `SELECT c.oid::pg_catalog.regclass FROM pg_class c`,
			true, []string{"spysql_regclass_out(c.oid)"}, nil},
		{"cte shadows a catalog name", `WITH pg_type AS (SELECT 1 AS oid) SELECT oid FROM pg_type`,
			false, nil, nil},
		{"plain query is left as written", `SELECT ts_event_ns, price FROM gold.ds WHERE ts_event_ns = $1`,
			false, nil, nil},
		{"duckdb dialect is left as written", `FROM gold.ds SELECT * EXCLUDE (price)`, false, nil, nil},
		{"non-query is left as written", `SET search_path = gold`, false, nil, nil},
		{"aggregate gets its name", `SELECT count(*) FROM gold.ds`, true, []string{"AS count"}, nil},
		{"any over an array", `SELECT 1 AS x FROM pg_attribute a, pg_index i WHERE a.attnum = ANY(i.indkey)`,
			true, []string{"list_contains(i.indkey, a.attnum)"}, []string{"ANY"}},
		{"current_user", `SELECT current_user AS u`, true, []string{"spysql_user()"}, nil},
		{"information_schema", `SELECT column_name FROM information_schema.columns`, true, []string{"__information_schema.columns"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, changed := Rewrite(tc.sql, Options{})
			if changed != tc.changed {
				t.Fatalf("changed %v, want %v: %s", changed, tc.changed, out)
			}
			if !changed && out != tc.sql {
				t.Fatalf("unchanged but text differs: %s", out)
			}
			for _, s := range tc.mustHave {
				if !strings.Contains(out, s) {
					t.Errorf("%s lacks %q", out, s)
				}
			}
			for _, s := range tc.mustNotHas {
				if strings.Contains(out, s) {
					t.Errorf("%s still has %q", out, s)
				}
			}
		})
	}
}

// FuzzRewrite: any input gives back either itself or a statement
// PostgreSQL's parser accepts, and never panics.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		"SELECT 1", "SELECT c.oid::regclass FROM pg_class c", "select $1, $2",
		"SELECT n.nspname FROM pg_namespace n WHERE n.nspname !~ '^pg_' COLLATE \"C\"",
		"WITH t AS (SELECT 1) SELECT * FROM t", "EXPLAIN SELECT current_user",
		"SELECT (information_schema._pg_expandarray(i.indkey)).n FROM pg_index i",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		out, changed := Rewrite(sql, Options{Setting: func(string) (string, bool) { return "x", true }})
		if !changed {
			if out != sql {
				t.Fatalf("unchanged but differs")
			}
			return
		}
		if _, err := pg.Parse(out); err != nil {
			t.Fatalf("rewrite of %q gives unparsable %q: %v", sql, out, err)
		}
		cast, _ := CastParams(sql, map[int]string{1: "varchar"})
		if cast != sql {
			if _, err := pg.Parse(cast); err != nil {
				t.Fatalf("CastParams of %q gives unparsable %q", sql, cast)
			}
		}
	})
}
