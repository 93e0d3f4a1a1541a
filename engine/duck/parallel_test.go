package duck_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// waitThreads polls DuckDB's threads setting until it and ThreadStats
// are want.
func waitThreads(t *testing.T, db *duck.DB, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := one(t, db, "SELECT CAST(current_setting('threads') AS VARCHAR)")
		if got == want && strconv.FormatInt(db.ThreadStats().Current, 10) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("threads = %s, want %s (stats %+v)", got, want, db.ThreadStats())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestAdaptiveThreadsFollowStatements(t *testing.T) {
	l, err := store.OpenLake(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(context.Background(), l, duck.Config{Threads: 4, AdaptiveThreads: true, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Each step reports statements starting (+) or ending (-), big (B) or
	// small (s), then waits for the threads it should lead to: 1 while
	// no big statement runs, else 4 less the other statements running;
	// with nothing running, what the last statements wanted.
	steps := []struct {
		ops  string
		want string
	}{
		{"", "4"},       // a new server keeps its workers
		{"+s", "1"},     // a small statement alone: no fan-out
		{"-s", "1"},     // idle after small ones: stays at one
		{"+B", "4"},     // one big alone: every core
		{"+s", "3"},     // a small one beside it takes a core
		{"+s+s", "1"},   // four running: no cores left over
		{"-s", "2"},     // three running
		{"-s-s", "4"},   // the big one alone again
		{"-B", "4"},     // idle after a big one: keeps its workers
		{"+s", "1"},     // ...until small ones run
		{"+B+B", "3"},   // two big ones beside it
		{"-s-B-B", "3"}, // idle
		{"+s+s", "1"},   // small ones never raise threads
		{"+B", "2"},     // ...until a big one comes
		{"-s-s", "4"},   // the big one alone
		{"+s-B-s", "1"}, // idle after a small one
	}
	for _, st := range steps {
		for op := st.ops; op != ""; op = op[2:] {
			big := op[1] == 'B'
			if op[0] == '+' {
				db.StatementStarted(big)
			} else {
				db.StatementDone(big)
			}
		}
		waitThreads(t, db, st.want)
		if got := db.ThreadStats(); got.Max != 4 {
			t.Fatalf("after %q: stats %+v, want max 4", st.ops, got)
		}
	}
	// A big statement has its workers before it starts, without polling:
	// DuckDB sizes a pipeline's tasks to the threads it has then.
	db.StatementStarted(true)
	if got := one(t, db, "SELECT CAST(current_setting('threads') AS VARCHAR)"); got != "4" || db.ThreadStats().Current != 4 {
		t.Fatalf("a big statement started on %s threads (stats %+v), want 4", got, db.ThreadStats())
	}
	db.StatementDone(true)
	db.StatementStarted(false)
	waitThreads(t, db, "1")
	db.StatementDone(false)
}

func TestAdaptiveThreadsKeepsSandbox(t *testing.T) {
	l, err := store.OpenLake(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		cfg    duck.Config
		locked string
	}{
		{"adaptive", duck.Config{Threads: 2, AdaptiveThreads: true, Sandbox: true}, "false"},
		{"fixed", duck.Config{Threads: 2, Sandbox: true}, "true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := duck.Open(context.Background(), l, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := one(t, db, "SELECT CAST(current_setting('lock_configuration') AS VARCHAR)"); got != tc.locked {
				t.Fatalf("lock_configuration = %s, want %s", got, tc.locked)
			}
			// Unlocked or not, DuckDB keeps the file sandbox: once external
			// access is off it refuses to turn it on or widen what is
			// allowed, and nothing outside the lake can be read.
			// Locked, every SET fails for the lock first.
			for _, c := range []struct{ sql, err string }{
				{"SET GLOBAL enable_external_access = true", "Cannot enable external access"},
				{"SET GLOBAL allowed_directories = ['/']", "Cannot change allowed_directories"},
				{"SET GLOBAL allowed_paths = ['/etc/passwd']", "Cannot change allowed_paths"},
				{"SET GLOBAL allow_unsigned_extensions = true", "Cannot change allow_unsigned_extensions"},
				{"SELECT * FROM read_csv('/etc/passwd')", "/etc/passwd"},
				{"SELECT * FROM read_parquet('/tmp/*.parquet')", "/tmp"},
			} {
				want := c.err
				if tc.locked == "true" && strings.HasPrefix(c.sql, "SET") {
					want = "the configuration has been locked"
				}
				_, err := db.SQL().ExecContext(context.Background(), c.sql)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: err %v, want one naming %q", c.sql, err, want)
				}
			}
		})
	}
}
