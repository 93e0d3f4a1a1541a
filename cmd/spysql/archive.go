package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newArchiveCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "archive VERSION [--force]",
		Short: "Move a Silver version to silver/archive/ (out of list, silver.* and the wire catalog)",
		Long: `Keep active experiments, archive old versions: move silver/features/VERSION
to silver/archive/VERSION, unchanged. spysql restore brings it back. Archiving
the source version of a current Gold dataset needs --force (the dataset keeps
its own file).`,
		Example: `  spysql archive v0.1_demo
  spysql restore v0.1_demo`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			if err := gold.Archive(cmd.Context(), lake, args[0], force); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "archived %s to %s\n", args[0], lake.ArchivedVersionDir(args[0]))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "archive even the source of a current Gold dataset")
	return cmd
}
