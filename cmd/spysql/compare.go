package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures"
)

func newCompareCmd(g *globals) *cobra.Command {
	var asJSON, all bool
	cmd := &cobra.Command{
		Use:   "compare VERSION_A VERSION_B [--json]",
		Short: "Compare two Silver versions: schema, parameters, feature groups, rows, column statistics",
		Long: `Set two materialized versions side by side: output schema, parameters,
feature groups, row counts per date and per-column statistics over all
dates (null rate, min, max). Rows that differ are marked with '*'.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			c, err := sqlfeatures.Compare(lake, args[0], args[1])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, c)
			}
			return printComparison(out, c, all)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&all, "all", true, "show equal rows too (--all=false shows only differences)")
	return cmd
}

func printComparison(out io.Writer, c *sqlfeatures.Comparison, all bool) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	mark := func(d bool) string {
		if d {
			return "*"
		}
		return " "
	}
	section := func(title, header string) {
		fmt.Fprintf(tw, "\n%s\n%s\n", title, header)
	}
	fmt.Fprintf(tw, " \t\tA\tB\n")
	fmt.Fprintf(tw, "%s\tversion\t%s\t%s\n", mark(c.A.ID != c.B.ID), c.A.ID, c.B.ID)
	fmt.Fprintf(tw, "%s\tfingerprint\t%s\t%s\n", mark(c.A.Fingerprint != c.B.Fingerprint), c.A.Fingerprint, c.B.Fingerprint)
	fmt.Fprintf(tw, "%s\tparent\t%s\t%s\n", mark(c.A.Parent != c.B.Parent), orDash(c.A.Parent), orDash(c.B.Parent))
	fmt.Fprintf(tw, "%s\trows\t%d\t%d\n", mark(c.A.Rows != c.B.Rows), c.A.Rows, c.B.Rows)

	section("schema", " \tcolumn\tA\tB")
	for _, r := range c.Schema {
		if all || r.Differs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark(r.Differs), r.Column, orDash(r.A), orDash(r.B))
		}
	}
	section("parameters", " \tname\tA\tB")
	for _, r := range c.Parameters {
		if all || r.Differs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark(r.Differs), r.Name, orDash(r.A), orDash(r.B))
		}
	}
	section("feature groups", " \tgroup\tA\tB")
	for _, r := range c.Groups {
		if all || r.Differs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark(r.Differs), r.Name, joinOr(r.A), joinOr(r.B))
		}
	}
	section("rows per date", " \tdate\tA\tB")
	for _, r := range c.Rows {
		if all || r.Differs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark(r.Differs), r.Date, rowsCell(r.A), rowsCell(r.B))
		}
	}
	section("column statistics (all dates)", " \tcolumn\tA null_rate\tA min\tA max\tB null_rate\tB min\tB max")
	for _, r := range c.ColumnsStats {
		if all || r.Differs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark(r.Differs), r.Column, statsCells(r.A), statsCells(r.B))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\n%s\n", c.Summary())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func rowsCell(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

func statsCells(s *sqlfeatures.ColumnStats) string {
	if s == nil {
		return "-\t-\t-"
	}
	return fmt.Sprintf("%.4f\t%s\t%s", s.NullRate, sqlfeatures.FormatStat(s.Min), sqlfeatures.FormatStat(s.Max))
}
