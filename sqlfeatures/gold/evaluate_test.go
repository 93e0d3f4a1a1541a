package gold

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
)

// pairAUC is the AUC by its definition: over every (positive, negative)
// pair, 1 when the positive's value is larger, 1/2 on a tie.
func pairAUC(pos, neg []float64) float64 {
	var s float64
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				s++
			case p == n:
				s += 0.5
			}
		}
	}
	return s / float64(len(pos)*len(neg))
}

func TestEvaluate(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	dates := fixtureDates[:2]
	res, err := Evaluate(ctx, lake, EvaluateOptions{Version: touchID, Dates: mustDates(dates), Register: "screen"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 {
		t.Fatalf("files %v", res.Files)
	}
	db := openDB(t, lake)
	features := []string{"close", "volume", "trades", "ret_bps", "range_bps"}
	// Raw values, per date and in total.
	type sample struct{ pos, neg []float64 }
	per := map[string]map[string]*sample{} // date -> feature
	total := map[string]*sample{}
	counts := map[string]map[string]int64{}
	for _, f := range features {
		total[f] = &sample{}
	}
	rows, err := db.SQL().Query(`SELECT CAST(date AS VARCHAR), outcome, close, CAST(volume AS DOUBLE), CAST(trades AS DOUBLE), ret_bps, range_bps
		FROM silver."v1.0_touch" WHERE date IN ('` + strings.Join(dates, "','") + `')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d, o string
		v := make([]float64, 5)
		if err := rows.Scan(&d, &o, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			t.Fatal(err)
		}
		if per[d] == nil {
			per[d] = map[string]*sample{}
			counts[d] = map[string]int64{}
			for _, f := range features {
				per[d][f] = &sample{}
			}
		}
		counts[d][o]++
		for i, f := range features {
			for _, s := range []*sample{per[d][f], total[f]} {
				if o == "BREAK" {
					s.pos = append(s.pos, v[i])
				} else {
					s.neg = append(s.neg, v[i])
				}
			}
		}
	}
	rows.Close()
	// The files: every feature's AUC and every outcome's count per date.
	got, err := db.SQL().Query(`SELECT CAST(date AS VARCHAR), kind, name, n, auc, base_rate, version FROM gold.backtests ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	nFeature, nOutcome := 0, 0
	for got.Next() {
		var d, kind, name, version string
		var n int64
		var auc, base *float64
		if err := got.Scan(&d, &kind, &name, &n, &auc, &base, &version); err != nil {
			t.Fatal(err)
		}
		c := counts[d]
		if wantBase := float64(c["BREAK"]) / float64(c["BREAK"]+c["BOUNCE"]+c["CHOP"]); math.Abs(*base-wantBase) > 1e-12 {
			t.Errorf("%s base rate %v, want %v", d, *base, wantBase)
		}
		switch kind {
		case "feature":
			nFeature++
			s := per[d][name]
			if want := pairAUC(s.pos, s.neg); auc == nil || math.Abs(*auc-want) > 1e-9 {
				t.Errorf("%s %s: auc %v, want %v", d, name, auc, want)
			}
		case "outcome":
			nOutcome++
			if n != c[name] {
				t.Errorf("%s outcome %s: %d, want %d", d, name, n, c[name])
			}
		}
	}
	got.Close()
	if nFeature != 2*len(features) || nOutcome == 0 {
		t.Fatalf("%d feature rows, %d outcome rows", nFeature, nOutcome)
	}
	// Registered: best and median over all the dates.
	var all []float64
	best := -1.0
	for _, f := range features {
		a := pairAUC(total[f].pos, total[f].neg)
		all = append(all, a)
		best = math.Max(best, a)
	}
	sort.Float64s(all)
	data, err := os.ReadFile(lake.ExperimentsFile())
	if err != nil {
		t.Fatal(err)
	}
	var reg struct {
		Experiments []struct {
			ExpID   string `json:"exp_id"`
			Metrics map[string]float64
		}
	}
	if err := json.Unmarshal(data, &reg); err != nil {
		t.Fatal(err)
	}
	if len(reg.Experiments) != 1 || reg.Experiments[0].ExpID != "screen" {
		t.Fatalf("registry %s", data)
	}
	m := reg.Experiments[0].Metrics
	if math.Abs(m["best_auc"]-best) > 1e-9 || math.Abs(m["median_auc"]-all[2]) > 1e-9 {
		t.Fatalf("metrics %v, want best %v median %v", m, best, all[2])
	}
	// A second version evaluated on one of the dates keeps the first's rows.
	if err := buildVersion(ctx, lake, "testdata/touch/v1.1_touch.yaml", fixtureDates); err != nil {
		t.Fatal(err)
	}
	if _, err := Evaluate(ctx, lake, EvaluateOptions{Version: "v1.1_touch", Dates: mustDates(dates[:1])}); err != nil {
		t.Fatal(err)
	}
	var versions int
	if err := db.SQL().QueryRow(`SELECT count(DISTINCT version) FROM read_parquet(?)`, lake.GoldBacktestFile(dates[0])).Scan(&versions); err != nil || versions != 2 {
		t.Fatalf("%d versions in %s (%v)", versions, dates[0], err)
	}
	for _, bad := range []EvaluateOptions{
		{Version: "v9.9_nope"}, {Version: touchID, Label: "nope"}, {Version: touchID, Label: "close"},
		{Version: touchID, Dates: mustDates([]string{"2025-12-18"})},
	} {
		before := treeState(t, lake.Root())
		if _, err := Evaluate(ctx, lake, bad); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("evaluate %+v: %v", bad, err)
		}
		if !maps(before, treeState(t, lake.Root())) {
			t.Errorf("evaluate %+v changed the lake", bad)
		}
	}
}
