package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsutil"
)

type ingestFlags struct {
	url, durable, metricsAddr, listen, store, urlFile string
	noCreate, embedded, asJSON                        bool
	replicas, maxRows, maxBytes, fetch                int
	maxAge, ackWait, idleExit                         time.Duration
}

func newIngestCmd(g *globals) *cobra.Command {
	var f ingestFlags
	cmd := &cobra.Command{
		Use:   "ingest --nats URL [--durable NAME] [--no-create] | --embedded",
		Short: "Land NATS JetStream market data in Bronze and signals in Gold",
		Long: `Consume market.> (stream MARKET) into Bronze and levels.signals.> (stream
LEVELS) into gold/streaming/signals, with durable pull consumers. The streams
MARKET, LEVELS and DEADLETTER are created when absent (file storage) unless
--no-create. Messages are JSON objects with the Bronze column names; bad ones
go to deadletter.<subject> with the reason in the Spysql-Error header.
Rows are flushed by --max-rows, --max-bytes, --max-age and at each hour, and
acked only once their file is durable; a redelivery never duplicates a row.
SIGINT or SIGTERM flushes, acks and exits 0.

--embedded starts an in-process nats-server with JetStream instead (on
--embedded-listen, store in --store or a temp directory) and prints its URL.

Example:
  spysql ingest --nats nats://127.0.0.1:4222 --metrics-addr 127.0.0.1:9464
  spysql ingest --embedded --url-file /tmp/nats.url --idle-exit 3s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runIngest(cmd, g, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "nats", nats.DefaultURL, "NATS server URL(s), comma separated")
	fl.StringVar(&f.durable, "durable", ingest.DefaultDurable, "durable consumer name (processes sharing it share the work)")
	fl.BoolVar(&f.noCreate, "no-create", false, "use existing streams and consumers only")
	fl.IntVar(&f.replicas, "replicas", 1, "replicas of the streams it creates")
	fl.BoolVar(&f.embedded, "embedded", false, "start an embedded nats-server with JetStream")
	fl.StringVar(&f.listen, "embedded-listen", "127.0.0.1:0", "client address of the embedded server (port 0: any free)")
	fl.StringVar(&f.store, "store", "", "JetStream store of the embedded server (default: a temp dir, removed at exit)")
	fl.StringVar(&f.urlFile, "url-file", "", "write the embedded server's URL to this file once it is ready")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (/metrics)")
	fl.IntVar(&f.maxRows, "max-rows", ingest.DefaultMaxRows, "rows buffered before a flush")
	fl.IntVar(&f.maxBytes, "max-bytes", ingest.DefaultMaxBytes, "payload bytes buffered before a flush")
	fl.DurationVar(&f.maxAge, "max-age", ingest.DefaultMaxAge, "age of the oldest buffered message that forces a flush")
	fl.DurationVar(&f.ackWait, "ack-wait", ingest.DefaultAckWait, "AckWait of consumers it creates (at least 3x --max-age)")
	fl.IntVar(&f.fetch, "fetch", ingest.DefaultFetch, "messages pulled ahead")
	fl.DurationVar(&f.idleExit, "idle-exit", 0, "exit 0 once messages were landed and nothing arrived or waited for this long (0: run until signalled)")
	fl.BoolVar(&f.asJSON, "json", false, "print the final totals as JSON")
	return cmd
}

func runIngest(cmd *cobra.Command, g *globals, f ingestFlags) error {
	log := g.logger(cmd.ErrOrStderr()).With("subsystem", "ingest")
	lake, err := g.openLake(true)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	url := f.url
	if f.embedded {
		u, stop, err := startEmbedded(f)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		defer stop()
		url = u
		fmt.Fprintf(cmd.ErrOrStderr(), "embedded nats-server with JetStream at %s\n", url)
		if f.urlFile != "" {
			if err := os.WriteFile(f.urlFile, []byte(url+"\n"), 0o644); err != nil {
				return fmt.Errorf("ingest --url-file: %w", err)
			}
		}
	}
	nc, err := nats.Connect(url, nats.Name("spysql ingest"), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond))
	if err != nil {
		return fmt.Errorf("ingest: connect %s: %w", url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	cfg := ingest.Config{
		Lake: lake, Durable: f.durable, NoCreate: f.noCreate, Replicas: f.replicas,
		MaxRows: f.maxRows, MaxBytes: f.maxBytes, MaxAge: f.maxAge, AckWait: f.ackWait, Fetch: f.fetch, Log: log,
	}
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	if f.metricsAddr != "" {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		if cfg.Metrics, err = ingest.NewMetrics(reg); err != nil {
			return fmt.Errorf("ingest: metrics: %w", err)
		}
		ln, err := net.Listen("tcp", f.metricsAddr)
		if err != nil {
			return fmt.Errorf("ingest --metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		log.Info("metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	}
	in, err := ingest.New(js, cfg)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go watchIngest(ctx, cancel, in, f.idleExit, cmd.ErrOrStderr(), done)
	t0 := time.Now()
	err = in.Run(ctx)
	close(done)
	st := in.Stats()
	out := cmd.OutOrStdout()
	if f.asJSON {
		enc := json.NewEncoder(out)
		if jerr := enc.Encode(map[string]any{
			"messages": st.Messages, "rows": st.Rows, "files": st.Files,
			"dead_letters": st.DeadLetters, "skipped": st.Skipped, "seconds": time.Since(t0).Seconds(),
		}); jerr != nil && err == nil {
			err = jerr
		}
	} else {
		fmt.Fprintf(out, "ingest: %d messages, %d rows in %d files, %d dead letters, %d redeliveries already written, %s\n",
			st.Messages, st.Rows, st.Files, st.DeadLetters, st.Skipped, time.Since(t0).Round(time.Millisecond))
	}
	return err
}

// startEmbedded starts the --embedded server and returns its URL and a stop.
func startEmbedded(f ingestFlags) (string, func(), error) {
	host, port, err := net.SplitHostPort(f.listen)
	if err != nil {
		return "", nil, fmt.Errorf("--embedded-listen: %w", err)
	}
	var p int
	if _, err := fmt.Sscan(port, &p); err != nil {
		return "", nil, fmt.Errorf("--embedded-listen: bad port %q", port)
	}
	store, cleanup := f.store, func() {}
	if store == "" {
		if store, err = os.MkdirTemp("", "spysql-nats-*"); err != nil {
			return "", nil, err
		}
		cleanup = func() { os.RemoveAll(store) }
	}
	s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: store, Host: host, Port: p})
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return s.ClientURL(), func() { s.Shutdown(); s.WaitForShutdown(); cleanup() }, nil
}

// watchIngest draws a progress line on a terminal and, with idle, cancels
// the ingest once it has landed messages and then seen nothing for idle.
func watchIngest(ctx context.Context, cancel context.CancelFunc, in *ingest.Ingester, idle time.Duration, w io.Writer, done <-chan struct{}) {
	tty := false
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		tty = true
	}
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	var last ingest.Stats
	lastChange := time.Now()
	for {
		select {
		case <-done:
			if tty {
				fmt.Fprintln(w)
			}
			return
		case <-ctx.Done():
			<-done
			if tty {
				fmt.Fprintln(w)
			}
			return
		case <-t.C:
		}
		st := in.Stats()
		if st.Messages != last.Messages || st.Lag != 0 {
			lastChange = time.Now()
		}
		last = st
		if tty {
			fmt.Fprintf(w, "\r%d msgs  %d rows  %d files  %d dead  %d lag   ", st.Messages, st.Rows, st.Files, st.DeadLetters, st.Lag)
		}
		if idle > 0 && st.Messages > 0 && time.Since(lastChange) >= idle {
			cancel()
		}
	}
}
