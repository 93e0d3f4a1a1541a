package gold

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/store"
)

// rewriteCurrent replaces the current promotion's file of dataset name
// with the rows of query (over the old file, as "old") and rewrites its
// metadata to match the new file (sha256, size, rows, columns): the file
// and its own metadata agree, only the source version can tell.
func rewriteCurrent(t *testing.T, lake store.Lake, name, query string) {
	t.Helper()
	ctx := context.Background()
	m, path, err := Current(lake, name)
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t, lake)
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tmp := path + ".new"
	q := "COPY (WITH old AS (SELECT * FROM read_parquet(" + sqlString(path) + ")) " + query +
		" ORDER BY ts_event_ns, date) TO " + sqlString(tmp) + " (FORMAT parquet)"
	if _, err := conn.ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	c, err := checkFile(ctx, conn, path, m.Key, m.NullLimits)
	if err != nil || len(c.Failures) > 0 {
		t.Fatalf("the rewritten file fails its own checks: %v %v", c, err)
	}
	m.SHA256, m.Bytes, err = hashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m.Rows, m.Columns = c.Rows, c.Columns
	data, err := encodeMetadata(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(metadataPath(lake, name, m.Promotion), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestValidateAgainstSource: validate compares a dataset with the Silver
// version it was promoted from, not only with its own metadata. Each case
// breaks the dataset so that its file and metadata still agree.
func TestValidateAgainstSource(t *testing.T) {
	dates := fixtureDates[:2]
	inDates := "date(s) " + strings.Join(dates, ", ") + ": "
	cases := []struct {
		name  string
		query string           // the new file's rows, over old
		other func(store.Lake) // or another break
		want  []string         // substrings of the one failure
	}{
		{name: "unchanged", query: "SELECT * FROM old"},
		{name: "retyped", query: "SELECT * REPLACE (CAST(volume AS DOUBLE) AS volume) FROM old",
			want: []string{"dataset ds: source version " + touchID + " " + inDates + "column volume is DOUBLE in the file, BIGINT in the source"}},
		{name: "dropped", query: "SELECT * EXCLUDE (fwd_return_bps) FROM old",
			want: []string{"dataset ds: source version " + touchID + " " + inDates + "column fwd_return_bps (DOUBLE) of the source is missing from the file"}},
		{name: "added", query: "SELECT *, 1 AS extra FROM old",
			want: []string{"dataset ds: source version " + touchID + " " + inDates + "column extra (INTEGER) is in the file but not in the source"}},
		{name: "reordered", query: "SELECT volume, * EXCLUDE (volume) FROM old",
			want: []string{"dataset ds: source version " + touchID + " " + inDates + "column volume is column 1 in the file, ts_event_ns is in the source"}},
		{name: "rows dropped", query: "SELECT * FROM old WHERE date = DATE '" + dates[0] + "'",
			want: []string{"dataset ds: source version " + touchID + ": the file has ", " rows, the version's dates " + strings.Join(dates, ", ") + " hold "}},
		{name: "source gone", other: func(lake store.Lake) {
			if err := os.RemoveAll(lake.VersionDir(touchID)); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"dataset ds: source version " + touchID + " date " + dates[0] + ": cannot read", "version not found"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lake := freshLake(t)
			promote(t, lake, "ds", dates...)
			if tc.other != nil {
				tc.other(lake)
			} else {
				rewriteCurrent(t, lake, "ds", tc.query)
			}
			r := validate(t, lake, "ds")
			if tc.want == nil {
				if !r.OK {
					t.Fatalf("validate: %v", r.Failures)
				}
				return
			}
			if r.OK || len(r.Failures) == 0 {
				t.Fatal("validate passed")
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Failures[0], w) {
					t.Errorf("first failure %q does not say %q (all: %q)", r.Failures[0], w, r.Failures)
				}
			}
			if tc.other == nil && len(r.Failures) != 1 {
				t.Errorf("want one failure, got %q", r.Failures)
			}
		})
	}
}
