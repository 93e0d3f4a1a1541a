package gold

import (
	"context"
	"strings"
	"testing"

	"github.com/spysql/spysql/sqlfeatures"
)

func TestBootstrap(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	manifests := []string{"testdata/touch/v1.0_touch.yaml", "testdata/touch/v1.1_touch.yaml"}
	res, err := Bootstrap(ctx, lake, BootstrapOptions{Manifests: manifests, Dates: mustDates(fixtureDates)})
	if err != nil {
		t.Fatal(err)
	}
	// The choice follows the registry, read on its own.
	es, err := sqlfeatures.Experiments(lake, "")
	if err != nil {
		t.Fatal(err)
	}
	best := map[string]float64{}
	for _, e := range es {
		if e.ExpID == "bootstrap" {
			best[e.VersionID] = e.Metrics["best_auc"]
		}
	}
	if len(best) != 2 {
		t.Fatalf("registered %v", best)
	}
	want := "v1.0_touch"
	if best["v1.1_touch"] > best["v1.0_touch"] {
		want = "v1.1_touch"
	}
	if res.Chosen != want {
		t.Fatalf("chose %s, the registry says %s (%v)", res.Chosen, want, best)
	}
	if !strings.Contains(res.Reason, "v1.0_touch") || !strings.Contains(res.Reason, "v1.1_touch") {
		t.Fatalf("reason %q", res.Reason)
	}
	m, _, err := Current(lake, "signals_production")
	if err != nil || m.SourceVersion != want || len(m.Dates) != len(fixtureDates) || !strings.Contains(m.Notes, "bootstrap") {
		t.Fatalf("signals_production: %+v %v", m, err)
	}
	if r := validate(t, lake, "signals_production"); !r.OK {
		t.Fatal(r.Failures)
	}
	// Again: everything is there, nothing changes.
	again, err := Bootstrap(ctx, lake, BootstrapOptions{Manifests: manifests, Dates: mustDates(fixtureDates)})
	if err != nil || !again.Promotion.Unchanged {
		t.Fatalf("second bootstrap: %+v %v", again, err)
	}
	// A version that cannot be built: one line, nothing promoted.
	_, err = Bootstrap(ctx, lake, BootstrapOptions{Manifests: []string{manifests[0], "testdata/touch/v1.2_touch.yaml"}, Dates: mustDates(fixtureDates), Dataset: "other"})
	if err == nil || !strings.Contains(err.Error(), "v1.2_touch") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("bootstrap with a failing version: %v", err)
	}
	if _, _, err := Current(lake, "other"); err == nil {
		t.Fatal("a failed bootstrap promoted")
	}
	if _, err := Bootstrap(ctx, lake, BootstrapOptions{Manifests: []string{"testdata/nope.yaml"}}); err == nil {
		t.Error("a missing manifest: no error")
	}
}

func TestArchive(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	promote(t, lake, "ds", fixtureDates[0])
	before := treeState(t, lake.Root())
	err := Archive(ctx, lake, touchID, false)
	if err == nil || !strings.Contains(err.Error(), "gold.ds") {
		t.Fatalf("archiving the source of gold.ds: %v", err)
	}
	for _, bad := range []string{"v9.9_nope", "../x"} {
		if err := Archive(ctx, lake, bad, true); err == nil {
			t.Errorf("archive %s: no error", bad)
		}
	}
	if err := Restore(ctx, lake, touchID); err == nil {
		t.Error("restore of a version that is not archived: no error")
	}
	if !maps(before, treeState(t, lake.Root())) {
		t.Fatal("refused archives changed the lake")
	}
	if err := Archive(ctx, lake, touchID, true); err != nil {
		t.Fatal(err)
	}
	vs, _ := sqlfeatures.ListVersions(lake)
	if len(vs) != 0 {
		t.Fatalf("list after archive: %+v", vs)
	}
	db := openDB(t, lake)
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM duckdb_views() WHERE schema_name = 'silver' AND NOT internal`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d silver views after archive (%v)", n, err)
	}
	var archived bool
	if err := db.SQL().QueryRow(`SELECT archived FROM lake.versions WHERE version = ?`, touchID).Scan(&archived); err != nil || !archived {
		t.Fatalf("lake.versions: archived %v %v", archived, err)
	}
	if r := validate(t, lake, "ds"); !r.OK {
		t.Fatalf("gold.ds after archiving its source: %v", r.Failures)
	}
	if err := Archive(ctx, lake, touchID, true); err == nil || !strings.Contains(err.Error(), "already archived") {
		t.Fatalf("archive twice: %v", err)
	}
	if err := Restore(ctx, lake, touchID); err != nil {
		t.Fatal(err)
	}
	if !maps(before, treeState(t, lake.Root())) {
		t.Fatal("archive then restore did not bring the version back unchanged")
	}
}

func TestLakeTables(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	db := openDB(t, lake)
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM lake.datasets`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("lake.datasets before any promotion: %d %v", n, err)
	}
	w := newWatcher(db)
	a := promote(t, lake, "ds", fixtureDates[0]).Metadata
	promote(t, lake, "ds", fixtureDates[:2]...)
	if _, err := Rollback(ctx, lake, RollbackOptions{Dataset: "ds"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Evaluate(ctx, lake, EvaluateOptions{Version: touchID, Register: "e1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Check(ctx); err != nil {
		t.Fatal(err)
	}
	var rows int64
	var depth, promotion int
	var source, sha string
	if err := db.SQL().QueryRow(`SELECT rows, history_depth, promotion, source_version, sha256 FROM lake.datasets WHERE dataset = 'ds'`).
		Scan(&rows, &depth, &promotion, &source, &sha); err != nil {
		t.Fatal(err)
	}
	if rows != a.Rows || depth != 3 || promotion != 3 || source != touchID || sha != a.SHA256 {
		t.Fatalf("lake.datasets: %d rows, depth %d, promotion %d, %s", rows, depth, promotion, source)
	}
	var actions string
	if err := db.SQL().QueryRow(`SELECT string_agg(action, ',' ORDER BY promotion) FROM lake.dataset_history WHERE dataset = 'ds'`).Scan(&actions); err != nil || actions != "promote,promote,rollback" {
		t.Fatalf("lake.dataset_history: %q %v", actions, err)
	}
	var dates int
	if err := db.SQL().QueryRow(`SELECT dates FROM lake.versions WHERE version = ?`, touchID).Scan(&dates); err != nil || dates != len(fixtureDates) {
		t.Fatalf("lake.versions: %d %v", dates, err)
	}
	var best float64
	if err := db.SQL().QueryRow(`SELECT value FROM lake.experiment_metrics WHERE exp_id = 'e1' AND metric = 'best_auc'`).Scan(&best); err != nil || best <= 0 {
		t.Fatalf("lake.experiment_metrics: %v %v", best, err)
	}
	if err := db.SQL().QueryRow(`SELECT count(*) FROM lake.experiments WHERE exp_id = 'e1' AND status = 'completed'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("lake.experiments: %d %v", n, err)
	}
	if err := db.SQL().QueryRow(`SELECT count(DISTINCT date) FROM gold.backtests`).Scan(&n); err != nil || n != len(fixtureDates) {
		t.Fatalf("gold.backtests: %d dates %v", n, err)
	}
}
