package wire

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// setConfigCases are conversations (one connection each, one Query
// message a statement; "x:" runs the statement through Parse/Bind/
// Execute) whose answers must be PostgreSQL 15's: set_config changes
// the session's settings, returns the new value, and SHOW and
// current_setting see it; is_local lasts until the transaction ends.
var setConfigCases = []struct {
	name  string
	stmts []string
}{
	{"search_path", []string{
		"SELECT set_config('search_path', 'gold, silver', false)", "SHOW search_path",
		"SELECT current_setting('search_path'), current_setting('SEARCH_PATH')",
	}},
	{"application_name", []string{
		"SELECT set_config('application_name', 'my app', false) AS s, 1 AS n", "SHOW application_name",
		"x:SELECT set_config('application_name', 'second', false)", "SELECT current_setting('application_name')",
	}},
	{"local outside a block ends with the statement", []string{
		"SELECT set_config('search_path', 'gold', true)", "SHOW search_path",
	}},
	{"local in a block ends with it", []string{
		"BEGIN", "SELECT set_config('search_path', 'gold', true)", "SHOW search_path", "COMMIT", "SHOW search_path",
	}},
	{"rolled back", []string{
		"BEGIN", "SELECT set_config('TimeZone', 'Europe/Berlin', false)", "SHOW TimeZone", "ROLLBACK", "SHOW TimeZone",
	}},
	{"committed", []string{
		"BEGIN", "SELECT set_config('TimeZone', 'Europe/Berlin', false)", "COMMIT", "SHOW TimeZone",
		"SELECT current_setting('timezone')",
	}},
	{"statement_timeout normalized", []string{
		"SELECT set_config('statement_timeout', '5000', false)", "SHOW statement_timeout",
		"SELECT set_config('statement_timeout', '2min', false)", "SELECT current_setting('statement_timeout')",
		"SELECT set_config('statement_timeout', 'abc', false)",
	}},
	{"DateStyle, extra_float_digits, client_encoding", []string{
		"SELECT set_config('DateStyle', 'ISO, MDY', false)", "SHOW DateStyle",
		"SELECT set_config('extra_float_digits', '2', false)", "SHOW extra_float_digits",
		"SELECT set_config('client_encoding', 'UTF8', false)", "SHOW client_encoding",
	}},
	{"NULL resets", []string{
		"SELECT set_config('search_path', 'gold', false)", "SELECT set_config('search_path', NULL, false)", "SHOW search_path",
	}},
	{"custom settings", []string{
		"SELECT set_config('myapp.tenant', 'acme', false)", "SELECT current_setting('myapp.tenant')", "SHOW myapp.tenant",
		"SET myapp.Other = 'x'", "SELECT current_setting('myapp.other')",
		"SELECT current_setting('nope.missing', true) IS NULL", "SELECT current_setting('nope.missing')",
		"SHOW nope.missing", "RESET ALL", "SELECT current_setting('myapp.tenant')",
	}},
	{"unknown and read-only", []string{
		"SELECT set_config('no_such_setting', '1', false)", "SELECT current_setting('no_such_setting')",
		"SELECT set_config('server_version', '9', false)",
	}},
}

func TestSetConfigMatchesPostgres(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	pg := needPG(t)
	for _, tc := range setConfigCases {
		t.Run(tc.name, func(t *testing.T) {
			got := settingsConversation(t, ts.connString("postgres"), tc.stmts)
			want := settingsConversation(t, pg.ConnString("postgres"), tc.stmts)
			for i := range tc.stmts {
				if got[i] != want[i] {
					t.Errorf("%s\n  spysql:     %s\n  postgresql: %s", tc.stmts[i], got[i], want[i])
				}
			}
		})
	}
}

// settingsConversation answers each statement with its columns and rows,
// or its SQLSTATE.
func settingsConversation(t *testing.T, connString string, stmts []string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var out []string
	for _, s := range stmts {
		var res []*pgconn.Result
		if q, ok := strings.CutPrefix(s, "x:"); ok {
			r := c.ExecParams(ctx, q, nil, nil, nil, nil).Read()
			res, err = []*pgconn.Result{r}, r.Err
		} else {
			res, err = c.Exec(ctx, s).ReadAll()
		}
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				out = append(out, "ERROR "+pe.Code)
			} else {
				out = append(out, "ERROR "+err.Error())
			}
			continue
		}
		var b strings.Builder
		for _, r := range res {
			for _, f := range r.FieldDescriptions {
				fmt.Fprintf(&b, "%s ", f.Name)
			}
			for _, row := range r.Rows {
				b.WriteString("|")
				for _, v := range row {
					fmt.Fprintf(&b, " %q", v)
				}
			}
		}
		out = append(out, b.String())
	}
	return out
}
