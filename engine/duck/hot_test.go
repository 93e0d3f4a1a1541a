package duck_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/store"
)

// publishParquet writes q to path through a temporary file and a rename,
// as the lake's writers publish.
func publishParquet(t *testing.T, w *duck.DB, path, q string) {
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

func goldPath(l store.Lake, name string) string {
	return filepath.Join(l.GoldTrainingDir(), name+".parquet")
}

// openHot opens a database on l with a hot cache of budget bytes.
func openHot(t *testing.T, l store.Lake, budget int64) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), l, duck.Config{Threads: 2, CacheMemory: budget})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func one(t *testing.T, db *duck.DB, q string) string {
	t.Helper()
	return enginetest.QueryStrings(t, db, q)[0][0]
}

func refresh(t *testing.T, db *duck.DB) {
	t.Helper()
	if err := db.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestHotCacheFollowsPromotions: a Gold dataset is served from its
// in-memory copy, and each promotion (a new file renamed over the old)
// is served after the next refresh, the old copy dropped.
func TestHotCacheFollowsPromotions(t *testing.T) {
	l := enginetest.Lake(t)
	w := enginetest.OpenDB(t, l)
	publishParquet(t, w, goldPath(l, "ds"), "SELECT i AS k, 1 AS gen FROM range(1000) t(i)")
	db := openHot(t, l, 1<<30)
	if got := one(t, db, "SELECT sql FROM duckdb_views() WHERE schema_name = 'gold' AND view_name = 'ds'"); !strings.Contains(got, "_cache") {
		t.Fatalf("gold.ds is not bound to a copy: %s", got)
	}
	for gen := 2; gen <= 4; gen++ {
		publishParquet(t, w, goldPath(l, "ds"), fmt.Sprintf("SELECT i AS k, %d AS gen FROM range(%d) t(i)", gen, 1000+gen))
		// Until the refresh, the copy is what the views were bound to.
		if got, want := one(t, db, "SELECT max(gen) FROM gold.ds"), fmt.Sprint(gen-1); got != want {
			t.Fatalf("before refresh: gen %s, want %s", got, want)
		}
		refresh(t, db)
		if got, want := one(t, db, "SELECT max(gen) || ' ' || count(*) FROM gold.ds"), fmt.Sprintf("%d %d", gen, 1000+gen); got != want {
			t.Fatalf("after promotion %d: %s, want %s", gen, got, want)
		}
		if got := one(t, db, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = '_cache'"); got != "1" {
			t.Fatalf("%s copies held, want 1", got)
		}
	}
	st := db.CacheStats()
	if st.Tables != 1 || st.Bytes <= 0 || st.Loads != 4 {
		t.Fatalf("stats %+v, want 1 table, 4 loads", st)
	}
}

// TestHotCacheFollowsSilverBuild: a date published into a cached Silver
// version is in the version's view after the refresh.
func TestHotCacheFollowsSilverBuild(t *testing.T) {
	l := enginetest.Lake(t)
	w := enginetest.OpenDB(t, l)
	const v = "v1.0_test"
	publishParquet(t, w, l.VersionDatePart(v, "2025-01-02"), "SELECT i AS k FROM range(10) t(i)")
	db := openHot(t, l, 1<<30)
	if got := one(t, db, `SELECT count(*) || ' ' || count(DISTINCT date) FROM silver."`+v+`"`); got != "10 1" {
		t.Fatalf("first date: %s", got)
	}
	publishParquet(t, w, l.VersionDatePart(v, "2025-01-03"), "SELECT i AS k FROM range(7) t(i)")
	refresh(t, db)
	if got := one(t, db, `SELECT count(*) || ' ' || string_agg(DISTINCT date, ',' ORDER BY date) FROM silver."`+v+`"`); got != "17 2025-01-02,2025-01-03" {
		t.Fatalf("after the second date: %s", got)
	}
	// One copy per date: the second refresh copied only the new date.
	if st := db.CacheStats(); st.Tables != 2 || st.Loads != 2 || st.Reuses != 1 {
		t.Fatalf("stats %+v, want 2 tables after 2 loads and 1 reuse", st)
	}
}

// TestHotCacheSameColumns: a view bound to copies has the columns, types
// and rows of the same view over Parquet, Hive partition columns
// included, and a filter on a partition column selects the same rows.
func TestHotCacheSameColumns(t *testing.T) {
	l := enginetest.Lake(t)
	w := enginetest.OpenDB(t, l)
	const v = "v1.0_cols"
	for i, d := range []string{"2025-01-02", "2025-01-03", "2025-01-06"} {
		publishParquet(t, w, l.VersionDatePart(v, d), fmt.Sprintf(
			"SELECT i AS k, 'x' || i AS s, DATE '%s' AS session_date, [i, %d] AS l, CAST(i AS DECIMAL(10,2)) AS dec FROM range(5) t(i)", d, i))
	}
	publishParquet(t, w, goldPath(l, "g"), "SELECT i AS k, TIMESTAMP '2025-01-02 10:00:00' + INTERVAL (i) SECOND AS ts FROM range(4) t(i)")
	cold, hot := enginetest.OpenDB(t, l), openHot(t, l, 1<<30)
	if st := hot.CacheStats(); st.Tables != 4 {
		t.Fatalf("stats %+v, want 4 copies", st)
	}
	for _, q := range []string{
		`SELECT column_name || ' ' || column_type FROM (DESCRIBE silver."` + v + `")`,
		`SELECT column_name || ' ' || column_type FROM (DESCRIBE gold.g)`,
		`SELECT * FROM silver."` + v + `" ORDER BY date, k`,
		`SELECT * FROM silver."` + v + `" WHERE date = '2025-01-03' ORDER BY k`,
		`SELECT * FROM gold.g ORDER BY k`,
	} {
		a, b := enginetest.QueryStrings(t, cold, q), enginetest.QueryStrings(t, hot, q)
		if fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
			t.Fatalf("%s:\nparquet %v\ncopies  %v", q, a, b)
		}
	}
}

// TestHotCacheBudget: what does not fit stays on Parquet, Gold first.
func TestHotCacheBudget(t *testing.T) {
	l := enginetest.Lake(t)
	w := enginetest.OpenDB(t, l)
	publishParquet(t, w, goldPath(l, "big"), "SELECT i AS k, i * 2 AS v FROM range(100000) t(i)")
	publishParquet(t, w, l.VersionDatePart("v1.0_small", "2025-01-02"), "SELECT i AS k FROM range(10) t(i)")
	db := openHot(t, l, 64<<10)
	st := db.CacheStats()
	if st.Tables != 1 || st.Skips != 1 || st.Bytes > 64<<10 {
		t.Fatalf("stats %+v: want the small version held, the big dataset skipped", st)
	}
	if got := one(t, db, "SELECT sql FROM duckdb_views() WHERE schema_name = 'gold' AND view_name = 'big'"); !strings.Contains(got, "read_parquet") {
		t.Fatalf("gold.big should read Parquet: %s", got)
	}
	if got := one(t, db, "SELECT sum(v) FROM gold.big"); got != "9999900000" {
		t.Fatalf("sum %s", got)
	}
}

// TestHotCacheNeverMixed: two datasets promoted together are seen
// together. Readers compare both datasets' generations in one statement
// while the lake is promoted and refreshed; a refresh re-points every
// view in one transaction, so no statement sees one new and one old.
// A transaction opened before a refresh keeps reading the copies it
// started with, though they were dropped.
func TestHotCacheNeverMixed(t *testing.T) {
	l := enginetest.Lake(t)
	w := enginetest.OpenDB(t, l)
	promote := func(gen int) {
		for _, n := range []string{"a", "b"} {
			publishParquet(t, w, goldPath(l, n), fmt.Sprintf("SELECT i AS k, %d AS gen FROM range(2000) t(i)", gen))
		}
	}
	promote(0)
	db := openHot(t, l, 1<<30)
	ctx := context.Background()
	old, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, err := old.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, "SELECT count(*) FROM gold.a"); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var seen atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for !stop.Load() {
				var a, b int
				if err := db.SQL().QueryRow("SELECT (SELECT max(gen) FROM gold.a), (SELECT max(gen) FROM gold.b)").Scan(&a, &b); err != nil {
					t.Error(err)
					return
				}
				if a != b {
					t.Errorf("mixed: gold.a generation %d, gold.b %d", a, b)
					return
				}
				seen.Add(1)
			}
		})
	}
	const gens = 6
	for gen := 1; gen <= gens && !t.Failed(); gen++ {
		promote(gen)
		refresh(t, db)
	}
	stop.Store(true)
	wg.Wait()
	if seen.Load() == 0 {
		t.Fatal("the readers ran no statement")
	}
	var gen, n int
	if err := old.QueryRowContext(ctx, "SELECT max(gen), count(*) FROM gold.a").Scan(&gen, &n); err != nil {
		t.Fatalf("a transaction older than the refreshes: %v", err)
	}
	if gen != 0 || n != 2000 {
		t.Fatalf("a transaction older than the refreshes read generation %d (%d rows), want 0", gen, n)
	}
	old.ExecContext(ctx, "COMMIT")
	if got := one(t, db, "SELECT max(gen) FROM gold.a"); got != fmt.Sprint(gens) {
		t.Fatalf("after the promotions: generation %s", got)
	}
}
