package gate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/spysql/spysql/engine/pgcatalog"
)

var (
	duckOnce sync.Once
	duck     *sql.DB
	duckErr  error
)

// openDuck is an in-memory DuckDB, the same library the server links,
// with engine/pgcatalog's catalog installed as the server has it.
func openDuck(t testing.TB) *sql.DB {
	t.Helper()
	duckOnce.Do(func() {
		duck, duckErr = sql.Open("duckdb", "")
		if duckErr == nil {
			duck.SetMaxOpenConns(1)
			duckErr = pgcatalog.Install(context.Background(), duck, nil)
		}
	})
	if duckErr != nil {
		t.Fatal(duckErr)
	}
	return duck
}

// decide runs the gate as the server does: DuckDB parses, Check decides.
func decide(t testing.TB, db *sql.DB, q string) error {
	t.Helper()
	var tree string
	if err := db.QueryRow(SerializeSQL, q).Scan(&tree); err != nil {
		t.Fatalf("serialize %q: %v", q, err)
	}
	return Check([]byte(tree))
}

func refusalKind(err error) (RefusalKind, bool) {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Kind, true
	}
	return 0, false
}

type duckFunction struct{ name, types string }

func duckFunctions(t *testing.T, db *sql.DB) []duckFunction {
	t.Helper()
	rows, err := db.Query(`SELECT function_name, string_agg(DISTINCT function_type, ',' ORDER BY function_type)
		FROM duckdb_functions() GROUP BY 1 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var fs []duckFunction
	for rows.Next() {
		var f duckFunction
		if err := rows.Scan(&f.name, &f.types); err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(fs) < 500 {
		t.Fatalf("duckdb_functions() lists only %d functions", len(fs))
	}
	return fs
}

// TestEveryFunctionClassified: every function DuckDB ships, and every
// macro engine/pgcatalog installs, is on exactly one of the allowed lists
// or refused; a DuckDB upgrade (or a new catalog macro) that adds one
// fails here until it is classified in functions.go.
func TestEveryFunctionClassified(t *testing.T) {
	db := openDuck(t)
	var unclassified []string
	for _, f := range duckFunctions(t, db) {
		allowed, refused := Classified(f.name)
		switch {
		case allowed && refused:
			t.Errorf("%s (%s) is both allowed and refused", f.name, f.types)
		case !allowed && !refused:
			unclassified = append(unclassified, f.name+" ("+f.types+")")
		}
	}
	if len(unclassified) > 0 {
		t.Errorf("functions on no list of wire/gate/functions.go (classify each as allowed or refused):\n%s", strings.Join(unclassified, "\n"))
	}
}

// TestEveryInternalViewClassified: the same for DuckDB's system views,
// which a query names as tables.
func TestEveryInternalViewClassified(t *testing.T) {
	db := openDuck(t)
	rows, err := db.Query("SELECT DISTINCT view_name FROM duckdb_views() WHERE internal ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		n++
		allowed, refused := ViewClassified(name)
		if allowed == refused {
			t.Errorf("internal view %s: allowed %v, refused %v (classify it in wire/gate/views.go)", name, allowed, refused)
		}
	}
	if n < 20 {
		t.Fatalf("only %d internal views", n)
	}
}

// sideEffects are DuckDB's functions with an effect outside the query:
// logging, profiling, settings, secrets, files, extensions, attaching,
// checkpoints, SQL run unseen, pointers. Each must be refused.
var sideEffects = strings.Fields(`enable_logging disable_logging truncate_duckdb_logs duckdb_logs
	duckdb_logs_parsed write_log enable_profiling disable_profiling duckdb_profiling_settings
	duckdb_settings duckdb_secrets which_secret read_blob read_text read_csv read_csv_auto
	sniff_csv read_json read_ndjson glob read_duckdb checkpoint force_checkpoint
	duckdb_extensions duckdb_temporary_files query query_table json_execute_serialized_sql
	json_serialize_plan arrow_scan arrow_scan_dumb enable_peg_parser nextval`)

// TestRefusedFunctionsRefused calls every refused function (and every
// side-effect function above) as DuckDB would parse it, as a table
// function and as a scalar, and checks the gate refuses each.
func TestRefusedFunctionsRefused(t *testing.T) {
	db := openDuck(t)
	names := map[string]bool{}
	for n := range refusedFunctions {
		names[n] = true
	}
	for _, n := range sideEffects {
		if !names[n] {
			t.Errorf("side-effect function %s is not refused", n)
		}
	}
	for n := range names {
		for _, q := range []string{"SELECT * FROM " + quoteFn(n) + "()", "SELECT " + quoteFn(n) + "(1)"} {
			k, ok := refusalKind(decide(t, db, q))
			if !ok || k != Function {
				t.Errorf("%s: got %v, want a Function refusal", q, decide(t, db, q))
			}
		}
	}
}

// quoteFn writes a function name as SQL: quoted, except the operators
// and names DuckDB's parser takes only bare.
func quoteFn(n string) string {
	return `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
}

// nestings put a call at every depth a query can hide one.
var nestings = []string{
	"SELECT %s",
	"SELECT * FROM (SELECT %s) t",
	"WITH c AS (SELECT %s AS x) SELECT * FROM c",
	"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < (SELECT count(*) FROM (SELECT %s))) SELECT * FROM c",
	"SELECT * FROM range(3) r, LATERAL (SELECT %s) l",
	"SELECT sum(1) OVER (PARTITION BY %s) FROM range(1)",
	"SELECT CAST(%s AS VARCHAR)",
	"SELECT list_transform([1], x -> %s)",
	"SELECT 1 WHERE EXISTS (SELECT %s)",
	"SELECT 1 FROM range(1) GROUP BY 1 HAVING max((SELECT %s)) IS NULL",
	"SELECT 1 UNION ALL SELECT %s",
	"SELECT 1 ORDER BY (SELECT %s)",
	"SELECT * FROM range(1) QUALIFY (SELECT %s) IS NULL",
	"DESCRIBE SELECT %s",
	"SUMMARIZE SELECT %s",
	"SELECT coalesce(NULL, %s)",
	"SELECT CASE WHEN true THEN %s END",
	"SELECT [%s]",
	"SELECT {'a': %s}",
	"SELECT * FROM range(1) t(i) JOIN range(1) u(j) ON (SELECT %s) IS NULL",
	"SELECT * FROM (PIVOT (SELECT %s AS a, 1 AS b) ON a IN ('x') USING sum(b))",
}

// TestRefusedAtAnyDepth: a refused table function and a refused scalar
// are found wherever they are written.
func TestRefusedAtAnyDepth(t *testing.T) {
	db := openDuck(t)
	calls := []string{
		"(SELECT count(*) FROM enable_logging(storage='file', storage_path='/tmp/x'))",
		"(SELECT count(*) FROM query('SELECT 1'))",
		"(SELECT count(*) FROM system.main.duckdb_logs)",
		"(SELECT count(*) FROM pg_catalog.pg_settings)",
		"write_log('x')",
		"current_setting('secret_directory')",
		"current_setting(lower('SECRET_DIRECTORY'))",
		"(SELECT count(*) FROM 'x.csv')",
	}
	for _, call := range calls {
		for _, nest := range nestings {
			q := fmt.Sprintf(nest, call)
			if err := decide(t, db, q); err == nil {
				t.Errorf("allowed: %s", q)
			} else if k, ok := refusalKind(err); !ok || k == NotAQuery || k == SyntaxError {
				t.Errorf("%s: %v, want a refusal of the name", q, err)
			}
		}
	}
}

// TestAllowedQueries: what clients of the lake write passes.
func TestAllowedQueries(t *testing.T) {
	db := openDuck(t)
	for _, q := range []string{
		"SELECT 1",
		"SELECT date, count(*), avg(price), stddev(size) FROM bronze.stocks_trades WHERE date > '2025-01-01' GROUP BY 1 ORDER BY 1",
		`SELECT * FROM silver."v0.1_demo" LIMIT 5`,
		"SELECT * FROM read_parquet('/lake/gold/x.parquet')",
		"SELECT * FROM '/lake/gold/x.parquet'",
		"WITH t AS (SELECT ts, lag(px) OVER (ORDER BY ts) p FROM gold.x) SELECT * FROM t, unnest([1,2]) u",
		"SELECT * FROM generate_series(1, 10), range(3)",
		"SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE pg_table_is_visible(c.oid)",
		"SELECT table_name FROM information_schema.tables",
		"SELECT current_setting('TimeZone'), current_setting('search_path'), version()",
		"SELECT $1::int + 1",
		"SELECT format_type(23, -1), pg_size_pretty(1024::bigint)",
		"DESCRIBE gold.x",
		"SUMMARIZE SELECT 1",
		"SHOW TABLES",
		"SELECT 'a' || 'b', 1 + 2 * 3, 'x' ILIKE 'X', [1,2][1], {'a': 1}.a, [1].list_sum()",
		"SELECT strftime(now(), '%Y'), date_trunc('day', TIMESTAMP '2025-01-01 10:00')",
		"FROM calendar.sessions",
	} {
		if err := decide(t, db, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestNotQueries: statements other than SELECT, and syntax errors, are
// told apart.
func TestNotQueries(t *testing.T) {
	db := openDuck(t)
	for q, want := range map[string]RefusalKind{
		"CREATE TABLE t (i INT)":          NotAQuery,
		"COPY (SELECT 1) TO '/tmp/x.csv'": NotAQuery,
		"ATTACH ':memory:' AS m":          NotAQuery,
		"CALL enable_logging()":           NotAQuery,
		"PRAGMA enable_profiling":         NotAQuery,
		"SET threads = 1":                 NotAQuery,
		"EXPLAIN SELECT 1":                NotAQuery,
		"SELEC 1":                         SyntaxError,
		"SELECT no_such_function(1)":      UnknownFunction,
	} {
		k, ok := refusalKind(decide(t, db, q))
		if !ok || k != want {
			t.Errorf("%s: got %v, want kind %d", q, decide(t, db, q), want)
		}
	}
}
