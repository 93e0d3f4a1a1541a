package clients

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/wire"
	"github.com/spysql/spysql/wire/internal/pgtest"
)

// pg is a PostgreSQL 15 started once for the package, with like objects
// (likeObjects) in database lake.
var pg *pgtest.Postgres

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	var err error
	pg, err = pgtest.Start(ctx)
	if err == nil {
		err = pg.Exec(ctx, "CREATE DATABASE lake")
	}
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "client tests need PostgreSQL 15:", err)
		os.Exit(1)
	}
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// goldDataset is the Gold training dataset of the test lake: its columns
// and, for PostgreSQL, the like table.
const goldSelect = `SELECT i::BIGINT AS ts_event_ns, (100 + i / 4.0)::DOUBLE AS price, i % 7 AS size,
	'SPY' AS symbol, (i / 3.0)::DECIMAL(18,2) AS fwd_return_bps, [i, i + 1]::INTEGER[] AS levels,
	TIMESTAMPTZ '2025-12-15 14:30:00+00' + to_seconds(i) AS ts
	FROM range(1, 1001) r(i)`

// vecSelect is a second Gold dataset, vec, of list columns: values with
// NULL elements, empty lists and NULL lists.
const vecSelect = `SELECT * FROM (VALUES
	(1::BIGINT, [1.5, -2.25]::DOUBLE[], ['a', 'b c', '{q"x}']::VARCHAR[], [1, 9007199254740993]::BIGINT[]),
	(2, []::DOUBLE[], []::VARCHAR[], []::BIGINT[]),
	(3, [NULL, 0.5]::DOUBLE[], ['x', NULL]::VARCHAR[], [NULL]::BIGINT[]),
	(4, NULL, NULL, NULL)) t(id, px, tags, ids)`

// pgLike creates, in PostgreSQL, schema gold with a view ds whose columns
// have the PostgreSQL types spysql reports for gold.ds.
const pgLike = `CREATE SCHEMA gold; CREATE SCHEMA gold_data; DROP SCHEMA public;
CREATE TABLE gold_data.ds_data (ts_event_ns bigint, price double precision, size bigint, symbol text,
  fwd_return_bps numeric(18,2), levels integer[], ts timestamptz);
INSERT INTO gold_data.ds_data SELECT i, 100 + i / 4.0, i % 7, 'SPY', round(i / 3.0, 2), ARRAY[i, i + 1],
  timestamptz '2025-12-15 14:30:00+00' + i * interval '1 second' FROM generate_series(1, 1000) i;
CREATE VIEW gold.ds AS SELECT * FROM gold_data.ds_data;
COMMENT ON VIEW gold.ds IS 'Demo training set';
COMMENT ON COLUMN gold.ds.ts_event_ns IS 'key of ds';
COMMENT ON COLUMN gold.ds.fwd_return_bps IS 'label';
CREATE TABLE gold_data.vec_data (id bigint, px double precision[], tags text[], ids bigint[]);
INSERT INTO gold_data.vec_data VALUES (1, ARRAY[1.5, -2.25], ARRAY['a', 'b c', '{q"x}'], ARRAY[1, 9007199254740993]),
  (2, '{}', '{}', '{}'), (3, ARRAY[NULL, 0.5], ARRAY['x', NULL], ARRAY[NULL]::bigint[]), (4, NULL, NULL, NULL);
CREATE VIEW gold.vec AS SELECT * FROM gold_data.vec_data;
COMMENT ON VIEW gold.vec IS 'List columns';`

// server is a running spysql over a lake holding gold.ds (1,000 rows)
// and the empty Bronze views.
type server struct {
	addr string
	lake string
}

func startServer(t testing.TB) *server {
	t.Helper()
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "lake")
	lake, err := store.OpenLake(root, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(lake.GoldTrainingDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct{ name, query, meta string }{
		{"ds", goldSelect, `{"dataset": "ds", "source_version": "", "notes": "Demo training set", "key": ["ts_event_ns"], "labels": ["fwd_return_bps"]}`},
		{"vec", vecSelect, `{"dataset": "vec", "source_version": "", "notes": "List columns", "key": ["id"], "labels": []}`},
	} {
		if _, err := w.Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet)", d.query, filepath.Join(lake.GoldTrainingDir(), d.name+".parquet"))); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(lake.GoldTrainingDir(), d.name+"_metadata.json"), []byte(d.meta), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	// As serve runs it: threads sized to the statements (AdaptiveThreads).
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: 2, AdaptiveThreads: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg := wire.Config{Auth: wire.AuthTrust, Version: "test"}
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := wire.NewServer(wire.NewDuckEngine(db), cfg)
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
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		db.Close()
	})
	return &server{addr: ln.Addr().String(), lake: root}
}

func (s *server) hostPort() (string, string) {
	h, p, _ := net.SplitHostPort(s.addr)
	return h, p
}

// connString is a libpq connection string to database lake.
func (s *server) connString(user string) string {
	h, p := s.hostPort()
	return fmt.Sprintf("host=%s port=%s user=%s dbname=lake sslmode=disable", h, p, user)
}

// pgConnString is the same for the reference PostgreSQL.
func pgConnString(user string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=lake sslmode=disable", pg.Port, user)
}
