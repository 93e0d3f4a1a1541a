package clients

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// replayStatement is one statement of a replay file.
type replayStatement struct {
	file, client, sql string
	line              int
}

// readReplay reads testdata/replay/*.sql: blocks ending with a line
// holding only ";", each preceded by a comment naming the client.
func readReplay(t *testing.T) []replayStatement {
	t.Helper()
	files, err := filepath.Glob("testdata/replay/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no replay files: %v", err)
	}
	var out []replayStatement
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cur []string
		client, start := "", 0
		for i, l := range strings.Split(string(b), "\n") {
			switch {
			case l == ";":
				if s := strings.TrimSpace(strings.Join(cur, "\n")); s != "" {
					out = append(out, replayStatement{file: filepath.Base(f), client: client, sql: s, line: start})
				}
				cur, client = nil, ""
			case strings.HasPrefix(l, "-- ") && len(cur) == 0:
				client, start = strings.TrimPrefix(l, "-- "), i+2
			case l == "" && len(cur) == 0:
			default:
				cur = append(cur, l)
			}
		}
	}
	return out
}

// TestReplayComparesWithPostgres runs the statements whose header says
// "compare" on spysql and on PostgreSQL 15 with like objects: the rows
// must be the same.
func TestReplayComparesWithPostgres(t *testing.T) {
	s := startServer(t)
	createLikeObjects(t)
	n := 0
	for _, st := range readReplay(t) {
		if !strings.HasSuffix(st.client, " compare") {
			continue
		}
		n++
		got := conversation(t, s.connString("postgres"), []string{st.sql})[0]
		want := conversation(t, pgConnString("postgres"), []string{st.sql})[0]
		if got != want {
			t.Errorf("%s:%d (%s)\nspysql:     %s\nPostgreSQL: %s", st.file, st.line, st.client, got, want)
		}
	}
	if n < 15 {
		t.Errorf("only %d statements compared", n)
	}
}

// TestReplayCatalogQueries runs every catalog statement the clients send,
// over both protocols: none may fail.
func TestReplayCatalogQueries(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	for _, mode := range []struct {
		name string
		mode pgx.QueryExecMode
	}{{"simple", pgx.QueryExecModeSimpleProtocol}, {"extended", pgx.QueryExecModeCacheStatement}} {
		cfg, err := pgx.ParseConfig(s.connString("analyst"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.DefaultQueryExecMode = mode.mode
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range readReplay(t) {
			rows, err := conn.Query(ctx, st.sql)
			if err == nil {
				for rows.Next() {
				}
				rows.Close()
				err = rows.Err()
			}
			if err != nil {
				t.Errorf("%s: %s:%d (%s): %v\n%s", mode.name, st.file, st.line, st.client, err, st.sql)
			}
		}
		conn.Close(ctx)
	}
}
