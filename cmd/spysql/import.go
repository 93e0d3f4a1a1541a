package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/spysql/spysql/stream/importer"
)

func newImportCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import raw vendor files (Databento DBN, Polygon flat files) into Bronze",
		Long: `Import raw vendor files into Bronze through the same writer as every other
path: rows go to the symbol/date/hour partition of their UTC event time as
ZSTD Parquet, published atomically.

Each file is validated completely before anything is written, so a corrupt
file or an unsupported schema writes nothing. Imports are idempotent: every
imported file is recorded in the lake's import ledger by its sha256, and
importing it again is reported as skipped. A killed import leaves only whole
files and no ledger entry; running it again finishes it.`,
	}
	var symbolRoot string
	dbnCmd := newImportKindCmd(g, importer.KindDBN, &symbolRoot,
		"Import Databento DBN files (trades, mbp-10; DBN v1-v3; plain or zstd)",
		`Import Databento DBN files, versions 1 to 3, plain or zstd-compressed
(detected by magic number). Schema trades goes to futures/trades, mbp-10 to
futures/mbp10; other schemas are refused. Instrument ids map to raw symbols
(ESH1) through the file's symbol mappings; the symbol= partition is the root
derived from the raw symbol (ESH1 -> ES) or --symbol-root. The exchange of
futures trades is the dataset's venue (GLBX for GLBX.MDP3).`)
	dbnCmd.Flags().StringVar(&symbolRoot, "symbol-root", "", "symbol= partition for every record (default: derived from the raw symbol, ESH1 -> ES)")
	cmd.AddCommand(
		dbnCmd,
		newImportKindCmd(g, importer.KindPolygonStocks, nil,
			"Import Polygon stocks trades flat files (CSV or CSV.gz)",
			`Import Polygon stocks trades flat files (CSV or CSV.gz, detected by magic
number) into stocks/trades, partitioned by ticker. Columns are found by header
name; ts_event_ns is participant_timestamp when present and nonzero, else
sip_timestamp.`),
		newImportKindCmd(g, importer.KindPolygonOptions, nil,
			"Import Polygon options trades flat files (CSV or CSV.gz)",
			`Import Polygon options trades flat files (CSV or CSV.gz) into
options/trades, partitioned by the OCC root of the option symbol
(O:SPY251219C00600000 -> underlying SPY, expiration 2025-12-19, call, strike
600).`),
	)
	return cmd
}

func newImportKindCmd(g *globals, kind importer.Kind, symbolRoot *string, short, long string) *cobra.Command {
	return &cobra.Command{
		Use:   string(kind) + " FILE...",
		Short: short,
		Long:  long,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lake, err := g.openLake(true)
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			log := g.logger(stderr)
			cfg := importer.Config{Lake: lake, Logger: log, Progress: newProgress(stderr, log)}
			if symbolRoot != nil {
				cfg.SymbolRoot = *symbolRoot
			}
			im, err := importer.New(cfg)
			if err != nil {
				return err
			}
			start := time.Now()
			sum, err := im.Import(cmd.Context(), kind, args)
			if len(sum.Results) > 0 {
				printSummary(cmd.OutOrStdout(), sum, len(args), time.Since(start))
			}
			return err
		},
	}
}

func printSummary(w io.Writer, sum importer.Summary, files int, elapsed time.Duration) {
	failed := files - sum.Imported - sum.Skipped
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(sum.Records) / s
	}
	fmt.Fprintf(w, "imported %d of %d files (%d skipped, %d failed): %d records, %d partitions, %d files in %s (%.0f records/s)\n",
		sum.Imported, files, sum.Skipped, failed, sum.Records, sum.Partitions, sum.Files,
		elapsed.Round(time.Millisecond), rate)
}

// newProgress shows a progress bar with records/s when w is a terminal and
// logs plain lines otherwise.
func newProgress(w io.Writer, log *slog.Logger) importer.Progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barProgress{w: w}
	}
	return &logProgress{log: log}
}

// barProgress draws one bar per file while its rows are written.
type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Start(path string, records int64) {
	p.bar = progressbar.NewOptions64(records,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(filepath.Base(path)),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("records"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetRenderBlankState(true),
	)
}

func (p *barProgress) Add(records int64) { _ = p.bar.Add64(records) }

func (p *barProgress) Finish() {
	_ = p.bar.Finish()
	fmt.Fprintln(p.w)
}

// logProgress logs the start of each file and, every few seconds, how far
// its write has got. The importer logs the end.
type logProgress struct {
	log         *slog.Logger
	path        string
	total, done int64
	start, last time.Time
}

const progressEvery = 5 * time.Second

func (p *logProgress) Start(path string, records int64) {
	p.path, p.total, p.done = path, records, 0
	p.start, p.last = time.Now(), time.Now()
	p.log.Info("importing", "file", path, "records", records)
}

func (p *logProgress) Add(records int64) {
	p.done += records
	if time.Since(p.last) >= progressEvery {
		p.last = time.Now()
		p.log.Info("progress", "file", p.path, "records", p.done, "of", p.total, "records_per_s", p.rate())
	}
}

func (p *logProgress) Finish() {}

func (p *logProgress) rate() int64 {
	if s := time.Since(p.start).Seconds(); s > 0 {
		return int64(float64(p.done) / s)
	}
	return 0
}
