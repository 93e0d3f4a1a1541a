package ingest

import (
	"errors"
	"log/slog"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// Config configures an Ingester. Zero values take the defaults below.
type Config struct {
	// Lake receives Bronze and Gold files (required).
	Lake store.Lake
	// Durable is the durable consumer name on MARKET and on LEVELS;
	// default "spysql-ingest". Processes sharing it share the work.
	Durable string
	// NoCreate uses existing streams and consumers only (--no-create).
	NoCreate bool
	// Replicas of streams the ingest creates; default 1.
	Replicas int
	// MaxRows buffered across partitions of one stream before everything
	// is flushed; default 100,000.
	MaxRows int
	// MaxBytes of payload buffered before a flush; default 64 MiB.
	MaxBytes int
	// MaxAge of the oldest buffered message before a flush; default 2s.
	// It must stay well under AckWait (at most a third of it).
	MaxAge time.Duration
	// AckWait of consumers the ingest creates; default 30s. An existing
	// consumer keeps its own, and MaxAge is checked against it.
	AckWait time.Duration
	// Fetch is how many messages are pulled ahead; default 2,000.
	// MaxRows+Fetch stay under the consumer's MaxAckPending.
	Fetch int
	// Log receives progress and errors; nil discards.
	Log *slog.Logger
	// Metrics, when set, is updated as the ingest runs.
	Metrics *Metrics
}

// Defaults.
const (
	DefaultDurable  = "spysql-ingest"
	DefaultMaxRows  = 100_000
	DefaultMaxBytes = 64 << 20
	DefaultMaxAge   = 2 * time.Second
	DefaultAckWait  = 30 * time.Second
	DefaultFetch    = 2_000
)

func (c Config) withDefaults() (Config, error) {
	if c.Lake.Root() == "" {
		return c, errors.New("ingest: no lake")
	}
	if c.Durable == "" {
		c.Durable = DefaultDurable
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.MaxRows <= 0 {
		c.MaxRows = DefaultMaxRows
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.MaxAge <= 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.AckWait <= 0 {
		c.AckWait = DefaultAckWait
	}
	if c.Fetch <= 0 {
		c.Fetch = DefaultFetch
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.MaxAge*3 > c.AckWait {
		return c, errors.New("ingest: max age must be at most a third of the ack wait")
	}
	return c, nil
}

// maxAckPending is the MaxAckPending of consumers the ingest creates:
// room for a full buffer, a full prefetch and as much again for a second
// process on the same durable.
func (c Config) maxAckPending() int { return 2 * (c.MaxRows + c.Fetch) }
