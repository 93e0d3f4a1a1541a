package wire

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// BenchmarkPrepareRewrite is one Parse/Bind/Describe/Execute/Sync of a
// small query per iteration (an unnamed statement, prepared each time),
// on spysql with its rewrite cache ("spysql", the same text every time:
// a hit after the first), on spysql without it ("spysql-nocache": every
// Parse pays for engine/pgcatalog's rewrite, PostgreSQL's parse and
// deparse), and on PostgreSQL 15, in the same run.
func BenchmarkPrepareRewrite(b *testing.B) {
	ts := startServer(b, newLake(b), Config{})
	nocache := startServer(b, newLake(b), Config{})
	nocache.srv.rewrites = nil // before any connection
	queries := []struct{ name, sql string }{
		{"plain", "SELECT x + 1 AS y FROM (VALUES (1), (2), (3)) v(x) WHERE x < $1"},
		{"catalog", "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1"},
	}
	for _, srv := range []struct{ name, cs string }{
		{"spysql", ts.connString("bench")}, {"spysql-nocache", nocache.connString("bench")},
		{"postgres", needPG(b).ConnString("postgres")},
	} {
		for _, q := range queries {
			b.Run(srv.name+"/"+q.name, func(b *testing.B) {
				ctx := context.Background()
				c, err := pgconn.Connect(ctx, srv.cs)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close(ctx)
				arg := [][]byte{[]byte("3")}
				if q.name == "catalog" {
					arg = [][]byte{[]byte("pg_type")}
				}
				for b.Loop() {
					if r := c.ExecParams(ctx, q.sql, arg, nil, nil, nil).Read(); r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			})
		}
	}
}
