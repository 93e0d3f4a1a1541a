package ingest

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/parquet-go/parquet-go"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/natsmsg"
)

// partKey is one output partition: a kind, its symbol or underlying, and
// the UTC hour (hours since the epoch) of the events.
type partKey struct {
	kind natsmsg.Kind
	key  string
	hour int64
}

func (k partKey) dateHour() (string, string) {
	return store.PartitionOf(k.hour * int64(time.Hour))
}

// dir is the partition's directory in the lake.
func (k partKey) dir(lake store.Lake) string {
	date, hour := k.dateHour()
	if t, ok := k.kind.Table(); ok {
		return lake.PartitionDir(t, k.key, date, hour)
	}
	return lake.GoldSignalsPartitionDir(k.key, date, hour)
}

// label names the table in metrics and logs.
func (k partKey) label() string {
	if t, ok := k.kind.Table(); ok {
		return t.Name()
	}
	return "streaming_signals"
}

// rows is a typed buffer of one partition's records.
type rows interface {
	len() int
	// write publishes the rows as name in dir with footer metadata meta.
	write(ctx context.Context, lake store.Lake, dir, name string, meta parquet.WriterOption) (store.PublishResult, error)
	// filter keeps the rows i (in arrival order) for which keep is true.
	filter(keep func(i int) bool)
	// reset empties the buffer, keeping its room.
	reset()
}

// appender adds a copy of one record of type T.
type appender[T any] interface{ push(*T) }

// grow makes room for one more element, doubling a full slice: append
// grows large slices by a quarter at a time, which copies a buffer of wide
// records about five times over while it fills.
func grow[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 64))
}

func filterSlice[T any](s []T, keep func(int) bool) []T {
	out := s[:0]
	for i := range s {
		if keep(i) {
			out = append(out, s[i])
		}
	}
	clear(s[len(out):])
	return out
}

// bronzeRows buffers Bronze records and writes them with store.WriteBronzeRuns.
type bronzeRows[T store.Record] struct{ runs[T] }

func (b *bronzeRows[T]) write(ctx context.Context, lake store.Lake, _, name string, meta parquet.WriterOption) (store.PublishResult, error) {
	files, err := store.WriteBronzeRuns(ctx, lake, b.runs.runs, name, meta)
	if err != nil {
		return 0, err
	}
	if len(files) != 1 {
		return 0, fmt.Errorf("write %s: %d files for one partition", name, len(files))
	}
	if files[0].Unchanged {
		return store.Unchanged, nil
	}
	return store.Published, nil
}

// signalRows buffers Gold signals.
type signalRows struct{ recs []natsmsg.Signal }

func (b *signalRows) len() int                     { return len(b.recs) }
func (b *signalRows) push(r *natsmsg.Signal)       { b.recs = append(grow(b.recs), *r) }
func (b *signalRows) filter(keep func(i int) bool) { b.recs = filterSlice(b.recs, keep) }
func (b *signalRows) reset()                       { clear(b.recs); b.recs = b.recs[:0] }

// write sorts by (ts_event_ns, level_kind, level_price, ts_recv_ns) and
// publishes one ZSTD Parquet file through a temp file, fsync and rename.
func (b *signalRows) write(_ context.Context, _ store.Lake, dir, name string, meta parquet.WriterOption) (store.PublishResult, error) {
	recs := slices.Clone(b.recs)
	slices.SortStableFunc(recs, func(x, y natsmsg.Signal) int {
		return cmp.Or(cmp.Compare(x.TsEventNS, y.TsEventNS), cmp.Compare(x.LevelKind, y.LevelKind),
			cmp.Compare(x.LevelPrice, y.LevelPrice), cmp.Compare(x.TsRecvNS, y.TsRecvNS))
	})
	final := filepath.Join(dir, name)
	tmp, err := store.TempFile(dir, name)
	if err != nil {
		return 0, err
	}
	w := parquet.NewGenericWriter[natsmsg.Signal](tmp, append(store.ParquetOptions(), meta)...)
	if _, err = w.Write(recs); err == nil {
		err = w.Close()
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("write %s: %w", final, err)
	}
	return store.Publish(tmp, final, false)
}

// part is what is buffered for one partition: the rows, the messages to
// ack once they are durable and their stream sequences.
type part struct {
	key   partKey
	rows  rows
	seqs  []uint64
	msgs  []jetstream.Msg
	bytes int
	first time.Time
	// progressed is when the pipeline last sent InProgress for msgs.
	progressed time.Time

	// Set by flush: the pipeline no longer adds rows or messages; copies
	// delivered again meanwhile wait in late.
	flushing bool
	late     []jetstream.Msg
	// Set by the writer: where it went, and what a name conflict dropped.
	dir, name string
	written   []uint64
	dropped   []uint64
}

// maxSpare is how many written parts of one kind a pipeline keeps for
// reuse, so a steady stream stops growing buffers and the memory stays
// what the buffer settings allow.
const maxSpare = 4

// reuse readies a written part for partition k, keeping its slices' room.
func (pt *part) reuse(k partKey) {
	pt.rows.reset()
	clear(pt.msgs)
	clear(pt.late)
	*pt = part{key: k, rows: pt.rows, seqs: pt.seqs[:0], msgs: pt.msgs[:0], late: pt.late[:0], dropped: pt.dropped[:0]}
}

func newPart(k partKey) *part {
	p := &part{key: k}
	switch k.kind {
	case natsmsg.FuturesTrades:
		p.rows = &bronzeRows[store.FuturesTrade]{}
	case natsmsg.FuturesMBP10:
		p.rows = &bronzeRows[store.MBP10]{}
	case natsmsg.StocksTrades:
		p.rows = &bronzeRows[store.StockTrade]{}
	case natsmsg.OptionsTrades:
		p.rows = &bronzeRows[store.OptionTrade]{}
	default:
		p.rows = &signalRows{}
	}
	return p
}
