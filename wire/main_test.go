package wire

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/wire/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture != nil {
		fixture.ts.srv.Close()
		fixture.ts.db.Close()
	}
	dashCleanup()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	if pgServer != nil {
		pgServer.Stop()
	}
	os.Exit(code)
}

// The PostgreSQL 15 that comparison tests talk to, started by the first
// test that calls needPG and stopped by TestMain. Protocol, lexer and
// encoder tests never start it.
var (
	pgOnce   sync.Once
	pgServer *pgtest.Postgres
	pgErr    error
)

// needPG returns the package's PostgreSQL 15, starting it on first use.
// A test that compares with PostgreSQL fails (never skips) when it cannot
// start.
func needPG(t testing.TB) *pgtest.Postgres {
	t.Helper()
	pgOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		pgServer, pgErr = pgtest.Start(ctx)
	})
	if pgErr != nil {
		t.Fatalf("this test compares with PostgreSQL 15, which did not start: %v", pgErr)
	}
	return pgServer
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
	// As serve runs it: threads sized to the statements (AdaptiveThreads).
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: 2, AdaptiveThreads: true})
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
