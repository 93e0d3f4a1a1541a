package replay_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/natsutil"
)

// startServer starts an embedded nats-server with JetStream on 127.0.0.1
// and a free port.
func startServer(t *testing.T) *server.Server {
	t.Helper()
	s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// connect returns a JetStream handle on url made with opts.
func connect(t *testing.T, url string, opts ...jetstream.JetStreamOpt) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// withStreams starts a server, creates the live path's streams and
// returns a JetStream handle on it.
func withStreams(t *testing.T) (*server.Server, jetstream.JetStream) {
	t.Helper()
	s := startServer(t)
	js := connect(t, s.ClientURL())
	if err := natsutil.EnsureStreams(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	return s, js
}

// noAckMarket creates MARKET on market.> as EnsureStreams does, but
// storing messages without answering the publisher (NoAck): every
// publish stays unanswered until the stream is updated.
func noAckMarket(t *testing.T, js jetstream.JetStream) jetstream.StreamConfig {
	t.Helper()
	cfg := jetstream.StreamConfig{
		Name: natsutil.MarketStream, Subjects: []string{"market.>"}, Storage: jetstream.FileStorage,
		Duplicates: natsutil.DuplicateWindow, NoAck: true,
	}
	if _, err := js.CreateStream(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// at is a UTC time in ns.
func at(y int, mo time.Month, d, h, mi, s, ms int) int64 {
	return time.Date(y, mo, d, h, mi, s, ms*1e6, time.UTC).UnixNano()
}

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Rows of each Bronze table, tagged by Source: a test names each row by
// its source and reads the tag back from the published JSON.
func futures(tag, sym string, ts, seq int64) store.FuturesTrade {
	return store.FuturesTrade{TsEventNS: ts, TsRecvNS: ts + 1000, Source: tag, Instrument: sym + "Z5",
		Price: 6000.25, Size: 1, Aggressor: 1, Exchange: "XCME", Seq: seq, Symbol: sym}
}

func book(tag, sym string, ts, seq int64) store.MBP10 {
	return store.MBP10{TsEventNS: ts, TsRecvNS: ts + 1000, Source: tag, Instrument: sym + "Z5", Action: "A",
		Side: "B", Price: 6000, Size: 2, Seq: seq, BidPx00: 6000, AskPx00: 6000.25, BidSz00: 3, AskSz00: 4, Symbol: sym}
}

func stock(tag, sym string, ts, seq int64) store.StockTrade {
	return store.StockTrade{TsEventNS: ts, TsRecvNS: ts + 1000, Source: tag, Price: 680.5, Size: 100,
		Exchange: 4, TradeID: tag, Seq: seq, Tape: 1, Symbol: sym}
}

func option(tag, und string, ts int64) store.OptionTrade {
	return store.OptionTrade{TsEventNS: ts, TsRecvNS: ts + 1000, Source: tag, OptionSymbol: "O:SPY251219C00680000",
		Expiration: 20441, Strike: 680, OptionRight: "C", Price: 3.5, Size: 1, Exchange: 4, Underlying: und}
}

// write publishes recs as files called name in their partitions.
func write[T store.Record](t *testing.T, lake store.Lake, name string, recs ...T) {
	t.Helper()
	if _, err := store.WriteBronze(context.Background(), lake, recs, name); err != nil {
		t.Fatal(err)
	}
}

// stored is one message of the MARKET stream.
type stored struct {
	subject, tag, id string
	ts               int64
}

// streamMsgs reads the MARKET stream in stream order.
func streamMsgs(t *testing.T, js jetstream.JetStream) []stored {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, natsutil.MarketStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []stored
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("stream message %d: %v", seq, err)
		}
		var body struct {
			Source string `json:"source"`
			TS     int64  `json:"ts_event_ns"`
		}
		if err := json.Unmarshal(m.Data, &body); err != nil {
			t.Fatalf("stream message %d: %v: %s", seq, err, m.Data)
		}
		out = append(out, stored{subject: m.Subject, tag: body.Source, id: m.Header.Get(jetstream.MsgIDHeader), ts: body.TS})
	}
	return out
}

func tags(ms []stored) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.tag
	}
	return out
}

// streamCount is how many messages MARKET holds.
func streamCount(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), natsutil.MarketStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// logWatch is a slog handler that hands each record with message msg to
// on, synchronously: on may block the logging goroutine to hold it at that
// point.
type logWatch struct {
	msg string
	on  func(slog.Record)
	mu  *sync.Mutex
}

func (h logWatch) Enabled(context.Context, slog.Level) bool { return true }
func (h logWatch) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.on(r)
	}
	return nil
}
func (h logWatch) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h logWatch) WithGroup(string) slog.Handler      { return h }

// watchLog is a logger that calls on for each record with message msg.
func watchLog(msg string, on func(slog.Record)) *slog.Logger {
	return slog.New(logWatch{msg: msg, on: on, mu: &sync.Mutex{}})
}

// attrInt is the integer attribute key of r.
func attrInt(r slog.Record, key string) int64 {
	var v int64 = -1
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.Int64()
			return false
		}
		return true
	})
	return v
}
