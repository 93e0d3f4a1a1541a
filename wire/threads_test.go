package wire

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestAdaptiveThreadsOverWire: DuckDB's threads follow what clients run
// (duck.Config.AdaptiveThreads, as serve runs): a statement that ran in
// under 10 ms runs on one thread without ever raising them, a statement
// never run before gets every core while it runs, and small statements
// bring the server back to one.
func TestAdaptiveThreadsOverWire(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	waitThreads := func(want int64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			var got string
			if err := ts.db.SQL().QueryRowContext(ctx, "SELECT CAST(current_setting('threads') AS VARCHAR)").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got == strconv.FormatInt(want, 10) && ts.db.ThreadStats().Current == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("threads %s, want %d (stats %+v)", got, want, ts.db.ThreadStats())
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	c, err := pgconn.Connect(ctx, ts.connString("alice"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	run := func(sql string) {
		t.Helper()
		if _, err := c.Exec(ctx, sql).ReadAll(); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if max := ts.db.ThreadStats().Max; max != 2 {
		t.Fatalf("max threads %d, want the test server's 2", max)
	}
	// A new text counts as big; once known to be small (the second run)
	// the server drops to one thread.
	run("SELECT 42")
	run("SELECT 42")
	waitThreads(1)
	// Now it runs twenty times without a change.
	settled := ts.db.ThreadStats().Changes
	for range 20 {
		run("SELECT 42")
	}
	if got := ts.db.ThreadStats(); got.Changes != settled || got.Current != 1 {
		t.Fatalf("a small statement changed threads: %+v, want %d changes at 1 thread", got, settled)
	}
	// A long statement has both cores while it runs.
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(ctx, "SELECT count(*) FROM generate_series(1, 100000000000) t(i) WHERE i % 7 = 3").ReadAll()
		done <- err
	}()
	waitThreads(2)
	if err := c.CancelRequest(ctx); err != nil {
		t.Fatal(err)
	}
	var pgErr *pgconn.PgError
	if err := <-done; !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Fatalf("long statement: %v, want 57014", err)
	}
	// Small statements bring it back to one.
	run("SELECT 42")
	waitThreads(1)
}
