package duck_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/internal/testkit"
)

// waitThreads polls DuckDB's threads setting until it and ThreadStats
// are want.
func waitThreads(t *testing.T, db *duck.DB, want string) {
	t.Helper()
	testkit.WaitFor(t, 10*time.Second, "threads "+want, func() bool {
		return one(t, db, "SELECT CAST(current_setting('threads') AS VARCHAR)") == want &&
			strconv.FormatInt(db.ThreadStats().Current, 10) == want
	})
}

func TestAdaptiveThreadsFollowStatements(t *testing.T) {
	l := testkit.NewLake(t)
	db, err := duck.Open(context.Background(), l, duck.Config{Threads: 4, AdaptiveThreads: true, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Each step reports statements starting (+) or ending (-), big (B) or
	// small (s), then checks the threads it leads to at once: 4 from the
	// start of a big statement; 1 only once nothing runs and the last to
	// start was small, which the loop does in the background (waited
	// for). Nothing else changes them, so a value reached must stay.
	steps := []struct {
		ops  string
		want string
		wait bool
	}{
		{"", "4", false},        // a new server keeps its workers
		{"+s", "4", false},      // running: never lowered under a statement
		{"-s", "1", true},       // idle after a small one: one thread
		{"+s+s", "1", false},    // small ones never raise threads
		{"+B", "4", false},      // a big one raises before it starts
		{"-s-s", "4", false},    // the big one alone
		{"+s-B", "4", false},    // a small one beside: not lowered
		{"-s", "1", true},       // idle, the last to start small
		{"+B-B", "4", false},    // a big one alone
		{"+s-s+B-B", "4", true}, // idle, the last to start big: kept
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
		if st.wait {
			waitThreads(t, db, st.want)
		}
		// Held: checked now and again after the loop had time to act.
		for range 2 {
			if got := one(t, db, "SELECT CAST(current_setting('threads') AS VARCHAR)"); got != st.want || strconv.FormatInt(db.ThreadStats().Current, 10) != st.want {
				t.Fatalf("after %q: threads %s (stats %+v), want %s", st.ops, got, db.ThreadStats(), st.want)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got := db.ThreadStats(); got.Max != 4 {
			t.Fatalf("after %q: stats %+v, want max 4", st.ops, got)
		}
	}
}

func TestAdaptiveThreadsKeepsSandbox(t *testing.T) {
	l := testkit.NewLake(t)
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
