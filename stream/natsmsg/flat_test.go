package natsmsg

import (
	"fmt"
	"math"
	"testing"
	"unsafe"

	json "github.com/goccy/go-json"

	"github.com/spysql/spysql/engine/store"
)

// flatAgrees decodes data with decodeFlat and, when that takes it, checks
// the JSON library reads the same bytes into the same values.
func flatAgrees(t *testing.T, data []byte) (took bool) {
	t.Helper()
	check := func(fast, lib any, ok bool) {
		if !ok {
			return
		}
		took = true
		if err := json.Unmarshal(data, lib); err != nil {
			t.Fatalf("decodeFlat took %q, the library rejects it: %v", data, err)
		}
		if f, l := fmt.Sprintf("%+v", fast), fmt.Sprintf("%+v", lib); f != l {
			t.Fatalf("%q:\n flat    %s\n library %s", data, f, l)
		}
	}
	ft := FuturesTradeJSON{TsEventNS: missing, TsRecvNS: missing, Price: math.NaN(), Size: missing}
	lt := ft
	check(&ft, &lt, decodeFlat(data, futuresTradeFields, unsafe.Pointer(&ft)))
	fm := MBP10JSON{TsEventNS: missing, TsRecvNS: missing, Size: missing}
	lm := fm
	check(&fm, &lm, decodeFlat(data, mbp10Fields, unsafe.Pointer(&fm)))
	return took
}

// decodeFlat reads what the encoders write, and gives the rest of JSON
// back to the library: each case here is either taken with the library's
// values or left to it.
func TestDecodeFlat(t *testing.T) {
	trade, err := EncodeFuturesTrade(&store.FuturesTrade{TsEventNS: ts, TsRecvNS: ts + 15000, Source: "nats",
		Instrument: "ESH6", Price: 6850.25, Size: 3, Aggressor: -1, Exchange: "XCME", Seq: 12345})
	if err != nil {
		t.Fatal(err)
	}
	mbp, err := EncodeMBP10(&store.MBP10{TsEventNS: ts, TsRecvNS: ts + 1, Source: "nats", Instrument: "ESH6",
		Action: "A", Side: "B", Depth: 2, Price: 0.1, Size: 3, Flags: -128, Seq: 99, BidPx00: 6850.25, AskPx09: 1e300,
		BidSz03: math.MaxInt64, AskSz00: math.MinInt64, AskCt09: math.MaxInt32, BidPx01: -0.0000001, BidPx02: 123456789.123456789})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data string
		took bool
	}{
		{"encoded trade", string(trade), true},
		{"encoded mbp10", string(mbp), true},
		{"spaces", " {\n\t\"price\" : 1.5 ,\r\"size\":2 } \n", true},
		{"empty object", `{}`, true},
		{"any key order", `{"seq":1,"price":-0,"ts_event_ns":5}`, true},
		{"exponent", `{"price":1e3}`, true},
		{"long fraction", `{"price":0.30000000000000004441}`, true},
		{"min int64", `{"seq":-9223372036854775808}`, true},
		{"int64 overflow", `{"seq":9223372036854775808}`, false},
		{"int8 overflow", `{"aggressor":128}`, false},
		{"fraction in int", `{"size":1.5}`, false},
		{"exponent in int", `{"size":1e2}`, false},
		{"leading zero", `{"size":01}`, false},
		{"plus sign", `{"size":+1}`, false},
		{"null", `{"size":null}`, false},
		{"escape", `{"source":"a\"b"}`, false},
		{"non-ASCII", `{"source":"é"}`, false},
		{"unknown key", `{"other":1}`, false},
		{"other case", `{"Price":1}`, false},
		{"repeated key", `{"price":1,"price":2}`, false},
		{"string for number", `{"price":"1"}`, false},
		{"number for string", `{"source":1}`, false},
		{"nested", `{"source":{}}`, false},
		{"trailing comma", `{"price":1,}`, false},
		{"trailing data", `{"price":1}x`, false},
		{"two objects", `{}{}`, false},
		{"array", `[1]`, false},
		{"truncated", `{"price":1`, false},
		{"empty", ``, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := flatAgrees(t, []byte(c.data)); got != c.took {
				t.Errorf("decodeFlat took it: %v, want %v", got, c.took)
			}
		})
	}
}

// FuzzDecodeFlat: whatever decodeFlat takes, the library reads the same.
func FuzzDecodeFlat(f *testing.F) {
	f.Add(`{"ts_event_ns":1765897200000000000,"ts_recv_ns":1765897200000015000,"source":"nats","instrument":"ESH6","price":6850.25,"size":3,"aggressor":-1,"exchange":"XCME","seq":12345}`)
	f.Add(`{"ts_event_ns":1765897200000000000,"source":"s","action":"A","side":"B","depth":2,"flags":-3,"bid_px_00":1.25e2,"ask_ct_09":7}`)
	f.Add(`{"price":-0.000001,"size":-0}`)
	f.Add(` { "price" : 1E+400 } `)
	f.Fuzz(func(t *testing.T, data string) { flatAgrees(t, []byte(data)) })
}
