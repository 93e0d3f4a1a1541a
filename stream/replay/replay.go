package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/parquet-go/parquet-go"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/natsmsg"
	"github.com/spysql/spysql/stream/natsutil"
)

// Config says what to replay. Zero values take the documented defaults.
type Config struct {
	Lake     store.Lake         // required
	Calendar *calendar.Calendar // required
	From, To calendar.Date      // trading dates, inclusive
	// Speed is the pace in event time per wall time; 0 is as fast as
	// possible.
	Speed float64
	// Window is how many publishes may await their ack; default 2,000
	// (under the client's default async limit of 4,000).
	Window int
	// Retry is how long a publish is retried (server restarts, leader
	// elections) before Run fails; default 30s.
	Retry time.Duration
	Log   *slog.Logger
}

// Stats count what was published.
type Stats struct {
	Messages int64 // sent; all acknowledged once Run returns nil
	Hours    int   // UTC hours read
	// Dates is the number of trading dates in the range; Missing lists
	// those without a Bronze row in their session's hours, in order.
	Dates   int
	Missing []calendar.Date
}

// ErrNoBronze is returned (wrapped) when the range holds trading dates
// but none of them has a Bronze row: most likely the wrong lake or the
// wrong dates. A range without trading dates is no error: Run publishes
// nothing and returns Stats with Dates 0.
var ErrNoBronze = errors.New("no Bronze rows")

// Run publishes the dates' Bronze rows on js's connection (through a
// publishing handle of its own). progress, when set, is called after each
// UTC hour.
func Run(ctx context.Context, js jetstream.JetStream, cfg Config, progress func(Stats)) (Stats, error) {
	if cfg.Window <= 0 {
		cfg.Window = 2000
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 30 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Calendar == nil {
		return Stats{}, errors.New("replay: no calendar")
	}
	if cfg.To.Before(cfg.From) {
		return Stats{}, fmt.Errorf("replay: %s is after %s", cfg.From, cfg.To)
	}
	sessions, err := cfg.Calendar.Sessions(cfg.From, cfg.To)
	if err != nil {
		return Stats{}, fmt.Errorf("replay: %w", err)
	}
	// Publish through a handle of our own on js's connection. The client
	// counts an async publish against its in-flight limit until it is
	// answered: one answer lost for good (a stream leader that died)
	// would hold its place forever, and two lost windows under the
	// default limit would stall every publish after. The window is the
	// limit here; a publish given up on times out of the client's count
	// after staleAck and is forgotten when Run returns.
	pub, err := jetstream.New(js.Conn(), jetstream.WithPublishAsyncMaxPending(math.MaxInt32),
		jetstream.WithPublishAsyncTimeout(staleAck))
	if err != nil {
		return Stats{}, fmt.Errorf("replay: %w", err)
	}
	defer pub.CleanupPublisher()
	p := &publisher{js: pub, cfg: cfg}
	st := Stats{Dates: len(sessions)}
	seen := map[calendar.UTCHour]bool{}
	for _, s := range sessions {
		var rows int64
		for _, h := range cfg.Calendar.BronzeHours(s) {
			if seen[h] {
				continue
			}
			seen[h] = true
			n, err := p.hour(ctx, h)
			st.Messages += n
			rows += n
			if err != nil {
				return st, err
			}
			st.Hours++
			if progress != nil {
				progress(st)
			}
		}
		if rows == 0 {
			st.Missing = append(st.Missing, s.Date)
		}
	}
	if err := p.drain(ctx); err != nil {
		return st, err
	}
	if st.Dates > 0 && st.Messages == 0 {
		return st, fmt.Errorf("replay: %w for any trading date of %s..%s in %s", ErrNoBronze, cfg.From, cfg.To, cfg.Lake.Root())
	}
	return st, nil
}

// item is one row to publish, in the merge order.
type item struct {
	ts    int64
	table store.Table
	file  int // index into the hour's file list of that table
	row   int
}

type publisher struct {
	js      jetstream.JetStream
	cfg     Config
	pending []pending
	// pacing: the wall time and event time of the first message.
	wall0 time.Time
	ts0   int64
}

type pending struct {
	msg *nats.Msg
	ack jetstream.PubAckFuture
}

// hour publishes one UTC hour of every table.
func (p *publisher) hour(ctx context.Context, h calendar.UTCHour) (int64, error) {
	var items []item
	encoders := map[store.Table][]func(row int) ([]byte, string, error){}
	names := map[store.Table][]string{}
	for _, t := range store.BronzeTables() {
		files, err := p.cfg.Lake.PartitionFiles(t, [][2]string{{h.Date, h.Hour}})
		if err != nil {
			return 0, fmt.Errorf("replay %s %s: %w", h.Date, h.Hour, err)
		}
		for fi, f := range files {
			key := partitionKey(f)
			enc, ts, err := load(t, f, key)
			if err != nil {
				return 0, err
			}
			rel, _ := filepath.Rel(p.cfg.Lake.Root(), f)
			encoders[t] = append(encoders[t], enc)
			names[t] = append(names[t], filepath.ToSlash(rel))
			for r, x := range ts {
				items = append(items, item{ts: x, table: t, file: fi, row: r})
			}
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.ts, b.ts), cmp.Compare(a.table, b.table), cmp.Compare(a.file, b.file), cmp.Compare(a.row, b.row))
	})
	for i, it := range items {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return int64(i), err
			}
		}
		data, subject, err := encoders[it.table][it.file](it.row)
		if err != nil {
			return int64(i), err
		}
		if err := p.pace(ctx, it.ts); err != nil {
			return int64(i), err
		}
		m := nats.NewMsg(subject)
		m.Data = data
		m.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("%s#%d", names[it.table][it.file], it.row))
		if err := p.publish(ctx, m); err != nil {
			return int64(i), err
		}
	}
	return int64(len(items)), nil
}

// partitionKey is the symbol= or underlying= value of a Bronze file path.
func partitionKey(path string) string {
	dir := filepath.Dir(filepath.Dir(filepath.Dir(path)))
	_, v, _ := strings.Cut(filepath.Base(dir), "=")
	return v
}

// load reads one Bronze file and returns an encoder for its rows and their
// event times.
func load(t store.Table, path, key string) (func(int) ([]byte, string, error), []int64, error) {
	switch t {
	case store.FuturesTrades:
		return loadAs(path, func(r *store.FuturesTrade) int64 { r.Symbol = key; return r.TsEventNS },
			natsmsg.EncodeFuturesTrade, natsmsg.Subject(natsmsg.FuturesTrades, key))
	case store.FuturesMBP10:
		return loadAs(path, func(r *store.MBP10) int64 { r.Symbol = key; return r.TsEventNS },
			natsmsg.EncodeMBP10, natsmsg.Subject(natsmsg.FuturesMBP10, key))
	case store.StocksTrades:
		return loadAs(path, func(r *store.StockTrade) int64 { r.Symbol = key; return r.TsEventNS },
			natsmsg.EncodeStockTrade, natsmsg.Subject(natsmsg.StocksTrades, key))
	default:
		return loadAs(path, func(r *store.OptionTrade) int64 { r.Underlying = key; return r.TsEventNS },
			natsmsg.EncodeOptionTrade, natsmsg.Subject(natsmsg.OptionsTrades, key))
	}
}

func loadAs[T any](path string, prep func(*T) int64, enc func(*T) ([]byte, error), subject string) (func(int) ([]byte, string, error), []int64, error) {
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		return nil, nil, fmt.Errorf("replay: read %s: %w", path, err)
	}
	ts := make([]int64, len(rows))
	for i := range rows {
		ts[i] = prep(&rows[i])
	}
	return func(i int) ([]byte, string, error) {
		b, err := enc(&rows[i])
		return b, subject, err
	}, ts, nil
}

// pace waits until event time ts is due at the configured speed.
func (p *publisher) pace(ctx context.Context, ts int64) error {
	if p.cfg.Speed <= 0 {
		return nil
	}
	if p.wall0.IsZero() {
		p.wall0, p.ts0 = time.Now(), ts
		return nil
	}
	due := p.wall0.Add(time.Duration(float64(ts-p.ts0) / p.cfg.Speed))
	if wait := time.Until(due); wait > time.Millisecond && !natsutil.Sleep(ctx, wait) {
		return ctx.Err()
	}
	return nil
}
