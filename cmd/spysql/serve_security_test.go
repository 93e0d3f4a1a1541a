package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestMain lets a test run the spysql binary itself: the test binary
// re-executed with SPYSQL_TEST_MAIN=1 is spysql.
func TestMain(m *testing.M) {
	if os.Getenv("SPYSQL_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// servedProcess is `spysql serve` running as its own process.
type servedProcess struct {
	cmd  *exec.Cmd
	addr string
	exit chan error

	mu  sync.Mutex
	log []string // stderr lines (debug logging)
}

// waitLog waits until n lines of the server's log contain s.
func (p *servedProcess) waitLog(t *testing.T, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p.mu.Lock()
		k := 0
		for _, l := range p.log {
			if strings.Contains(l, s) {
				k++
			}
		}
		p.mu.Unlock()
		if k >= n {
			return
		}
		if time.Now().After(deadline) {
			p.mu.Lock()
			tail := p.log[max(0, len(p.log)-12):]
			p.mu.Unlock()
			t.Fatalf("%d log lines with %q after 20s, want %d; the server's last lines:\n%s", k, s, n, strings.Join(tail, "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sessionsOf lists the remote addresses of user's sessions, in order.
// p.mu held.
func (p *servedProcess) sessionsOf(user string) []string {
	re := regexp.MustCompile(`msg="session started" .*remote=(\S+) user=` + regexp.QuoteMeta(user) + `$`)
	var remotes []string
	for _, l := range p.log {
		if m := re.FindStringSubmatch(l); m != nil {
			remotes = append(remotes, m[1])
		}
	}
	return remotes
}

// waitStatementOf waits for the statement of the n-th session of user
// (counting from 1) to start: a bystander's statement logged meanwhile
// does not count.
func (p *servedProcess) waitStatementOf(t *testing.T, user string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p.mu.Lock()
		remotes := p.sessionsOf(user)
		started := false
		if len(remotes) >= n {
			for _, l := range p.log {
				if strings.Contains(l, `msg="statement started"`) && strings.HasSuffix(l, "remote="+remotes[n-1]) {
					started = true
				}
			}
		}
		p.mu.Unlock()
		if started {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %d of %s: no statement started after 20s", n, user)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func startServeProcess(t *testing.T, dir, lake string, args ...string) *servedProcess {
	t.Helper()
	tmp, cwd := filepath.Join(dir, "tmp"), filepath.Join(dir, "cwd")
	for _, d := range []string{tmp, cwd} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], append([]string{"--verbose", "serve", "--auth", "trust", "--listen", "127.0.0.1:0", "--lake", lake}, args...)...)
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), "SPYSQL_TEST_MAIN=1", "TMPDIR="+tmp, "HOME="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &servedProcess{cmd: cmd, exit: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log = append(p.log, line)
			p.mu.Unlock()
			if m := re.FindStringSubmatch(line); m != nil && strings.Contains(line, "spysql ready") {
				ready <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { p.exit <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	select {
	case p.addr = <-ready:
	case err := <-p.exit:
		t.Fatalf("serve exited before ready: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve not ready after 2 minutes")
	}
	return p
}

// alive checks that the process still runs and answers a query.
func (p *servedProcess) alive(t *testing.T) {
	t.Helper()
	select {
	case err := <-p.exit:
		t.Fatalf("the server process exited: %v", err)
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, p.connString("bystander"))
	if err != nil {
		t.Fatalf("server does not serve: %v", err)
	}
	defer c.Close(ctx)
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM calendar.sessions").Scan(&n); err != nil || n == 0 {
		t.Fatalf("bystander query: %d, %v", n, err)
	}
}

func (p *servedProcess) connString(user string) string {
	host, port, _ := strings.Cut(p.addr, ":")
	return fmt.Sprintf("host=%s port=%s user=%s dbname=lake sslmode=disable", host, port, user)
}

// psqlPath is PostgreSQL 15's psql (installed by .ci/run).
func psqlPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/lib/postgresql/15/bin/psql", "psql"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Fatal("psql (PostgreSQL 15) is needed: apt-get install postgresql-client-15")
	return ""
}

func (p *servedProcess) psql(t *testing.T, sql string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(psqlPath(t), "-X", "-v", "VERBOSITY=verbose", "-c", sql, p.connString("psql"))
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	return cmd
}

// treeHash is the sha256 list of every file under dir, as one digest.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			lines = append(lines, p+"/")
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		lines = append(lines, p+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// TestServeProcessSurvivesAttacks runs spysql serve as a process and
// sends the attacks with psql and pgx: enable_logging to a file
// (which used to crash the server when the client left), logging and
// profiling into the lake, reading duckdb_logs. Each is refused with
// 42501, the process stays up and serves others, the lake's sha256 list
// is unchanged, nothing is written in the working or temp directory, and
// the spill directory is gone after a clean exit.
func TestServeProcessSurvivesAttacks(t *testing.T) {
	dir := t.TempDir()
	lake := filepath.Join(dir, "lake")
	if _, err := runCLI(t, "--lake", lake, "gen", "--start", "2025-12-15", "--end", "2025-12-15", "--scale", "0.001"); err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, lake)
	p := startServeProcess(t, dir, lake, "--max-connections", "3")
	attacks := []string{
		"select * from enable_logging(storage='file', storage_path='" + dir + "/x')",
		"select * from enable_logging('QueryLog', storage='file', storage_path='" + lake + "/gold')",
		"select * from enable_profiling(format='json', save_location='" + lake + "/silver/prof.json')",
		"select * from enable_logging('QueryLog')",
		"select * from duckdb_logs",
		"select current_setting('secret_directory')",
	}
	for _, q := range attacks {
		out, err := p.psql(t, q).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "42501") {
			t.Errorf("psql %s: %v\n%s", q, err, out)
		}
		p.alive(t)
		ctx := context.Background()
		c, err := pgx.Connect(ctx, p.connString("pgx"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Exec(ctx, q)
		if code := sqlStateOf(err); code != "42501" {
			t.Errorf("pgx %s: %v, want 42501", q, err)
		}
		c.Close(ctx)
		p.alive(t)
	}

	// Zombie statements: three psql clients killed during an endless
	// statement must not lock everyone out (--max-connections 3).
	for k := 1; k <= 3; k++ {
		p.mu.Lock()
		psqlSessions := len(p.sessionsOf("psql"))
		p.mu.Unlock()
		cmd := p.psql(t, "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p.waitStatementOf(t, "psql", psqlSessions+1)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		// The server notices the closed client and interrupts.
		p.waitLog(t, "client closed the connection during a statement", k)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := pgx.Connect(ctx, p.connString("after-kill"))
		cancel()
		if err == nil {
			c.Close(context.Background())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after three killed clients: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.alive(t)

	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exit:
		if err != nil {
			t.Fatalf("serve exit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if after := treeHash(t, lake); after != before {
		t.Errorf("the lake's files changed")
	}
	for _, d := range []string{"cwd", "tmp"} {
		ents, _ := os.ReadDir(filepath.Join(dir, d))
		if len(ents) != 0 {
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Errorf("%s not empty after the server stopped: %v", d, names)
		}
	}
	var names []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if fmt.Sprint(names) != "[cwd lake tmp]" {
		t.Errorf("files written beside the lake (HOME is its parent): %v", names)
	}
}

func sqlStateOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
