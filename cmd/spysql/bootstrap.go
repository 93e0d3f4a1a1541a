package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newBootstrapCmd(g *globals) *cobra.Command {
	var datesSpec, dataset, exp string
	var manifests []string
	var asJSON bool
	var threads int
	cmd := &cobra.Command{
		Use:   "bootstrap [--dates A..B]",
		Short: "Build the shipped versions, evaluate them, promote the better to signals_production",
		Long: `Build v1.0_mechanics_only and v2.0_full_ensemble (or --manifest ...) for the
dates (default: every trading date in Bronze), evaluate each (spysql evaluate)
and register the experiment, then promote the version with the better
registered metric (best feature AUC, then median AUC) to gold.signals_production
and say why. Already built dates, registrations and an identical promotion are
not redone.`,
		Example: `  spysql bootstrap --dates 2025-12-15..2025-12-19`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dates, err := optionalDates(datesSpec)
			if err != nil {
				return err
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			// Progress lines on a terminal; only warnings in a pipe.
			stderr := cmd.ErrOrStderr()
			log := g.logger(stderr)
			if f, ok := stderr.(*os.File); !g.verbose && (!ok || !term.IsTerminal(int(f.Fd()))) {
				log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			}
			res, err := gold.Bootstrap(cmd.Context(), lake, gold.BootstrapOptions{
				Manifests: manifests, Dates: dates, Dataset: dataset, Exp: exp,
				Engine: duck.Config{Threads: threads}, Logger: log,
			})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, res)
			}
			for _, d := range res.Dropped {
				fmt.Fprintf(out, "left out: %s\n", firstLine(d))
			}
			fmt.Fprintf(out, "compared on %s\n", dateSpan(res.Dates))
			for _, c := range res.Candidates {
				fmt.Fprintf(out, "%-24s best AUC %.4f (%s)  median AUC %.4f\n", c.Version, c.BestAUC, c.BestFeature, c.MedianAUC)
			}
			fmt.Fprintf(out, "chose %s: %s\n", res.Chosen, res.Reason)
			m := res.Promotion.Metadata
			if res.Promotion.Unchanged {
				fmt.Fprintf(out, "gold.%s is already %s for these dates (promotion %d); nothing written\n", m.Dataset, m.SourceVersion, m.Promotion)
			} else {
				fmt.Fprintf(out, "promoted %s to gold.%s (promotion %d): %d rows\n", m.SourceVersion, m.Dataset, m.Promotion, m.Rows)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&datesSpec, "dates", "", "dates to build (default: every trading date in Bronze)")
	f.StringArrayVar(&manifests, "manifest", nil, "a manifest to compare (repeatable; default: the two shipped versions)")
	f.StringVar(&dataset, "dataset", "signals_production", "the Gold dataset to promote to")
	f.StringVar(&exp, "exp", "bootstrap", "the experiment id to register")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores)")
	return cmd
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
