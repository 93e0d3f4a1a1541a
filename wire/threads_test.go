package wire

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/spysql/spysql/internal/testkit"
)

// TestAdaptiveThreadsOverWire: DuckDB's threads follow what clients run
// (duck.Config.AdaptiveThreads, as serve runs): a statement that ran in
// under 10 ms runs on one thread without ever raising them, a statement
// never run before gets every core while it runs, and a small statement
// brings an idle server back to one.
func TestAdaptiveThreadsOverWire(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	waitThreads := func(want int64) {
		t.Helper()
		testkit.WaitFor(t, 10*time.Second, "threads "+strconv.FormatInt(want, 10), func() bool {
			var got string
			if err := ts.db.SQL().QueryRowContext(ctx, "SELECT CAST(current_setting('threads') AS VARCHAR)").Scan(&got); err != nil {
				t.Fatal(err)
			}
			return got == strconv.FormatInt(want, 10) && ts.db.ThreadStats().Current == want
		})
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
	// A new text counts as big (the server keeps its workers after it);
	// once its runs are known to take under 10 ms, the server is at one
	// thread whenever it is idle after one.
	settle := func() {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for ts.db.ThreadStats().Current != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("SELECT 42 never brought threads to 1: %+v", ts.db.ThreadStats())
			}
			run("SELECT 42")
		}
	}
	settle()
	// A run expected small never changes them. (A run on a loaded
	// machine may take 10 ms and make the next one big: that one is
	// skipped, but most runs must count as small.)
	small := 0
	for range 10 {
		settle()
		if ts.srv.ops.sizes.big("SELECT 42") {
			run("SELECT 42")
			continue
		}
		small++
		before := ts.db.ThreadStats()
		run("SELECT 42")
		if got := ts.db.ThreadStats(); got.Changes != before.Changes || got.Current != 1 {
			t.Fatalf("a small statement changed threads: %+v, before %+v", got, before)
		}
	}
	if small < 5 {
		t.Fatalf("only %d of 10 runs of SELECT 42 counted as small", small)
	}
	// A long statement never seen has both cores while it runs.
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(ctx, "SELECT count(*) FROM generate_series(1, 100000000000) t(i) WHERE i % 7 = 3").ReadAll()
		done <- err
	}()
	waitThreads(2)
	// The threads can be raised just before the statement's cancel
	// handle is registered: cancel until it ends.
	err = nil
	for stop := false; !stop; {
		if cerr := c.CancelRequest(ctx); cerr != nil {
			t.Fatal(cerr)
		}
		select {
		case err = <-done:
			stop = true
		case <-time.After(200 * time.Millisecond):
		}
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Fatalf("long statement: %v, want 57014", err)
	}
	// Small statements bring it back to one.
	run("SELECT 42")
	waitThreads(1)
}
