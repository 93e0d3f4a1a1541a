package wire

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestSettingsTxnParameterStatus: when the end of a transaction changes
// a reported setting, the client hears of it (pgx tracks TimeZone from
// ParameterStatus), and timestamptz text follows the value in effect.
func TestSettingsTxnParameterStatus(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	cases := []struct {
		name  string
		stmts []string
		want  string // TimeZone afterwards
	}{
		{"rolled back", []string{"BEGIN", "SET TimeZone = 'Europe/Berlin'", "ROLLBACK"}, "UTC"},
		{"committed", []string{"BEGIN", "SET TimeZone = 'Europe/Berlin'", "COMMIT"}, "Europe/Berlin"},
		{"local", []string{"BEGIN", "SET LOCAL TimeZone = 'Europe/Berlin'", "COMMIT"}, "UTC"},
		{"savepoint", []string{"BEGIN", "SAVEPOINT s", "SET TimeZone = 'Asia/Tokyo'", "ROLLBACK TO SAVEPOINT s", "COMMIT"}, "UTC"},
		{"implicit block error", []string{"SET TimeZone = 'Asia/Tokyo'; SELECT * FROM no_such_table"}, "UTC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := pgx.Connect(ctx, ts.connString("tester"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			for _, s := range tc.stmts {
				c.PgConn().Exec(ctx, s).ReadAll() // errors are part of some cases
			}
			if got := c.PgConn().ParameterStatus("TimeZone"); got != tc.want {
				t.Errorf("ParameterStatus TimeZone = %q, want %q", got, tc.want)
			}
			var shown string
			if err := c.QueryRow(ctx, "SHOW TimeZone").Scan(&shown); err != nil || shown != tc.want {
				t.Errorf("SHOW TimeZone = %q (%v), want %q", shown, err, tc.want)
			}
		})
	}
}
