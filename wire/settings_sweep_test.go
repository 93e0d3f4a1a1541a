package wire

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestClientsCannotChangeDuckDBSettings: with adaptive threads DuckDB's
// configuration is not locked, so nothing a client sends may reach a SET,
// RESET or PRAGMA in DuckDB. Each attempt goes through every way a
// statement enters the server (simple query, multi-statement text,
// extended protocol, COPY, DECLARE, EXPLAIN ANALYZE, set_config); after
// all of them DuckDB's settings are as they were and the session works.
func TestClientsCannotChangeDuckDBSettings(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	settings := []string{"memory_limit", "temp_directory", "enable_profiling", "profiling_output",
		"max_temp_directory_size", "enable_external_access", "lock_configuration", "autoload_known_extensions",
		"enable_logging", "preserve_insertion_order", "TimeZone"}
	read := func() map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, name := range settings {
			var v string
			if err := ts.db.SQL().QueryRowContext(ctx, "SELECT coalesce(CAST(current_setting('"+name+"') AS VARCHAR), '<null>')").Scan(&v); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got[name] = v
		}
		return got
	}
	before := read()
	c, err := pgconn.Connect(ctx, ts.connString("mallory"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	sets := []string{
		"SET memory_limit = '1TB'",
		"SET GLOBAL memory_limit = '1TB'",
		"SET temp_directory = '/tmp/mallory'",
		"SET GLOBAL enable_profiling = 'json'",
		"SET profiling_output = '/tmp/mallory.json'",
		"SET GLOBAL preserve_insertion_order = false",
		"SET GLOBAL TimeZone = 'Asia/Tokyo'",
		"RESET memory_limit",
		"RESET ALL",
		"PRAGMA memory_limit = '1TB'",
		"PRAGMA enable_profiling",
		"CALL enable_logging()",
	}
	var attempts []string
	for _, s := range sets {
		attempts = append(attempts,
			s,
			"SELECT 1; "+s,
			s+"; SELECT 1",
			"COPY ("+s+") TO STDOUT",
			"DECLARE c CURSOR FOR "+s,
			"EXPLAIN ANALYZE "+s,
			"BEGIN; "+s+"; COMMIT",
		)
	}
	attempts = append(attempts,
		"SELECT set_config('memory_limit', '1TB', false)",
		"SELECT set_config('TimeZone', 'Asia/Tokyo', false)",
		"SELECT * FROM duckdb_settings() WHERE name = 'memory_limit' AND (SELECT set_config('memory_limit', '1TB', false)) IS NOT NULL",
	)
	for _, q := range attempts {
		_, _ = c.Exec(ctx, q).ReadAll() // refused or emulated: what DuckDB holds is checked below
		if _, err := c.Exec(ctx, "ROLLBACK").ReadAll(); err != nil {
			t.Fatalf("after %q the session is broken: %v", q, err)
		}
		// The extended protocol: Parse alone must not run anything.
		if _, err := c.Prepare(ctx, "", q, nil); err == nil {
			_ = c.ExecPrepared(ctx, "", nil, nil, nil).Read()
		}
	}
	if after := read(); len(after) != len(before) {
		t.Fatalf("settings read %d, want %d", len(after), len(before))
	} else {
		for name, v := range before {
			if after[name] != v {
				t.Errorf("DuckDB setting %s changed from %q to %q", name, v, after[name])
			}
		}
	}
	res, err := c.Exec(ctx, "SELECT 41 + 1").ReadAll()
	if err != nil || string(res[0].Rows[0][0]) != "42" {
		t.Fatalf("session after the attempts: %v %v", res, err)
	}
}
