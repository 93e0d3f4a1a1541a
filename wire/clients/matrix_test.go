package clients

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// runClient runs a client program against s with libpq's environment
// (PGHOST, PGPORT, PGUSER, PGDATABASE) and returns its output; a client
// that is not installed fails the test, as CI installs every one (make
// test-deps).
func runClient(t *testing.T, s *server, dir string, name string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is required (make test-deps installs the client matrix): %v", name, err)
	}
	host, port := s.hostPort()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PGHOST="+host, "PGPORT="+port, "PGUSER=analyst", "PGDATABASE=lake", "PGSSLMODE=disable")
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
		{"asyncpg_client.py", "asyncpg ok"},
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
