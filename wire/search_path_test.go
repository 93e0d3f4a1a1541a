package wire

import (
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/spysql/spysql/wire/internal/pgtest"
)

func TestParseSearchPath(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`"$user", public`, []string{"public"}},
		{"silver, bronze", []string{"silver", "bronze"}},
		{`Silver,"Odd ""name""" , gold`, []string{"silver", `Odd "name"`, "gold"}},
		{"", nil},
	}
	for _, tc := range cases {
		if got := parseSearchPath(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseSearchPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchPath: search_path decides where unqualified names resolve,
// follows transactions like every setting, and holds on every DuckDB
// connection of the client (a suspended portal sends the next query to
// another one).
func TestSearchPath(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	const q = "SELECT count(*) FROM futures_trades"
	cases := []struct {
		name  string
		setup []pgproto3.FrontendMessage
		want  string // SQLSTATE of q, "" for success
	}{
		{"default", nil, "42P01"},
		{"silver then bronze", []pgproto3.FrontendMessage{&pgproto3.Query{String: "SET search_path = silver, bronze"}}, ""},
		{"missing schemas ignored", []pgproto3.FrontendMessage{&pgproto3.Query{String: `SET search_path TO nowhere, "$user", bronze`}}, ""},
		{"gold only", []pgproto3.FrontendMessage{&pgproto3.Query{String: "SET search_path = gold"}}, "42P01"},
		{"reset", []pgproto3.FrontendMessage{&pgproto3.Query{String: "SET search_path = bronze"}, &pgproto3.Query{String: "RESET search_path"}}, "42P01"},
		{"rolled back", []pgproto3.FrontendMessage{&pgproto3.Query{String: "BEGIN; SET search_path = bronze; ROLLBACK"}}, "42P01"},
		{"set local in block", []pgproto3.FrontendMessage{&pgproto3.Query{String: "BEGIN"}, &pgproto3.Query{String: "SET LOCAL search_path = bronze"}}, ""},
		{"another connection while a portal is suspended", []pgproto3.FrontendMessage{
			&pgproto3.Query{String: "BEGIN"},
			&pgproto3.Parse{Name: "s", Query: "SELECT i FROM range(10) t(i)"},
			&pgproto3.Bind{PreparedStatement: "s", DestinationPortal: "a"},
			&pgproto3.Execute{Portal: "a", MaxRows: 1},
			&pgproto3.Query{String: "SET search_path = bronze"},
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := pgtest.Dial(ts.addr, "tester")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for i := 0; i < len(tc.setup); {
				j := i + 1
				if _, simple := tc.setup[i].(*pgproto3.Query); !simple {
					for j < len(tc.setup) {
						if _, simple := tc.setup[j].(*pgproto3.Query); simple {
							break
						}
						j++
					}
				}
				for _, a := range exchange(t, c, tc.setup[i:j]...) {
					if a.Type == "ErrorResponse" {
						t.Fatalf("setup: error %s", a.Code)
					}
				}
				i = j
			}
			got := ""
			for _, a := range exchange(t, c, &pgproto3.Query{String: q}) {
				if a.Type == "ErrorResponse" {
					got = a.Code
				}
			}
			if got != tc.want {
				t.Errorf("%s: got SQLSTATE %q, want %q", q, got, tc.want)
			}
		})
	}
}
