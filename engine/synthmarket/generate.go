package synthmarket

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// Generate writes the synthetic market of every trading day in
// [cfg.Start, cfg.End] into lake's Bronze tables, one file named
// cfg.FileName() per table and UTC hour. Weekends and holidays are skipped.
// Files that already exist with identical content are left alone (a rerun
// is a no-op); a file of the same name with other content is an error
// (store.ErrExists). progress, when not nil, is called after each day with
// the totals so far. The returned Stats cover what was done, also on error.
func Generate(ctx context.Context, lake store.Lake, cal *calendar.Calendar, cfg Config, progress func(Stats)) (Stats, error) {
	var st Stats
	cfg, err := cfg.withDefaults()
	if err != nil {
		return st, err
	}
	sessions, err := Sessions(cal, cfg)
	if err != nil {
		return st, err
	}
	name := cfg.FileName()
	for _, s := range sessions {
		err := generateDay(ctx, cal, cfg, s, func(ctx context.Context, h *hour) error {
			return writeHour(ctx, lake, name, h, &st)
		})
		if err != nil {
			return st, err
		}
		st.Days++
		st.Last = s.Date
		if progress != nil {
			progress(st)
		}
	}
	return st, nil
}

// hour is the rows of one UTC hour of one day, in event order. The
// receiver owns the slices and may set them to nil once used.
type hour struct {
	date    calendar.Date
	start   time.Time // the UTC hour
	futures []store.FuturesTrade
	mbp     []store.MBP10
	stocks  []store.StockTrade
	options []store.OptionTrade
}

// generateDay generates session s hour by hour and hands each UTC hour that
// overlaps [PMOpen, PostClose) to emit.
func generateDay(ctx context.Context, cal *calendar.Calendar, cfg Config, s calendar.Session, emit func(context.Context, *hour) error) error {
	prior, err := cal.PrevTradingDay(s.Date)
	if err != nil {
		// The calendar's first day: the day before stands in.
		prior = s.Date.AddDays(-1)
	}
	dn := s.Date.Days()
	p := simulatePath(cfg.Seed, s.Date, prior, s)
	start := s.PMOpen.UnixNano()
	inst, exp := frontContract(s.Date)
	es := newESGen(cfg.Seed, dn, p, start, inst, esBasis(s.Date, exp, p.open), cfg.Scale)
	spy := newSPYGen(cfg.Seed, dn, p, start, cfg.Scale)
	opt := newOptGen(cfg.Seed, dn, p, start, cfg.Scale, optionExpiries(cal, s.Date))
	h := &hour{date: s.Date}
	for t := s.PMOpen.Truncate(time.Hour); t.Before(s.PostClose); t = t.Add(time.Hour) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("synth: generate %s: %w", s.Date, err)
		}
		from := int(max(t.Sub(s.PMOpen), 0) / time.Second)
		to := int(min(t.Add(time.Hour).Sub(s.PMOpen), s.PostClose.Sub(s.PMOpen)) / time.Second)
		es.trades = make([]store.FuturesTrade, 0, expectedRows(from, to, es.rate, shareTrade))
		es.mbp = make([]store.MBP10, 0, expectedRows(from, to, es.rate, 1+shareTrade))
		spy.trades = make([]store.StockTrade, 0, expectedRows(from, to, spy.rate, 1))
		optFrom, optTo := opt.window(from, to)
		opt.trades = make([]store.OptionTrade, 0, expectedRows(optFrom, optTo, opt.rate, 1))
		es.run(from, to)
		spy.run(from, to)
		opt.run(from, to)
		// Hand the rows over: emit may drop them as it goes, so an hour's
		// rows and their Parquet copy need not be in memory together.
		h.start, h.futures, h.mbp, h.stocks, h.options = t, es.trades, es.mbp, spy.trades, opt.trades
		es.trades, es.mbp, spy.trades, opt.trades = nil, nil, nil, nil
		if err := emit(ctx, h); err != nil {
			return err
		}
	}
	return nil
}

// writeHour publishes one hour's rows, one file per table, and counts them
// in st. The MBP-10 file, the bulk of the work, is written concurrently
// with the three others. Each table's rows are released before they are
// written, so the garbage collector can reclaim them while the file is
// encoded.
func writeHour(ctx context.Context, lake store.Lake, name string, h *hour, st *Stats) error {
	type result struct {
		table store.Table
		rows  int
		files []store.WrittenFile
		err   error
	}
	var res [4]result
	mbp := h.mbp
	res[1] = result{table: store.FuturesMBP10, rows: len(mbp)}
	var wg sync.WaitGroup
	wg.Go(func() {
		recs := mbp
		mbp = nil
		res[1].files, res[1].err = store.WriteBronze(ctx, lake, recs, name)
	})
	futures, stocks, options := h.futures, h.stocks, h.options
	h.futures, h.mbp, h.stocks, h.options = nil, nil, nil, nil
	res[0] = result{table: store.FuturesTrades, rows: len(futures)}
	res[0].files, res[0].err = store.WriteBronze(ctx, lake, futures, name)
	res[2] = result{table: store.StocksTrades, rows: len(stocks)}
	if res[0].err == nil {
		res[2].files, res[2].err = store.WriteBronze(ctx, lake, stocks, name)
	}
	res[3] = result{table: store.OptionsTrades, rows: len(options)}
	if res[0].err == nil && res[2].err == nil {
		res[3].files, res[3].err = store.WriteBronze(ctx, lake, options, name)
	}
	wg.Wait()

	// Count in table order, so Stats do not depend on timing.
	for _, r := range res {
		for _, f := range r.files {
			fi, err := os.Stat(f.Path)
			if err != nil {
				return fmt.Errorf("synth: stat %s: %w", f.Path, err)
			}
			st.Files++
			st.Bytes += fi.Size()
			if f.Unchanged {
				st.Unchanged++
			}
		}
		if r.err != nil {
			return fmt.Errorf("synth: write %s for %s, hour %s UTC: %w",
				r.table.Name(), h.date, h.start.UTC().Format("2006-01-02T15"), r.err)
		}
		n := int64(r.rows)
		switch r.table {
		case store.FuturesTrades:
			st.FuturesTrades += n
		case store.FuturesMBP10:
			st.FuturesMBP10 += n
		case store.StocksTrades:
			st.StocksTrades += n
		case store.OptionsTrades:
			st.OptionsTrades += n
		}
	}
	return nil
}
