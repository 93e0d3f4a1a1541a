package wire

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStatementQueueFull: with one execution slot and a queue of one, a
// third statement is refused with 53300 at once, while the running one
// (whose client is not reading, so it holds its slot) and the queued one
// complete with their full results; the refused session stays usable.
// pg_stat_activity's hook and the metrics show the same picture.
func TestStatementQueueFull(t *testing.T) {
	ts := startServer(t, newLake(t), Config{OpsConfig: OpsConfig{MaxActiveStatements: 1, StatementQueue: 1}})
	ctx := context.Background()
	conn := func(app string) *pgx.Conn {
		c, err := pgx.Connect(ctx, ts.connString("ops")+" application_name="+app)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		return c
	}
	a, b, c := conn("a"), conn("b"), conn("c")
	const n = 3_000_000
	const bigQuery = "SELECT i FROM range(3000000) t(i)"
	rows, err := a.Query(ctx, bigQuery)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a to hold the slot", func() bool { return ts.srv.ops.queue.running.Load() == 1 })
	got := make(chan int64, 1)
	go func() {
		var v int64
		if err := b.QueryRow(ctx, "SELECT 42::BIGINT").Scan(&v); err != nil {
			t.Error(err)
		}
		got <- v
	}()
	waitFor(t, "b to queue", func() bool { return ts.srv.ops.queue.waiting() == 1 })

	start := time.Now()
	var one int
	err = c.QueryRow(ctx, "SELECT 1").Scan(&one)
	if sqlState(err) != "53300" || !strings.Contains(err.Error(), "too many statements") {
		t.Fatalf("c with the queue full: %v, want 53300 too many statements", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("refusal took %v: it should not wait", d)
	}

	act := map[string]Activity{}
	for _, x := range ts.srv.Activity() {
		act[x.ApplicationName] = x
	}
	if x := act["a"]; x.State != "active" || x.Query != bigQuery || x.User != "ops" || x.PID == 0 || x.ClientAddr != "127.0.0.1" {
		t.Fatalf("activity of a: %+v", x)
	}
	if x := act["b"]; x.State != "active" || !strings.Contains(x.Query, "SELECT 42") {
		t.Fatalf("activity of b: %+v", x)
	}
	if x := act["c"]; x.State != "idle" || x.Query != "SELECT 1" {
		t.Fatalf("activity of c: %+v", x)
	}

	var count, last int64
	for rows.Next() {
		if err := rows.Scan(&last); err != nil {
			t.Fatal(err)
		}
		count++
	}
	if err := rows.Err(); err != nil || count != n || last != n-1 {
		t.Fatalf("a read %d rows, last %d, err %v; want %d", count, last, err, n)
	}
	if v := <-got; v != 42 {
		t.Fatalf("b got %d", v)
	}
	if err := c.QueryRow(ctx, "SELECT 2").Scan(&one); err != nil || one != 2 {
		t.Fatalf("c after the queue drained: %d, %v", one, err)
	}

	rec := httptest.NewRecorder()
	ts.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`spysql_statements_total{kind="query",outcome="refused"} 1`,
		`spysql_statements_total{kind="query",outcome="ok"} 3`,
		"spysql_connections 3",
		"spysql_statements_queued 0",
		`spysql_statement_duration_seconds_count{kind="query"} 4`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, grepLines(body, "spysql_"))
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// lockedBuffer is a log destination written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSlowStatementLog: statements at least --slow-statement long are
// logged with their text; quicker ones are not.
func TestSlowStatementLog(t *testing.T) {
	for _, tc := range []struct {
		slow   time.Duration
		logged bool
	}{{time.Nanosecond, true}, {time.Hour, false}} {
		var buf lockedBuffer
		log := slog.New(slog.NewTextHandler(io.MultiWriter(&buf), nil))
		ts := startServer(t, newLake(t), Config{Logger: log, OpsConfig: OpsConfig{SlowStatement: tc.slow}})
		ctx := context.Background()
		c, err := pgx.Connect(ctx, ts.connString("slowpoke"))
		if err != nil {
			t.Fatal(err)
		}
		var v int
		if err := c.QueryRow(ctx, "SELECT 7 + 0").Scan(&v); err != nil || v != 7 {
			t.Fatal(v, err)
		}
		c.Close(ctx)
		out := buf.String()
		has := strings.Contains(out, `msg="slow statement"`) && strings.Contains(out, `query="SELECT 7 + 0"`) && strings.Contains(out, "user=slowpoke")
		if has != tc.logged {
			t.Fatalf("slow=%v: logged %v, want %v:\n%s", tc.slow, has, tc.logged, out)
		}
	}
}

// TestQueuedStatementTimeout: a statement waiting for a slot still obeys
// statement_timeout (57014) and leaves the queue; the session runs the
// next statement once a slot is free.
func TestQueuedStatementTimeout(t *testing.T) {
	ts := startServer(t, newLake(t), Config{OpsConfig: OpsConfig{MaxActiveStatements: 1, StatementQueue: 4}})
	ctx := context.Background()
	a, err := pgx.Connect(ctx, ts.connString("holder"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	b, err := pgx.Connect(ctx, ts.connString("waiter"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(ctx)
	rows, err := a.Query(ctx, "SELECT i FROM range(3000000) t(i)")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a to hold the slot", func() bool { return ts.srv.ops.queue.running.Load() == 1 })
	if _, err := b.Exec(ctx, "SET statement_timeout = '200ms'"); err != nil {
		t.Fatal(err)
	}
	var v int
	err = b.QueryRow(ctx, "SELECT 5").Scan(&v)
	if sqlState(err) != "57014" || !strings.Contains(err.Error(), "statement timeout") {
		t.Fatalf("queued past its timeout: %v, want 57014 statement timeout", err)
	}
	if n := ts.srv.ops.queue.waiting(); n != 0 {
		t.Fatalf("%d statements still queued", n)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if rows.Err() != nil || n != 3_000_000 {
		t.Fatalf("a read %d rows: %v", n, rows.Err())
	}
	if err := b.QueryRow(ctx, "SELECT 6").Scan(&v); err != nil || v != 6 {
		t.Fatalf("b after the slot freed: %d, %v", v, err)
	}
}
