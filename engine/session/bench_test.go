package session

import (
	"context"
	"fmt"
	"testing"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// BenchmarkSessionExecute: one prepared point statement executed and read
// to the end, the engine's share of a wire round trip, with DuckDB on one
// thread and on two (the caller plus a worker that can take its tasks).
func BenchmarkSessionExecute(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			ctx := context.Background()
			lake, err := store.OpenLake(b.TempDir(), true)
			if err != nil {
				b.Fatal(err)
			}
			db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: threads})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			s, err := New(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			st, err := s.Prepare(ctx, "SELECT CAST($1 AS BIGINT) + 1")
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			for i := 0; b.Loop(); i++ {
				r, err := st.Execute(ctx, []Arg{{Kind: ArgInt64, I: int64(i)}})
				if err != nil {
					b.Fatal(err)
				}
				for {
					ch, err := r.Next()
					if err != nil {
						b.Fatal(err)
					}
					if ch == nil {
						break
					}
				}
				r.Close()
			}
		})
	}
}
