package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newPromoteCmd(g *globals) *cobra.Command {
	var dataset, notes, datesSpec string
	var force, asJSON bool
	var threads int
	cmd := &cobra.Command{
		Use:   "promote VERSION --dataset NAME --notes TEXT [--dates A..B] [--force]",
		Short: "Promote a Silver version to a Gold training dataset",
		Long: `Write the version's dates (default: all) as gold/training/NAME.parquet, one
file sorted by the key (ZSTD 3), with NAME_metadata.json, published together:
no reader ever sees the new file with the old metadata. Then write the point
index for keyed lookups. Gates: every date passed its Silver audit, the key is
unique across dates, every row is inside regular hours, null rates are within
the manifest's limits; --force overrides failed gates and records them in the
metadata. Earlier promotions stay as history (spysql rollback). Promoting the
same version and dates again changes nothing.`,
		Example: `  spysql promote v1.0_mechanics_only --dataset signals_production \
      --notes "baseline" --dates 2025-12-15..2025-12-19`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataset == "" {
				return errors.New("--dataset is required")
			}
			dates, err := optionalDates(datesSpec)
			if err != nil {
				return err
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			res, err := gold.Promote(cmd.Context(), lake, gold.PromoteOptions{
				Version: args[0], Dataset: dataset, Notes: notes, Dates: dates, Force: force,
				Engine: duck.Config{Threads: threads}, Logger: g.logger(cmd.ErrOrStderr()),
			})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, res)
			}
			m := res.Metadata
			if res.Unchanged {
				fmt.Fprintf(out, "unchanged: gold.%s is already %s for %s (promotion %d); nothing written\n",
					m.Dataset, m.SourceVersion, dateSpan(m.Dates), m.Promotion)
				return nil
			}
			fmt.Fprintf(out, "promoted %s to gold.%s (promotion %d): %d rows, %s, sha256 %s\n",
				m.SourceVersion, m.Dataset, m.Promotion, m.Rows, dateSpan(m.Dates), m.SHA256[:16])
			for _, f := range res.Forced {
				fmt.Fprintf(out, "  forced gate: %s\n", f)
			}
			if res.IndexErr != nil {
				fmt.Fprintf(out, "  no point index: %v\n", res.IndexErr)
			} else {
				fmt.Fprintf(out, "  point index keyed by %s\n", res.IndexKey)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataset, "dataset", "", "Gold dataset name, a plain identifier (required)")
	f.StringVar(&notes, "notes", "", "why this promotion (recorded in the metadata)")
	f.StringVar(&datesSpec, "dates", "", "dates to promote (default: every date of the version)")
	f.BoolVar(&force, "force", false, "promote even if gates fail (recorded)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores); the output does not depend on it")
	return cmd
}
