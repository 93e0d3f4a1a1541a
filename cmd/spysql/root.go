package main

import (
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"github.com/spysql/spysql/engine/store"
)

// globals are the flags every subcommand shares.
type globals struct {
	lake    string
	verbose bool
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "spysql",
		Short:         "SQL front end for a market-data lakehouse (Bronze -> Silver -> Gold)",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	defLake := os.Getenv("SPYSQL_LAKE")
	if defLake == "" {
		defLake = store.DefaultLakeDir
	}
	root.PersistentFlags().StringVar(&g.lake, "lake", defLake, "lake root directory (env SPYSQL_LAKE)")
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "debug logging")
	// Subcommands, one file each.
	root.AddCommand(
		newQueryCmd(g),
		newServeCmd(g),
		newPasswdCmd(g),
		newBuildCmd(g),
		newListCmd(g),
		newCompareCmd(g),
		newRegisterCmd(g),
		newExperimentsCmd(g),
		newGenCmd(g),
		newImportCmd(g),
		newIndexCmd(g),
		newPromoteCmd(g), newRollbackCmd(g), newValidateCmd(g), newDatasetsCmd(g), newEvaluateCmd(g), newBootstrapCmd(g), newArchiveCmd(g), newRestoreCmd(g),

		newIngestCmd(g),
		newReplayCmd(g),
	)
	return root
}

// openLake opens the --lake directory; create makes it when missing.
func (g *globals) openLake(create bool) (store.Lake, error) {
	return store.OpenLake(g.lake, create)
}

// logger writes structured logs to w (stderr in practice).
func (g *globals) logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if g.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
