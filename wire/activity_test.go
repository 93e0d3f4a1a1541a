package wire

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestPgStatActivityLive: pg_stat_activity lists the live sessions with
// the pids their clients were given, their application names and
// states, and the statement each runs (the asking session's own query,
// active).
func TestPgStatActivityLive(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	idle, err := pgconn.Connect(ctx, ts.connString("alice")+" application_name=dashboard")
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close(ctx)
	if _, err := idle.Exec(ctx, "SELECT 42").ReadAll(); err != nil {
		t.Fatal(err)
	}
	asker, err := pgconn.Connect(ctx, ts.connString("bob")+" application_name=psql")
	if err != nil {
		t.Fatal(err)
	}
	defer asker.Close(ctx)
	const q = "SELECT pid, usename, application_name, state, query FROM pg_stat_activity ORDER BY pid"
	res, err := asker.Exec(ctx, q).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res[0].Rows {
		got[string(r[0])] = fmt.Sprintf("%s|%s|%s|%s", r[1], r[2], r[3], r[4])
	}
	wantIdle := "alice|dashboard|idle|SELECT 42"
	if g := got[fmt.Sprint(idle.PID())]; g != wantIdle {
		t.Errorf("idle session %d: %q, want %q (all: %v)", idle.PID(), g, wantIdle, got)
	}
	g := got[fmt.Sprint(asker.PID())]
	if !strings.HasPrefix(g, "bob|psql|active|") || !strings.Contains(g, "pg_stat_activity") {
		t.Errorf("asking session %d: %q (all: %v)", asker.PID(), g, got)
	}
	if len(got) != 2 {
		t.Errorf("%d sessions listed, want 2: %v", len(got), got)
	}
}
