package synthmarket

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// testScale keeps the lake tests to a few seconds.
const testScale = 0.01

func newCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// genLake generates cfg into a new lake under dir and returns it.
func genLake(t testing.TB, dir string, cfg Config) (store.Lake, Stats) {
	t.Helper()
	lake, err := store.OpenLake(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Generate(context.Background(), lake, newCalendar(t), cfg, nil)
	if err != nil {
		t.Fatalf("generate %+v: %v", cfg, err)
	}
	return lake, st
}

// fileHashes maps the path of every file under root, relative to it, to
// its sha256.
func fileHashes(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// openDuckDB opens an in-memory DuckDB with the lake's Bronze tables as
// views: futures_trades, futures_mbp10, stocks_trades, options_trades.
func openDuckDB(t testing.TB, lake store.Lake) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, tb := range store.BronzeTables() {
		glob := strings.ReplaceAll(lake.BronzeGlob(tb), "'", "''")
		q := "CREATE VIEW " + tb.Name() + " AS SELECT * FROM read_parquet('" + glob +
			"', hive_partitioning=true, hive_types={'" + tb.KeyColumn() +
			"':'VARCHAR','date':'VARCHAR','hour':'VARCHAR'})"
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return db
}

// queryInts runs q and scans its single row of integers.
func queryInts(t testing.TB, db *sql.DB, q string, n int) []int64 {
	t.Helper()
	out := make([]int64, n)
	ptrs := make([]any, n)
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := db.QueryRow(q).Scan(ptrs...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
