package gold

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// DefaultBootstrapManifests are the shipped feature versions bootstrap
// builds, relative to the repository root.
var DefaultBootstrapManifests = []string{"manifests/v1.0_mechanics_only.yaml", "manifests/v2.0_full_ensemble.yaml"}

// BootstrapOptions configure Bootstrap. The zero value bootstraps the
// shipped manifests over every trading date in Bronze into
// signals_production.
type BootstrapOptions struct {
	// Manifests to build and compare; nil means DefaultBootstrapManifests.
	Manifests []string
	// Dates: nil means every trading date with Bronze SPY trades.
	Dates []calendar.Date
	// Dataset is the Gold dataset; "" means signals_production.
	Dataset string
	// Exp is the experiment id registered; "" means bootstrap.
	Exp string
	// Label is the outcome column; "" means outcome.
	Label  string
	Engine duck.Config
	Logger *slog.Logger
}

// Candidate is one evaluated version.
type Candidate struct {
	Version     string  `json:"version"`
	BestAUC     float64 `json:"best_auc"`
	BestFeature string  `json:"best_feature"`
	MedianAUC   float64 `json:"median_auc"`
}

// BootstrapResult says what Bootstrap built, chose and why.
type BootstrapResult struct {
	// Dates are the dates every version built: the ones compared and
	// promoted. Dropped says which version failed which date and why.
	Dates      []string       `json:"dates"`
	Dropped    []string       `json:"dropped"`
	Candidates []Candidate    `json:"candidates"`
	Chosen     string         `json:"chosen"`
	Reason     string         `json:"reason"`
	Promotion  *PromoteResult `json:"promotion"`
}

// Bootstrap is the seed's bootstrap_medallion: build each manifest's
// version for the dates, evaluate each and register the experiment, then
// promote the version with the best registered metric (best feature AUC,
// then median AUC, then the earlier manifest) to the dataset.
func Bootstrap(ctx context.Context, lake store.Lake, opts BootstrapOptions) (*BootstrapResult, error) {
	if opts.Manifests == nil {
		opts.Manifests = DefaultBootstrapManifests
	}
	if opts.Dataset == "" {
		opts.Dataset = "signals_production"
	}
	if opts.Exp == "" {
		opts.Exp = "bootstrap"
	}
	if err := CheckName(opts.Dataset); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dates := opts.Dates
	if dates == nil {
		var err error
		if dates, err = bronzeTradingDates(lake); err != nil {
			return nil, err
		}
	}
	if len(dates) == 0 {
		return nil, fmt.Errorf("bootstrap: no trading dates in Bronze (spysql gen or import first)")
	}
	bundles := make([]*sqlfeatures.Bundle, len(opts.Manifests))
	for i, p := range opts.Manifests {
		b, err := loadBundle(ctx, lake, p)
		if err != nil {
			return nil, fmt.Errorf("bootstrap: %w", err)
		}
		bundles[i] = b
	}
	res := &BootstrapResult{}
	// A date any version fails to build is left out of the comparison,
	// so both versions are screened and promoted on the same dates.
	ok := map[string]int{}
	for _, b := range bundles {
		id := b.Manifest.ID()
		log.Info("building", "version", id, "dates", len(dates))
		br, err := sqlfeatures.Build(ctx, lake, b, sqlfeatures.BuildOptions{Dates: dates, Engine: opts.Engine, Logger: log})
		var be *sqlfeatures.BuildError
		if err != nil && !errors.As(err, &be) {
			return nil, fmt.Errorf("bootstrap: %w", err)
		}
		for _, f := range br.Failed {
			res.Dropped = append(res.Dropped, fmt.Sprintf("%s %s: %v", id, f.Date, f.Err))
		}
		for _, d := range br.Built {
			ok[d.Date]++
		}
		for _, d := range br.Skipped {
			ok[d]++
		}
	}
	var common []calendar.Date
	for _, d := range dates {
		if ok[d.String()] == len(bundles) {
			common = append(common, d)
			res.Dates = append(res.Dates, d.String())
		}
	}
	if len(common) == 0 {
		return nil, fmt.Errorf("bootstrap: no date was built by every version (%s)", strings.Join(res.Dropped, "; "))
	}
	for _, b := range bundles {
		id := b.Manifest.ID()
		log.Info("evaluating", "version", id, "dates", len(common))
		ev, err := Evaluate(ctx, lake, EvaluateOptions{Version: id, Dates: common, Label: opts.Label, Register: opts.Exp, Engine: opts.Engine})
		if err != nil {
			return nil, fmt.Errorf("bootstrap: %w", err)
		}
		res.Candidates = append(res.Candidates, Candidate{Version: id, BestAUC: ev.BestAUC, BestFeature: ev.BestFeature, MedianAUC: ev.MedianAUC})
	}
	best := 0
	for i, c := range res.Candidates {
		b := res.Candidates[best]
		if c.BestAUC > b.BestAUC || (c.BestAUC == b.BestAUC && c.MedianAUC > b.MedianAUC) {
			best = i
		}
	}
	res.Chosen = res.Candidates[best].Version
	res.Reason = reason(res.Candidates, best)
	log.Info("promoting", "version", res.Chosen, "dataset", opts.Dataset)
	p, err := Promote(ctx, lake, PromoteOptions{Version: res.Chosen, Dataset: opts.Dataset, Dates: common,
		Notes: "bootstrap: " + res.Reason, Engine: opts.Engine, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	res.Promotion = p
	return res, nil
}

// reason says why candidate best won, against every other.
func reason(cs []Candidate, best int) string {
	w := cs[best]
	var b strings.Builder
	fmt.Fprintf(&b, "%s has the best registered metric, best feature AUC %.4f (%s, median %.4f)", w.Version, w.BestAUC, w.BestFeature, w.MedianAUC)
	for i, c := range cs {
		if i == best {
			continue
		}
		rel := "above"
		switch {
		case c.BestAUC == w.BestAUC && c.MedianAUC == w.MedianAUC:
			rel = "tied with (the earlier manifest wins)"
		case c.BestAUC == w.BestAUC:
			rel = "tied on best AUC, higher median AUC than"
		}
		fmt.Fprintf(&b, "; %s %s's %.4f (%s, median %.4f)", rel, c.Version, c.BestAUC, c.BestFeature, c.MedianAUC)
	}
	return b.String()
}

// loadBundle parses a manifest with a DuckDB of its own.
func loadBundle(ctx context.Context, lake store.Lake, path string) (*sqlfeatures.Bundle, error) {
	db, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return sqlfeatures.LoadBundle(ctx, db.SQL(), path, sqlfeatures.DecodeOptions{ParentExists: sqlfeatures.ParentLookup(lake, path)})
}

// bronzeTradingDates are the trading dates among the UTC dates of Bronze
// SPY trades.
func bronzeTradingDates(lake store.Lake) ([]calendar.Date, error) {
	cal, err := calendar.New()
	if err != nil {
		return nil, err
	}
	var out []calendar.Date
	for _, t := range store.BronzeTables() {
		if t.Name() != "stocks_trades" {
			continue
		}
		ds, err := lake.BronzeDates(t)
		if err != nil {
			return nil, err
		}
		for _, s := range ds {
			d, err := calendar.ParseDate(s)
			if err != nil {
				continue
			}
			if _, ok, err := cal.Session(d); err == nil && ok {
				out = append(out, d)
			}
		}
	}
	return out, nil
}
