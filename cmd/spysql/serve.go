package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/sqlfeatures/gold"
	"github.com/spysql/spysql/wire"
)

// version is spysql's version as server_version reports it.
const version = "0.1"

func newServeCmd(g *globals) *cobra.Command {
	var (
		listen, auth, usersFile, tlsCert, tlsKey, memory string
		tempLimit, valueMemory, clientMemory             string
		idleTxnTimeout                                   time.Duration
		cacheMemory, metricsAddr                         string
		maxActive, stmtQueue                             int
		slowStmt                                         time.Duration
		maxConns, threads                                int
		fixedThreads                                     bool
		stmtTimeout, idleTimeout                         time.Duration
		noPointReads                                     bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the lake over the PostgreSQL wire protocol",
		Long: `Serve bronze, silver, gold, lake and calendar to any PostgreSQL client
(psql, pgx, JDBC, BI tools). Read-only: only queries run, DuckDB is
sandboxed to reading the lake. Authentication is SCRAM-SHA-256 against a
users file written by 'spysql passwd', unless --auth trust is given.`,
		Example: `  spysql serve --auth trust --cache-memory 2GB --metrics-addr 127.0.0.1:9187 --slow-statement 500ms`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			log := g.logger(cmd.ErrOrStderr())
			cfg := wire.Config{
				Auth:                     wire.AuthMode(auth),
				MaxConnections:           maxConns,
				StatementTimeout:         stmtTimeout,
				IdleTimeout:              idleTimeout,
				IdleInTransactionTimeout: idleTxnTimeout,
				Version:                  version,
				Logger:                   log,
				NoPointReads:             noPointReads,
				OpsConfig: wire.OpsConfig{
					MaxActiveStatements: maxActive,
					StatementQueue:      stmtQueue,
					SlowStatement:       slowStmt,
				},
			}
			if valueMemory != "" {
				n, err := duck.ParseBytes(valueMemory)
				if err == nil && n <= 0 {
					err = fmt.Errorf("size %q is not positive", valueMemory)
				}
				if err != nil {
					return fmt.Errorf("--value-memory: %w", err)
				}
				cfg.ValueMemory = n
			}
			if clientMemory != "" {
				n, err := duck.ParseBytes(clientMemory)
				if err != nil {
					return fmt.Errorf("--client-memory: %w", err)
				}
				if n == 0 {
					n = -1 // no limit
				}
				cfg.ClientMemory = n
			}
			if cfg.Auth == wire.AuthSCRAM || cfg.Auth == "" {
				if usersFile == "" {
					return errors.New("--auth scram needs --users FILE (create it with 'spysql passwd'), or ask for --auth trust")
				}
				u, err := wire.LoadUsers(usersFile)
				if err != nil {
					return err
				}
				cfg.Users = u
			}
			if (tlsCert == "") != (tlsKey == "") {
				return errors.New("--tls-cert and --tls-key go together")
			}
			if tlsCert != "" {
				cert, err := tls.LoadX509KeyPair(tlsCert, tlsKey)
				if err != nil {
					return fmt.Errorf("load TLS key pair: %w", err)
				}
				cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
			}
			lake, err := g.openLake(false)
			if err != nil {
				return err
			}
			cache, err := duck.ParseBytes(cacheMemory)
			if err != nil {
				return fmt.Errorf("--cache-memory: %w", err)
			}
			db, err := duck.Open(ctx, lake, duck.Config{Threads: threads, AdaptiveThreads: !fixedThreads, Logger: log, MemoryLimit: memory, Sandbox: true, TempLimit: tempLimit, Catalog: gold.Catalog, CacheMemory: cache})
			if err != nil {
				return err
			}
			defer db.Close()
			srv, err := wire.NewServer(wire.NewDuckEngine(db), cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen %s: %w", listen, err)
			}
			if metricsAddr != "" {
				stop, err := serveMetrics(metricsAddr, srv.MetricsHandler(), log)
				if err != nil {
					return err
				}
				defer stop()
				log.Info("metrics", "addr", metricsAddr)
			}
			log.Info("spysql ready", "addr", ln.Addr().String(), "lake", lake.Root(), "auth", string(cfg.Auth), "tls", cfg.TLS != nil)
			err = srv.Serve(ctx, ln)
			srv.Close()
			log.Info("spysql stopped")
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:5433", "address to listen on")
	f.StringVar(&auth, "auth", "scram", "authentication: scram or trust")
	f.StringVar(&usersFile, "users", "", "users file of SCRAM verifiers (spysql passwd)")
	f.StringVar(&tlsCert, "tls-cert", "", "TLS certificate (PEM); enables SSL")
	f.StringVar(&tlsKey, "tls-key", "", "TLS private key (PEM)")
	f.IntVar(&maxConns, "max-connections", 100, "maximum concurrent sessions (53300 beyond)")
	f.DurationVar(&stmtTimeout, "statement-timeout", 0, "cancel statements running longer (0: no limit)")
	f.DurationVar(&idleTimeout, "idle-timeout", time.Hour, "close sessions idle this long outside a transaction (0: never)")
	f.StringVar(&memory, "memory-limit", "", "DuckDB memory limit, e.g. 4GB (default: 80% of RAM)")
	f.IntVar(&threads, "threads", 0, "DuckDB threads (0: all cores); without --fixed-threads the most a big statement gets, small statements getting 1")
	f.BoolVar(&fixedThreads, "fixed-threads", false, "give every statement --threads and lock DuckDB's configuration, instead of sizing threads to the statements running")
	f.StringVar(&tempLimit, "temp-limit", "", "cap on DuckDB's private spill directory, e.g. 20GB (default: 90% of free disk)")
	f.StringVar(&valueMemory, "value-memory", "1GB", "memory for large result values (1 MiB and up) of all sessions at once; past it 53200")
	f.StringVar(&clientMemory, "client-memory", "256MB", "memory spysql holds for one session (result chunks of its portals and cursors, bound arguments, prepared statements); past it 53200 (0: no limit)")
	f.DurationVar(&idleTxnTimeout, "idle-in-transaction-timeout", 0, "close sessions idle this long inside a transaction with 25P03 (0: the --idle-timeout)")
	f.IntVar(&maxActive, "max-active-statements", 0, "statements executing at once (0: 4 x cores)")
	f.IntVar(&stmtQueue, "statement-queue", 0, "statements waiting for a slot before new ones get 53300 (0: 256, -1: none wait)")
	f.DurationVar(&slowStmt, "slow-statement", 0, "log statements running at least this long, e.g. 500ms (0: off)")
	f.StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address at /metrics, e.g. 127.0.0.1:9187")
	f.StringVar(&cacheMemory, "cache-memory", "0", "memory for Gold datasets and recent Silver versions held in DuckDB tables, e.g. 1GB (0: read Parquet)")
	f.BoolVar(&noPointReads, "no-point-reads", false, "run keyed lookups on Gold in DuckDB even where a point index exists (spysql index)")
	return cmd
}
