package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/spysql/spysql/wire/gate"
)

// dirNames lists a directory's entries (nil if it does not exist).
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// mustServe checks that the server still answers a new client.
func mustServe(t *testing.T, ts *testServer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, ts.connString("bystander"))
	if err != nil {
		t.Fatalf("server no longer serves: %v", err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
		t.Fatalf("bystander query: %d, %v", n, err)
	}
}

// TestSideEffectsRefused: the attacks (logging into the lake,
// profiling into the lake, reading other sessions' SQL, SQL run unseen,
// pointers, settings naming home paths, spill files) are each refused
// with 42501 by the statement gate; the lake and the directory outside
// it are unchanged and the server keeps serving others.
func TestSideEffectsRefused(t *testing.T) {
	lake := goldLake(t, "signals", 100)
	root := lake.Root()
	outside := t.TempDir()
	cwd, _ := os.Getwd()
	cwdBefore := dirNames(t, cwd)
	before, outBefore := hashTree(t, root), hashTree(t, outside)
	ts := startServer(t, lake, Config{})
	spill := ts.db.SpillDir()
	ctx := context.Background()
	victim, err := pgx.Connect(ctx, ts.connString("victim"))
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close(ctx)
	c, err := pgx.Connect(ctx, ts.connString("attacker"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	attacks := []string{
		"SELECT * FROM enable_logging(storage='file', storage_path='" + outside + "/x')",
		"SELECT * FROM enable_logging('QueryLog', storage='file', storage_path='" + root + "/gold')",
		"SELECT * FROM enable_logging('QueryLog')",
		"SELECT * FROM enable_profiling(format='json', save_location='" + root + "/silver/prof.json')",
		"SELECT * FROM duckdb_logs",
		"SELECT * FROM system.main.duckdb_logs",
		"SELECT * FROM duckdb_logs_parsed('QueryLog')",
		"SELECT message FROM duckdb_logs() WHERE message LIKE '%secret%'",
		"SELECT write_log('x', level := 'warn')",
		"SELECT * FROM truncate_duckdb_logs()",
		"SELECT * FROM query('SELECT 1')",
		"SELECT * FROM query_table('gold.signals')",
		"SELECT * FROM arrow_scan(1, 2, 3)",
		"SELECT * FROM checkpoint()",
		"SELECT * FROM duckdb_settings()",
		// pg_catalog.pg_settings is engine/pgcatalog's view of
		// PostgreSQL's preset values; DuckDB's own stays refused.
		"SELECT * FROM system.pg_catalog.pg_settings",
		"SELECT current_setting('secret_directory')",
		"SELECT current_setting('home_directory')",
		"SELECT current_setting('temp_directory')",
		"SELECT current_setting('extension_directory')",
		"SELECT current_setting(lower('SECRET_DIRECTORY'))",
		"SELECT * FROM duckdb_secrets()",
		"SELECT * FROM duckdb_extensions()",
		"SELECT * FROM duckdb_temporary_files()",
		"SELECT * FROM read_blob('" + spill + "/*')",
		"SELECT * FROM read_text('" + spill + "/*')",
		"SELECT * FROM glob('" + spill + "/*')",
		"SELECT * FROM read_duckdb('" + outside + "/x.duckdb')",
		"SELECT * FROM '" + outside + "/x.csv'",
		"WITH a AS (SELECT * FROM enable_logging('QueryLog')) SELECT 1",
		"SELECT (SELECT count(*) FROM enable_profiling()) FROM range(1)",
		"SELECT * FROM range(1) r, LATERAL (SELECT * FROM query('SELECT ' || r.range))",
		"SELECT sum(1) OVER (PARTITION BY (SELECT count(*) FROM duckdb_logs)) FROM range(1)",
		"EXPLAIN ANALYZE SELECT * FROM enable_logging('QueryLog')",
		"DESCRIBE SELECT * FROM enable_logging('QueryLog')",
	}
	for _, q := range attacks {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
			_, err := c.Exec(ctx, q, mode)
			if code := sqlState(err); code != "42501" {
				t.Errorf("%s (mode %d): %v, want 42501", q, mode, err)
			}
		}
		// Every other client is still served after each attempt.
		var n int64
		if err := victim.QueryRow(ctx, "SELECT count(*) FROM gold.signals WHERE 'secret literal' <> ''").Scan(&n); err != nil || n != 100 {
			t.Fatalf("after %s: victim's query: %d, %v", q, n, err)
		}
	}
	mustServe(t, ts)
	if hashTree(t, root) != before {
		t.Errorf("the lake changed")
	}
	if hashTree(t, outside) != outBefore {
		t.Errorf("files were written outside the lake: %v", dirNames(t, outside))
	}
	if after := dirNames(t, cwd); fmt.Sprint(after) != fmt.Sprint(cwdBefore) {
		t.Errorf("working directory changed: %v -> %v", cwdBefore, after)
	}
}

// TestEveryRefusedFunctionOverTheWire: each function the gate refuses
// (side effects, files, logging, settings, PRAGMA-only names) is
// refused with 42501 when a client calls it, as a table function and as
// a scalar, and the server goes on.
func TestEveryRefusedFunctionOverTheWire(t *testing.T) {
	lake := newLake(t)
	before := hashTree(t, lake.Root())
	ts := startServer(t, lake, Config{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("u"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	refused := gate.RefusedFunctions()
	if len(refused) < 100 {
		t.Fatalf("only %d refused functions", len(refused))
	}
	for name, why := range refused {
		quoted := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		for _, q := range []string{"SELECT * FROM " + quoted + "()", "SELECT " + quoted + "('x')"} {
			_, err := c.Exec(ctx, q)
			code := sqlState(err)
			// A PRAGMA-only name that is also a keyword (show) does not
			// even parse as a call.
			if code != "42501" && !(code == "42601" && strings.HasPrefix(why, "PRAGMA only")) {
				t.Errorf("%s: %v, want 42501", q, err)
			}
		}
	}
	mustServe(t, ts)
	if hashTree(t, lake.Root()) != before {
		t.Errorf("the lake changed")
	}
}

// TestSpillDirectoryPrivate: DuckDB spills into a directory of its own,
// 0700, outside the lake and the working directory, gone after Close.
func TestSpillDirectoryPrivate(t *testing.T) {
	lake := newLake(t)
	ts := startServer(t, lake, Config{})
	dir := ts.db.SpillDir()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("spill directory mode %v, want 0700", fi.Mode().Perm())
	}
	cwd, _ := os.Getwd()
	for _, d := range []string{lake.Root(), cwd} {
		if rel, err := filepath.Rel(d, dir); err == nil && !filepath.IsAbs(rel) && rel != ".." && (len(rel) < 3 || rel[:3] != "../") {
			t.Errorf("spill directory %s is inside %s", dir, d)
		}
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("u"))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	if err := c.QueryRow(ctx, "SELECT current_setting('temp_directory')").Scan(&got); sqlState(err) != "42501" {
		t.Errorf("current_setting('temp_directory'): %q, %v, want 42501", got, err)
	}
	c.Close(ctx)
	ts.srv.Close()
	ts.db.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("spill directory left after Close: %v", err)
	}
}

// flakyListener fails its first n Accepts with EMFILE.
type flakyListener struct {
	net.Listener
	mu sync.Mutex
	n  int
}

func (l *flakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	fail := l.n > 0
	l.n--
	l.mu.Unlock()
	if fail {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// TestAcceptErrorsBackOff: too many open files on accept does not end
// Serve; the server answers once accept works again.
func TestAcceptErrorsBackOff(t *testing.T) {
	db := startServer(t, newLake(t), Config{}).db
	srv, err := NewServer(NewDuckEngine(db), Config{Auth: AuthTrust})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), &flakyListener{Listener: ln, n: 8}) }()
	defer func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	ts := &testServer{srv: srv, db: db, addr: ln.Addr().String()}
	mustServe(t, ts)
	select {
	case err := <-done:
		t.Fatalf("Serve returned: %v", err)
	default:
	}
}

// TestSilentSocketsCount: sockets that send nothing hold a connection
// slot from their first byte and are closed by the startup timeout.
func TestSilentSocketsCount(t *testing.T) {
	ts := startServer(t, newLake(t), Config{MaxConnections: 2, StartupTimeout: 2 * time.Second})
	var silent []net.Conn
	for range 2 {
		nc, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		silent = append(silent, nc)
	}
	// Accept is asynchronous: wait until both sockets are counted.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ts.srv.mu.Lock()
		n := ts.srv.sockets
		ts.srv.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sockets counted, want 2", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	ctx := context.Background()
	if _, err := pgx.Connect(ctx, ts.connString("u")); sqlState(err) != "53300" {
		t.Fatalf("third connection beside two silent sockets: %v, want 53300", err)
	}
	// The startup timeout closes the silent sockets (a read sees EOF).
	for _, nc := range silent {
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := nc.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("silent socket not closed by the startup timeout: %v", err)
		}
	}
	mustServe(t, ts)
}

// TestKilledClientFreesSlot: a client that disappears during a long
// statement does not keep its slot or its statement.
func TestKilledClientFreesSlot(t *testing.T) {
	ts := startServer(t, newLake(t), Config{MaxConnections: 2})
	ctx := context.Background()
	for range 2 {
		// pgx may send a CancelRequest for the killed client's statement,
		// which holds a slot for a moment: retry 53300 for a while.
		c := connectRetry(t, ts, "doomed")
		go c.Exec(ctx, "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r")
		// Kill it as SIGKILL would: the socket closes, no Terminate.
		deadline := time.Now().Add(10 * time.Second)
		for !ts.busy() {
			if time.Now().After(deadline) {
				t.Fatal("statement did not start")
			}
			time.Sleep(5 * time.Millisecond)
		}
		c.PgConn().Conn().Close()
	}
	// Both slots come free: two clients connect at once.
	a, b := connectRetry(t, ts, "next"), connectRetry(t, ts, "next")
	a.Close(ctx)
	b.Close(ctx)
}

// connectRetry connects, retrying 53300 until a deadline.
func connectRetry(t *testing.T, ts *testServer, user string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		c, err := pgx.Connect(cctx, ts.connString(user))
		cancel()
		if err == nil {
			return c
		}
		if sqlState(err) != "53300" || time.Now().After(deadline) {
			t.Fatalf("connect %s: %v", user, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// busy reports whether any session runs a statement.
func (ts *testServer) busy() bool {
	ts.srv.mu.Lock()
	defer ts.srv.mu.Unlock()
	for _, c := range ts.srv.conns {
		c.mu.Lock()
		running := c.current != nil
		c.mu.Unlock()
		if running {
			return true
		}
	}
	return false
}

// TestStatementTimeoutCeiling: under a server statement timeout a client
// may lower statement_timeout but neither raise nor remove it.
func TestStatementTimeoutCeiling(t *testing.T) {
	ts := startServer(t, newLake(t), Config{StatementTimeout: 500 * time.Millisecond})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("u"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, set := range []string{"SET statement_timeout = '1h'", "SET statement_timeout = 0", "RESET statement_timeout", "SET statement_timeout = 100"} {
		if _, err := c.Exec(ctx, set); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := c.Exec(ctx, slowQuery)
		if sqlState(err) != "57014" {
			t.Fatalf("%s: %v, want 57014", set, err)
		}
		if el := time.Since(start); el > 20*time.Second {
			t.Fatalf("%s: the statement ran %v", set, el)
		}
	}
}

// startSession opens a raw protocol session (trust auth).
func startSession(t *testing.T, ts *testServer) (net.Conn, *pgproto3.Frontend) {
	t.Helper()
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "raw"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	untilReady(t, fe)
	return nc, fe
}

// untilReady reads to ReadyForQuery and returns the error codes seen.
func untilReady(t *testing.T, fe *pgproto3.Frontend) []string {
	t.Helper()
	var codes []string
	for {
		m, err := fe.Receive()
		if err != nil {
			t.Fatalf("receive: %v (errors so far %v)", err, codes)
		}
		switch m := m.(type) {
		case *pgproto3.ErrorResponse:
			codes = append(codes, m.Code)
		case *pgproto3.ReadyForQuery:
			return codes
		}
	}
}

// TestIdleInTransactionTimeout: BEGIN does not lift the idle timeout;
// a session idle in a transaction ends with 25P03.
func TestIdleInTransactionTimeout(t *testing.T) {
	ts := startServer(t, newLake(t), Config{IdleTimeout: 300 * time.Millisecond})
	_, fe := startSession(t, ts)
	fe.Send(&pgproto3.Query{String: "BEGIN"})
	fe.Flush()
	untilReady(t, fe)
	m, err := fe.Receive()
	if err != nil {
		t.Fatalf("no error before the connection closed: %v", err)
	}
	er, ok := m.(*pgproto3.ErrorResponse)
	if !ok || er.Code != "25P03" || er.Severity != "FATAL" {
		t.Fatalf("got %#v, want FATAL 25P03", m)
	}
}

// TestFieldLimit: a value over the field limit is a clear 54000 and the
// session goes on (PostgreSQL's limit is 1 GB; a smaller one here).
func TestFieldLimit(t *testing.T) {
	ts := startServer(t, newLake(t), Config{MaxFieldSize: 1 << 20})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("u"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var s string
	// A BLOB's text form is twice its bytes, and a list is checked
	// once encoded.
	for _, q := range []string{"SELECT repeat('x', 2000000)", "SELECT repeat('x', 600000)::BLOB", "SELECT [repeat('x', 2000000)]"} {
		_, err := c.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if sqlState(err) != "54000" {
			t.Errorf("%s: %v, want 54000", q, err)
		}
	}
	if err := c.QueryRow(ctx, "SELECT repeat('x', 1000000)").Scan(&s); err != nil || len(s) != 1000000 {
		t.Fatalf("value under the limit: %d bytes, %v", len(s), err)
	}
}

// TestValueMemory: large values share one server-wide budget; a value
// that does not fit fails with 53200 and the server goes on.
func TestValueMemory(t *testing.T) {
	ts := startServer(t, newLake(t), Config{ValueMemory: 4 << 20})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("u"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var s string
	if err := c.QueryRow(ctx, "SELECT repeat('x', 5000000)").Scan(&s); sqlState(err) != "53200" {
		t.Fatalf("value over the budget: %v, want 53200", err)
	}
	// A BLOB in text form is hex, encoded in a copy: twice counted.
	if _, err := c.Exec(ctx, "SELECT repeat('x', 1500000)::BLOB", pgx.QueryExecModeSimpleProtocol); sqlState(err) != "53200" {
		t.Fatalf("text BLOB over the budget: %v, want 53200", err)
	}
	// Within the budget, large values arrive whole: VARCHAR text and
	// BLOB binary go out from DuckDB's memory, text BLOB as hex.
	if err := c.QueryRow(ctx, "SELECT repeat('xy', 1500000) || 'z'").Scan(&s); err != nil || s != strings.Repeat("xy", 1500000)+"z" {
		t.Fatalf("VARCHAR within the budget: %d bytes, %v", len(s), err)
	}
	var b []byte
	if err := c.QueryRow(ctx, "SELECT (repeat('ab', 1500000) || 'c')::BLOB").Scan(&b); err != nil || string(b) != strings.Repeat("ab", 1500000)+"c" {
		t.Fatalf("binary BLOB within the budget: %d bytes, %v", len(b), err)
	}
	if err := c.QueryRow(ctx, "SELECT (repeat('ab', 500000))::BLOB", pgx.QueryExecModeSimpleProtocol).Scan(&b); err != nil || string(b) != strings.Repeat("ab", 500000) {
		t.Fatalf("text BLOB within the budget: %d bytes, %v", len(b), err)
	}
	// Rows around a large value are intact.
	rows, err := c.Query(ctx, "SELECT i, CASE WHEN i = 1 THEN repeat('v', 2000000) ELSE 'small' END FROM range(3) t(i) ORDER BY i")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var i int64
		if err := rows.Scan(&i, &s); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%d", i, len(s)))
	}
	if rows.Err() != nil || fmt.Sprint(got) != "[0:5 1:2000000 2:5]" {
		t.Fatalf("rows around a large value: %v, %v", got, rows.Err())
	}
	ts.srv.values.mu.Lock()
	used := ts.srv.values.used
	ts.srv.values.mu.Unlock()
	if used != 0 {
		t.Fatalf("%d bytes still reserved", used)
	}
	mustServe(t, ts)
}

// TestLoginLockoutRace: parallel wrong logins from one address get no
// more evaluations than the limit.
func TestLoginLockoutRace(t *testing.T) {
	users := NewUsers()
	if err := users.Set("alice", "s3cret"); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, newLake(t), Config{Auth: AuthSCRAM, Users: users, LoginFailures: 5, LoginWindow: time.Minute})
	ctx := context.Background()
	var wg sync.WaitGroup
	codes := make([]string, 60)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := pgx.Connect(ctx, ts.connString("alice")+" password=wrong")
			codes[i] = sqlState(err)
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != "28P01" {
			t.Errorf("login %d: %q, want 28P01", i, code)
		}
	}
	if n := ts.srv.logins.Load(); n > 5 {
		t.Fatalf("%d wrong passwords evaluated, limit 5", n)
	}
}

// TestMalformedParse: a Parse message whose body does not decode gets an
// ErrorResponse (08P01) and the session goes on after Sync.
func TestMalformedParse(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	nc, fe := startSession(t, ts)
	// A Parse body with no NUL after the statement name.
	if _, err := nc.Write([]byte{'P', 0, 0, 0, 7, 'a', 'b', 'c'}); err != nil {
		t.Fatal(err)
	}
	fe.Send(&pgproto3.Sync{})
	fe.Flush()
	if codes := untilReady(t, fe); len(codes) != 1 || codes[0] != "08P01" {
		t.Fatalf("errors %v, want [08P01]", codes)
	}
	fe.Send(&pgproto3.Query{String: "SELECT 1"})
	fe.Flush()
	if codes := untilReady(t, fe); len(codes) != 0 {
		t.Fatalf("query after the malformed Parse: %v", codes)
	}
}
