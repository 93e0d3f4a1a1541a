package wire

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestSmoke(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	for _, cs := range []string{ts.connString("u"), needPG(t).ConnString("postgres")} {
		c, err := pgx.Connect(ctx, cs)
		if err != nil {
			t.Fatal(err)
		}
		var a int64
		var b string
		if err := c.QueryRow(ctx, "SELECT $1::int8 + 1, $2::text", 41, "x").Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		if a != 42 || b != "x" {
			t.Fatalf("got %d %q", a, b)
		}
		c.Close(ctx)
	}
}
