package pgcatalog

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/csv"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"
)

//go:embed sql/*.sql data/*.csv
var files embed.FS

// Schema names of the catalog in DuckDB.
const (
	CatalogSchema = "__pg_catalog"
	InfoSchema    = "__information_schema"
)

// sqlFiles are run in this order.
var sqlFiles = []string{"sql/pg_catalog.sql", "sql/functions.sql", "sql/information_schema.sql"}

// staticTables are PostgreSQL 15's rows, loaded as __pg_catalog.static_<name>.
var staticTables = []string{"pg_type", "pg_proc", "pg_range", "pg_am", "pg_keywords"}

// Install creates the catalog's schemas, static tables, views and macros
// in db; pg_stat_activity lists what sessions supplies (nothing when nil).
// It is idempotent.
func Install(ctx context.Context, db *sql.DB, sessions *Sessions) error {
	if err := registerSessions(ctx, db, sessions); err != nil {
		return err
	}
	for _, s := range []string{CatalogSchema, InfoSchema} {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+s); err != nil {
			return fmt.Errorf("pg catalog: create schema %s: %w", s, err)
		}
	}
	for _, t := range staticTables {
		stmts, err := staticStatements(t)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("pg catalog: load %s: %w", t, err)
			}
		}
	}
	for _, f := range sqlFiles {
		stmts, err := statementsOf(f)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("pg catalog: %s: %w\n%s", f, err, s)
			}
		}
	}
	return nil
}

// statementsOf splits an embedded SQL file at lines holding only ";".
func statementsOf(name string) ([]string, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("pg catalog: %w", err)
	}
	var out []string
	for _, part := range strings.Split(string(b), "\n;\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		if s := strings.TrimSpace(strings.Join(lines, "\n")); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// staticStatements creates and fills __pg_catalog.static_<name> from
// data/<name>.csv, whose header names each column as name:DUCKDBTYPE;
// a field \N is NULL.
func staticStatements(name string) ([]string, error) {
	b, err := files.ReadFile("data/" + name + ".csv")
	if err != nil {
		return nil, fmt.Errorf("pg catalog: %w", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("pg catalog: data/%s.csv: %w", name, err)
	}
	if len(recs) < 1 {
		return nil, fmt.Errorf("pg catalog: data/%s.csv: no header", name)
	}
	var cols []string
	for _, h := range recs[0] {
		n, typ, ok := strings.Cut(h, ":")
		if !ok {
			return nil, fmt.Errorf("pg catalog: data/%s.csv: header %q is not name:TYPE", name, h)
		}
		cols = append(cols, n+" "+typ)
	}
	table := CatalogSchema + ".static_" + name
	stmts := []string{fmt.Sprintf("CREATE OR REPLACE TABLE %s (%s)", table, strings.Join(cols, ", "))}
	var rows []string
	for i, r := range recs[1:] {
		if len(r) != len(cols) {
			return nil, fmt.Errorf("pg catalog: data/%s.csv line %d: %d fields, want %d", name, i+2, len(r), len(cols))
		}
		vals := make([]string, len(r))
		for j, v := range r {
			if v == `\N` {
				vals[j] = "NULL"
			} else {
				vals[j] = quote(v)
			}
		}
		rows = append(rows, "("+strings.Join(vals, ", ")+")")
	}
	for len(rows) > 0 {
		n := min(len(rows), 500)
		stmts = append(stmts, "INSERT INTO "+table+" VALUES "+strings.Join(rows[:n], ", "))
		rows = rows[n:]
	}
	return stmts, nil
}

// SessionStatements are the statements that give one DuckDB connection
// its client's identity, read by the catalog's views and macros. version
// is spysql's own, for version().
func SessionStatements(user, database, version string, pid int32) []string {
	return []string{
		"SET VARIABLE spysql_user = " + quote(user),
		"SET VARIABLE spysql_database = " + quote(database),
		"SET VARIABLE spysql_version_string = " + quote(VersionString(version)),
		fmt.Sprintf("SET VARIABLE spysql_pid = %d", pid),
	}
}

// SearchPathStatement sets the schemas pg_table_is_visible, regclass
// lookups and current_schemas see, in order.
func SearchPathStatement(schemas []string) string {
	q := make([]string, len(schemas))
	for i, s := range schemas {
		q[i] = quote(s)
	}
	return "SET VARIABLE spysql_search_path = [" + strings.Join(q, ", ") + "]::VARCHAR[]"
}

// VersionString is version()'s answer, in PostgreSQL's format.
func VersionString(version string) string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return fmt.Sprintf("PostgreSQL 15.0 (spysql %s) on %s-pc-%s-gnu, compiled by %s, 64-bit", version, arch, runtime.GOOS, runtime.Version())
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

var createRe = regexp.MustCompile(`(?m)^CREATE OR REPLACE (VIEW|MACRO) (__pg_catalog|__information_schema)\.(\w+)`)

// catalogNames are the relations and functions the SQL files define, by
// schema: what the rewrite sends to the catalog.
type catalogNames struct {
	rels  map[string]map[string]bool // schema -> relation
	funcs map[string]map[string]bool // schema -> function
}

func loadNames() catalogNames {
	n := catalogNames{rels: map[string]map[string]bool{}, funcs: map[string]map[string]bool{}}
	for _, s := range []string{CatalogSchema, InfoSchema} {
		n.rels[s], n.funcs[s] = map[string]bool{}, map[string]bool{}
	}
	for _, f := range sqlFiles {
		b, err := files.ReadFile(f)
		if err != nil {
			panic(err) // embedded at build time
		}
		for _, m := range createRe.FindAllStringSubmatch(string(b), -1) {
			if m[1] == "VIEW" {
				n.rels[m[2]][m[3]] = true
			} else {
				n.funcs[m[2]][m[3]] = true
			}
		}
	}
	return n
}

// Relations lists the pg_catalog relations the catalog defines, sorted.
func Relations() []string {
	var out []string
	for r := range loadNames().rels[CatalogSchema] {
		if !strings.HasPrefix(r, "spysql_") {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}
