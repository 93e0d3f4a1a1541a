package point

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/session"
)

// A Silver version's index covers its dates as they were: a date built
// later makes it stale (lookups run in DuckDB) until it is built again,
// and then the new date's rows are found, with their date column.
func TestSilverPointIndexFollowsDates(t *testing.T) {
	ctx := context.Background()
	l := enginetest.Lake(t)
	// Keys (i/2)*10 over 3,000 rows a date, continuing across dates.
	writeGoldRows(t, l.VersionDatePart("v1", "2025-01-02"), 3_000)
	src := Source{Schema: "silver", Name: "v1"}
	if _, err := WriteIndex(ctx, l, src, "ts_event_ns"); err != nil {
		t.Fatal(err)
	}
	db := enginetest.OpenDB(t, l)
	rd := newReader(t, db)
	st := prepare(t, db, `SELECT ts_event_ns, date FROM silver."v1" WHERE ts_event_ns = $1`)
	q := PointQuery{Schema: "silver", Dataset: "v1", Key: "ts_event_ns", Cols: st.Columns(), KeyType: session.KindBigInt}
	read := func(k int64) ([]string, error) {
		pr, err := rd.Read(ctx, q, ik(k))
		if err != nil {
			return nil, err
		}
		defer pr.Close()
		var out []string
		for {
			ch, err := pr.Next()
			if err != nil || ch == nil {
				return out, err
			}
			for i := range ch.Len() {
				out = append(out, string(ch.Column(1).Bytes(i)))
			}
		}
	}
	if got, err := read(14_990); err != nil || len(got) != 2 || got[0] != "2025-01-02" {
		t.Fatalf("key 14990: %q, %v", got, err)
	}
	// Another date, whose keys restart: not sorted across the version.
	writeGoldRows(t, l.VersionDatePart("v1", "2025-01-03"), 1_000)
	if _, err := read(10); !errors.Is(err, ErrNotPointable) {
		t.Fatalf("after a new date: err = %v, want ErrNotPointable (stale index)", err)
	}
	if _, err := WriteIndex(ctx, l, src, "ts_event_ns"); err == nil {
		t.Fatal("index of a version not sorted by its key across dates: no error")
	}
	// Replace the second date by one that continues the keys (a new
	// directory, as the builder exchanges it).
	if err := os.RemoveAll(l.VersionDateDir("v1", "2025-01-03")); err != nil {
		t.Fatal(err)
	}
	writeGoldRowsFrom(t, l.VersionDatePart("v1", "2025-01-03"), 3_000, 1_000)
	if _, err := WriteIndex(ctx, l, src, "ts_event_ns"); err != nil {
		t.Fatal(err)
	}
	if got, err := read(15_000); err != nil || len(got) != 2 || got[0] != "2025-01-03" {
		t.Fatalf("key 15000 after the rebuild: %q, %v", got, err)
	}
	if got, err := read(14_990); err != nil || len(got) != 2 || got[1] != "2025-01-02" {
		t.Fatalf("key 14990 after the rebuild: %q, %v", got, err)
	}
}
