package wire

import (
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/spysql/spysql/engine/duck"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no process-wide state): connections, statements by outcome, latency
// histograms, the statement queue and the engine's hot cache.
type metrics struct {
	reg        *prometheus.Registry
	statements *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	slow       prometheus.Counter
	// server registers the collectors that read the server, once.
	server sync.Once
}

// Statement outcomes, the label of spysql_statements_total.
const (
	outcomeOK       = "ok"
	outcomeError    = "error"
	outcomeCanceled = "canceled"
	outcomeRefused  = "refused"
)

// cacheStatser is an engine with a hot cache to report.
type cacheStatser interface{ CacheStats() duck.CacheStats }

// threadStatser is an engine whose DuckDB threads follow the statements.
type threadStatser interface{ ThreadStats() duck.ThreadStats }

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		statements: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "spysql_statements_total", Help: "Statements executed (each Execute of a portal), by kind (query, point, other) and outcome (ok, error, canceled, refused).",
		}, []string{"kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "spysql_statement_duration_seconds", Help: "Time from a statement's Execute to its last row written, queueing included, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"kind"}),
		slow: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "spysql_slow_statements_total", Help: "Statements that ran longer than --slow-statement.",
		}),
	}
	m.reg.MustRegister(m.statements, m.latency, m.slow,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// registerServer adds the collectors that read s: sessions, the
// statement queue and the engine's hot cache.
func (m *metrics) registerServer(s *Server) {
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
	}
	m.reg.MustRegister(
		gauge("spysql_connections", "Client sessions now (logged in).", func() float64 {
			s.mu.Lock()
			defer s.mu.Unlock()
			return float64(len(s.conns))
		}),
		gauge("spysql_statements_running", "Statements holding an execution slot now.", func() float64 { return float64(s.ops.queue.running.Load()) }),
		gauge("spysql_statements_queued", "Statements waiting for an execution slot now.", func() float64 { return float64(s.ops.queue.waiting()) }),
	)
	if cs, ok := s.eng.(cacheStatser); ok {
		stat := func(f func(duck.CacheStats) int64) func() float64 {
			return func() float64 { return float64(f(cs.CacheStats())) }
		}
		m.reg.MustRegister(
			gauge("spysql_cache_budget_bytes", "The hot cache's budget (serve --cache-memory).", stat(func(c duck.CacheStats) int64 { return c.Budget })),
			gauge("spysql_cache_bytes", "Estimated bytes of the Gold and Silver copies held in memory.", stat(func(c duck.CacheStats) int64 { return c.Bytes })),
			gauge("spysql_cache_tables", "Copies held in memory.", stat(func(c duck.CacheStats) int64 { return int64(c.Tables) })),
			counter("spysql_cache_loads_total", "Copies made (a view new or changed in the lake).", stat(func(c duck.CacheStats) int64 { return c.Loads })),
			counter("spysql_cache_hits_total", "Views a refresh bound again to a copy still current.", stat(func(c duck.CacheStats) int64 { return c.Reuses })),
			counter("spysql_cache_skips_total", "Views left on Parquet because their copy did not fit the budget.", stat(func(c duck.CacheStats) int64 { return c.Skips })),
		)
	}
	if ts, ok := s.eng.(threadStatser); ok && ts.ThreadStats().Max > 0 {
		m.reg.MustRegister(
			gauge("spysql_duckdb_threads", "DuckDB's worker threads now (adaptive: 1 for small statements, up to --threads for big ones).",
				func() float64 { return float64(ts.ThreadStats().Current) }),
			counter("spysql_duckdb_thread_changes_total", "Times adaptive threads changed DuckDB's threads.",
				func() float64 { return float64(ts.ThreadStats().Changes) }),
		)
	}
}

// MetricsHandler serves the server's metrics in Prometheus's text format
// (serve --metrics-addr).
func (s *Server) MetricsHandler() http.Handler {
	s.ops.met.server.Do(func() { s.ops.met.registerServer(s) })
	return promhttp.HandlerFor(s.ops.met.reg, promhttp.HandlerOpts{})
}

// ThreadStats reports the database's adaptive threads.
func (e *DuckEngine) ThreadStats() duck.ThreadStats { return e.db.ThreadStats() }

// CacheStats reports the database's hot cache.
func (e *DuckEngine) CacheStats() duck.CacheStats { return e.db.CacheStats() }
