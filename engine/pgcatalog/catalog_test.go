package pgcatalog

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// testDB is an in-memory DuckDB with the catalog installed, one
// connection, schemas gold and calendar holding like objects of the
// lake's, and the connection's identity set.
func testDB(t *testing.T) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := Install(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	stmts := []string{
		"CREATE SCHEMA gold", "CREATE SCHEMA calendar",
		"CREATE VIEW gold.ds AS SELECT 1::BIGINT AS ts_event_ns, 2.5::DOUBLE AS price, 'x' AS sym, 1.25::DECIMAL(18,2) AS d, [1,2]::INTEGER[] AS conds, TIMESTAMPTZ '2025-01-01 00:00:00+00' AS ts",
		"CREATE TABLE calendar.sessions (date DATE NOT NULL, rth_open_ns BIGINT, early_close BOOLEAN)",
		"COMMENT ON VIEW gold.ds IS 'Training set'",
		"COMMENT ON COLUMN gold.ds.price IS 'Trade price in USD'",
	}
	stmts = append(stmts, SessionStatements("alice", "lake", "test", 42)...)
	stmts = append(stmts, SearchPathStatement([]string{"gold"}))
	for _, s := range stmts {
		if _, err := c.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return c
}

// query runs sql through Rewrite and returns the column names and rows
// as text ("NULL" for NULL).
func query(t *testing.T, c *sql.Conn, q string) ([]string, [][]string) {
	t.Helper()
	rw, _ := Rewrite(q, Options{Setting: func(n string) (string, bool) {
		if n == "server_version" {
			return "15.0 (spysql test)", true
		}
		return "", false
	}})
	rows, err := c.QueryContext(context.Background(), rw)
	if err != nil {
		t.Fatalf("%s\nrewritten: %s\n%v", q, rw, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if v == nil {
				row[i] = "NULL"
			} else {
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s\nrewritten: %s\n%v", q, rw, err)
	}
	return cols, out
}

func flat(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|"))
		b.WriteString("\n")
	}
	return b.String()
}

// TestOIDColumnsAreOID: every catalog column PostgreSQL types oid is
// UINTEGER, which the wire server reports as oid (and lists of them as
// oid[]): asyncpg's type introspection needs oid and oid[], the only
// arrays it decodes before it has introspected anything.
func TestOIDColumnsAreOID(t *testing.T) {
	c := testDB(t)
	cols := map[string][]string{
		"pg_type":        {"oid", "typnamespace", "typelem", "typarray", "typbasetype", "typrelid", "typcollation", "tableoid"},
		"pg_namespace":   {"oid", "nspowner"},
		"pg_class":       {"oid", "relnamespace", "reltype", "relowner", "relam", "tableoid"},
		"pg_attribute":   {"attrelid", "atttypid", "attcollation"},
		"pg_range":       {"rngtypid", "rngsubtype", "rngmultitypid", "rngcollation"},
		"pg_proc":        {"oid", "pronamespace", "prorettype", "proowner", "prolang", "tableoid"},
		"pg_description": {"objoid", "classoid"},
		"pg_database":    {"oid", "datdba"},
		"pg_am":          {"oid"},
	}
	for rel, names := range cols {
		for _, col := range names {
			var typ string
			q := fmt.Sprintf("SELECT column_type FROM (DESCRIBE SELECT %s FROM %s.%s)", col, CatalogSchema, rel)
			if err := c.QueryRowContext(context.Background(), q).Scan(&typ); err != nil {
				t.Fatalf("%s.%s: %v", rel, col, err)
			}
			if typ != "UINTEGER" {
				t.Errorf("%s.%s is %s, want UINTEGER (oid)", rel, col, typ)
			}
		}
	}
	var typ string
	q := "SELECT column_type FROM (DESCRIBE SELECT proallargtypes FROM __pg_catalog.pg_proc)"
	if err := c.QueryRowContext(context.Background(), q).Scan(&typ); err != nil || typ != "UINTEGER[]" {
		t.Errorf("pg_proc.proallargtypes is %s (%v), want UINTEGER[] (oid[])", typ, err)
	}
}
