package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsmsg"
	"github.com/spysql/spysql/stream/natsutil"
)

const (
	goodTrade = `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000001000,"source":"nats","price":680.5,"size":100,"exchange":4,"conditions":[12],"trade_id":"t1","seq":1,"tape":1}`
	goodSig   = `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000002000,"source":"model","level_kind":"PDH","level_price":681,"direction":"UP","spot":680.9,"touch_number":1,"minutes_since_open":12.5,"prediction":"BREAK","score":0.7,"model":"v1"}`
)

// Bad messages are acked, republished to deadletter.<subject> with the
// reason and counted; the good ones around them land.
func TestDeadLetters(t *testing.T) {
	s := startServer(t, t.TempDir(), 0)
	js := connect(t, s.ClientURL())
	ctx := context.Background()
	if err := natsutil.EnsureStreams(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		subject, data, reason string
	}{
		{"market.stocks.trades.SPY", `{not json`, "bad JSON"},
		{"market.stocks.trades.SPY", `{"ts_recv_ns":1765897200000001000,"source":"nats","price":1,"size":1}`, "missing ts_event_ns"},
		{"market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000001000,"source":"nats","price":"1.5","size":1}`, "bad JSON"},
		{"market.stocks.trades.SPY", `{"ts_event_ns":946684799999999999,"ts_recv_ns":1765897200000001000,"source":"nats","price":1,"size":1}`, "outside 2000-2100"},
		{"market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":4102444800000000000,"source":"nats","price":1,"size":1}`, "outside 2000-2100"},
		{"market.bonds.trades.ZN", goodTrade, "unknown subject"},
		{"market.stocks.trades", goodTrade, "unknown subject"},
		{"levels.other.SPY", goodSig, "unknown subject"},
		{"levels.signals.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000002000,"source":"m","level_kind":"PDH","level_price":681,"direction":"SIDEWAYS","spot":680.9}`, "direction"},
		{"market.options.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000001000,"source":"nats","option_symbol":"SPY251219C00600000","expiration":"12/19/2025","strike":600,"option_right":"C","price":1,"size":1}`, "expiration"},
	}
	for i, b := range bad {
		// A good message before each bad one.
		good := strings.Replace(goodTrade, `"seq":1`, fmt.Sprintf(`"seq":%d`, i+1), 1)
		if _, err := js.Publish(ctx, "market.stocks.trades.SPY", []byte(good)); err != nil {
			t.Fatal(err)
		}
		if _, err := js.Publish(ctx, b.subject, []byte(b.data)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := js.Publish(ctx, "levels.signals.SPY", []byte(goodSig)); err != nil {
		t.Fatal(err)
	}
	out := newLake(t)
	in, stop := startIngest(t, js, testConfig(out, nil))
	waitFor(t, 30*time.Second, "every message handled", func() bool {
		return settled(ctx, js, natsutil.MarketStream, ingest.DefaultDurable) &&
			settled(ctx, js, natsutil.LevelsStream, ingest.DefaultDurable)
	})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	st := in.Stats()
	if st.DeadLetters != int64(len(bad)) || st.Rows != int64(len(bad))+1 {
		t.Errorf("stats %+v: want %d dead letters and %d rows", st, len(bad), len(bad)+1)
	}
	rows := lakeRows(t, out)
	if len(rows[store.StocksTrades]) != len(bad) {
		t.Errorf("%d stock trades landed, want %d", len(rows[store.StocksTrades]), len(bad))
	}
	// Each bad message is in DEADLETTER once, in order, with its reason.
	c, err := js.OrderedConsumer(ctx, natsutil.DeadLetterStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := c.Fetch(len(bad)+1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got []jetstream.Msg
	for m := range batch.Messages() {
		got = append(got, m)
	}
	if len(got) != len(bad) {
		t.Fatalf("%d dead letters stored, want %d", len(got), len(bad))
	}
	// The two consumers run apart: order by original subject and data.
	key := func(subj, data string) string { return subj + " " + data }
	var want, have []string
	for _, b := range bad {
		want = append(want, key(natsmsg.DeadLetterPrefix+b.subject, b.data))
	}
	for i, m := range got {
		have = append(have, key(m.Subject(), string(m.Data())))
		reason := m.Headers().Get("Spysql-Error")
		orig := strings.TrimPrefix(m.Subject(), natsmsg.DeadLetterPrefix)
		ok := false
		for _, b := range bad {
			if b.subject == orig && b.data == string(m.Data()) && strings.Contains(reason, b.reason) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("dead letter %d on %s has reason %q, not the expected one", i, m.Subject(), reason)
		}
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		t.Errorf("dead letters\n got %q\nwant %q", have, want)
	}
}

// Signals land in gold/streaming/signals and read as gold.streaming_signals.
func TestSignalsToGold(t *testing.T) {
	s := startServer(t, t.TempDir(), 0)
	js := connect(t, s.ClientURL())
	ctx := context.Background()
	if err := natsutil.EnsureStreams(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	// Two hours (13:00 and 14:00 UTC), published out of order.
	type sig = natsmsg.Signal
	h13 := int64(1765890000) * 1e9 // 2025-12-16 13:00:00 UTC
	sigs := []sig{
		{TsEventNS: h13 + 3600e9 + 5, TsRecvNS: h13 + 3600e9 + 9, Source: "m", LevelKind: "OR_HIGH", LevelPrice: 682, Direction: "UP", Spot: 681.95, TouchNumber: 1, Model: "v1"},
		{TsEventNS: h13 + 7, TsRecvNS: h13 + 8, Source: "m", LevelKind: "PDH", LevelPrice: 681, Direction: "DOWN", Spot: 681.02, TouchNumber: 2, Prediction: "BOUNCE", Score: 0.61, Model: "v1"},
		{TsEventNS: h13 + 3, TsRecvNS: h13 + 4, Source: "m", LevelKind: "PDL", LevelPrice: 675, Direction: "UP", Spot: 674.98, TouchNumber: 1, MinutesSinceOpen: 0.5, Model: "v1"},
	}
	for _, sg := range sigs {
		b, err := json.Marshal(sg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := js.PublishMsg(ctx, &nats.Msg{Subject: "levels.signals.SPY", Data: b}); err != nil {
			t.Fatal(err)
		}
	}
	out := newLake(t)
	_, stop := startIngest(t, js, testConfig(out, nil))
	waitFor(t, 30*time.Second, "signals acked", func() bool {
		return settled(ctx, js, natsutil.LevelsStream, ingest.DefaultDurable)
	})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(ctx, out, duck.Config{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.SQL().QueryContext(ctx, `SELECT underlying, date, hour, ts_event_ns, level_kind, level_price, direction, spot, touch_number, prediction, score
		FROM gold.streaming_signals ORDER BY hour, ts_event_ns`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var u, d, h, kind, dir, pred string
		var ts int64
		var lp, spot, score float64
		var touch int32
		if err := rows.Scan(&u, &d, &h, &ts, &kind, &lp, &dir, &spot, &touch, &pred, &score); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %d %s %g %s %g %d %s %g", u, d, h, ts-h13, kind, lp, dir, spot, touch, pred, score))
	}
	want := []string{
		"SPY 2025-12-16 13 3 PDL 675 UP 674.98 1  0",
		"SPY 2025-12-16 13 7 PDH 681 DOWN 681.02 2 BOUNCE 0.61",
		"SPY 2025-12-16 14 3600000000005 OR_HIGH 682 UP 681.95 1  0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("gold.streaming_signals\n got %q\nwant %q", got, want)
	}
}
