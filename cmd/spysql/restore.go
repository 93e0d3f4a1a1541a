package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures/gold"
)

func newRestoreCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "restore VERSION",
		Short:   "Bring an archived Silver version back from silver/archive/",
		Long:    `Move silver/archive/VERSION back to silver/features/VERSION, unchanged.`,
		Example: `  spysql restore v0.1_demo`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			if err := gold.Restore(cmd.Context(), lake, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s to %s\n", args[0], lake.VersionDir(args[0]))
			return nil
		},
	}
}
