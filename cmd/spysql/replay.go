package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/stream/natsutil"
	"github.com/spysql/spysql/stream/replay"
)

func newReplayCmd(g *globals) *cobra.Command {
	var url, dates string
	var speed float64
	var maxSpeed, noCreate, asJSON bool
	cmd := &cobra.Command{
		Use:   "replay --nats URL --dates A..B [--speed X | --max]",
		Short: "Publish Bronze back to NATS in event-time order",
		Long: `Publish the Bronze rows of trading dates A..B (the UTC hours of each
session, as bronze.* reads them) to market.<kind>.<SYM> subjects in event-time
order, as the JSON payloads spysql ingest reads. Each message has a
Nats-Msg-Id naming its file and row, so JetStream stores it once however
often it is replayed. A range without trading days publishes nothing; trading
dates without Bronze rows are named on stderr, and when no date of the range
has any the replay fails. --speed X paces by event time at X times real time;
--max (the default) publishes as fast as the server acknowledges. The
streams are created when absent unless --no-create.

Example:
  spysql replay --nats nats://127.0.0.1:4222 --dates 2025-12-15..2025-12-15 --max`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, b, ok := strings.Cut(dates, "..")
			if !ok {
				b = a
			}
			from, err := calendar.ParseDate(a)
			if err != nil {
				return fmt.Errorf("replay --dates: %w", err)
			}
			to, err := calendar.ParseDate(b)
			if err != nil {
				return fmt.Errorf("replay --dates: %w", err)
			}
			if maxSpeed && cmd.Flags().Changed("speed") {
				return fmt.Errorf("replay: --speed and --max exclude each other")
			}
			if speed < 0 {
				return fmt.Errorf("replay --speed: %g is negative", speed)
			}
			if maxSpeed {
				speed = 0
			}
			cal, err := calendar.New()
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			lake, err := g.openLake(false)
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			nc, err := nats.Connect(url, nats.Name("spysql replay"), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond))
			if err != nil {
				return fmt.Errorf("replay: connect %s: %w", url, err)
			}
			defer nc.Close()
			js, err := jetstream.New(nc)
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			if !noCreate {
				if err := natsutil.EnsureStreams(cmd.Context(), js, 1); err != nil {
					return fmt.Errorf("replay: %w", err)
				}
			}
			errw := cmd.ErrOrStderr()
			tty := false
			if f, ok := errw.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				tty = true
			}
			log := g.logger(errw).With("subsystem", "replay")
			t0 := time.Now()
			st, err := replay.Run(cmd.Context(), js, replay.Config{
				Lake: lake, Calendar: cal, From: from, To: to, Speed: speed, Log: log,
			}, func(s replay.Stats) {
				if tty {
					fmt.Fprintf(errw, "\r%d hours  %d msgs  %.0f msgs/s   ", s.Hours, s.Messages, float64(s.Messages)/time.Since(t0).Seconds())
				}
			})
			if tty {
				fmt.Fprintln(errw)
			}
			secs := time.Since(t0).Seconds()
			out := cmd.OutOrStdout()
			missing := []string{}
			for _, d := range st.Missing {
				missing = append(missing, d.String())
			}
			if err == nil && len(missing) > 0 {
				fmt.Fprintf(errw, "replay: no Bronze rows for %s\n", strings.Join(missing, ", "))
			}
			switch {
			case asJSON:
				if jerr := json.NewEncoder(out).Encode(map[string]any{"messages": st.Messages, "hours": st.Hours,
					"dates": st.Dates, "missing": missing, "seconds": secs}); jerr != nil && err == nil {
					err = jerr
				}
			case err == nil && st.Dates == 0:
				fmt.Fprintf(out, "no trading days in %s..%s; nothing published\n", from, to)
			default:
				fmt.Fprintf(out, "replayed %d messages from %d hours of %s..%s in %.2fs (%.0f msgs/s)\n",
					st.Messages, st.Hours, from, to, secs, float64(st.Messages)/max(secs, 1e-9))
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&url, "nats", nats.DefaultURL, "NATS server URL(s), comma separated")
	fl.StringVar(&dates, "dates", "", "trading dates A..B (or one date), inclusive (required)")
	fl.Float64Var(&speed, "speed", 0, "event time per wall time (0: as fast as possible)")
	fl.BoolVar(&maxSpeed, "max", false, "publish as fast as possible (the default)")
	fl.BoolVar(&noCreate, "no-create", false, "do not create the streams")
	fl.BoolVar(&asJSON, "json", false, "print the totals as JSON")
	cmd.MarkFlagRequired("dates")
	return cmd
}
