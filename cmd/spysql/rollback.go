package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newRollbackCmd(g *globals) *cobra.Command {
	var dataset string
	var to int
	cmd := &cobra.Command{
		Use:   "rollback --dataset NAME [--to N]",
		Short: "Restore an earlier promotion of a Gold dataset",
		Long: `Make the promotion before the current one (or history entry N) current again.
The rollback is itself a new history entry, so it can be rolled back too.
spysql datasets shows the history depth; lake.dataset_history lists it.`,
		Example: `  spysql rollback --dataset signals_production
  spysql rollback --dataset signals_production --to 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataset == "" {
				return errors.New("--dataset is required")
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			m, err := gold.Rollback(cmd.Context(), lake, gold.RollbackOptions{Dataset: dataset, To: to})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rolled back gold.%s to promotion %d (%s, %d rows); recorded as promotion %d\n",
				m.Dataset, m.RestoredFrom, m.SourceVersion, m.Rows, m.Promotion)
			return nil
		},
	}
	cmd.Flags().StringVar(&dataset, "dataset", "", "Gold dataset name (required)")
	cmd.Flags().IntVar(&to, "to", 0, "history entry to restore (default: the one before the current)")
	return cmd
}
