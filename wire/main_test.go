package wire

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/wire/internal/pgtest"
)

// pg is the PostgreSQL 15 every comparison test talks to, started once
// for the package.
var pg *pgtest.Postgres

func TestMain(m *testing.M) {
	if needsPostgres() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var err error
		pg, err = pgtest.Start(ctx)
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "wire tests need PostgreSQL 15:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if fixture != nil {
		fixture.ts.srv.Close()
		fixture.ts.db.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	if pg != nil {
		pg.Stop()
	}
	os.Exit(code)
}

// needsPostgres is false only when running nothing but fuzz targets.
func needsPostgres() bool {
	for _, a := range os.Args {
		if strings.HasPrefix(a, "-test.fuzz=") || strings.HasPrefix(a, "-test.run=^$") && !hasBench() {
			return false
		}
	}
	return true
}

func hasBench() bool {
	for _, a := range os.Args {
		if strings.HasPrefix(a, "-test.bench=") && a != "-test.bench=" {
			return true
		}
	}
	return false
}

// testServer is a spysql wire server on 127.0.0.1, port 0.
type testServer struct {
	srv  *Server
	db   *duck.DB
	lake store.Lake
	addr string
}

// newLake makes an empty lake in a temporary directory.
func newLake(t testing.TB) store.Lake {
	t.Helper()
	lake, err := store.OpenLake(filepath.Join(t.TempDir(), "lake"), true)
	if err != nil {
		t.Fatal(err)
	}
	return lake
}

// startServer serves lake with cfg (Auth defaults to trust in tests).
func startServer(t testing.TB, lake store.Lake, cfg Config) *testServer {
	t.Helper()
	ctx := context.Background()
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Auth == "" {
		cfg.Auth = AuthTrust
	}
	if cfg.Logger == nil && testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := NewServer(NewDuckEngine(db), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{srv: srv, db: db, lake: lake, addr: ln.Addr().String()}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		db.Close()
	})
	return ts
}

// connString is a libpq connection string for user.
func (ts *testServer) connString(user string) string {
	host, port, _ := net.SplitHostPort(ts.addr)
	return fmt.Sprintf("host=%s port=%s user=%s dbname=lake sslmode=disable", host, port, user)
}
