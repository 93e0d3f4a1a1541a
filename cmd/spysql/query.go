package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newQueryCmd(g *globals) *cobra.Command {
	var format, manifest string
	var threads int
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run SQL over the lake's views and print the result",
		Long: `Run one SQL statement over the lake: bronze.*, silver."<version_id>",
gold.*, calendar.sessions. Output as an aligned table, CSV (header row, then
rows) or JSON (an array of objects). With --manifest, the views of a feature
bundle are also there by name, unmaterialized and over the whole lake.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := newResultWriter(format, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := duck.Open(ctx, lake, duck.Config{Threads: threads, Catalog: gold.Catalog})
			if err != nil {
				return err
			}
			defer db.Close()
			conn, err := db.SQL().Conn(ctx)
			if err != nil {
				return err
			}
			defer conn.Close()
			if manifest != "" {
				// The bundle's views, unmaterialized, over the whole lake.
				if err := installBundle(ctx, conn, lake, manifest); err != nil {
					return err
				}
			}
			rows, err := conn.QueryContext(ctx, args[0])
			if err != nil {
				return fmt.Errorf("query: %s", duck.FirstLine(err))
			}
			defer rows.Close()
			return w.write(rows)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores)")
	cmd.Flags().StringVar(&manifest, "manifest", "", "also define the views of this feature manifest (unscoped Bronze)")
	return cmd
}
