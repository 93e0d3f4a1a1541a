package point

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/session"
)

// Damaged, ambiguous or undecodable inputs make point reads step aside
// (ErrNotPointable, so DuckDB answers) promptly, every time, and never
// hang or crash the process.
func TestPointReadStepsAside(t *testing.T) {
	ctx := context.Background()
	l := enginetest.Lake(t)
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
	// An index of the right stamp whose row column is not BYTE_ARRAY.
	writeGoldFile(t, l, "forged", 1_000, 1_000)
	sum, err := fileSHA256(ctx, filepath.Join(dir, "forged.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	type forged struct {
		Key int64 `parquet:"key"`
		Row int64 `parquet:"row"`
	}
	fake := make([]forged, 1_000)
	for i := range fake {
		fake[i] = forged{Key: int64(i/2) * 10, Row: 99}
	}
	if err := parquet.WriteFile(l.GoldPointIndexPath("forged"), fake, parquet.KeyValueMetadata(datasetHashKey, sum),
		parquet.KeyValueMetadata(pointKeyKey, "ts_event_ns"),
		parquet.KeyValueMetadata(pointColumnsKey, `[{"name":"ts_event_ns","type":"BIGINT"}]`)); err != nil {
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
	if _, err := WritePointIndex(ctx, l, "clash", ""); err == nil || !strings.Contains(err.Error(), "differ only in case") {
		t.Fatalf("index of columns k and K: err = %v", err)
	}
	// A VARCHAR with invalid UTF-8, which DuckDB refuses to read.
	type text struct {
		K int64  `parquet:"k"`
		S string `parquet:"s"`
	}
	if err := parquet.WriteFile(filepath.Join(dir, "badutf8.parquet"), []text{{1, "ok"}, {2, "\xff\xfe"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := WritePointIndex(ctx, l, "badutf8", ""); err != nil {
		t.Fatal(err)
	}

	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	star := func(dataset, key string) PointQuery {
		return PointQuery{Dataset: dataset, Key: key, Cols: prepare(t, db, "SELECT * FROM gold."+duck.QuoteIdent(dataset)).Columns(), Star: true, KeyType: session.KindBigInt}
	}
	for _, tc := range []struct {
		name string
		q    PointQuery
		key  int64
	}{
		{"garbage index", star("garbage", "ts_event_ns"), 10},
		{"damaged index", star("damaged", "ts_event_ns"), 40_000},
		{"names differing in case", PointQuery{Dataset: "twin", Key: "ts_event_ns", Cols: star("good", "ts_event_ns").Cols, Star: true, KeyType: session.KindBigInt}, 10},
		{"columns differing in case", star("clash", "k"), 1},
		{"invalid UTF-8", star("badutf8", "k"), 2},
		{"forged index", PointQuery{Dataset: "forged", Key: "ts_event_ns", Cols: prepare(t, db, "SELECT ts_event_ns FROM gold.forged").Columns(), KeyType: session.KindBigInt}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 3 {
				done := make(chan error, 1)
				go func() {
					pr, err := rd.Read(ctx, tc.q, ik(tc.key))
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
	if pr, err := rd.Read(ctx, star("good", "ts_event_ns"), ik(10)); err != nil {
		t.Fatal(err)
	} else {
		pr.Close()
	}
	if pr, err := rd.Read(ctx, star("badutf8", "k"), ik(1)); err != nil {
		t.Fatal(err)
	} else {
		pr.Close()
	}
}

// Keys of other types than the parameter's, or not plain integers, are
// left to DuckDB's cast.
func TestPointReadKeyTypes(t *testing.T) {
	ctx := context.Background()
	l := enginetest.Lake(t)
	type typed struct {
		D  int32 `parquet:"d,date"`
		TS int64 `parquet:"ts,timestamp"`
		I  int32 `parquet:"i"`
		V  int64 `parquet:"v"`
	}
	rows := make([]typed, 100)
	for i := range rows {
		rows[i] = typed{D: int32(20000 + i), TS: int64(i) * 1000, I: int32(i), V: int64(i)}
	}
	if err := os.MkdirAll(l.GoldTrainingDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(filepath.Join(l.GoldTrainingDir(), "typed.parquet"), rows); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"nope"} {
		if _, err := WritePointIndex(ctx, l, "typed", bad); err == nil {
			t.Errorf("index keyed by %q: no error", bad)
		}
	}
	if k, err := WritePointIndex(ctx, l, "typed", ""); err != nil || k != "i" { // the first integer column
		t.Fatalf("key %q, %v", k, err)
	}
	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	cols := prepare(t, db, "SELECT v FROM gold.typed").Columns()
	check := func(tc struct {
		key     string
		keyType session.SQLKind
		ok      bool
	}) {
		t.Helper()
		pr, err := rd.Read(ctx, PointQuery{Dataset: "typed", Key: tc.key, Cols: cols, KeyType: tc.keyType}, ik(7))
		if tc.ok {
			if err != nil {
				t.Errorf("key %s as %d: %v", tc.key, tc.keyType, err)
				return
			}
			ch, err := pr.Next()
			if err != nil || ch == nil || ch.Len() != 1 || session.Values[int64](ch.Column(0))[0] != 7 {
				t.Errorf("key %s: chunk %v, %v", tc.key, ch, err)
			}
			pr.Close()
		} else if !errors.Is(err, ErrNotPointable) {
			t.Errorf("key %s as %d: err = %v, want ErrNotPointable", tc.key, tc.keyType, err)
		}
	}
	type want = struct {
		key     string
		keyType session.SQLKind
		ok      bool
	}
	for _, tc := range []want{
		{"i", session.KindInteger, true},
		{"v", session.KindBigInt, false},  // not the index's key
		{"i", session.KindBigInt, false},  // DuckDB casts to the column's type
		{"d", session.KindDate, false},    // not the index's key
		{"ts", session.KindBigInt, false}, // not the index's key
	} {
		check(tc)
	}
	if k, err := WritePointIndex(ctx, l, "typed", "V"); err != nil || k != "v" {
		t.Fatalf("key %q, %v", k, err)
	}
	for _, tc := range []want{{"v", session.KindBigInt, true}, {"i", session.KindInteger, false}} {
		check(tc)
	}
}

func TestAwaitBackground(t *testing.T) {
	never := make(chan struct{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// Half the time left, then DuckDB's turn: not an interrupt, and
	// the statement still has time to run.
	if err := awaitBackground(ctx, never); !errors.Is(err, ErrNotPointable) {
		t.Fatalf("deadline: err = %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("waited until the statement's deadline")
	}
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	var e *session.Error
	if err := awaitBackground(canceled, never); !errors.As(err, &e) || e.Kind != session.ErrInterrupt {
		t.Fatalf("canceled: err = %v", err)
	}
	done := make(chan struct{})
	close(done)
	if err := awaitBackground(context.Background(), done); err != nil {
		t.Fatalf("done: %v", err)
	}
}
