package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newEvaluateCmd(g *globals) *cobra.Command {
	var datesSpec, label, positive, register string
	var asJSON bool
	var threads int
	cmd := &cobra.Command{
		Use:   "evaluate VERSION [--dates A..B] [--label outcome] [--register EXP]",
		Short: "Screen a version's features: rank AUC of each for BREAK against the rest",
		Long: `A univariate screen, not a trained model: for every numeric feature of the
version, its rank AUC (Mann-Whitney, computed in SQL) for the positive outcome
(BREAK) against every other outcome, per date, with the signal counts by
outcome and the base rate. Writes gold/evaluation/backtest_YYYY-MM-DD.parquet
per date (queryable as gold.backtests); other versions' rows in those files are
kept. --register records the best and median feature AUC over all the dates as
metrics of experiment EXP (lake.experiments, spysql experiments).`,
		Example: `  spysql evaluate v1.0_mechanics_only --dates 2025-12-15..2025-12-19 --register screen-1
  spysql query "SELECT name, auc FROM gold.backtests WHERE kind = 'feature' ORDER BY auc DESC"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dates, err := optionalDates(datesSpec)
			if err != nil {
				return err
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			res, err := gold.Evaluate(cmd.Context(), lake, gold.EvaluateOptions{
				Version: args[0], Dates: dates, Label: label, Positive: positive, Register: register,
				Engine: duck.Config{Threads: threads},
			})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, res)
			}
			fmt.Fprintf(out, "%s over %s: %d signals, base rate %.4f, outcomes %s\n", res.Version, dateSpan(res.Dates), res.Signals, res.BaseRate, outcomes(res.Outcomes))
			for _, f := range res.Features {
				auc := "-"
				if f.AUC != nil {
					auc = fmt.Sprintf("%.4f", *f.AUC)
				}
				fmt.Fprintf(out, "  %-24s auc %s  (n %d)\n", f.Feature, auc, f.N)
			}
			fmt.Fprintf(out, "best %s %.4f, median %.4f; wrote %d file(s) under gold/evaluation\n", res.BestFeature, res.BestAUC, res.MedianAUC, len(res.Files))
			if res.Registered != "" {
				fmt.Fprintf(out, "registered experiment %s of %s\n", res.Registered, res.Version)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&datesSpec, "dates", "", "dates to evaluate (default: every date of the version)")
	f.StringVar(&label, "label", "outcome", "the outcome column")
	f.StringVar(&positive, "positive", "BREAK", "the outcome screened for")
	f.StringVar(&register, "register", "", "register the best and median AUC as this experiment id")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores)")
	return cmd
}

func outcomes(m map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}
