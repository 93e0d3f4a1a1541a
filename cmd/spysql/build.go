package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

func newBuildCmd(g *globals) *cobra.Command {
	var datesSpec, memory string
	var force bool
	var threads int
	cmd := &cobra.Command{
		Use:   "build MANIFEST --dates 2025-12-15..2025-12-19|D1,D2 [--force] [--threads N]",
		Short: "Build a Silver feature version for trading dates",
		Long: `Build the feature version a manifest defines, one Parquet file per trading
date: Bronze scoped to the date and its lookback days, parameters bound with
SET VARIABLE, the output view kept to the date's regular-hours session,
written sorted by the key, audited, then published atomically.

Dates already built with the same fingerprint are skipped (--force rebuilds
them). A version that exists with another fingerprint is refused; --force
replaces the whole version atomically. Non-trading dates are skipped and
reported. If any date fails the others are still built, every failure is
listed and the exit status is non-zero; a rerun builds only what is missing.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if datesSpec == "" {
				return errors.New("--dates is required")
			}
			dates, err := sqlfeatures.ParseDates(datesSpec)
			if err != nil {
				return err
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			b, err := loadBundle(cmd, lake, args[0])
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			bar := newBuildBar(stderr, b.Manifest.ID(), dates)
			log := g.logger(stderr)
			if bar != nil && !g.verbose {
				// The bar shows progress; keep only warnings and errors.
				log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			}
			opts := sqlfeatures.BuildOptions{
				Dates:  dates,
				Force:  force,
				Engine: duck.Config{Threads: threads, MemoryLimit: memory},
				Logger: log,
			}
			if bar != nil {
				opts.Progress = bar.update
			}
			res, err := sqlfeatures.Build(ctx, lake, b, opts)
			if bar != nil {
				bar.finish()
			}
			if res != nil {
				printBuildResult(cmd.OutOrStdout(), res)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&datesSpec, "dates", "", "dates to build: YYYY-MM-DD, a range YYYY-MM-DD..YYYY-MM-DD, or a comma-separated list")
	f.BoolVar(&force, "force", false, "rebuild built dates; replace a version built with another fingerprint")
	f.IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores); the output does not depend on it")
	f.StringVar(&memory, "memory-limit", "", `DuckDB memory limit, e.g. "4GB" (default: DuckDB's)`)
	return cmd
}

// loadBundle parses a manifest and its SQL with a DuckDB opened on the
// lake.
func loadBundle(cmd *cobra.Command, lake store.Lake, path string) (*sqlfeatures.Bundle, error) {
	ctx := cmd.Context()
	parser, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
	if err != nil {
		return nil, err
	}
	defer parser.Close()
	return sqlfeatures.LoadBundle(ctx, parser.SQL(), path, sqlfeatures.DecodeOptions{
		ParentExists: sqlfeatures.ParentLookup(lake, path),
	})
}

// installBundle loads the manifest at path and defines its views and
// parameters on conn, over whatever Bronze the database registered.
func installBundle(ctx context.Context, conn *sql.Conn, lake store.Lake, path string) error {
	b, err := sqlfeatures.LoadBundle(ctx, conn, path, sqlfeatures.DecodeOptions{
		ParentExists: sqlfeatures.ParentLookup(lake, path),
	})
	if err != nil {
		return err
	}
	return sqlfeatures.Install(ctx, conn, b)
}

// buildBar is the progress bar shown when stderr is a terminal.
type buildBar struct {
	bar *progressbar.ProgressBar
	w   io.Writer
	id  string
}

func newBuildBar(w io.Writer, id string, dates []calendar.Date) *buildBar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &buildBar{id: id, w: w, bar: progressbar.NewOptions(len(dates),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("build "+id),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionThrottle(100*time.Millisecond),
	)}
}

func (b *buildBar) update(p sqlfeatures.Progress) {
	b.bar.ChangeMax(p.Total)
	b.bar.Describe(fmt.Sprintf("build %s %s %s, %d rows", b.id, p.Date, p.Status, p.Rows))
	b.bar.Set(p.Done)
}

func (b *buildBar) finish() {
	b.bar.Finish()
	fmt.Fprintln(b.w)
}

// printBuildResult prints what a build did, one line per category.
func printBuildResult(w io.Writer, r *sqlfeatures.BuildResult) {
	fmt.Fprintf(w, "version %s  fingerprint %s\n", r.VersionID, r.Fingerprint)
	if r.Replaced {
		fmt.Fprintln(w, "replaced the whole version (new fingerprint, --force)")
	}
	var rows int64
	for _, d := range r.Built {
		rows += d.Rows
		fmt.Fprintf(w, "  built    %s  %8d rows  %s  sha256 %s\n", d.Date, d.Rows, d.Elapsed.Round(time.Millisecond), d.SHA256[:16])
	}
	for _, d := range r.Skipped {
		fmt.Fprintf(w, "  skipped  %s  (already built with this fingerprint)\n", d)
	}
	if len(r.NonTrading) > 0 {
		fmt.Fprintf(w, "  not trading days: %s\n", strings.Join(r.NonTrading, ", "))
	}
	for _, d := range r.Failed {
		fmt.Fprintf(w, "  FAILED   %s  %v\n", d.Date, d.Err)
	}
	fmt.Fprintf(w, "%d built (%d rows), %d skipped, %d failed, %d not trading days\n",
		len(r.Built), rows, len(r.Skipped), len(r.Failed), len(r.NonTrading))
}
