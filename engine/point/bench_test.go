package point

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/store"
)

// BenchmarkPointRead: one keyed lookup in a 5M-row Gold file, answered by
// DuckDB (prepared statement) and by the page-index point read, in the
// same process; -benchtime bounds both.
func BenchmarkPointRead(b *testing.B) {
	ctx := context.Background()
	lake, err := store.OpenLake(b.TempDir(), true)
	if err != nil {
		b.Fatal(err)
	}
	const rows = 5_000_000
	ds := writeGoldFile(b, lake, "g", rows, store.RowGroupRows)
	dsInfo, err := os.Stat(ds)
	if err != nil {
		b.Fatal(err)
	}
	idxInfo, err := os.Stat(lake.GoldPointIndexPath("g"))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("dataset %d bytes, point index %d bytes (%.2fx)", dsInfo.Size(), idxInfo.Size(), float64(idxInfo.Size())/float64(dsInfo.Size()))
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rd := NewReader(db)
	defer rd.Close()
	st := prepare(b, db, "SELECT * FROM gold.g WHERE ts_event_ns = $1")
	key := func() int64 { return rand.Int64N(rows/2) * 10 }
	read := func(b *testing.B, next func() (*session.Chunk, error)) {
		n := 0
		for {
			ch, err := next()
			if err != nil {
				b.Fatal(err)
			}
			if ch == nil {
				break
			}
			n += ch.Len()
		}
		if n != 2 {
			b.Fatalf("%d rows, want 2", n)
		}
	}
	b.Run("duckdb", func(b *testing.B) {
		for b.Loop() {
			r, err := st.Execute(ctx, []session.Arg{{Kind: session.ArgInt64, I: key()}})
			if err != nil {
				b.Fatal(err)
			}
			read(b, r.Next)
			r.Close()
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	})
	b.Run("point", func(b *testing.B) {
		t0 := time.Now()
		// The index opens and verifies its key in the background.
		for deadline := time.Now().Add(time.Minute); ; {
			pr, err := rd.Read(ctx, PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), Star: true, KeyType: session.KindBigInt}, ik(0))
			if err == nil {
				pr.Close()
				break
			}
			if !errors.Is(err, ErrNotPointable) || time.Now().After(deadline) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(t0).Milliseconds()), "first-ms")
		for b.Loop() {
			pr, err := rd.Read(ctx, PointQuery{Dataset: "g", Key: "ts_event_ns", Cols: st.Columns(), Star: true, KeyType: session.KindBigInt}, ik(key()))
			if err != nil {
				b.Fatal(err)
			}
			read(b, pr.Next)
			pr.Close()
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	})
}
