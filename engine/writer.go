package engine

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
// content again is a no-op, other content is ErrExists.
func WriteBronze[T Record](ctx context.Context, lake Lake, recs []T, name string) ([]WrittenFile, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("write bronze: bad file name %q", name)
	}
	if !strings.HasSuffix(name, ".parquet") {
		name += ".parquet"
	}
	type part struct{ key, date, hour string }
	groups := map[part][]T{}
	for _, r := range recs {
		if r.partitionKey() == "" {
			return nil, fmt.Errorf("write bronze: record at %d has no symbol", r.eventNS())
		}
		d, h := PartitionOf(r.eventNS())
		p := part{r.partitionKey(), d, h}
		groups[p] = append(groups[p], r)
	}
	parts := make([]part, 0, len(groups))
	for p := range groups {
		parts = append(parts, p)
	}
	slices.SortFunc(parts, func(a, b part) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.date, b.date), cmp.Compare(a.hour, b.hour))
	})
	var out []WrittenFile
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		rows := groups[p]
		slices.SortStableFunc(rows, func(a, b T) int {
			return cmp.Or(cmp.Compare(a.eventNS(), b.eventNS()), cmp.Compare(a.seqKey(), b.seqKey()))
		})
		var zero T
		dir := lake.PartitionDir(zero.bronzeTable(), p.key, p.date, p.hour)
		final := filepath.Join(dir, name)
		res, err := writeParquetFile(dir, final, rows)
		if err != nil {
			return out, err
		}
		out = append(out, WrittenFile{Path: final, Rows: len(rows), Unchanged: res == Unchanged})
	}
	return out, nil
}

// ParquetOptions are the writer settings shared by every tier: ZSTD level 3
// and a fixed row-group size.
func ParquetOptions() []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.MaxRowsPerRowGroup(RowGroupRows),
	}
}

func writeParquetFile[T any](dir, final string, rows []T) (PublishResult, error) {
	tmp, err := TempFile(dir, filepath.Base(final))
	if err != nil {
		return 0, err
	}
	w := parquet.NewGenericWriter[T](tmp, ParquetOptions()...)
	if _, err := w.Write(rows); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("write %s: %w", final, err)
	}
	if err := w.Close(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("write %s: %w", final, err)
	}
	return Publish(tmp, final, false)
}
