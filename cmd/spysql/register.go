package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/sqlfeatures"
)

func newRegisterCmd(g *globals) *cobra.Command {
	var e sqlfeatures.Experiment
	var metrics []string
	cmd := &cobra.Command{
		Use:   "register VERSION --exp ID --status S [--metric NAME=VALUE]... [--notes TEXT] [--model-path P]",
		Short: "Register an experiment run against a Silver version in experiments.json",
		Long: `Record an experiment run (status, metrics, notes, model path) against a
materialized version in silver/features/experiments.json. Registering the same
version and experiment id again replaces that entry. Concurrent registrations
are serialized by a lock and the file is replaced atomically.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e.VersionID = args[0]
			var err error
			if e.Metrics, err = parseMetrics(metrics); err != nil {
				return err
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			if err := sqlfeatures.Register(cmd.Context(), lake, e); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "registered %s %s (%s)\n", e.VersionID, e.ExpID, e.Status)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&e.ExpID, "exp", "", "experiment id (required)")
	f.StringVar(&e.Status, "status", "", "status, e.g. running, completed, failed (required)")
	f.StringArrayVar(&metrics, "metric", nil, "a metric NAME=VALUE (repeatable)")
	f.StringVar(&e.Notes, "notes", "", "free-text notes")
	f.StringVar(&e.ModelPath, "model-path", "", "path of the trained model")
	cmd.MarkFlagRequired("exp")
	cmd.MarkFlagRequired("status")
	return cmd
}

// parseMetrics turns ["auc=0.72", ...] into a map; a name given twice is
// an error.
func parseMetrics(items []string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, it := range items {
		name, val, ok := strings.Cut(it, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--metric %q: want NAME=VALUE, e.g. auc=0.72", it)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("--metric %q: %q is not a number", it, val)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("--metric %s is given twice", name)
		}
		out[name] = v
	}
	return out, nil
}
