// Package pgtest starts a real PostgreSQL 15 for tests, so the wire
// server's answers can be compared with PostgreSQL's own.
//
// The tests run as root and postgres refuses root, so initdb and postgres
// run as the "postgres" user (runuser) in a temporary directory owned by
// it. CI needs the Debian packages postgresql-15 and postgresql-client-15.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// BinDir holds PostgreSQL 15's server binaries on Debian.
const BinDir = "/usr/lib/postgresql/15/bin"

// Postgres is a running PostgreSQL server on 127.0.0.1.
type Postgres struct {
	Port int
	dir  string
	cmd  *exec.Cmd
	done chan error
}

// Start runs initdb and postgres in a fresh temporary directory and waits
// until it accepts connections. Authentication is trust; the superuser is
// "postgres".
func Start(ctx context.Context) (*Postgres, error) {
	if _, err := os.Stat(filepath.Join(BinDir, "postgres")); err != nil {
		return nil, fmt.Errorf("PostgreSQL 15 is required for these tests (Debian: apt-get install postgresql-15 postgresql-client-15): %w", err)
	}
	dir, err := os.MkdirTemp("", "spysql-pg-*")
	if err != nil {
		return nil, err
	}
	p := &Postgres{dir: dir, done: make(chan error, 1)}
	asPostgres, err := p.own()
	if err != nil {
		p.cleanup()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := asPostgres(filepath.Join(BinDir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		p.cleanup()
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		p.cleanup()
		return nil, err
	}
	p.Port = port
	p.cmd = asPostgres(filepath.Join(BinDir, "postgres"), "-D", data, "-p", strconv.Itoa(port),
		"-h", "127.0.0.1", "-k", dir, "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=256MB",
		"-c", "TimeZone=UTC", "-c", "log_min_messages=fatal")
	p.cmd.Stdout, p.cmd.Stderr = os.Stderr, os.Stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		p.cleanup()
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := pgconn.Connect(ctx, p.ConnString("postgres"))
		if err == nil {
			c.Close(ctx)
			return p, nil
		}
		select {
		case werr := <-p.done:
			p.cleanup()
			return nil, fmt.Errorf("postgres exited: %v", werr)
		default:
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, fmt.Errorf("postgres did not start: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// own gives the directory to the postgres user and returns a command
// constructor that runs as that user.
func (p *Postgres) own() (func(name string, args ...string) *exec.Cmd, error) {
	if os.Geteuid() != 0 {
		return exec.Command, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("tests run as root and need a postgres user to run PostgreSQL as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(p.dir, uid, gid); err != nil {
		return nil, err
	}
	if err := os.Chmod(p.dir, 0o700); err != nil {
		return nil, err
	}
	return func(name string, args ...string) *exec.Cmd {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// ConnString is a keyword/value connection string for user on database
// postgres.
func (p *Postgres) ConnString(user string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=postgres sslmode=disable", p.Port, user)
}

// Exec runs SQL statements as the superuser (test setup).
func (p *Postgres) Exec(ctx context.Context, sql string) error {
	c, err := pgconn.Connect(ctx, p.ConnString("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql).ReadAll()
	return err
}

// Stop shuts the server down (fast mode) and removes its directory.
func (p *Postgres) Stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		// runuser forwards SIGINT (fast shutdown) to postgres.
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.done
		}
	}
	p.cleanup()
}

func (p *Postgres) cleanup() {
	if p.dir != "" && strings.Contains(p.dir, "spysql-pg-") {
		_ = os.RemoveAll(p.dir)
	}
}
