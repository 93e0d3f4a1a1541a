package gold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

func promote(t *testing.T, lake store.Lake, name string, dates ...string) *PromoteResult {
	t.Helper()
	res, err := Promote(context.Background(), lake, PromoteOptions{Version: touchID, Dataset: name, Dates: mustDates(dates), Notes: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func validate(t *testing.T, lake store.Lake, name string) *Report {
	t.Helper()
	r, err := Validate(context.Background(), lake, name, duck.Config{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPromote(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	res := promote(t, lake, "ds", fixtureDates[:2]...)
	m := res.Metadata
	if res.Unchanged || m.Promotion != 1 || m.SourceVersion != touchID || !slices.Equal(m.Dates, fixtureDates[:2]) || len(res.Forced) != 0 {
		t.Fatalf("result %+v", m)
	}
	if res.IndexErr != nil || res.IndexKey != "ts_event_ns" {
		t.Fatalf("point index: %q %v", res.IndexKey, res.IndexErr)
	}
	db := openDB(t, lake)
	wantRows, wantSum := silverAgg(t, db, fixtureDates[:2])
	if m.Rows != wantRows {
		t.Fatalf("metadata rows %d, silver has %d", m.Rows, wantRows)
	}
	// The public path: sorted by the key, ZSTD, the same rows as Silver.
	var n, unsorted, sum int64
	q := `SELECT count(*), sum(volume), count(*) FILTER (WHERE ts_event_ns <= prev) FROM
	      (SELECT *, lag(ts_event_ns) OVER () AS prev FROM read_parquet(?))`
	if err := db.SQL().QueryRowContext(ctx, q, lake.GoldDatasetFile("ds")).Scan(&n, &sum, &unsorted); err != nil {
		t.Fatal(err)
	}
	if n != wantRows || sum != wantSum || unsorted != 0 {
		t.Fatalf("gold file: %d rows (want %d), sum %v (want %v), %d out of order", n, wantRows, sum, wantSum, unsorted)
	}
	var codecs string
	if err := db.SQL().QueryRowContext(ctx, `SELECT string_agg(DISTINCT compression, ',') FROM parquet_metadata(?)`, lake.GoldDatasetFile("ds")).Scan(&codecs); err != nil {
		t.Fatal(err)
	}
	if codecs != "ZSTD" {
		t.Fatalf("compression %s", codecs)
	}
	if _, err := os.Stat(lake.GoldPointIndexPath("ds")); err != nil {
		t.Fatal(err)
	}
	if r := validate(t, lake, "ds"); !r.OK {
		t.Fatalf("validate: %v", r.Failures)
	}
	// Again with the same version and dates: nothing changes.
	before := treeState(t, lake.Root())
	again := promote(t, lake, "ds", fixtureDates[:2]...)
	if !again.Unchanged || again.Metadata.Promotion != 1 {
		t.Fatalf("re-promotion: %+v", again)
	}
	if after := treeState(t, lake.Root()); !maps(before, after) {
		t.Fatal("re-promoting the same version and dates changed the lake")
	}
	// Other dates: a second promotion; the first stays as history.
	res2 := promote(t, lake, "ds", fixtureDates...)
	if res2.Unchanged || res2.Metadata.Promotion != 2 {
		t.Fatalf("second promotion %+v", res2.Metadata)
	}
	h, err := History(lake, "ds")
	if err != nil || len(h) != 2 || h[0].SHA256 != m.SHA256 || h[1].SHA256 != res2.Metadata.SHA256 {
		t.Fatalf("history %v %v", h, err)
	}
	ds, err := Datasets(lake)
	if err != nil || len(ds) != 1 || ds[0].HistoryDepth != 2 || ds[0].Rows == m.Rows {
		t.Fatalf("datasets %+v %v", ds, err)
	}
}

func TestRollback(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	a := promote(t, lake, "ds", fixtureDates[0]).Metadata
	b := promote(t, lake, "ds", fixtureDates[1]).Metadata
	m, err := Rollback(ctx, lake, RollbackOptions{Dataset: "ds"})
	if err != nil {
		t.Fatal(err)
	}
	cur, _, err := Current(lake, "ds")
	if err != nil || m.Promotion != 3 || cur.SHA256 != a.SHA256 || cur.Action != "rollback" || cur.RestoredFrom != 1 {
		t.Fatalf("after rollback: %+v %v", cur, err)
	}
	if r := validate(t, lake, "ds"); !r.OK {
		t.Fatalf("validate: %v", r.Failures)
	}
	db := openDB(t, lake)
	wantRows, _ := silverAgg(t, db, fixtureDates[:1])
	var n int64
	if err := db.SQL().QueryRow(`SELECT count(*) FROM gold.ds`).Scan(&n); err != nil || n != wantRows {
		t.Fatalf("gold.ds has %d rows after rollback, want %d (%v)", n, wantRows, err)
	}
	if _, err := Rollback(ctx, lake, RollbackOptions{Dataset: "ds", To: 2}); err != nil {
		t.Fatal(err)
	}
	if cur, _, _ := Current(lake, "ds"); cur.SHA256 != b.SHA256 || cur.Promotion != 4 {
		t.Fatalf("rollback --to 2: %+v", cur)
	}
	for _, bad := range []RollbackOptions{{Dataset: "ds", To: 9}, {Dataset: "ds", To: 4}, {Dataset: "nope"}, {Dataset: "../x"}} {
		before := treeState(t, lake.Root())
		if _, err := Rollback(ctx, lake, bad); err == nil {
			t.Errorf("rollback %+v: no error", bad)
		}
		if !maps(before, treeState(t, lake.Root())) {
			t.Errorf("rollback %+v changed the lake", bad)
		}
	}
}

func TestTamper(t *testing.T) {
	lake := freshLake(t)
	promote(t, lake, "ds", fixtureDates[0])
	_, path, err := Current(lake, "ds")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x01
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := validate(t, lake, "ds")
	if r.OK || len(r.Failures) == 0 || !strings.Contains(r.Failures[0], "sha256") {
		t.Fatalf("validate after tampering: %+v", r.Failures)
	}
}

func TestPromoteBadInput(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	promote(t, lake, "ds", fixtureDates[0])
	cases := []struct {
		name string
		opts PromoteOptions
		want string
	}{
		{"unknown version", PromoteOptions{Version: "v9.9_nope", Dataset: "ds"}, "unknown version"},
		{"bad version", PromoteOptions{Version: "../x", Dataset: "ds"}, "not a version id"},
		{"path dataset", PromoteOptions{Version: touchID, Dataset: "../x"}, "not a dataset name"},
		{"dot dataset", PromoteOptions{Version: touchID, Dataset: ".x"}, "not a dataset name"},
		{"reserved", PromoteOptions{Version: touchID, Dataset: "backtests"}, "not a dataset name"},
		{"missing date", PromoteOptions{Version: touchID, Dataset: "ds", Dates: mustDates([]string{"2025-12-18"})}, "does not have date(s) 2025-12-18"},
		{"weekend only", PromoteOptions{Version: touchID, Dataset: "ds", Dates: mustDates([]string{"2025-12-20"})}, "no trading dates"},
	}
	for _, c := range cases {
		before := treeState(t, lake.Root())
		_, err := Promote(ctx, lake, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
		}
		if !maps(before, treeState(t, lake.Root())) {
			t.Errorf("%s: the lake changed", c.name)
		}
	}
	// Corrupted metadata: promote, validate and rollback refuse it.
	m, _, _ := Current(lake, "ds")
	meta := metadataPath(lake, "ds", m.Promotion)
	if err := os.WriteFile(meta, []byte(`{"dataset": "ds", `), 0o644); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, lake.Root())
	_, err := Promote(ctx, lake, PromoteOptions{Version: touchID, Dataset: "ds"})
	if err == nil || !strings.Contains(err.Error(), "corrupted metadata") {
		t.Errorf("promote over corrupted metadata: %v", err)
	}
	if _, err := Validate(ctx, lake, "ds", duck.Config{}); err == nil || !strings.Contains(err.Error(), "corrupted metadata") {
		t.Errorf("validate corrupted metadata: %v", err)
	}
	if !maps(before, treeState(t, lake.Root())) {
		t.Error("the lake changed")
	}
	if ds, err := Datasets(lake); err != nil || len(ds) != 1 || !strings.Contains(ds[0].Problem, "corrupted metadata") {
		t.Errorf("datasets with corrupted metadata: %+v %v", ds, err)
	}
	// --force promotes over it, recording why.
	res, err := Promote(ctx, lake, PromoteOptions{Version: touchID, Dataset: "ds", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Metadata.Promotion != 2 || len(res.Forced) != 1 || !strings.Contains(res.Forced[0], "corrupted metadata") {
		t.Fatalf("forced over corrupted metadata: %+v", res.Metadata)
	}
	if r := validate(t, lake, "ds"); !r.OK {
		t.Fatal(r.Failures)
	}
	if _, _, err := Current(lake, "nope"); !errors.Is(err, ErrDatasetNotFound) {
		t.Errorf("unknown dataset: %v", err)
	}
}

func TestGatesAndForce(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	// A Silver file replaced by another date's: not the file audited, and
	// its rows are outside the date's regular hours.
	src := lake.VersionDatePart(touchID, fixtureDates[0])
	other, err := os.ReadFile(lake.VersionDatePart(touchID, fixtureDates[1]))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, other, 0o644); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, lake.Root())
	_, err = Promote(ctx, lake, PromoteOptions{Version: touchID, Dataset: "ds", Dates: mustDates(fixtureDates[:2])})
	var ge *GateError
	if !errors.As(err, &ge) {
		t.Fatalf("want a GateError, got %v", err)
	}
	joined := strings.Join(ge.Failures, "|")
	for _, want := range []string{"not the one audited", "outside their date's regular trading hours", "not unique"} {
		if !strings.Contains(joined, want) {
			t.Errorf("gates %q lack %q", joined, want)
		}
	}
	if !maps(before, treeState(t, lake.Root())) {
		t.Error("a refused promotion changed the lake")
	}
	res, err := Promote(ctx, lake, PromoteOptions{Version: touchID, Dataset: "ds", Dates: mustDates(fixtureDates[:2]), Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Metadata.ForcedGates, ge.Failures) {
		t.Fatalf("forced gates %v, want %v", res.Metadata.ForcedGates, ge.Failures)
	}
	cur, _, _ := Current(lake, "ds")
	if len(cur.ForcedGates) != len(ge.Failures) {
		t.Fatalf("metadata on disk: %v", cur.ForcedGates)
	}
}

// treeState maps every path under root (skipping lock files) to its
// content or link target.
func treeState(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(p, ".lock") || strings.Contains(p, string(filepath.Separator)+".locks") {
			return nil
		}
		switch {
		case d.Type()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			out[p] = "-> " + l
		case d.IsDir():
			// Directories count through what they hold; a lock
			// directory is no state.
		default:
			data, _ := os.ReadFile(p)
			out[p] = string(data)
		}
		return nil
	})
	return out
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
