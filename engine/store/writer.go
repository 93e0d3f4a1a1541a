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
}

func (FuturesTrade) bronzeTable() Table { return FuturesTrades }
func (MBP10) bronzeTable() Table        { return FuturesMBP10 }
func (StockTrade) bronzeTable() Table   { return StocksTrades }
func (OptionTrade) bronzeTable() Table  { return OptionsTrades }

// rowKey is what orders and routes a record: its partition key (symbol
// or underlying), event time and tie-breaking sequence.
type rowKey struct {
	part       string
	event, seq int64
}

// keyOf reads r's key through a pointer: a method of a type parameter
// takes its receiver by value, a copy of the whole record per call.
func keyOf[T Record](r *T) rowKey {
	switch r := any(r).(type) {
	case *FuturesTrade:
		return rowKey{r.Symbol, r.TsEventNS, r.Seq}
	case *MBP10:
		return rowKey{r.Symbol, r.TsEventNS, r.Seq}
	case *StockTrade:
		return rowKey{r.Symbol, r.TsEventNS, r.Seq}
	case *OptionTrade:
		return rowKey{r.Underlying, r.TsEventNS, r.TsRecvNS}
	}
	panic("store: not a Bronze record type")
}

// compare orders by partition, then hour, then time, then seq.
func (a rowKey) compare(b rowKey) int {
	if c := strings.Compare(a.part, b.part); c != 0 {
		return c
	}
	if ha, hb := hourOf(a.event), hourOf(b.event); ha != hb {
		return cmp.Compare(ha, hb)
	}
	return cmp.Or(cmp.Compare(a.event, b.event), cmp.Compare(a.seq, b.seq))
}

// samePartition reports whether a and b go to the same file.
func (a rowKey) samePartition(b rowKey) bool {
	return a.part == b.part && hourOf(a.event) == hourOf(b.event)
}

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
	return WriteBronzeRuns(ctx, lake, [][]T{recs}, name, opts...)
}

// WriteBronzeRuns is WriteBronze of the records of runs taken in order as
// one slice, and writes the same bytes: a buffer that grows by runs never
// copies its records.
func WriteBronzeRuns[T Record](ctx context.Context, lake Lake, runs [][]T, name string, opts ...parquet.WriterOption) ([]WrittenFile, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("write bronze: bad file name %q", name)
	}
	if !strings.HasSuffix(name, ".parquet") {
		name += ".parquet"
	}
	// One pass checks the keys and finds the partitions of sorted input
	// (the common case), which is written in place; otherwise pointers to
	// the records are sorted (8 bytes a record), not the records.
	n, sorted := 0, true
	var prev rowKey
	var cuts []int // where each partition starts
	for _, run := range runs {
		for i := range run {
			k := keyOf(&run[i])
			if k.part == "" {
				return nil, fmt.Errorf("write bronze: record at %d has no symbol", k.event)
			}
			if n == 0 || (sorted && !prev.samePartition(k)) {
				cuts = append(cuts, n)
			}
			if n > 0 && sorted && prev.compare(k) > 0 {
				sorted = false
			}
			prev = k
			n++
		}
	}
	var order []*T
	if !sorted {
		order = make([]*T, 0, n)
		for _, run := range runs {
			for i := range run {
				order = append(order, &run[i])
			}
		}
		slices.SortStableFunc(order, func(a, b *T) int { return keyOf(a).compare(keyOf(b)) })
		cuts = []int{0}
		for i := 1; i < n; i++ {
			if !keyOf(order[i-1]).samePartition(keyOf(order[i])) {
				cuts = append(cuts, i)
			}
		}
	}
	cuts = append(cuts, n)
	var zero T
	var out []WrittenFile
	var first rowKey
	next := spans[T]{runs: runs}
	for c := range len(cuts) - 1 {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		lo, hi := cuts[c], cuts[c+1]
		var rows func(*parquet.GenericWriter[T]) error
		if order == nil {
			part := next.take(hi - lo)
			first = keyOf(&part[0][0])
			rows = func(w *parquet.GenericWriter[T]) error { return writeSpans(w, part) }
		} else {
			part := order[lo:hi]
			first = keyOf(part[0])
			rows = func(w *parquet.GenericWriter[T]) error { return writeSorted(w, part) }
		}
		date, hour := PartitionOf(first.event)
		dir := lake.PartitionDir(zero.bronzeTable(), first.part, date, hour)
		final := filepath.Join(dir, name)
		res, err := writeParquetFile(dir, final, rows, opts...)
		if err != nil {
			return out, err
		}
		out = append(out, WrittenFile{Path: final, Rows: hi - lo, Unchanged: res == Unchanged})
	}
	return out, nil
}

// spans hands out consecutive stretches of runs.
type spans[T any] struct {
	runs [][]T
	off  int // into runs[0]
}

// take returns the next n records as sub-slices of the runs.
func (s *spans[T]) take(n int) [][]T {
	var out [][]T
	for n > 0 {
		run := s.runs[0][s.off:]
		if len(run) == 0 {
			s.runs, s.off = s.runs[1:], 0
			continue
		}
		k := min(n, len(run))
		out = append(out, run[:k])
		s.off += k
		n -= k
	}
	return out
}

// pieceRows is how many rows parquet-go's writer takes at a time: it cuts
// pages only between pieces, which start afresh at each Write call.
const pieceRows = 64

// writeSpans writes the records of part in order, in Write calls of whole
// pieces (but the last), so that how the records are split does not change
// the file.
func writeSpans[T any](w *parquet.GenericWriter[T], part [][]T) error {
	carry := make([]T, 0, pieceRows) // a piece that straddles two spans
	for _, s := range part {
		if len(carry) > 0 {
			k := min(pieceRows-len(carry), len(s))
			carry, s = append(carry, s[:k]...), s[k:]
			if len(carry) < pieceRows {
				continue
			}
			if _, err := w.Write(carry); err != nil {
				return err
			}
			carry = carry[:0]
		}
		whole := len(s) / pieceRows * pieceRows
		if whole > 0 {
			if _, err := w.Write(s[:whole]); err != nil {
				return err
			}
		}
		carry = append(carry, s[whole:]...)
	}
	if len(carry) > 0 {
		_, err := w.Write(carry)
		return err
	}
	return nil
}

// writeSorted writes the records part points at in its order, copied in
// batches of whole pieces.
func writeSorted[T Record](w *parquet.GenericWriter[T], part []*T) error {
	buf := make([]T, 0, min(len(part), 64*pieceRows))
	for len(part) > 0 {
		k := min(len(part), cap(buf))
		buf = buf[:0]
		for _, r := range part[:k] {
			buf = append(buf, *r)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		part = part[k:]
	}
	return nil
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
