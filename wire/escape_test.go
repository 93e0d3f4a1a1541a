package wire

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/spysql/spysql/engine/store"
)

// goldLake is a lake with one Gold dataset (rows x 10 columns), written
// as a promotion writes it (see writeGold).
func goldLake(t testing.TB, name string, rows int) store.Lake {
	t.Helper()
	lake := newLake(t)
	writeGold(t, lake, name, rows)
	return lake
}

// hashTree hashes every path, file content and symlink target under dir.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var paths []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		return nil
	})
	sort.Strings(paths)
	for _, p := range paths {
		h.Write([]byte(p + "\x00"))
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			h.Write([]byte("-> " + target))
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(data)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestEscapes: every way out of the read-only lake sandbox fails, and
// the lake is byte-for-byte the same afterwards.
func TestEscapes(t *testing.T) {
	lake := goldLake(t, "signals", 100)
	root := lake.Root()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.csv")
	if err := os.WriteFile(secret, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(root, "gold", "link.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "gold", "outdir")); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, root)
	ts := startServer(t, lake, Config{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("attacker"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rel, _ := filepath.Rel(root, secret)
	escapeCSV := filepath.Join(outside, "spysql-escape.csv")
	// Every attempt is refused with permission denied (42501), except
	// calls of functions DuckDB does not have (42883) and SET of DuckDB
	// settings, which the emulated SET does not know (42704, or 42601
	// for a value it cannot read), as PostgreSQL answers them.
	codes := map[string]string{
		"SELECT getenv('HOME')":             "42883",
		"SET enable_external_access = true": "42704",
		"SET allowed_directories = ['/']":   "42601",
		"SET lock_configuration = false":    "42704",
		"SET threads = 1":                   "42704",
		"RESET lock_configuration":          "42704",
	}
	attempts := []string{
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM read_csv_auto('/etc/passwd')",
		"SELECT * FROM read_text('/etc/hostname')",
		"SELECT * FROM read_blob('/etc/hostname')",
		"SELECT * FROM glob('/*')",
		"SELECT * FROM glob('" + root + "/../*')",
		"SELECT * FROM read_csv('" + secret + "')",
		"SELECT * FROM read_csv('" + root + "/" + rel + "')",
		"SELECT * FROM read_text('" + root + "/gold/../../../../../../etc/passwd')",
		"SELECT * FROM read_csv('" + root + "/gold/link.csv')",
		"SELECT * FROM read_text('" + root + "/gold/link.csv')",
		"SELECT * FROM read_text('" + root + "/gold/outdir/secret.csv')",
		"SELECT * FROM glob('" + root + "/gold/outdir/*')",
		"SELECT * FROM read_json('/etc/passwd')",
		"SELECT * FROM sniff_csv('/etc/passwd')",
		"SELECT * FROM parquet_metadata('/etc/passwd')",
		"SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')",
		"SELECT * FROM read_parquet('https://example.com/x.parquet')",
		"SELECT * FROM read_csv('s3://bucket/x.csv')",
		"SELECT getenv('HOME')",
		"SELECT * FROM query('CREATE TABLE x AS SELECT 1')",
		"SELECT * FROM query_table('duckdb_settings')",
		"COPY (SELECT 1) TO '" + root + "/gold/evil.csv'",
		"COPY (SELECT 1) TO '" + escapeCSV + "'",
		"COPY gold.signals TO '" + outside + "/x.parquet'",
		"EXPORT DATABASE '" + outside + "/db'",
		"ATTACH '" + outside + "/x.duckdb' AS x",
		"ATTACH ':memory:' AS m",
		"INSTALL httpfs",
		"LOAD httpfs",
		"LOAD '/tmp/evil.duckdb_extension'",
		"SET enable_external_access = true",
		"SET GLOBAL enable_external_access = true",
		"SET allowed_directories = ['/']",
		"SET lock_configuration = false",
		"SET threads = 1",
		"RESET lock_configuration",
		"PRAGMA threads = 1",
		"CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'x')",
		"CREATE TABLE t AS SELECT 1",
		"CREATE VIEW gold.v AS SELECT 1",
		"CREATE OR REPLACE VIEW gold.signals AS SELECT 1",
		"CREATE MACRO m(a) AS a",
		"CREATE TEMP TABLE t (i INTEGER)",
		"DROP VIEW gold.signals",
		"ALTER VIEW gold.signals RENAME TO x",
		"CHECKPOINT",
		"CALL pragma_version()",
		"SET VARIABLE v = 1",
		"BEGIN; CREATE TABLE t (i INTEGER); COMMIT",
		"EXPLAIN ANALYZE COPY (SELECT 1) TO '" + escapeCSV + "'",
		"EXPLAIN ANALYZE WITH x AS (SELECT 1) DELETE FROM calendar.sessions",
		"EXPLAIN ANALYZE WITH x AS (SELECT 1) INSERT INTO calendar.sessions SELECT * FROM calendar.sessions",
		"EXPLAIN ANALYZE WITH x AS (SELECT 1) UPDATE calendar.sessions SET early_close = true",
		"EXPLAIN (ANALYZE) WITH x AS (SELECT 1) DELETE FROM calendar.sessions",
		"EXPLAIN WITH x AS (SELECT 1) DELETE FROM calendar.sessions",
		"WITH x AS (SELECT 1) DELETE FROM calendar.sessions",
		"WITH a AS (SELECT 1) SELECT * FROM read_text('/etc/hostname')",
		"SELECT * FROM (SELECT 1) t, read_text('/etc/hostname')",
		"SELECT * FROM 'etc/passwd'",
		"SELECT * FROM '/etc/passwd'",
		"FROM read_text('/proc/self/environ')",
	}
	for _, q := range attempts {
		want := "42501"
		if code, ok := codes[q]; ok {
			want = code
		}
		rows, err := c.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err == nil {
			var n int
			for rows.Next() {
				n++
			}
			err = rows.Err()
			rows.Close()
		}
		if code := sqlState(err); code != want {
			t.Errorf("%s: %v, want %s", q, err, want)
		}
		if c.PgConn().TxStatus() != 'I' {
			if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// No attempt changed the shared database.
	var sessions, early int64
	if err := c.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE early_close) FROM calendar.sessions").Scan(&sessions, &early); err != nil || sessions != 5276 || early != 44 {
		t.Fatalf("calendar.sessions changed: %d rows, %d early closes, err %v", sessions, early, err)
	}
	// The sandbox still serves the lake.
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM gold.signals").Scan(&n); err != nil || n != 100 {
		t.Fatalf("gold.signals after the escapes: %d, %v", n, err)
	}
	if after := hashTree(t, root); after != before {
		t.Fatalf("lake changed during the escape suite")
	}
	if _, err := os.Stat(escapeCSV); err == nil {
		t.Fatalf("COPY wrote %s", escapeCSV)
	}
}

// TestDuckDBStatementTypeChecked: a statement that passes the text
// classification but is not a query in DuckDB's eyes is still refused.
func TestDuckDBStatementTypeChecked(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	sess, err := ts.srv.eng.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	st, err := newSettings(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pool := sessionPool{sess: []EngineConn{sess}, used: []uint64{0}, paths: []string{defaultPath}}
	c := &conn{srv: ts.srv, pool: pool, settings: st, log: ts.srv.log}
	for _, q := range []string{"CREATE TABLE t (i INTEGER)", "ATTACH ':memory:' AS m", "SET VARIABLE x = 1"} {
		p := &prepared{st: statement{sql: q, kind: stmtQuery, tag: "SELECT"}}
		err := c.prepareQuery(ctx, p)
		if err == nil || toPGError(err).Code != CodeInsufficientPrivilege {
			t.Errorf("%s: got %v, want 42501", q, err)
		}
	}
}
