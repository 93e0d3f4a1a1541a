package manifests_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/engine/synthmarket"
	"github.com/spysql/spysql/internal/testkit"
)

// The leakage lake: a generated session and its lookback day.
const (
	leakDate     = "2025-12-16"
	leakLookback = "2025-12-15"
	leakScale    = 0.02
)

var (
	leakOnce sync.Once
	leakRoot string
	leakErr  error
)

// leakLake generates the leakage lake once per test binary.
func leakLake(t *testing.T) string {
	t.Helper()
	leakOnce.Do(func() {
		dir, err := os.MkdirTemp("", "spysql-leak-")
		if err != nil {
			leakErr = err
			return
		}
		leakRoot = dir
		leakErr = generate(dir, leakLookback, leakDate, leakScale)
	})
	if leakErr != nil {
		t.Fatal(leakErr)
	}
	return leakRoot
}

// generate writes a synthetic market for start..end into root.
func generate(root, start, end string, scale float64) error {
	lake, err := store.OpenLake(root, true)
	if err != nil {
		return err
	}
	cal, err := calendar.New()
	if err != nil {
		return err
	}
	s, err := calendar.ParseDate(start)
	if err != nil {
		return err
	}
	e, err := calendar.ParseDate(end)
	if err != nil {
		return err
	}
	_, err = synthmarket.Generate(context.Background(), lake, cal, synthmarket.Config{Start: s, End: e, Seed: 1, Scale: scale}, nil)
	return err
}

// cutMode is how Bronze received after the decision time is changed.
type cutMode string

const (
	cutDelete cutMode = "delete" // every record with ts_recv_ns > T removed
	cutAlter  cutMode = "alter"  // every such record rewritten (see alterExpr)
)

// alterExpr rewrites one column of a record received after T: prices
// move, sizes grow, sides, actions, aggressors and option rights flip,
// strikes shift, and every second late record is stamped with an event
// time as far before T as it arrived after it, so a feature that selects
// by event time instead of arrival picks it up.
func alterExpr(col string, T int64) string {
	late := fmt.Sprintf("ts_recv_ns > %d", T)
	alt := col
	switch {
	case col == "ts_event_ns":
		alt = fmt.Sprintf("CASE WHEN ts_recv_ns %% 2 = 0 THEN %d - (ts_recv_ns - %d) ELSE ts_event_ns END", T, T)
	case col == "price" || strings.HasPrefix(col, "bid_px_") || strings.HasPrefix(col, "ask_px_"):
		alt = col + " + 1.25"
	case col == "size" || strings.HasPrefix(col, "bid_sz_") || strings.HasPrefix(col, "ask_sz_"):
		alt = col + " * 3 + 7"
	case col == "aggressor":
		alt = "-aggressor"
	case col == "side":
		alt = "CASE side WHEN 'A' THEN 'B' WHEN 'B' THEN 'A' ELSE side END"
	case col == "action":
		alt = "CASE action WHEN 'A' THEN 'C' WHEN 'C' THEN 'A' ELSE action END"
	case col == "strike":
		alt = "strike + 1"
	case col == "option_right":
		alt = "CASE option_right WHEN 'C' THEN 'P' ELSE 'C' END"
	}
	if alt == col {
		return col
	}
	return fmt.Sprintf("CASE WHEN %s THEN %s ELSE %s END AS %s", late, alt, col, col)
}

// cutLake writes a copy of src's Bronze into dst with the records received
// after T deleted or altered, partitioned as the lake is.
func cutLake(t *testing.T, src, dst string, T int64, mode cutMode) {
	t.Helper()
	ctx := context.Background()
	lake, err := store.OpenLake(src, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.OpenLake(dst, true); err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(ctx, lake, duck.Config{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tb := range store.BronzeTables() {
		var sel []string
		for _, c := range tb.Columns() {
			if mode == cutAlter {
				sel = append(sel, alterExpr(c.Name, T))
			} else {
				sel = append(sel, c.Name)
			}
		}
		for _, c := range tb.PartitionColumns() {
			sel = append(sel, c.Name)
		}
		where := ""
		if mode == cutDelete {
			where = fmt.Sprintf(" WHERE ts_recv_ns <= %d", T)
		}
		out := filepath.Join(dst, "bronze", filepath.FromSlash(tb.Path()))
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf("COPY (SELECT %s FROM bronze.%s%s ORDER BY ts_event_ns) TO '%s' (FORMAT parquet, PARTITION_BY (%s, date, hour), OVERWRITE_OR_IGNORE)",
			strings.Join(sel, ", "), tb.Name(), where, out, tb.KeyColumn())
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("cut %s: %v", tb.Name(), err)
		}
	}
}

// decisionSamples picks three decision times spread over a result.
func decisionSamples(t *testing.T, r result) []int64 {
	t.Helper()
	var ds []int64
	for _, row := range r.rows {
		ds = append(ds, row.decision)
	}
	if len(ds) < 10 {
		t.Fatalf("only %d signals to sample", len(ds))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return []int64{ds[len(ds)/5], ds[len(ds)/2], ds[4*len(ds)/5]}
}

// leaks compares the rows decided at or before T of two runs and describes
// every difference in their non-label columns; n is the rows compared.
func leaks(orig, cut result, T int64) (diffs []string, n int) {
	for k, a := range orig.rows {
		if a.decision > T {
			continue
		}
		n++
		b, ok := cut.rows[k]
		switch {
		case !ok:
			diffs = append(diffs, "row "+k+" is gone")
		case a.text != b.text:
			diffs = append(diffs, fmt.Sprintf("row %s:\n  was %s\n  now %s", k, a.text, b.text))
		}
	}
	for k, b := range cut.rows {
		if _, ok := orig.rows[k]; !ok && b.decision <= T {
			diffs = append(diffs, "row "+k+" appeared")
		}
	}
	sort.Strings(diffs)
	return diffs, n
}

// cutLakes are the truncated and altered copies of the leakage lake, one
// per sampled decision time of v1.0 and mode, made once.
type cutLakes struct {
	T    []int64
	dirs map[string]string
}

var (
	cutsOnce sync.Once
	cuts     cutLakes
)

func leakCuts(t *testing.T) cutLakes {
	t.Helper()
	root := leakLake(t)
	cutsOnce.Do(func() {
		base := runBundle(t, root, "v1.0_mechanics_only.yaml", leakDate)
		cuts = cutLakes{T: decisionSamples(t, base), dirs: map[string]string{}}
		for _, T := range cuts.T {
			for _, m := range []cutMode{cutDelete, cutAlter} {
				dir := filepath.Join(root+"-cuts", fmt.Sprintf("%s-%d", m, T))
				cutLake(t, root, dir, T, m)
				cuts.dirs[fmt.Sprint(m, T)] = dir
			}
		}
	})
	if cuts.dirs == nil {
		t.Fatal("leakage lakes were not made")
	}
	return cuts
}

// leakReport runs manifest on the leakage lake and every cut copy and
// returns the differences found, after checking rows were compared; with
// firstOnly it stops at the first cut that shows one.
func leakReport(t *testing.T, manifest string, firstOnly bool) []string {
	t.Helper()
	c := leakCuts(t)
	orig := runBundle(t, leakLake(t), manifest, leakDate)
	var all []string
	for _, T := range c.T {
		for _, m := range []cutMode{cutDelete, cutAlter} {
			cut := runBundle(t, c.dirs[fmt.Sprint(m, T)], manifest, leakDate)
			diffs, n := leaks(orig, cut, T)
			if n == 0 {
				t.Fatalf("%s: no row decided at or before %d: the test compares nothing", manifest, T)
			}
			t.Logf("%s %s T=%d: %d rows compared, %d differ", manifest, m, T, n, len(diffs))
			for _, d := range diffs {
				all = append(all, fmt.Sprintf("%s T=%d %s", m, T, d))
			}
			if firstOnly && len(all) > 0 {
				return all
			}
		}
	}
	return all
}

// TestNoLookAhead: for every shipped manifest, deleting or altering every
// Bronze record received after a sampled decision time leaves every
// non-label column of every row decided at or before it unchanged.
func TestNoLookAhead(t *testing.T) {
	for _, m := range shipped {
		t.Run(m, func(t *testing.T) {
			if diffs := leakReport(t, m, false); len(diffs) > 0 {
				if len(diffs) > 5 {
					diffs = diffs[:5]
				}
				t.Fatalf("%s looks ahead:\n%s", m, strings.Join(diffs, "\n"))
			}
		})
	}
}

// TestLookAheadIsDetected: the same test fails on deliberately leaky
// copies of v1.0: a column taken from the next signal, and the tape window
// selected by event time instead of arrival (a record stamped before the
// decision but received after it).
func TestLookAheadIsDetected(t *testing.T) {
	cases := []struct {
		name, file, old, new string
	}{
		{"next_signal", "sql/mechanics/signals.sql",
			"l.outcome, l.fwd_return_bps",
			"l.outcome, l.fwd_return_bps, lead(t.spot) OVER (ORDER BY t.ts_recv_ns) AS leak_next_spot"},
		{"tape_by_event_time", "sql/tape_physics/tape.sql",
			"ON x.ts_recv_ns > t.ts_recv_ns - epoch_ns(getvariable('W_t')) AND x.ts_recv_ns <= t.ts_recv_ns",
			"ON x.ts_event_ns > t.ts_recv_ns - epoch_ns(getvariable('W_t')) AND x.ts_event_ns <= t.ts_recv_ns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, ".", dir, "v1.0_mechanics_only.yaml", "sql")
			p := filepath.Join(dir, filepath.FromSlash(c.file))
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), c.old) {
				t.Fatalf("%s no longer contains %q: update the leaky variant", c.file, c.old)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(data), c.old, c.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			diffs := leakReport(t, filepath.Join(dir, "v1.0_mechanics_only.yaml"), true)
			if len(diffs) == 0 {
				t.Fatal("the leaky manifest passed the leakage test")
			}
			t.Logf("detected: %s", diffs[0])
		})
	}
}

// copyTree copies the named files and directories of src into dst.
func copyTree(t *testing.T, src, dst string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := testkit.CopyTree(filepath.Join(src, n), filepath.Join(dst, n)); err != nil {
			t.Fatal(err)
		}
	}
}
