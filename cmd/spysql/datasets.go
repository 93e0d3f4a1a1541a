package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newDatasetsCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "datasets [--json]",
		Short:   "List Gold training datasets",
		Long:    `List each Gold training dataset with its source version, rows, dates, when it was promoted and how deep its history is.`,
		Example: `  spysql datasets --json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			ds, err := gold.Datasets(lake)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, ds)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "DATASET\tSOURCE\tROWS\tDATES\tPROMOTED_AT\tHISTORY")
			for _, d := range ds {
				if d.Problem != "" {
					fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\n", d.Dataset)
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%d\n", d.Dataset, d.SourceVersion, d.Rows, dateSpan(d.Dates),
					d.PromotedAt.Format(time.RFC3339), d.HistoryDepth)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, d := range ds {
				if d.Problem != "" {
					fmt.Fprintf(out, "%s: %s\n", d.Dataset, d.Problem)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
