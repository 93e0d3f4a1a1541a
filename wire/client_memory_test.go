package wire

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestClientMemoryLimit: what spysql holds for one session is bounded by
// Config.ClientMemory. A greedy session past it gets 53200 and goes on;
// each cursor's held chunk counts until the cursor is closed; another
// session, whose account is its own, is served throughout with its full
// results, including a result as large as the greedy one's free room.
func TestClientMemoryLimit(t *testing.T) {
	const limit = 32 << 20
	ts := startServer(t, newLake(t), Config{ClientMemory: limit})
	ctx := context.Background()
	conn := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, ts.connString("mem"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		return c
	}
	greedy, polite := conn(), conn()
	// rowsOf is a query of n rows of size bytes each.
	rowsOf := func(size, n int) string {
		return fmt.Sprintf("SELECT repeat('x', %d) || i AS v FROM range(%d) t(i)", size, n)
	}
	count := func(c *pgx.Conn, q string) (int, error) {
		rows, err := c.Query(ctx, q)
		if err != nil {
			return 0, err
		}
		n := 0
		for rows.Next() {
			n++
		}
		return n, rows.Err()
	}

	// One result chunk of 100 rows of 1 MiB: 53200, the session goes on.
	_, err := count(greedy, rowsOf(1<<20, 100))
	if sqlState(err) != "53200" || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("100 MiB chunk: %v, want 53200", err)
	}
	if n, err := count(greedy, "SELECT 1"); err != nil || n != 1 {
		t.Fatalf("greedy session after 53200: %d rows, %v", n, err)
	}

	// Cursors WITH HOLD each keep their current chunk (2,000 rows of
	// 5 KiB, about 10 MiB): the fourth does not fit.
	for i := 1; i <= 4; i++ {
		if _, err := greedy.Exec(ctx, fmt.Sprintf("DECLARE c%d CURSOR WITH HOLD FOR %s", i, rowsOf(5<<10, 2000))); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		if n, err := count(greedy, fmt.Sprintf("FETCH 1 FROM c%d", i)); err != nil || n != 1 {
			t.Fatalf("FETCH from c%d: %d rows, %v", i, n, err)
		}
	}
	// Meanwhile another session is served, with results larger than the
	// greedy session's room left, while the greedy one is refused.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5 {
			if n, err := count(polite, rowsOf(5<<10, 2000)); err != nil || n != 2000 {
				t.Errorf("polite session while the greedy one holds 3 cursors: %d rows, %v", n, err)
				return
			}
		}
	}()
	var pe *pgconn.PgError
	if _, err := count(greedy, "FETCH 1 FROM c4"); !errors.As(err, &pe) || pe.Code != "53200" || !strings.Contains(pe.Detail, "--client-memory") {
		t.Fatalf("fourth cursor: %v, want 53200 naming --client-memory", err)
	}
	wg.Wait()
	if _, err := greedy.Exec(ctx, "CLOSE c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := greedy.Exec(ctx, "CLOSE c4"); err != nil {
		t.Fatal(err)
	}
	if _, err := greedy.Exec(ctx, fmt.Sprintf("DECLARE c5 CURSOR WITH HOLD FOR %s", rowsOf(5<<10, 2000))); err != nil {
		t.Fatal(err)
	}
	if n, err := count(greedy, "FETCH 1 FROM c5"); err != nil || n != 1 {
		t.Fatalf("FETCH after CLOSE c1 returned its memory: %d rows, %v", n, err)
	}
	if _, err := greedy.Exec(ctx, "CLOSE ALL"); err != nil {
		t.Fatal(err)
	}
	if n, err := count(greedy, rowsOf(5<<10, 5000)); err != nil || n != 5000 {
		t.Fatalf("after CLOSE ALL: %d rows, %v", n, err)
	}
}
