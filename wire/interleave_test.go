package wire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/spysql/spysql/wire/internal/pgtest"
)

// answer is a normalized backend message as pgtest reports it.
type answer struct {
	Type       string
	Code       string
	CommandTag string
	Values     []struct {
		Text string `json:"text"`
	}
}

// exchange sends msgs (and Sync, unless it is a simple Query) and returns
// the answers up to ReadyForQuery.
func exchange(t *testing.T, c *pgtest.Conn, msgs ...pgproto3.FrontendMessage) []answer {
	t.Helper()
	if _, simple := msgs[0].(*pgproto3.Query); !simple {
		msgs = append(msgs[:len(msgs):len(msgs)], &pgproto3.Sync{})
	}
	if err := c.Send(msgs...); err != nil {
		t.Fatal(err)
	}
	raw, err := c.Receive(1)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]answer, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestInterleavedPortals keeps several portals suspended inside a
// transaction block, runs a simple query between every round of
// fetches, and checks that each portal still returns all its rows, in
// order, across DuckDB's chunk boundaries. Up to maxSessionsPerClient
// statements stream at once (suspended portals and the one running);
// beyond that the least recently used portal is superseded and answers
// 55000.
func TestInterleavedPortals(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	cases := []struct {
		name       string
		portals    int
		rows       int
		fetch      int
		between    bool // a simple query runs after every fetch
		superseded int  // portal that must fail with 55000, or -1
	}{
		{"two portals across chunks", 2, 5000, 1500, true, -1},
		{"one row at a time", 3, 4, 1, true, -1},
		{"bound less one, queries between", maxSessionsPerClient - 1, 3000, 1000, true, -1},
		{"as many as the bound", maxSessionsPerClient, 3000, 1000, false, -1},
		{"one beyond the bound", maxSessionsPerClient + 1, 3000, 1000, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := pgtest.Dial(ts.addr, "tester")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			exchange(t, c, &pgproto3.Parse{Query: "BEGIN"}, &pgproto3.Bind{}, &pgproto3.Execute{})
			got := make([][]int, tc.portals)
			failed := make([]string, tc.portals)
			done := make([]bool, tc.portals)
			read := func(k int, ans []answer) {
				for _, a := range ans {
					switch a.Type {
					case "DataRow":
						v, err := strconv.Atoi(a.Values[0].Text)
						if err != nil {
							t.Fatal(err)
						}
						got[k] = append(got[k], v)
					case "ErrorResponse":
						failed[k], done[k] = a.Code, true
					case "CommandComplete":
						done[k] = true
					}
				}
			}
			for k := range tc.portals {
				name := fmt.Sprintf("p%d", k)
				sql := fmt.Sprintf("SELECT i + %d FROM range(%d) t(i)", k*1_000_000, tc.rows)
				read(k, exchange(t, c, &pgproto3.Parse{Name: name, Query: sql},
					&pgproto3.Bind{PreparedStatement: name, DestinationPortal: name},
					&pgproto3.Execute{Portal: name, MaxRows: uint32(tc.fetch)}))
			}
			for pending := true; pending; {
				pending = false
				others := false
				for k := range tc.portals {
					others = others || !done[k] && k != tc.superseded
				}
				for k := range tc.portals {
					if done[k] {
						continue
					}
					pending = true
					if k == tc.superseded && others {
						continue // its error fails the block: resume it last
					}
					ans := exchange(t, c, &pgproto3.Execute{Portal: fmt.Sprintf("p%d", k), MaxRows: uint32(tc.fetch)})
					read(k, ans)
					if !tc.between || failed[k] != "" {
						continue
					}
					if q := exchange(t, c, &pgproto3.Query{String: "SELECT 7"}); len(q) < 3 || q[1].Values[0].Text != "7" {
						t.Fatalf("simple query between fetches: %+v", q)
					}
				}
			}
			for k := range tc.portals {
				if k == tc.superseded {
					if failed[k] != "55000" {
						t.Errorf("portal %d: got error %q, want 55000", k, failed[k])
					}
					continue
				}
				if failed[k] != "" || len(got[k]) != tc.rows {
					t.Fatalf("portal %d: %d rows, error %q; want %d rows", k, len(got[k]), failed[k], tc.rows)
				}
				for i, v := range got[k] {
					if v != i+k*1_000_000 {
						t.Fatalf("portal %d row %d: got %d, want %d", k, i, v, i+k*1_000_000)
					}
				}
			}
		})
	}
}
