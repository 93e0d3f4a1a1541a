package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the ingest's Prometheus metrics. Make them with NewMetrics and
// serve the registry with promhttp.
type Metrics struct {
	Messages    *prometheus.CounterVec // by stream: messages received
	Rows        *prometheus.CounterVec // by table: rows written
	Files       *prometheus.CounterVec // by table: files published
	DeadLetters *prometheus.CounterVec // by stream
	Skipped     *prometheus.CounterVec // by stream: redeliveries already written
	Flush       prometheus.Histogram   // seconds per flush (write + fsync + ack)
	Lag         *prometheus.GaugeVec   // by stream: messages pending + unacked on the consumer
}

// NewMetrics registers the ingest metrics with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "spysql_ingest_messages_total", Help: "Messages received from JetStream.",
		}, []string{"stream"}),
		Rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "spysql_ingest_rows_written_total", Help: "Rows written to published files.",
		}, []string{"table"}),
		Files: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "spysql_ingest_files_written_total", Help: "Parquet files published.",
		}, []string{"table"}),
		DeadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "spysql_ingest_dead_letters_total", Help: "Bad messages republished to deadletter.<subject>.",
		}, []string{"stream"}),
		Skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "spysql_ingest_redelivered_skipped_total", Help: "Redelivered messages already in a published file (acked, not rewritten).",
		}, []string{"stream"}),
		Flush: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "spysql_ingest_flush_seconds", Help: "Time to write, fsync and ack one flush.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		Lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "spysql_ingest_consumer_lag", Help: "Messages not yet delivered plus delivered and not yet acked.",
		}, []string{"stream"}),
	}
	for _, c := range []prometheus.Collector{m.Messages, m.Rows, m.Files, m.DeadLetters, m.Skipped, m.Flush, m.Lag} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
