package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/point"
)

func newIndexCmd(g *globals) *cobra.Command {
	var (
		key          string
		strict, asJS bool
	)
	cmd := &cobra.Command{
		Use:   "index [gold.]DATASET | silver.VERSION [--key COLUMN] [--strict] [--json]",
		Short: "Write the point-read index of a Gold training dataset or a Silver version",
		Long: `Write the point index of a Gold training dataset (gold/training/_points/DATASET.parquet)
or of a Silver version (silver/features/_points/VERSION.parquet): the key of
every row, and the rows in blocks of 512, each column's values together,
stamped with the dataset files' sha256. With it, spysql serve answers
prepared keyed lookups (SELECT ... FROM gold.DATASET WHERE KEY = $1, or
FROM silver."VERSION") from the index instead of scanning in DuckDB.

The key is a column the dataset is sorted by, without NULLs: INTEGER,
BIGINT, DATE, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ or VARCHAR; --key, or
the first INTEGER or BIGINT column (then TIMESTAMP, then DATE) it is sorted
by. Run it again after the dataset changes; a stale index is ignored.

After writing, the index is checked against what DuckDB reads: each column
a lookup could return that the index cannot answer is named on stderr
(such lookups run in DuckDB). With --strict that is an error (exit 1).`,
		Example: `  spysql index spy_levels
  spysql index silver.v0.1_demo --key ts_event_ns --strict`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			src := point.Source{Schema: "gold", Name: args[0]}
			if schema, name, ok := strings.Cut(args[0], "."); ok && (schema == "gold" || schema == "silver") {
				src = point.Source{Schema: schema, Name: name}
			}
			rep, err := point.WriteIndex(ctx, lake, src, key)
			if err != nil {
				return err
			}
			db, err := duck.Open(ctx, lake, duck.Config{Threads: 1, Sandbox: true})
			if err != nil {
				return err
			}
			defer db.Close()
			problems, err := point.CheckIndex(ctx, db, src)
			if err != nil {
				return fmt.Errorf("check the index of %s: %w", src, err)
			}
			out := cmd.OutOrStdout()
			if asJS {
				js, err := json.MarshalIndent(struct {
					point.IndexReport
					Dataset  string          `json:"dataset"`
					Problems []point.Problem `json:"problems"`
				}{rep, src.String(), problems}, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(out, string(js))
			} else {
				fmt.Fprintf(out, "indexed %s by %s (%s): %s (%d bytes, %.2fx the dataset's %d)\n", src, rep.Key, rep.KeyType,
					rep.Path, rep.IndexBytes, float64(rep.IndexBytes)/float64(max(rep.DatasetBytes, 1)), rep.DatasetBytes)
			}
			for _, p := range problems {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s: %s; lookups returning it run in DuckDB\n", src, p)
			}
			if strict && len(problems) > 0 {
				return fmt.Errorf("%s: %d column(s) the point index cannot answer (first: %s)", src, len(problems), problems[0])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "the key column (default: the first INTEGER or BIGINT column the dataset is sorted by, then TIMESTAMP, then DATE)")
	cmd.Flags().BoolVar(&strict, "strict", false, "fail (exit 1) when a column cannot be answered from the index")
	cmd.Flags().BoolVar(&asJS, "json", false, "print the report as JSON")
	return cmd
}
