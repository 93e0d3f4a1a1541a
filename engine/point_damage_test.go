package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Damaged, ambiguous or undecodable inputs make point reads step aside
// (ErrNotPointable, so DuckDB answers) promptly, every time, and never
// hang or crash the process.
func TestPointReadStepsAside(t *testing.T) {
	ctx := context.Background()
	l := testLake(t)
	dir := l.GoldTrainingDir()
	writeGoldFile(t, l, "good", 5_000, 1_000)

	// An index that is not Parquet at all.
	writeGoldFile(t, l, "garbage", 5_000, 1_000)
	if err := os.WriteFile(l.GoldPointIndexPath("garbage"), []byte("PAR1 not really PAR1"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An index stamped for its dataset whose pages are damaged.
	writeGoldFile(t, l, "damaged", 20_000, 5_000)
	idx := l.GoldPointIndexPath("damaged")
	data, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) / 4; i < len(data)/2; i++ {
		data[i] ^= 0x5a
	}
	if err := os.WriteFile(idx, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// Two datasets whose names differ only in case.
	writeGoldFile(t, l, "Twin", 1_000, 1_000)
	writeGoldFile(t, l, "twin", 1_000, 1_000)
	// Columns DuckDB would rename (k and K).
	type clash struct {
		K1 int64 `parquet:"k"`
		K2 int64 `parquet:"K"`
	}
	rows := []clash{{1, 2}, {2, 1}}
	if err := parquet.WriteFile(filepath.Join(dir, "clash.parquet"), rows); err != nil {
		t.Fatal(err)
	}
	if err := WritePointIndex(ctx, l, "clash"); err != nil {
		t.Fatal(err)
	}
	// A VARCHAR with invalid UTF-8, which DuckDB refuses to read.
	type text struct {
		K int64  `parquet:"k"`
		S string `parquet:"s"`
	}
	if err := parquet.WriteFile(filepath.Join(dir, "badutf8.parquet"), []text{{1, "ok"}, {2, "\xff\xfe"}}); err != nil {
		t.Fatal(err)
	}
	if err := WritePointIndex(ctx, l, "badutf8"); err != nil {
		t.Fatal(err)
	}

	db := openDB(t, l)
	star := func(dataset, key string) PointQuery {
		return PointQuery{Dataset: dataset, Key: key, Cols: prepare(t, db, "SELECT * FROM gold."+QuoteIdent(dataset)).Columns(), Star: true}
	}
	for _, tc := range []struct {
		name string
		q    PointQuery
		key  int64
	}{
		{"garbage index", star("garbage", "ts_event_ns"), 10},
		{"damaged index", star("damaged", "ts_event_ns"), 40_000},
		{"names differing in case", PointQuery{Dataset: "twin", Key: "ts_event_ns", Cols: star("good", "ts_event_ns").Cols, Star: true}, 10},
		{"columns differing in case", star("clash", "k"), 1},
		{"invalid UTF-8", star("badutf8", "k"), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 3 {
				done := make(chan error, 1)
				go func() {
					pr, err := db.PointRead(ctx, tc.q, tc.key)
					if pr != nil {
						pr.Close()
					}
					done <- err
				}()
				select {
				case err := <-done:
					if !errors.Is(err, ErrNotPointable) {
						t.Fatalf("err = %v, want ErrNotPointable", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("point read hangs")
				}
			}
		})
	}
	// The healthy dataset still answers, and the good UTF-8 row too.
	if pr, err := db.PointRead(ctx, star("good", "ts_event_ns"), 10); err != nil {
		t.Fatal(err)
	} else {
		pr.Close()
	}
	if pr, err := db.PointRead(ctx, star("badutf8", "k"), 1); err != nil {
		t.Fatal(err)
	} else {
		pr.Close()
	}
}
