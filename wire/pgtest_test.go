package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/wire/internal/pgtest"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected messages of testdata/pgtest from PostgreSQL 15's answers")

// TestPGTest runs every conversation in testdata/pgtest against
// PostgreSQL 15 and spysql. The expected messages are PostgreSQL's:
// PostgreSQL must answer them exactly, spysql too but for the SQLSTATEs a
// script maps (Codes). -rewrite takes the expectations from PostgreSQL,
// never from spysql; scripts that run only on spysql (DuckDB-only SQL)
// are written by hand and refuse -rewrite.
func TestPGTest(t *testing.T) {
	files, err := filepath.Glob("../testdata/pgtest/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in ../testdata/pgtest: %v", err)
	}
	ts := startServer(t, newLake(t), Config{})
	pg := needPG(t)
	pgAddr := fmt.Sprintf("127.0.0.1:%d", pg.Port)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			s, err := pgtest.LoadScript(f)
			if err != nil {
				t.Fatal(err)
			}
			if s.RunsOnPostgres() {
				if s.PostgresSetup != "" {
					if err := pg.Exec(context.Background(), s.PostgresSetup); err != nil {
						t.Fatalf("postgres setup: %v", err)
					}
				}
				user := s.PostgresUser
				if user == "" {
					user = "postgres"
				}
				want := runScript(t, pgAddr, user, s)
				if *rewrite {
					writeExpect(t, f, s, want)
				}
				compareScript(t, "postgres", s, want, false)
			} else if *rewrite {
				t.Fatalf("%s runs only on spysql: its expectations are written by hand, never rewritten", f)
			} else if len(s.Codes) > 0 || s.PostgresSetup != "" || s.PostgresUser != "" {
				t.Fatalf("%s runs only on spysql but sets PostgreSQL fields", f)
			}
			compareScript(t, "spysql", s, runScript(t, ts.addr, "spysql", s), true)
		})
	}
}

// runScript plays s against addr and returns the messages of each
// receiving step.
func runScript(t *testing.T, addr, user string, s *pgtest.Script) [][]json.RawMessage {
	t.Helper()
	c, err := pgtest.Dial(addr, user)
	if err != nil {
		t.Fatalf("%s: %v", addr, err)
	}
	defer c.Close()
	var out [][]json.RawMessage
	for i, st := range s.Steps {
		if len(st.Send) > 0 {
			for _, raw := range st.Send {
				m, err := pgtest.DecodeFrontend(raw)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if err := c.Send(m); err != nil {
					t.Fatalf("step %d send: %v", i, err)
				}
			}
			continue
		}
		msgs, err := c.Receive(st.Until)
		if err != nil {
			t.Fatalf("%s step %d: %v (got %s)", user, i, err, joinJSON(msgs))
		}
		out = append(out, msgs)
	}
	return out
}

// compareScript compares the received messages with the expectations,
// mapped through the script's Codes for spysql.
func compareScript(t *testing.T, who string, s *pgtest.Script, got [][]json.RawMessage, spysql bool) {
	t.Helper()
	k := 0
	for i, st := range s.Steps {
		if st.Until == 0 {
			continue
		}
		expect := st.Expect
		if spysql {
			var err error
			if expect, err = s.ForSpysql(expect); err != nil {
				t.Fatal(err)
			}
		}
		want := joinJSON(expect)
		have := joinJSON(got[k])
		k++
		if want != have {
			t.Errorf("%s, step %d:\nwant:\n%s\ngot:\n%s", who, i, want, have)
		}
	}
}

func joinJSON(msgs []json.RawMessage) string {
	var b strings.Builder
	for _, m := range msgs {
		var buf bytes.Buffer
		json.Compact(&buf, m)
		b.Write(buf.Bytes())
		b.WriteByte('\n')
	}
	return b.String()
}

func writeExpect(t *testing.T, path string, s *pgtest.Script, got [][]json.RawMessage) {
	k := 0
	for i := range s.Steps {
		if s.Steps[i].Until == 0 {
			continue
		}
		s.Steps[i].Expect = got[k]
		k++
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
