package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spysql/spysql/engine/point"
)

func newIndexCmd(g *globals) *cobra.Command {
	var key string
	cmd := &cobra.Command{
		Use:   "index DATASET [--key COLUMN]",
		Short: "Write the point-read index of a Gold training dataset",
		Long: `Write gold/training/_points/DATASET.parquet: for each row of the dataset its
key and the whole row encoded, in small pages with a Parquet page index,
stamped with the dataset file's sha256. With it, spysql serve answers
prepared keyed lookups (SELECT ... FROM gold.DATASET WHERE KEY = $1) from the
index instead of scanning the dataset in DuckDB. The key is an INTEGER or
BIGINT column the dataset is sorted by: --key, or the first such column.
Run it again after the dataset file changes; a stale index is ignored.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			key, err := point.WritePointIndex(cmd.Context(), lake, args[0], key)
			if err != nil {
				return err
			}
			path := lake.GoldPointIndexPath(args[0])
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "indexed gold.%s by %s: %s (%d bytes)\n", args[0], key, path, fi.Size())
			return nil
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "the key column (default: the first INTEGER or BIGINT column the dataset is sorted by)")
	return cmd
}
