package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine"
)

func newQueryCmd(g *globals) *cobra.Command {
	var format string
	var threads int
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run SQL over the lake's views and print the result",
		Long: `Run one SQL statement over the lake: bronze.*, silver."<version_id>",
gold.*, calendar.sessions. Output as an aligned table, CSV (header row, then
rows) or JSON (an array of objects).`,
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
			db, err := engine.Open(ctx, lake, engine.Config{Threads: threads})
			if err != nil {
				return err
			}
			defer db.Close()
			rows, err := db.SQL().QueryContext(ctx, args[0])
			if err != nil {
				return fmt.Errorf("query: %s", engine.FirstLine(err))
			}
			defer rows.Close()
			return w.write(rows)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores)")
	return cmd
}
