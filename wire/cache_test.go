package wire

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// startCachedServer serves lake from a database with a hot cache.
func startCachedServer(t *testing.T, lake store.Lake, budget int64) *testServer {
	t.Helper()
	ctx := context.Background()
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: 2, CacheMemory: budget})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(NewDuckEngine(db), Config{Auth: AuthTrust})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		srv.Close()
		<-done
		db.Close()
	})
	return &testServer{srv: srv, db: db, lake: lake, addr: ln.Addr().String()}
}

// publish writes q as Parquet at path through a rename, as the lake's
// writers publish.
func publish(t *testing.T, w *duck.DB, path, q string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if _, err := w.SQL().Exec(fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet)", q, duck.QuoteString(tmp))); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestCacheServesPublications: with the hot cache on, the statement
// after a promotion or a Silver date published reads the new data, over
// the wire, with no refresh asked for: the watcher sees the rename and
// the cache copies again.
func TestCacheServesPublications(t *testing.T) {
	lake := newLake(t)
	ctx := context.Background()
	w, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	gold := filepath.Join(lake.GoldTrainingDir(), "g.parquet")
	publish(t, w, gold, "SELECT i AS k, 1 AS gen FROM range(100) t(i)")
	publish(t, w, lake.VersionDatePart("v1.0_x", "2025-01-02"), "SELECT i AS k FROM range(10) t(i)")
	ts := startCachedServer(t, lake, 1<<30)
	c, err := pgx.Connect(ctx, ts.connString("cache"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	query := func(q string) string {
		t.Helper()
		var s string
		if err := c.QueryRow(ctx, q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return s
	}
	const goldQ = "SELECT max(gen) || ' ' || count(*) FROM gold.g"
	const silverQ = `SELECT count(*) || ' ' || count(DISTINCT date) FROM silver."v1.0_x"`
	if got := query(goldQ); got != "1 100" {
		t.Fatalf("gold: %s", got)
	}
	if got := query(silverQ); got != "10 1" {
		t.Fatalf("silver: %s", got)
	}
	for gen := 2; gen <= 3; gen++ {
		publish(t, w, gold, fmt.Sprintf("SELECT i AS k, %d AS gen FROM range(%d) t(i)", gen, 100+gen))
		if got, want := query(goldQ), fmt.Sprintf("%d %d", gen, 100+gen); got != want {
			t.Fatalf("after promotion %d: %s, want %s", gen, got, want)
		}
	}
	publish(t, w, lake.VersionDatePart("v1.0_x", "2025-01-03"), "SELECT i AS k FROM range(5) t(i)")
	if got := query(silverQ); got != "15 2" {
		t.Fatalf("after a date was built: %s, want 15 2", got)
	}
	if st := ts.db.CacheStats(); st.Tables != 3 || st.Loads != 5 {
		t.Fatalf("cache %+v: want 3 copies (gold, two dates) after 5 loads", st)
	}
}
