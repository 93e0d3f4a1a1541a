package store_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/store"
)

func TestPartitionOf(t *testing.T) {
	tests := []struct {
		name, ts, date, hour string
	}{
		{"winter premarket open 04:00 EST", "2025-12-15T09:00:00Z", "2025-12-15", "09"},
		{"winter post close crosses UTC midnight", "2025-12-15T19:30:00-05:00", "2025-12-16", "00"},
		{"last ns before UTC midnight", "2025-12-15T23:59:59.999999999Z", "2025-12-15", "23"},
		{"summer premarket open 04:00 EDT", "2025-06-16T04:00:00-04:00", "2025-06-16", "08"},
		{"Friday before spring DST, 09:30 EST", "2025-03-07T09:30:00-05:00", "2025-03-07", "14"},
		{"Monday after spring DST, 09:30 EDT", "2025-03-10T09:30:00-04:00", "2025-03-10", "13"},
		{"Monday after fall back, 09:30 EST", "2025-11-03T09:30:00-05:00", "2025-11-03", "14"},
		{"before 1970 is still routed", "1969-12-31T23:00:00Z", "1969-12-31", "23"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, h := store.PartitionOf(enginetest.NS(t, tc.ts))
			if d != tc.date || h != tc.hour {
				t.Fatalf("PartitionOf(%s) = %s/%s, want %s/%s", tc.ts, d, h, tc.date, tc.hour)
			}
		})
	}
}

func TestWriteBronzeRoutesAcrossMidnightAndDST(t *testing.T) {
	lake := enginetest.Lake(t)
	recs := []store.FuturesTrade{
		{TsEventNS: enginetest.NS(t, "2025-12-15T19:59:00-05:00"), Symbol: "ES", Instrument: "ESZ5", Price: 6800, Size: 1, Seq: 3},
		{TsEventNS: enginetest.NS(t, "2025-12-15T18:59:00-05:00"), Symbol: "ES", Instrument: "ESZ5", Price: 6801, Size: 2, Seq: 2},
		{TsEventNS: enginetest.NS(t, "2025-03-10T04:00:00-04:00"), Symbol: "ES", Instrument: "ESH5", Price: 5700, Size: 3, Seq: 1},
		{TsEventNS: enginetest.NS(t, "2025-03-07T04:00:00-05:00"), Symbol: "ES", Instrument: "ESH5", Price: 5750, Size: 4, Seq: 0},
	}
	files, err := store.WriteBronze(context.Background(), lake, recs, "t1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(lake.Root(), f.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{
		"bronze/futures/trades/symbol=ES/date=2025-03-07/hour=09/t1.parquet",
		"bronze/futures/trades/symbol=ES/date=2025-03-10/hour=08/t1.parquet",
		"bronze/futures/trades/symbol=ES/date=2025-12-15/hour=23/t1.parquet",
		"bronze/futures/trades/symbol=ES/date=2025-12-16/hour=00/t1.parquet",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	db := enginetest.OpenDB(t, lake)
	rows := enginetest.QueryStrings(t, db, "SELECT date, hour, size FROM bronze.futures_trades ORDER BY ts_event_ns")
	wantRows := [][]string{{"2025-03-07", "09", "4"}, {"2025-03-10", "08", "3"}, {"2025-12-15", "23", "2"}, {"2025-12-16", "00", "1"}}
	if len(rows) != len(wantRows) {
		t.Fatalf("rows %v", rows)
	}
	for i := range rows {
		if strings.Join(rows[i], ",") != strings.Join(wantRows[i], ",") {
			t.Fatalf("row %d = %v, want %v", i, rows[i], wantRows[i])
		}
	}
}

func TestWriteBronzeSortsByEventTimeThenSeq(t *testing.T) {
	lake := enginetest.Lake(t)
	base := enginetest.NS(t, "2025-12-15T15:00:00Z")
	var recs []store.StockTrade
	for i := 0; i < 1000; i++ {
		// Reverse order with ties every two rows, broken by seq.
		recs = append(recs, store.StockTrade{TsEventNS: base + int64((999-i)/2)*1000, Seq: int64(1000 - i), Symbol: "SPY", Price: 600, Size: 1})
	}
	if _, err := store.WriteBronze(context.Background(), lake, recs, "s"); err != nil {
		t.Fatal(err)
	}
	db := enginetest.OpenDB(t, lake)
	rows := enginetest.QueryStrings(t, db, `SELECT count(*) FROM (
		SELECT ts_event_ns, seq, lag(ts_event_ns) OVER w AS pts, lag(seq) OVER w AS pseq
		FROM (SELECT *, row_number() OVER () AS rn FROM read_parquet(?)) WINDOW w AS (ORDER BY rn))
		WHERE ts_event_ns < pts OR (ts_event_ns = pts AND seq < pseq)`,
		filepath.Join(lake.PartitionDir(store.StocksTrades, "SPY", "2025-12-15", "15"), "s.parquet"))
	if rows[0][0] != "0" {
		t.Fatalf("%s rows out of order", rows[0][0])
	}
}

func TestWriteBronzeNeverOverwrites(t *testing.T) {
	lake := enginetest.Lake(t)
	ctx := context.Background()
	recs := []store.StockTrade{{TsEventNS: enginetest.NS(t, "2025-12-15T15:00:00Z"), Symbol: "SPY", Price: 600, Size: 10, Conditions: []int32{12, 37}}}
	first, err := store.WriteBronze(ctx, lake, recs, "a")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(first[0].Path)
	if fi, err := os.Stat(first[0].Path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("published file mode %v, %v: want 0644 (readable by a server of another user)", fi.Mode(), err)
	}

	again, err := store.WriteBronze(ctx, lake, recs, "a")
	if err != nil {
		t.Fatalf("identical rewrite: %v", err)
	}
	if !again[0].Unchanged {
		t.Fatal("identical rewrite not reported as unchanged")
	}

	recs[0].Size = 11
	_, err = store.WriteBronze(ctx, lake, recs, "a")
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("different content: err = %v, want store.ErrExists", err)
	}
	after, _ := os.ReadFile(first[0].Path)
	if !bytes.Equal(before, after) {
		t.Fatal("published file changed")
	}
	assertNoTempFiles(t, lake.Root())
}

func TestWriteBronzeRejectsBadInput(t *testing.T) {
	lake := enginetest.Lake(t)
	ctx := context.Background()
	ok := []store.StockTrade{{TsEventNS: 1, Symbol: "SPY"}}
	for _, name := range []string{"", "../x", "a/b", ".hidden"} {
		if _, err := store.WriteBronze(ctx, lake, ok, name); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	if _, err := store.WriteBronze(ctx, lake, []store.StockTrade{{TsEventNS: 1}}, "x"); err == nil {
		t.Error("record without symbol accepted")
	}
}

func assertNoTempFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			t.Errorf("temp file left behind: %s", p)
		}
		return nil
	})
}

// TestConcurrentIdenticalWrites races writers of the same name and rows:
// all succeed, one file results.
func TestConcurrentIdenticalWrites(t *testing.T) {
	lake := enginetest.Lake(t)
	recs := []store.StockTrade{{TsEventNS: enginetest.NS(t, "2025-12-15T15:00:00Z"), Symbol: "SPY", Price: 600, Size: 10}}
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			_, err := store.WriteBronze(context.Background(), lake, recs, "same")
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	assertNoTempFiles(t, lake.Root())
}

// TestWriteBronzeRunsSameBytes: however the records are split into runs,
// WriteBronzeRuns writes the files WriteBronze writes from one slice, to
// the byte, sorted input or not. ES's second hour has 50,000 rows, two
// pages a column, so a page cut moved by the split would show.
func TestWriteBronzeRunsSameBytes(t *testing.T) {
	base := enginetest.NS(t, "2025-12-15T15:59:50Z")
	var recs []store.FuturesTrade
	for i := range 70_000 {
		// ES 10,000 rows in hour 15 and 50,000 in hour 16, then NQ 10,000 in hour 15.
		sym, j := "ES", i
		if i >= 60_000 {
			sym, j = "NQ", i-60_000
		}
		recs = append(recs, store.FuturesTrade{TsEventNS: base + int64(j)*1_000_000, Symbol: sym,
			Source: "nats", Instrument: "ESZ5", Price: 6800 + float64(i%37)*0.25, Size: int64(i%11 + 1), Seq: int64(i)})
	}
	shuffled := slices.Clone(recs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	split := func(recs []store.FuturesTrade, sizes ...int) [][]store.FuturesTrade {
		var runs [][]store.FuturesTrade
		for i := 0; len(recs) > 0; i++ {
			n := min(sizes[i%len(sizes)], len(recs))
			runs, recs = append(runs, recs[:n]), recs[n:]
		}
		return runs
	}
	for _, tc := range []struct {
		name string
		recs []store.FuturesTrade
	}{{"sorted", recs}, {"shuffled", shuffled}} {
		want := writeAll(t, func(lake store.Lake) ([]store.WrittenFile, error) {
			return store.WriteBronze(context.Background(), lake, tc.recs, "f")
		})
		if len(want) != 3 {
			t.Fatalf("%s: %d files, want 3", tc.name, len(want))
		}
		for _, sizes := range [][]int{{1}, {63}, {64}, {65, 0, 4097}, {4096}, {69_999}} {
			got := writeAll(t, func(lake store.Lake) ([]store.WrittenFile, error) {
				return store.WriteBronzeRuns(context.Background(), lake, split(tc.recs, sizes...), "f")
			})
			if !maps.EqualFunc(got, want, bytes.Equal) {
				t.Errorf("%s in runs of %v: files differ from one slice's", tc.name, sizes)
			}
		}
	}
}

// writeAll runs write on a fresh lake and returns the files' bytes by path
// in the lake.
func writeAll(t *testing.T, write func(store.Lake) ([]store.WrittenFile, error)) map[string][]byte {
	t.Helper()
	lake := enginetest.Lake(t)
	files, err := write(lake)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		rel, _ := filepath.Rel(lake.Root(), f.Path)
		if out[rel], err = os.ReadFile(f.Path); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
