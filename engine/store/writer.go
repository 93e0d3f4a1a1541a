package store

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// RowGroupRows is the fixed row-group size of every file spysql writes, so
// the same rows always give the same bytes.
const RowGroupRows = 128 * 1024

// Record is a Bronze record type.
type Record interface {
	FuturesTrade | MBP10 | StockTrade | OptionTrade
	bronzeTable() Table
	partitionKey() string
	eventNS() int64
	seqKey() int64
}

func (FuturesTrade) bronzeTable() Table     { return FuturesTrades }
func (r FuturesTrade) partitionKey() string { return r.Symbol }
func (r FuturesTrade) eventNS() int64       { return r.TsEventNS }
func (r FuturesTrade) seqKey() int64        { return r.Seq }
func (MBP10) bronzeTable() Table            { return FuturesMBP10 }
func (r MBP10) partitionKey() string        { return r.Symbol }
func (r MBP10) eventNS() int64              { return r.TsEventNS }
func (r MBP10) seqKey() int64               { return r.Seq }
func (StockTrade) bronzeTable() Table       { return StocksTrades }
func (r StockTrade) partitionKey() string   { return r.Symbol }
func (r StockTrade) eventNS() int64         { return r.TsEventNS }
func (r StockTrade) seqKey() int64          { return r.Seq }
func (OptionTrade) bronzeTable() Table      { return OptionsTrades }
func (r OptionTrade) partitionKey() string  { return r.Underlying }
func (r OptionTrade) eventNS() int64        { return r.TsEventNS }
func (r OptionTrade) seqKey() int64         { return r.TsRecvNS }

// PartitionOf returns the UTC date ("2006-01-02") and hour ("15") of an
// event time in nanoseconds: the Hive partition it belongs to.
func PartitionOf(tsEventNS int64) (date, hour string) {
	t := time.Unix(0, tsEventNS).UTC()
	return t.Format("2006-01-02"), t.Format("15")
}

// WrittenFile is one Parquet file published by WriteBronze.
type WrittenFile struct {
	Path      string
	Rows      int
	Unchanged bool // an identical file was already published
}

// WriteBronze routes records to their symbol/date/hour partitions by the UTC
// time of ts_event_ns and publishes one file called name (".parquet" is
// added when missing) in each partition. Each file is sorted by ts_event_ns
// (ties by seq, then input order) and written as ZSTD Parquet through a temp
// file, fsync and rename. A published name is never overwritten: the same
// content again is a no-op, other content is ErrExists. opts are added to
// ParquetOptions (the NATS writer stores its stream sequences in the
// footer with parquet.KeyValueMetadata).
func WriteBronze[T Record](ctx context.Context, lake Lake, recs []T, name string, opts ...parquet.WriterOption) ([]WrittenFile, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("write bronze: bad file name %q", name)
	}
	if !strings.HasSuffix(name, ".parquet") {
		name += ".parquet"
	}
	for i := range recs {
		if recs[i].partitionKey() == "" {
			return nil, fmt.Errorf("write bronze: record at %d has no symbol", recs[i].eventNS())
		}
	}
	// Order rows by partition, then time, then seq, then input position.
	// Sorted input (the common case) is written in place; otherwise an
	// index permutation is sorted, not the wide records themselves.
	compare := func(a, b *T) int {
		return cmp.Or(cmp.Compare((*a).partitionKey(), (*b).partitionKey()),
			cmp.Compare(hourOf((*a).eventNS()), hourOf((*b).eventNS())),
			cmp.Compare((*a).eventNS(), (*b).eventNS()),
			cmp.Compare((*a).seqKey(), (*b).seqKey()))
	}
	var order []int32
	for i := 1; i < len(recs); i++ {
		if compare(&recs[i-1], &recs[i]) > 0 {
			order = make([]int32, len(recs))
			for j := range order {
				order[j] = int32(j)
			}
			slices.SortStableFunc(order, func(a, b int32) int { return compare(&recs[a], &recs[b]) })
			break
		}
	}
	at := func(i int) *T {
		if order != nil {
			return &recs[order[i]]
		}
		return &recs[i]
	}
	var zero T
	var out []WrittenFile
	for lo := 0; lo < len(recs); {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		first := at(lo)
		hi := lo + 1
		for hi < len(recs) && (*at(hi)).partitionKey() == (*first).partitionKey() && hourOf((*at(hi)).eventNS()) == hourOf((*first).eventNS()) {
			hi++
		}
		date, hour := PartitionOf((*first).eventNS())
		dir := lake.PartitionDir(zero.bronzeTable(), (*first).partitionKey(), date, hour)
		final := filepath.Join(dir, name)
		var rows func(*parquet.GenericWriter[T]) error
		if order == nil {
			run := recs[lo:hi]
			rows = func(w *parquet.GenericWriter[T]) error { _, err := w.Write(run); return err }
		} else {
			idx := order[lo:hi]
			rows = func(w *parquet.GenericWriter[T]) error {
				buf := make([]T, 0, min(len(idx), 4096))
				for len(idx) > 0 {
					n := min(len(idx), cap(buf))
					buf = buf[:0]
					for _, k := range idx[:n] {
						buf = append(buf, recs[k])
					}
					if _, err := w.Write(buf); err != nil {
						return err
					}
					idx = idx[n:]
				}
				return nil
			}
		}
		res, err := writeParquetFile(dir, final, rows, opts...)
		if err != nil {
			return out, err
		}
		out = append(out, WrittenFile{Path: final, Rows: hi - lo, Unchanged: res == Unchanged})
		lo = hi
	}
	return out, nil
}

// hourOf is the UTC hour bucket of a nanosecond time (floor division).
func hourOf(ns int64) int64 {
	const h = int64(time.Hour)
	q := ns / h
	if ns%h < 0 {
		q--
	}
	return q
}

// ParquetOptions are the writer settings shared by every tier: ZSTD level 3
// and a fixed row-group size.
func ParquetOptions() []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.MaxRowsPerRowGroup(RowGroupRows),
	}
}

// PointPageBytes is the page size of point indexes: a point read (see
// point.Reader) decodes one page of keys and one block of rows (a block
// is one page of its own, whatever its size). The datasets keep
// parquet-go's default pages, which scans need.
const PointPageBytes = 2 << 10

// PointIndexOptions are ParquetOptions for a point-read index: small
// pages, and the page index parquet-go writes by default.
func PointIndexOptions() []parquet.WriterOption {
	return append(ParquetOptions(), parquet.PageBufferSize(PointPageBytes))
}

func writeParquetFile[T any](dir, final string, rows func(*parquet.GenericWriter[T]) error, opts ...parquet.WriterOption) (PublishResult, error) {
	tmp, err := TempFile(dir, filepath.Base(final))
	if err != nil {
		return 0, err
	}
	w := parquet.NewGenericWriter[T](tmp, append(ParquetOptions(), opts...)...)
	err = rows(w)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("write %s: %w", final, err)
	}
	return Publish(tmp, final, false)
}
