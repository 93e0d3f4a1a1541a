package ingest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsmsg"
	"github.com/spysql/spysql/stream/natsutil"
)

// benchMessages publishes n messages of one kind to MARKET.
func benchMessages(b *testing.B, js jetstream.JetStream, kind string, n int) {
	b.Helper()
	ctx := context.Background()
	t0 := int64(1765890000) * 1e9 // 2025-12-16 13:00 UTC
	for i := range n {
		var data []byte
		var subject string
		var err error
		ts := t0 + int64(i)*int64(5*time.Millisecond)
		switch kind {
		case "trades":
			subject = natsmsg.Subject(natsmsg.FuturesTrades, "ES")
			data, err = natsmsg.EncodeFuturesTrade(&store.FuturesTrade{TsEventNS: ts, TsRecvNS: ts + 15000, Source: "nats",
				Instrument: "ESH6", Price: 6850 + float64(i%40)*0.25, Size: int64(1 + i%7), Aggressor: int8(i%3 - 1), Exchange: "XCME", Seq: int64(i)})
		default:
			subject = natsmsg.Subject(natsmsg.FuturesMBP10, "ES")
			r := store.MBP10{TsEventNS: ts, TsRecvNS: ts + 15000, Source: "nats", Instrument: "ESH6", Action: "A", Side: "B",
				Depth: int32(i % 10), Price: 6850, Size: 3, Seq: int64(i)}
			for l := range 10 {
				px, sz, ct := 6850-float64(l)*0.25, int64(10+l+i%5), int32(1+l%4)
				setLevel(&r, l, px, px+0.25+float64(l)*0.25, sz, sz+1, ct)
			}
			data, err = natsmsg.EncodeMBP10(&r)
		}
		if err != nil {
			b.Fatal(err)
		}
		if _, err := js.PublishAsync(subject, data); err != nil {
			b.Fatal(err)
		}
		if i%2000 == 1999 {
			<-js.PublishAsyncComplete()
		}
	}
	<-js.PublishAsyncComplete()
	_ = ctx
}

func setLevel(r *store.MBP10, l int, bid, ask float64, bsz, asz int64, ct int32) {
	bids := []*float64{&r.BidPx00, &r.BidPx01, &r.BidPx02, &r.BidPx03, &r.BidPx04, &r.BidPx05, &r.BidPx06, &r.BidPx07, &r.BidPx08, &r.BidPx09}
	asks := []*float64{&r.AskPx00, &r.AskPx01, &r.AskPx02, &r.AskPx03, &r.AskPx04, &r.AskPx05, &r.AskPx06, &r.AskPx07, &r.AskPx08, &r.AskPx09}
	bszs := []*int64{&r.BidSz00, &r.BidSz01, &r.BidSz02, &r.BidSz03, &r.BidSz04, &r.BidSz05, &r.BidSz06, &r.BidSz07, &r.BidSz08, &r.BidSz09}
	aszs := []*int64{&r.AskSz00, &r.AskSz01, &r.AskSz02, &r.AskSz03, &r.AskSz04, &r.AskSz05, &r.AskSz06, &r.AskSz07, &r.AskSz08, &r.AskSz09}
	bcts := []*int32{&r.BidCt00, &r.BidCt01, &r.BidCt02, &r.BidCt03, &r.BidCt04, &r.BidCt05, &r.BidCt06, &r.BidCt07, &r.BidCt08, &r.BidCt09}
	*bids[l], *asks[l], *bszs[l], *aszs[l], *bcts[l] = bid, ask, bsz, asz, ct
}

// bareConsume drains MARKET with a fresh durable that only acks.
func bareConsume(b *testing.B, js jetstream.JetStream, durable string, n int) time.Duration {
	b.Helper()
	ctx := context.Background()
	c, err := js.CreateOrUpdateConsumer(ctx, natsutil.MarketStream, jetstream.ConsumerConfig{
		Durable: durable, AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: 2 * (ingest.DefaultMaxRows + ingest.DefaultFetch),
	})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	it, err := c.Messages(jetstream.PullMaxMessages(ingest.DefaultFetch))
	if err != nil {
		b.Fatal(err)
	}
	defer it.Stop()
	for range n {
		m, err := it.Next()
		if err != nil {
			b.Fatal(err)
		}
		if err := m.Ack(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(t0)
}

// spysqlConsume lands MARKET in a fresh lake with a fresh durable and the
// default buffer settings; the time includes the last flush.
func spysqlConsume(b *testing.B, js jetstream.JetStream, durable string, n int) time.Duration {
	b.Helper()
	lake, err := store.OpenLake(b.TempDir(), true)
	if err != nil {
		b.Fatal(err)
	}
	in, err := ingest.New(js, ingest.Config{Lake: lake, Durable: durable})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	t0 := time.Now()
	go func() { done <- in.Run(ctx) }()
	for in.Stats().Messages < int64(n) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	el := time.Since(t0)
	if st := in.Stats(); st.Rows != int64(n) {
		b.Fatalf("landed %d rows, want %d", st.Rows, n)
	}
	return el
}

// BenchmarkIngestVsBare: messages per second from JetStream into Bronze
// Parquet against a bare consumer that only acks, on the same server and
// backlog, alternating within each iteration.
func BenchmarkIngestVsBare(b *testing.B) {
	for _, kind := range []struct {
		name string
		n    int
	}{{"trades", 400_000}, {"mbp10", 100_000}} {
		b.Run(kind.name, func(b *testing.B) {
			s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Shutdown()
			nc, err := nats.Connect(s.ClientURL())
			if err != nil {
				b.Fatal(err)
			}
			defer nc.Close()
			js, _ := jetstream.New(nc)
			if err := natsutil.EnsureStreams(context.Background(), js, 1); err != nil {
				b.Fatal(err)
			}
			benchMessages(b, js, kind.name, kind.n)
			var bare, spy time.Duration
			i := 0
			b.ResetTimer()
			for b.Loop() {
				bare += bareConsume(b, js, fmt.Sprintf("bare%d", i), kind.n)
				spy += spysqlConsume(b, js, fmt.Sprintf("spysql%d", i), kind.n)
				i++
			}
			msgs := float64(kind.n * i)
			b.ReportMetric(msgs/bare.Seconds(), "bare-msgs/s")
			b.ReportMetric(msgs/spy.Seconds(), "spysql-msgs/s")
			b.ReportMetric(bare.Seconds()/spy.Seconds(), "ratio")
		})
	}
}
