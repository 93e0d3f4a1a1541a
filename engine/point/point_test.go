package point

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/store"
)

// goldRow has one column of every type a point read decodes.
type goldRow struct {
	Ts     int64    `parquet:"ts_event_ns"`
	Kind   int32    `parquet:"level_kind"`
	Price  float64  `parquet:"level_price"`
	Score  float32  `parquet:"score"`
	Out    bool     `parquet:"outcome"`
	Under  string   `parquet:"underlying"`
	Date   int32    `parquet:"session_date,date"`
	Fwd    *float64 `parquet:"fwd_return_bps,optional"`
	Note   *string  `parquet:"note,optional"`
	Raw    []byte   `parquet:"raw"`
	Unsort int64    `parquet:"unsorted"`
}

// writeGoldFile writes n rows whose key ts_event_ns = (i/2)*10: every key
// twice, odd multiples of 5 missing, and its point index. Row groups of rg
// rows make runs of a key cross row-group and page boundaries.
func writeGoldFile(t testing.TB, l store.Lake, name string, n, rg int, opts ...parquet.WriterOption) string {
	t.Helper()
	path := writeGoldRows(t, filepath.Join(l.GoldTrainingDir(), name+".parquet"), n,
		append(append(store.ParquetOptions(), parquet.MaxRowsPerRowGroup(int64(rg))), opts...)...)
	if _, err := WritePointIndex(context.Background(), l, name, "ts_event_ns"); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeGoldRows(t testing.TB, path string, n int, opts ...parquet.WriterOption) string {
	t.Helper()
	return writeGoldRowsFrom(t, path, 0, n, opts...)
}

// writeGoldRowsFrom writes rows from..from+n-1 of writeGoldRows' rows.
func writeGoldRowsFrom(t testing.TB, path string, from, n int, opts ...parquet.WriterOption) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[goldRow](f, opts...)
	rows := make([]goldRow, 0, 1000)
	for i := from; i < from+n; i++ {
		r := goldRow{Ts: int64(i/2) * 10, Kind: int32(i % 7), Price: 400 + float64(i%1000)/4, Score: float32(i%13) / 3,
			Out: i%3 == 0, Under: strings.Repeat("x", i%5) + "SPY", Date: int32(20000 + i%30),
			Raw: []byte{byte(i), 0, byte(i >> 8)}, Unsort: int64((i * 7919) % 1000)}
		if i%4 != 0 {
			v := float64(i%2000-1000) / 7
			r.Fwd = &v
		}
		if i%5 == 0 {
			s := fmt.Sprintf("note %d 'q' \"dq\"", i)
			r.Note = &s
		}
		rows = append(rows, r)
		if len(rows) == cap(rows) {
			if _, err := w.Write(rows); err != nil {
				t.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// chunkRows renders every row of the chunks as one string, sorted.
func chunkRows(t *testing.T, next func() (*session.Chunk, error), cols []session.ResultColumn) []string {
	t.Helper()
	var out []string
	for {
		ch, err := next()
		if err != nil {
			t.Fatal(err)
		}
		if ch == nil {
			break
		}
		for i := range ch.Len() {
			var b strings.Builder
			for j, c := range cols {
				v := ch.Column(j)
				if !v.Valid(i) {
					b.WriteString("NULL|")
					continue
				}
				switch c.Type.Kind {
				case session.KindBoolean:
					fmt.Fprint(&b, v.Bool(i))
				case session.KindInteger, session.KindDate:
					fmt.Fprint(&b, session.Values[int32](v)[i])
				case session.KindBigInt, session.KindTimestamp, session.KindTimestampNS, session.KindTimestampTZ:
					fmt.Fprint(&b, session.Values[int64](v)[i])
				case session.KindDecimal:
					if c.Type.Width <= 9 || c.Type.Width > 18 {
						t.Fatalf("column %s: DECIMAL(%d) not rendered", c.Name, c.Type.Width)
					}
					fmt.Fprint(&b, session.Values[int64](v)[i])
				case session.KindFloat:
					fmt.Fprint(&b, math.Float32bits(session.Values[float32](v)[i]))
				case session.KindDouble:
					fmt.Fprint(&b, math.Float64bits(session.Values[float64](v)[i]))
				case session.KindVarchar, session.KindBlob:
					fmt.Fprintf(&b, "%q", v.Bytes(i))
				default:
					t.Fatalf("column %s: kind %d", c.Name, c.Type.Kind)
				}
				b.WriteString("|")
			}
			out = append(out, b.String())
		}
	}
	slices.Sort(out)
	return out
}

// ik is an integer key argument.
func ik(k int64) session.Arg { return session.Arg{Kind: session.ArgInt64, I: k} }

// newReader reads db's point indexes until the test ends.
func newReader(t *testing.T, db *duck.DB) *Reader {
	rd := NewReader(db)
	t.Cleanup(rd.Close)
	return rd
}

// prepare prepares q on a new session of db, closed with the test.
func prepare(tb testing.TB, db *duck.DB, q string) *session.Stmt {
	tb.Helper()
	ctx := context.Background()
	s, err := session.New(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	st, err := s.Prepare(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	return st
}

func TestPointReadMatchesDuckDB(t *testing.T) {
	ctx := context.Background()
	l := enginetest.Lake(t)
	writeGoldFile(t, l, "g", 20_000, 3_001)
	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	s, err := session.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		`SELECT * FROM gold.g WHERE ts_event_ns = $1`,
		`SELECT note, ts_event_ns, raw, raw FROM gold.g WHERE ts_event_ns = $1`,
	} {
		st, err := s.Prepare(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		// First and last keys, keys whose runs cross row groups (row 3000
		// is key 15000), missing keys, out of range ones.
		keys := []int64{0, 10, 15000, 14990, 15010, 30010, 99_990, 99_980, 5, 15005, -10, 100_000, 1 << 60}
		for i := range 200 {
			keys = append(keys, int64(i*4999%10000)*10)
		}
		for _, k := range keys {
			rows, err := st.Execute(ctx, []session.Arg{{Kind: session.ArgInt64, I: k}})
			if err != nil {
				t.Fatal(err)
			}
			want := chunkRows(t, rows.Next, st.Columns())
			rows.Close()
			pr, err := rd.Read(ctx, PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), Star: strings.Contains(q, "*"), KeyType: session.KindBigInt}, ik(k))
			if err != nil {
				t.Fatalf("key %d: %v", k, err)
			}
			got := chunkRows(t, pr.Next, st.Columns())
			pr.Close()
			if !slices.Equal(got, want) {
				t.Fatalf("%s key %d:\n got %q\nwant %q", q, k, got, want)
			}
			if k%10 == 0 && k >= 0 && k < 100_000 && len(got) != 2 {
				t.Fatalf("key %d: %d rows, want 2", k, len(got))
			}
		}
		st.Close()
	}
}

func TestPointReadRefuses(t *testing.T) {
	ctx := context.Background()
	l := enginetest.Lake(t)
	writeGoldFile(t, l, "g", 5_000, 1_000)
	// An index without page bounds (stamped as if built from the dataset).
	writeGoldFile(t, l, "nobounds", 5_000, 1_000)
	sum, err := fileSHA256(ctx, filepath.Join(l.GoldTrainingDir(), "nobounds.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(filepath.Join(l.GoldTrainingDir(), "nobounds.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fi, _ := src.Stat()
	pf, err := parquet.OpenFile(src, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(l.GoldPointIndexPath("nobounds"))
	if err != nil {
		t.Fatal(err)
	}
	b := &indexBuild{files: []*parquet.File{pf}, stamp: sum}
	if err := b.write(ctx, out, "", parquet.SkipPageBounds("key")); err != nil {
		t.Fatal(err)
	}
	out.Close()
	// A dataset without an index, and one whose index is stale.
	writeGoldRows(t, filepath.Join(l.GoldTrainingDir(), "noindex.parquet"), 5_000, store.ParquetOptions()...)
	writeGoldFile(t, l, "stale", 5_000, 1_000)
	writeGoldRows(t, filepath.Join(l.GoldTrainingDir(), "stale.parquet"), 6_000, store.ParquetOptions()...)
	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	cols := func(q string) []session.ResultColumn { return prepare(t, db, q).Columns() }
	all := cols(`SELECT * FROM gold.g`)
	for _, tc := range []struct {
		name, dataset, key string
		cols               []session.ResultColumn
	}{
		{"unsorted key", "g", "unsorted", all},
		{"non-integer key", "g", "level_price", all},
		{"no such column", "g", "nope", all},
		{"no such dataset", "missing", "ts_event_ns", all},
		{"traversal", "../gold/training/g", "ts_event_ns", all},
		{"hidden", ".g", "ts_event_ns", all},
		{"cast column", "g", "ts_event_ns", cols(`SELECT CAST(level_kind AS BIGINT) AS level_kind FROM gold.g`)},
		{"no page bounds", "nobounds", "ts_event_ns", all},
		{"no index", "noindex", "ts_event_ns", all},
		{"stale index", "stale", "ts_event_ns", all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, err := rd.Read(ctx, PointQuery{Dataset: tc.dataset, Key: tc.key, Cols: tc.cols, KeyType: session.KindBigInt}, ik(10))
			if !errors.Is(err, ErrNotPointable) {
				if pr != nil {
					pr.Close()
				}
				t.Fatalf("err = %v, want ErrNotPointable", err)
			}
		})
	}
}

// A promotion replaces the file: the next point read sees the new one.
func TestPointReadSeesReplacedFile(t *testing.T) {
	ctx := context.Background()
	l := enginetest.Lake(t)
	writeGoldFile(t, l, "g", 1_000, 1_000)
	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	st := prepare(t, db, `SELECT ts_event_ns FROM gold.g WHERE ts_event_ns = $1`)
	count := func(k int64) int {
		pr, err := rd.Read(ctx, PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), KeyType: session.KindBigInt}, ik(k))
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		return len(chunkRows(t, pr.Next, st.Columns()))
	}
	if n := count(6000); n != 0 {
		t.Fatalf("before: %d rows", n)
	}
	tmp := enginetest.Lake(t)
	src := writeGoldFile(t, tmp, "g", 2_000, 1_000)
	if err := os.Rename(src, filepath.Join(l.GoldTrainingDir(), "g.parquet")); err != nil {
		t.Fatal(err)
	}
	// The old index does not describe the new file.
	if _, err := rd.Read(ctx, PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), KeyType: session.KindBigInt}, ik(6000)); !errors.Is(err, ErrNotPointable) {
		t.Fatalf("stale index: err = %v", err)
	}
	if _, err := WritePointIndex(ctx, l, "g", ""); err != nil {
		t.Fatal(err)
	}
	if n := count(6000); n != 2 {
		t.Fatalf("after: %d rows, want 2", n)
	}
}

// An index truncated in place under its mapping makes that lookup fail
// with an error; the process survives.
func TestPointReadTruncatedIndex(t *testing.T) {
	l := enginetest.Lake(t)
	writeGoldFile(t, l, "g", 50_000, 10_000)
	db := enginetest.OpenDB(t, l)
	st := prepare(t, db, `SELECT * FROM gold.g WHERE ts_event_ns = $1`)
	idxPath := l.GoldPointIndexPath("g")
	tbl, err := openPointTable(context.Background(), stamper(l, Source{Schema: "gold", Name: "g"}), idxPath)
	if err != nil {
		t.Fatal(err)
	}
	tbl.dataset, tbl.cache = "g", &pointTables{life: context.Background()}
	defer tbl.close()
	if pr, err := tbl.lookup(context.Background(), PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), Star: true, KeyType: session.KindBigInt}, ik(100)); err != nil {
		t.Fatal(err)
	} else {
		pr.Close()
	}
	if err := os.Truncate(idxPath, 0); err != nil {
		t.Fatal(err)
	}
	pr, err := tbl.lookup(context.Background(), PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), Star: true, KeyType: session.KindBigInt}, ik(200_000))
	if err == nil {
		pr.Close()
		if runtime.GOOS == "linux" {
			t.Fatal("lookup on a truncated mapping succeeded")
		}
	} else if !strings.Contains(err.Error(), "reading the point index") {
		t.Fatalf("err = %v, want a read error", err)
	}
}
