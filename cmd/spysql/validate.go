package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newValidateCmd(g *globals) *cobra.Command {
	var dataset string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate --dataset NAME [--json]",
		Short: "Re-check a Gold dataset against its metadata and its source version",
		Long: `Re-hash gold/training/NAME.parquet and check it against NAME_metadata.json:
sha256 and size, row count, columns and types, key uniqueness, every row inside
regular hours, null rates within the recorded limits. Then check it against the
Silver version it was promoted from (also when archived): each promoted date's
fingerprint, rows, and columns with their types and order, as the build
recorded them. Exit status 1 listing every failure when anything is off.`,
		Example: `  spysql validate --dataset signals_production
  spysql validate --dataset signals_production --json | jq .failures`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataset == "" {
				return errors.New("--dataset is required")
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			r, err := gold.Validate(cmd.Context(), lake, dataset, duck.Config{})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if err := writeJSON(out, r); err != nil {
					return err
				}
			} else if r.OK {
				fmt.Fprintf(out, "gold.%s promotion %d: ok (%d rows, sha256 %s)\n", r.Dataset, r.Promotion, r.Metadata.Rows, r.Metadata.SHA256[:16])
			} else {
				for _, f := range r.Failures {
					fmt.Fprintf(out, "FAIL %s\n", f)
				}
			}
			if !r.OK {
				return fmt.Errorf("validate %s: %d failure(s)", dataset, len(r.Failures))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dataset, "dataset", "", "Gold dataset name (required)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
