package clients

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runClient runs a client program against s with libpq's environment
// (PGHOST, PGPORT, PGUSER, PGDATABASE) and returns its output; a client
// that is not installed fails the test, as CI installs every one (make
// test-deps).
func runClient(t *testing.T, s *server, dir string, name string, args ...string) string {
	t.Helper()
	host, port := s.hostPort()
	return runClientAt(t, host, port, "analyst", dir, name, args...)
}

// runClientAt is runClient against any server, as user.
func runClientAt(t *testing.T, host, port, user, dir string, name string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is required (make test-deps installs the client matrix): %v", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PGHOST="+host, "PGPORT="+port, "PGUSER="+user, "PGDATABASE=lake", "PGSSLMODE=disable")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// Each client script asserts what it reads and exits non-zero on a
// mismatch; the last line names the client.
func TestPythonClients(t *testing.T) {
	s := startServer(t)
	for _, c := range []struct{ script, want string }{
		{"psycopg2_client.py", "psycopg2 ok 200000"},
		{"psycopg3_client.py", "psycopg3 ok"},
		{"sqlalchemy_client.py", "sqlalchemy ok"},
	} {
		t.Run(c.script, func(t *testing.T) {
			out := runClient(t, s, "testdata/scripts", debianPython, c.script)
			if !strings.Contains(out, c.want) {
				t.Errorf("output %q lacks %q", out, c.want)
			}
		})
	}
}

// TestAsyncpg runs asyncpg_client.py against spysql and against
// PostgreSQL 15 holding like objects: each asserts the values it knows,
// and the two must print the same answers and types, line for line
// (list columns, array parameters, asyncpg's type introspection).
func TestAsyncpg(t *testing.T) {
	s := startServer(t)
	createLikeObjects(t)
	host, port := s.hostPort()
	got := runClientAt(t, host, port, "postgres", "testdata/scripts", debianPython, "asyncpg_client.py")
	want := runClientAt(t, "127.0.0.1", strconv.Itoa(pg.Port), "postgres", "testdata/scripts", debianPython, "asyncpg_client.py")
	if !strings.HasSuffix(got, "asyncpg ok\n") {
		t.Fatalf("spysql: output lacks asyncpg ok:\n%s", got)
	}
	sameLines(t, got, want)
}

// sameLines requires a client's output from spysql (got) to equal its
// output from PostgreSQL (want), reporting each differing line.
func sameLines(t *testing.T, got, want string) {
	t.Helper()
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gl) != len(wl) {
		t.Fatalf("spysql printed %d lines, PostgreSQL %d:\n%s\n---\n%s", len(gl), len(wl), got, want)
	}
	for i := range gl {
		if gl[i] != wl[i] {
			t.Errorf("line %d:\nspysql:     %s\npostgresql: %s", i+1, gl[i], wl[i])
		}
	}
}

// debianPython is the interpreter Debian's python3-* packages (which CI
// installs) belong to; a python3 earlier on PATH (pyenv) lacks them.
const debianPython = "/usr/bin/python3"

// TestJDBC compiles and runs JdbcClient.java with Debian's pgjdbc.
func TestJDBC(t *testing.T) {
	s := startServer(t)
	const jar = "/usr/share/java/postgresql.jar"
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("pgjdbc is required (Debian: libpostgresql-jdbc-java): %v", err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/scripts/JdbcClient.java")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/JdbcClient.java", src, 0o644); err != nil {
		t.Fatal(err)
	}
	runClient(t, s, dir, "javac", "-cp", jar, "JdbcClient.java")
	out := runClient(t, s, dir, "java", "-cp", jar+":.", "JdbcClient")
	if !strings.Contains(out, "jdbc ok") {
		t.Errorf("output %q", out)
	}
}

// TestJDBCFunctions runs JdbcFunctions.java (getFunctions,
// getProcedures, getFunctionColumns of pg_catalog functions) against
// spysql and PostgreSQL 15 and requires the same rows.
func TestJDBCFunctions(t *testing.T) {
	s := startServer(t)
	const jar = "/usr/share/java/postgresql.jar"
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("pgjdbc is required (Debian: libpostgresql-jdbc-java): %v", err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/scripts/JdbcFunctions.java")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/JdbcFunctions.java", src, 0o644); err != nil {
		t.Fatal(err)
	}
	runClient(t, s, dir, "javac", "-cp", jar, "JdbcFunctions.java")
	host, port := s.hostPort()
	got := runClientAt(t, host, port, "postgres", dir, "java", "-cp", jar+":.", "JdbcFunctions")
	want := runClientAt(t, "127.0.0.1", strconv.Itoa(pg.Port), "postgres", dir, "java", "-cp", jar+":.", "JdbcFunctions")
	if !strings.Contains(got, "getFunctions abs | pg_catalog | abs | absolute value") {
		t.Errorf("getFunctions lacks abs:\n%s", got)
	}
	sameLines(t, got, want)
}

// TestNodePostgres runs testdata/node/client.js with node-postgres
// (make test-deps runs npm install in testdata/node).
func TestNodePostgres(t *testing.T) {
	s := startServer(t)
	if _, err := os.Stat("testdata/node/node_modules/pg"); err != nil {
		t.Fatalf("node-postgres is required (make test-deps: npm install in wire/clients/testdata/node): %v", err)
	}
	out := runClient(t, s, "testdata/node", "node", "client.js")
	if !strings.Contains(out, "node-postgres ok") {
		t.Errorf("output %q", out)
	}
}

// TestODBC drives psqlODBC (Power BI's and Tableau's driver on Windows)
// through unixODBC's isql: queries with server-side prepares and
// declare/fetch, and SQLColumns (isql's help TABLE).
func TestODBC(t *testing.T) {
	s := startServer(t)
	drivers, _ := filepath.Glob("/usr/lib/*/odbc/psqlodbcw.so")
	if len(drivers) == 0 {
		t.Fatal("psqlODBC is required (Debian: odbc-postgresql unixodbc)")
	}
	dir := t.TempDir()
	host, port := s.hostPort()
	ini := fmt.Sprintf("[spysql]\nDriver=%s\nServername=%s\nPort=%s\nDatabase=lake\nUsername=analyst\nSSLmode=disable\nUseServerSidePrepare=1\nUseDeclareFetch=1\nFetch=100\n", drivers[0], host, port)
	if err := os.WriteFile(filepath.Join(dir, "odbc.ini"), []byte(ini), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "odbcinst.ini"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bin, err := exec.LookPath("isql")
	if err != nil {
		t.Fatalf("unixODBC's isql is required (Debian: unixodbc): %v", err)
	}
	script := strings.Join([]string{
		"select count(*), max(price) from gold.ds",
		"select symbol, count(*) from gold.ds group by 1",
		"select ts_event_ns, fwd_return_bps from gold.ds where ts_event_ns = 3",
		"help ds",
	}, "\n") + "\n"
	cmd := exec.Command(bin, "-v", "-b", "-d|", "spysql", "analyst")
	cmd.Env = append(os.Environ(), "ODBCSYSINI="+dir, "ODBCINI="+filepath.Join(dir, "odbc.ini"))
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("isql: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{
		"1000|350\n", "SPY|1000\n", "3|1.00\n",
		"lake|gold|ds|ts_event_ns|-5|int8|19|",
		"lake|gold|ds|fwd_return_bps|2|numeric|18|",
		"lake|gold|ds|levels|12|_int4|",
		"lake|gold|ds|ts|11|timestamptz|",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("isql output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "[ISQL]ERROR") || strings.Contains(got, "ERROR:") {
		t.Errorf("isql reported an error:\n%s", got)
	}
}
