package natsmsg

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/store"
)

func TestParseSubject(t *testing.T) {
	for _, c := range []struct {
		subject string
		kind    Kind
		key     string
		err     string
	}{
		{"market.futures.trades.ES", FuturesTrades, "ES", ""},
		{"market.futures.mbp10.ES", FuturesMBP10, "ES", ""},
		{"market.stocks.trades.SPY", StocksTrades, "SPY", ""},
		{"market.options.trades.SPY", OptionsTrades, "SPY", ""},
		{"levels.signals.QQQ", Signals, "QQQ", ""},
		{"market.stocks.trades.SPY.X", 0, "", "bad symbol"},
		{"market.stocks.trades.", 0, "", "bad symbol"},
		{"market.stocks.trades.A=B", 0, "", "bad symbol"},
		{"market.stocks.quotes.SPY", 0, "", "unknown subject"},
		{"levels.other.SPY", 0, "", "unknown subject"},
	} {
		k, key, err := ParseSubject(c.subject)
		if c.err != "" {
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(de.Reason, c.err) {
				t.Errorf("%s: err %v, want %q", c.subject, err, c.err)
			}
			continue
		}
		if err != nil || k != c.kind || key != c.key {
			t.Errorf("%s: got %v %q %v, want %v %q", c.subject, k, key, err, c.kind, c.key)
		}
		if Subject(k, key) != c.subject {
			t.Errorf("Subject(%v, %q) = %q", k, key, Subject(k, key))
		}
	}
}

const ts = 1765897200000000000 // 2025-12-16 15:00 UTC

func TestDecodeRejects(t *testing.T) {
	for _, c := range []struct {
		name, subject, data, reason string
	}{
		{"not json", "market.stocks.trades.SPY", `nope`, "bad JSON"},
		{"array", "market.stocks.trades.SPY", `[1,2]`, "bad JSON"},
		{"mistyped price", "market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","price":"x","size":1}`, "bad JSON"},
		{"mistyped size", "market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","price":1,"size":1.5}`, "bad JSON"},
		{"no ts_event", "market.stocks.trades.SPY", `{"ts_recv_ns":1765897200000000000,"source":"s","price":1,"size":1}`, "missing ts_event_ns"},
		{"null ts_recv", "market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":null,"source":"s","price":1,"size":1}`, "missing ts_recv_ns"},
		{"1999", "market.stocks.trades.SPY", `{"ts_event_ns":946684799000000000,"ts_recv_ns":1765897200000000000,"source":"s","price":1,"size":1}`, "outside 2000-2100"},
		{"2100", "market.stocks.trades.SPY", `{"ts_event_ns":4102444800000000000,"ts_recv_ns":1765897200000000000,"source":"s","price":1,"size":1}`, "outside 2000-2100"},
		{"no source", "market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"price":1,"size":1}`, "missing source"},
		{"no price", "market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","size":1}`, "missing price"},
		{"no size", "market.futures.trades.ES", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","instrument":"ESH6","price":1}`, "missing size"},
		{"no instrument", "market.futures.trades.ES", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","price":1,"size":1}`, "missing instrument"},
		{"mbp no side", "market.futures.mbp10.ES", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","instrument":"ESH6","action":"A","size":1}`, "missing side"},
		{"option right", "market.options.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","option_symbol":"X","expiration":"2025-12-19","strike":600,"option_right":"X","price":1,"size":1}`, "option_right"},
		{"option expiration", "market.options.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","option_symbol":"X","expiration":"2025/12/19","strike":600,"option_right":"C","price":1,"size":1}`, "expiration"},
		{"signal direction", "levels.signals.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","level_kind":"PDH","level_price":1,"direction":"up","spot":1}`, "direction"},
		{"signal spot", "levels.signals.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","level_kind":"PDH","level_price":1,"direction":"UP"}`, "spot"},
	} {
		_, err := decode(c.subject, []byte(c.data))
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(de.Reason, c.reason) {
			t.Errorf("%s: err %v, want a DecodeError with %q", c.name, err, c.reason)
		}
	}
}

// decode decodes any subject's payload into its record.
func decode(subject string, data []byte) (any, error) {
	k, key, err := ParseSubject(subject)
	if err != nil {
		return nil, err
	}
	switch k {
	case FuturesTrades:
		return DecodeFuturesTrade(subject, key, data)
	case FuturesMBP10:
		return DecodeMBP10(subject, key, data)
	case StocksTrades:
		return DecodeStockTrade(subject, key, data)
	case OptionsTrades:
		return DecodeOptionTrade(subject, key, data)
	}
	return DecodeSignal(subject, key, data)
}

func encode(r any) ([]byte, error) {
	switch v := r.(type) {
	case store.FuturesTrade:
		return EncodeFuturesTrade(&v)
	case store.MBP10:
		return EncodeMBP10(&v)
	case store.StockTrade:
		return EncodeStockTrade(&v)
	case store.OptionTrade:
		return EncodeOptionTrade(&v)
	case Signal:
		return EncodeSignal(&v)
	}
	panic("unknown record")
}

// Encode then Decode gives back the record, field for field.
func TestRoundTrip(t *testing.T) {
	mbp := store.MBP10{TsEventNS: ts, TsRecvNS: ts + 1, Source: "nats", Instrument: "ESH6", Action: "A", Side: "B",
		Depth: 2, Price: 6850.25, Size: 3, Flags: 128, Seq: 99, BidPx00: 6850.25, AskPx09: 6853, BidSz03: 7, AskCt09: 2, Symbol: "ES"}
	for _, c := range []struct {
		subject string
		rec     any
	}{
		{"market.futures.trades.ES", store.FuturesTrade{TsEventNS: ts, TsRecvNS: ts + 5, Source: "nats", Instrument: "ESH6", Price: 6850.5, Size: 2, Aggressor: -1, Exchange: "XCME", Seq: 7, Symbol: "ES"}},
		{"market.futures.mbp10.ES", mbp},
		{"market.stocks.trades.SPY", store.StockTrade{TsEventNS: ts, TsRecvNS: ts, Source: "polygon", Price: 680.01, Size: 100, Exchange: 4, Conditions: []int32{12, 37}, TradeID: "abc", Seq: 1, Tape: 3, Symbol: "SPY"}},
		{"market.options.trades.SPY", store.OptionTrade{TsEventNS: ts, TsRecvNS: ts + 2, Source: "polygon", OptionSymbol: "SPY251219C00600000", Expiration: 20441, Strike: 600, OptionRight: "C", Price: 80.5, Size: 1, Exchange: 313, Conditions: []int32{209}, Underlying: "SPY"}},
		{"levels.signals.SPY", Signal{TsEventNS: ts, TsRecvNS: ts + 3, Source: "m", LevelKind: "ROUND", LevelPrice: 680, Direction: "DOWN", Spot: 680.02, TouchNumber: 3, MinutesSinceOpen: 90.5, Prediction: "CHOP", Score: 0.4, Model: "v2", Underlying: "SPY"}},
	} {
		b, err := encode(c.rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decode(c.subject, b)
		if err != nil {
			t.Fatalf("%s: %v (payload %s)", c.subject, err, b)
		}
		if !reflect.DeepEqual(got, c.rec) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.subject, got, c.rec)
		}
	}
	// 2025-12-19 is day 20441 since the epoch.
	if b, _ := encode(store.OptionTrade{Expiration: 20441}); !strings.Contains(string(b), `"expiration":"2025-12-19"`) {
		t.Errorf("expiration encodes as %s", b)
	}
}

// FuzzDecode: no payload panics; whatever decodes re-encodes to itself.
func FuzzDecode(f *testing.F) {
	f.Add("market.stocks.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","price":1,"size":1,"conditions":[1]}`)
	f.Add("market.futures.mbp10.ES", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","instrument":"ESH6","action":"A","side":"B","size":1,"bid_px_00":1}`)
	f.Add("market.options.trades.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","option_symbol":"X","expiration":"2025-12-19","strike":600,"option_right":"P","price":1,"size":1}`)
	f.Add("levels.signals.SPY", `{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000000000,"source":"s","level_kind":"PDH","level_price":1,"direction":"UP","spot":1}`)
	f.Add("market.futures.trades.ES", `{"ts_event_ns":-1}`)
	f.Fuzz(func(t *testing.T, subject, data string) {
		r, err := decode(subject, []byte(data))
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is no DecodeError", err)
			}
			return
		}
		b, err := encode(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := decode(subject, b)
		if err != nil {
			t.Fatalf("re-decode %s: %v", b, err)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed %+v into %+v", r, r2)
		}
	})
}
