package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures"
)

func newExperimentsCmd(g *globals) *cobra.Command {
	var version string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "experiments [--version V] [--json]",
		Short: "List registered experiments",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			es, err := sqlfeatures.Experiments(lake, version)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, es)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tEXP\tSTATUS\tMETRICS\tMODEL\tREGISTERED\tNOTES")
			for _, e := range es {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.VersionID, e.ExpID, e.Status, formatMetrics(e.Metrics),
					orDash(e.ModelPath), e.RegisteredAt.UTC().Format(time.RFC3339), strings.ReplaceAll(e.Notes, "\n", " "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(out, "(%d experiments)\n", len(es))
			return err
		},
	}
	cmd.Flags().StringVar(&version, "version", "", "only experiments of this version id")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// formatMetrics is "auc=0.72,precision=0.68", sorted by name.
func formatMetrics(m map[string]float64) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + strconv.FormatFloat(m[k], 'g', -1, 64)
	}
	return joinOr(parts)
}
