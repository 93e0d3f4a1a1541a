package point

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/store"
)

// generatedRows is the size of the generated datasets: several segments
// and row groups of the index (three segments under the race detector).
func generatedRows() int {
	if raceEnabled {
		return 70_000
	}
	return 300_000
}

// maxIndexRatio is the bound on a point index's size, as a
// multiple of its dataset's.
const maxIndexRatio = 1.5

// Generated Gold datasets, in SQL over i in range(%d): typedSizeSelect
// is the wire benchmark's (TIMESTAMP key, DECIMAL, text of a few hundred
// and a few thousand values, DATE, numeric columns on short periods);
// wideSizeSelect is market-like wide numeric data: a random walk of
// prices on a tick grid, volumes, and features of full precision.
const (
	typedSizeSelect = `SELECT TIMESTAMP '2025-01-02 09:30:00' + i * INTERVAL '1 millisecond' AS ts,
	'SYM' || (i %% 500) AS symbol, CAST((i %% 100000) * 0.0125 AS DECIMAL(18,4)) AS price,
	CAST(i %% 977 AS BIGINT) AS qty, CAST(((i * 13) %% 2000 - 1000) / 7.0 AS DOUBLE) AS fwd_return_bps,
	CAST(((i * 31) %% 1000) / 10.0 AS DOUBLE) AS barrier_state, i %% 3 = 0 AS outcome,
	DATE '2025-01-02' + CAST((i - i %% 100000) / 100000 AS INTEGER) AS session_date, 'note ' || (i %% 7919) AS note
	FROM range(%d) AS g(i)`
	wideSizeSelect = `SELECT i * 1000 + (i * 7919) %% 1000 AS ts_event_ns, ['SPY', 'QQQ', 'IWM'][1 + i %% 3] AS symbol,
	round(400 + sum(random() - 0.5) OVER (ORDER BY i) * 0.05, 2) AS price,
	CAST(1 + floor(random() * random() * 500) AS BIGINT) AS size, CAST(i %% 50 AS INTEGER) AS level,
	random() AS f1, random() * 2 - 1 AS f2, round(random() * 100, 3) AS f3, CAST(random() AS FLOAT) AS f4,
	round(random() * 10, 1) AS f5, random() < 0.3 AS label
	FROM range(%d) AS g(i)`
)

// writeSQLGold writes gold.<name> from a SELECT over i in range(rows),
// ordered by key, as the wire benchmarks do, and returns its index report.
func writeSQLGold(t *testing.T, l store.Lake, name, sel, key string, rows int) IndexReport {
	t.Helper()
	ctx := context.Background()
	w, err := duck.Open(ctx, l, duck.Config{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	path := filepath.Join(l.GoldTrainingDir(), name+".parquet")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SQL().ExecContext(ctx, "SELECT setseed(0.25)"); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("COPY (SELECT * FROM ("+sel+") ORDER BY %s) TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d)",
		rows, key, duck.QuoteString(path), store.RowGroupRows)
	if _, err := w.SQL().ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
	rep, err := WriteIndex(ctx, l, Source{Schema: "gold", Name: name}, key)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The index of a generated dataset is at most maxIndexRatio times its
// size: text and numeric columns of few values per segment are
// dictionary-coded, sorted integers delta-coded.
func TestPointIndexSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes datasets of several segments")
	}
	l := enginetest.Lake(t)
	for _, c := range []struct{ name, sel, key string }{
		{"typed", typedSizeSelect, "ts"},
		{"wide", wideSizeSelect, "ts_event_ns"},
	} {
		rep := writeSQLGold(t, l, c.name, c.sel, c.key, generatedRows())
		ratio := float64(rep.IndexBytes) / float64(rep.DatasetBytes)
		t.Logf("%s: dataset %d bytes, index %d bytes (%.2fx)", c.name, rep.DatasetBytes, rep.IndexBytes, ratio)
		if ratio > maxIndexRatio {
			t.Errorf("%s: index %d bytes is %.2fx the dataset's %d, want <= %.1fx", c.name, rep.IndexBytes, ratio, rep.DatasetBytes, maxIndexRatio)
		}
	}
	path := writeGoldFile(t, l, "syn", generatedRows(), store.RowGroupRows)
	ds, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := os.Stat(l.GoldPointIndexPath("syn"))
	if err != nil {
		t.Fatal(err)
	}
	if ratio := float64(idx.Size()) / float64(ds.Size()); ratio > maxIndexRatio {
		t.Errorf("synthetic Gold: index %.2fx the dataset, want <= %.1fx", ratio, maxIndexRatio)
	}
}

// Lookups across segments and row groups of the index (dictionary-coded
// and delta-coded sections, a segment's first and last rows, the last
// partial segment) return what DuckDB returns.
func TestPointReadSegmentsMatchDuckDB(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a dataset of several segments")
	}
	ctx := context.Background()
	l := enginetest.Lake(t)
	rows := generatedRows()
	writeSQLGold(t, l, "typed", typedSizeSelect, "ts", rows)
	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	st := prepare(t, db, "SELECT * FROM gold.typed WHERE ts = $1")
	base := time.Date(2025, 1, 2, 9, 30, 0, 0, time.UTC).UnixMicro()
	var is []int
	for s := 0; s < rows; s += segRows {
		is = append(is, s, s+1, s+blockRows-1, s+blockRows, s+segRows-1)
	}
	for i := range 60 {
		is = append(is, i*7919%rows)
	}
	is = append(is, rows-1, rows, -1)
	for _, i := range is {
		arg := session.Arg{Kind: session.ArgTimestamp, I: base + int64(i)*1000}
		r, err := st.Execute(ctx, []session.Arg{arg})
		if err != nil {
			t.Fatal(err)
		}
		want := chunkRows(t, r.Next, st.Columns())
		r.Close()
		var pr *PointRows
		for deadline := time.Now().Add(time.Minute); ; {
			pr, err = rd.Read(ctx, PointQuery{Dataset: "typed", Key: "ts", Cols: st.Columns(), Star: true, KeyType: session.KindTimestamp}, arg)
			if err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		got := chunkRows(t, pr.Next, st.Columns())
		pr.Close()
		if !slices.Equal(got, want) {
			t.Fatalf("row %d:\n got %q\nwant %q", i, got, want)
		}
		if wantRows := 1; i >= 0 && i < rows && len(got) != wantRows {
			t.Fatalf("row %d: %d rows", i, len(got))
		}
	}
}
