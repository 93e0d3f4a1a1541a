package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/synthmarket"
)

func newGenCmd(g *globals) *cobra.Command {
	var start, end string
	var seed int64
	var scale float64
	cmd := &cobra.Command{
		Use:   "gen --start YYYY-MM-DD --end YYYY-MM-DD [--seed N] [--scale F]",
		Short: "Generate a deterministic synthetic market into Bronze",
		Long: `Generate ES futures trades and MBP-10 events, SPY trades and SPY option
trades for every trading day in [--start, --end] into the lake's Bronze
tables (weekends and holidays are skipped). The same seed and scale always
give the same bytes, so a rerun is a no-op; another seed or scale writes
files of another name. --scale 1 is roughly a real day (about 3M rows).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := calendar.ParseDate(start)
			if err != nil {
				return fmt.Errorf("gen --start: %w", err)
			}
			to, err := calendar.ParseDate(end)
			if err != nil {
				return fmt.Errorf("gen --end: %w", err)
			}
			cal, err := calendar.New()
			if err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			cfg := synthmarket.Config{Start: from, End: to, Seed: seed, Scale: scale}
			// Validate everything before the lake is touched.
			sessions, err := synthmarket.Sessions(cal, cfg)
			if err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			out := cmd.OutOrStdout()
			if len(sessions) == 0 {
				fmt.Fprintf(out, "no trading days in %s..%s; nothing written\n", from, to)
				return nil
			}
			lake, err := g.openLake(true)
			if err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			log := g.logger(cmd.ErrOrStderr()).With("subsystem", "gen")
			t0 := time.Now()
			st, err := synthmarket.Generate(cmd.Context(), lake, cal, cfg, func(s synthmarket.Stats) {
				log.Debug("day generated", "date", s.Last.String(), "days", s.Days, "rows", s.Rows(), "files", s.Files)
			})
			if err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			printGenSummary(out, lake.Root(), cfg, st, time.Since(t0))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&start, "start", "", "first date, YYYY-MM-DD (required)")
	f.StringVar(&end, "end", "", "last date, YYYY-MM-DD, inclusive (required)")
	f.Int64Var(&seed, "seed", 0, "market seed (0: the default, 1)")
	f.Float64Var(&scale, "scale", 0, fmt.Sprintf("event volume, 1 = about a real day (0: the default, %g)", synthmarket.DefaultScale))
	cmd.MarkFlagRequired("start")
	cmd.MarkFlagRequired("end")
	return cmd
}

// printGenSummary writes what gen did: days, rows per table, files, time.
func printGenSummary(w io.Writer, root string, cfg synthmarket.Config, st synthmarket.Stats, elapsed time.Duration) {
	fmt.Fprintf(w, "generated %d trading day(s) %s..%s into %s (files %s)\n",
		st.Days, cfg.Start, cfg.End, root, cfg.FileName())
	for _, r := range []struct {
		name string
		n    int64
	}{
		{"futures_trades", st.FuturesTrades},
		{"futures_mbp10", st.FuturesMBP10},
		{"stocks_trades", st.StocksTrades},
		{"options_trades", st.OptionsTrades},
	} {
		fmt.Fprintf(w, "  %-15s %12d rows\n", r.name, r.n)
	}
	secs := elapsed.Seconds()
	fmt.Fprintf(w, "  %-15s %12d rows in %d files (%d already present), %.1f MiB, %.2fs, %.0f rows/s\n",
		"total", st.Rows(), st.Files, st.Unchanged, float64(st.Bytes)/(1<<20), secs, float64(st.Rows())/max(secs, 1e-9))
}
