package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures"
)

func newListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List Silver feature versions with dates, rows, fingerprint, parent and status",
		Long: `List every Silver feature version in the lake. Status is "ready" when every
published date is recorded and the rollups agree, "empty" before the first
date, "building" while a build holds the version's lock, and "inconsistent"
otherwise (the problems are listed; rebuilding the dates repairs it).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			vs, err := sqlfeatures.ListVersions(lake)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, vs)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tDATES\tROWS\tFINGERPRINT\tPARENT\tSTATUS")
			for _, v := range vs {
				parent := v.Parent
				if parent == "" {
					parent = "-"
				}
				fp := v.Fingerprint
				if len(fp) > 19 {
					fp = fp[:19]
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", v.ID, dateSpan(v.Dates), v.Rows, fp, parent, v.Status)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, v := range vs {
				for _, p := range v.Problems {
					fmt.Fprintf(out, "%s: %s\n", v.ID, p)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// dateSpan is "n (first..last)" for a sorted list of dates.
func dateSpan(dates []string) string {
	switch len(dates) {
	case 0:
		return "0"
	case 1:
		return "1 (" + dates[0] + ")"
	}
	return fmt.Sprintf("%d (%s..%s)", len(dates), dates[0], dates[len(dates)-1])
}

// joinOr joins names for a table cell, "-" when empty.
func joinOr(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}
