package natsmsg

import (
	"fmt"
	"math"
	"time"
	"unsafe"

	json "github.com/goccy/go-json"

	"github.com/spysql/spysql/engine/store"
)

// Valid event and capture times: [2000-01-01, 2100-01-01) UTC.
var (
	MinTimeNS = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	MaxTimeNS = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
)

// missing marks a required number the payload did not set (JSON cannot
// carry NaN, and no valid time or size is MinInt64).
const missing = math.MinInt64

func bad(subject, format string, args ...any) error {
	return &DecodeError{Subject: subject, Reason: fmt.Sprintf(format, args...)}
}

func unmarshal(subject string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return bad(subject, "bad JSON: %v", err)
	}
	return nil
}

// common checks the fields every record has.
func common(subject string, tsEvent, tsRecv int64, source string) error {
	switch {
	case tsEvent == missing:
		return bad(subject, "missing ts_event_ns")
	case tsRecv == missing:
		return bad(subject, "missing ts_recv_ns")
	case tsEvent < MinTimeNS || tsEvent >= MaxTimeNS:
		return bad(subject, "ts_event_ns %d outside 2000-2100", tsEvent)
	case tsRecv < MinTimeNS || tsRecv >= MaxTimeNS:
		return bad(subject, "ts_recv_ns %d outside 2000-2100", tsRecv)
	case source == "":
		return bad(subject, "missing source")
	}
	return nil
}

func priceSize(subject string, price float64, size int64) error {
	switch {
	case math.IsNaN(price):
		return bad(subject, "missing price")
	case math.IsInf(price, 0):
		return bad(subject, "price is not finite")
	case size == missing:
		return bad(subject, "missing size")
	}
	return nil
}

// DecodeFuturesTrade decodes a market.futures.trades.<key> payload.
// Required: ts_event_ns, ts_recv_ns, source, instrument, price, size.
func DecodeFuturesTrade(subject, key string, data []byte) (store.FuturesTrade, error) {
	unset := FuturesTradeJSON{TsEventNS: missing, TsRecvNS: missing, Price: math.NaN(), Size: missing}
	m := unset
	if !decodeFlat(data, futuresTradeFields, unsafe.Pointer(&m)) {
		m = unset
		if err := unmarshal(subject, data, &m); err != nil {
			return store.FuturesTrade{}, err
		}
	}
	if err := common(subject, m.TsEventNS, m.TsRecvNS, m.Source); err != nil {
		return store.FuturesTrade{}, err
	}
	if m.Instrument == "" {
		return store.FuturesTrade{}, bad(subject, "missing instrument")
	}
	if err := priceSize(subject, m.Price, m.Size); err != nil {
		return store.FuturesTrade{}, err
	}
	m.Symbol = key
	return store.FuturesTrade(m), nil
}

// DecodeMBP10 decodes a market.futures.mbp10.<key> payload. Required:
// ts_event_ns, ts_recv_ns, source, instrument, action, side, size; price
// may be absent (an undefined price, stored as NULL like zero).
func DecodeMBP10(subject, key string, data []byte) (store.MBP10, error) {
	var r store.MBP10
	if err := DecodeMBP10Into(&r, subject, key, data); err != nil {
		return store.MBP10{}, err
	}
	return r, nil
}

// DecodeMBP10Into is DecodeMBP10 into *dst, all of which it overwrites: a
// record is 600 bytes, each copy of it a cost on the ingest's hot path.
func DecodeMBP10Into(dst *store.MBP10, subject, key string, data []byte) error {
	m := (*MBP10JSON)(dst)
	*m = MBP10JSON{TsEventNS: missing, TsRecvNS: missing, Size: missing}
	if !decodeFlat(data, mbp10Fields, unsafe.Pointer(m)) {
		*m = MBP10JSON{TsEventNS: missing, TsRecvNS: missing, Size: missing}
		if err := unmarshal(subject, data, m); err != nil {
			return err
		}
	}
	if err := common(subject, m.TsEventNS, m.TsRecvNS, m.Source); err != nil {
		return err
	}
	switch {
	case m.Instrument == "":
		return bad(subject, "missing instrument")
	case m.Action == "":
		return bad(subject, "missing action")
	case m.Side == "":
		return bad(subject, "missing side")
	case m.Size == missing:
		return bad(subject, "missing size")
	}
	m.Symbol = key
	return nil
}

// DecodeStockTrade decodes a market.stocks.trades.<key> payload. Required:
// ts_event_ns, ts_recv_ns, source, price, size.
func DecodeStockTrade(subject, key string, data []byte) (store.StockTrade, error) {
	m := StockTradeJSON{TsEventNS: missing, TsRecvNS: missing, Price: math.NaN(), Size: missing}
	if err := unmarshal(subject, data, &m); err != nil {
		return store.StockTrade{}, err
	}
	if err := common(subject, m.TsEventNS, m.TsRecvNS, m.Source); err != nil {
		return store.StockTrade{}, err
	}
	if err := priceSize(subject, m.Price, m.Size); err != nil {
		return store.StockTrade{}, err
	}
	m.Symbol = key
	return store.StockTrade(m), nil
}

// optionTradeJSON is store.OptionTrade on the wire: the expiration is a
// "YYYY-MM-DD" string.
type optionTradeJSON struct {
	TsEventNS    int64   `json:"ts_event_ns"`
	TsRecvNS     int64   `json:"ts_recv_ns"`
	Source       string  `json:"source"`
	OptionSymbol string  `json:"option_symbol"`
	Expiration   string  `json:"expiration"`
	Strike       float64 `json:"strike"`
	OptionRight  string  `json:"option_right"`
	Price        float64 `json:"price"`
	Size         int64   `json:"size"`
	Exchange     int32   `json:"exchange"`
	Conditions   []int32 `json:"conditions"`
}

// DecodeOptionTrade decodes a market.options.trades.<key> payload.
// Required: ts_event_ns, ts_recv_ns, source, option_symbol, expiration
// (YYYY-MM-DD), strike, option_right (C or P), price, size.
func DecodeOptionTrade(subject, key string, data []byte) (store.OptionTrade, error) {
	m := optionTradeJSON{TsEventNS: missing, TsRecvNS: missing, Price: math.NaN(), Size: missing, Strike: math.NaN()}
	if err := unmarshal(subject, data, &m); err != nil {
		return store.OptionTrade{}, err
	}
	if err := common(subject, m.TsEventNS, m.TsRecvNS, m.Source); err != nil {
		return store.OptionTrade{}, err
	}
	if err := priceSize(subject, m.Price, m.Size); err != nil {
		return store.OptionTrade{}, err
	}
	switch {
	case m.OptionSymbol == "":
		return store.OptionTrade{}, bad(subject, "missing option_symbol")
	case math.IsNaN(m.Strike) || math.IsInf(m.Strike, 0):
		return store.OptionTrade{}, bad(subject, "missing strike")
	case m.OptionRight != "C" && m.OptionRight != "P":
		return store.OptionTrade{}, bad(subject, "option_right %q is not C or P", m.OptionRight)
	}
	exp, err := time.Parse("2006-01-02", m.Expiration)
	if err != nil {
		return store.OptionTrade{}, bad(subject, "expiration %q is not YYYY-MM-DD", m.Expiration)
	}
	return store.OptionTrade{
		TsEventNS: m.TsEventNS, TsRecvNS: m.TsRecvNS, Source: m.Source,
		OptionSymbol: m.OptionSymbol, Expiration: int32(exp.Unix() / 86400), Strike: m.Strike,
		OptionRight: m.OptionRight, Price: m.Price, Size: m.Size, Exchange: m.Exchange,
		Conditions: m.Conditions, Underlying: key,
	}, nil
}

// DecodeSignal decodes a levels.signals.<key> payload (see Signal for the
// required fields).
func DecodeSignal(subject, key string, data []byte) (Signal, error) {
	m := Signal{TsEventNS: missing, TsRecvNS: missing, LevelPrice: math.NaN(), Spot: math.NaN()}
	if err := unmarshal(subject, data, &m); err != nil {
		return Signal{}, err
	}
	if err := common(subject, m.TsEventNS, m.TsRecvNS, m.Source); err != nil {
		return Signal{}, err
	}
	switch {
	case m.LevelKind == "":
		return Signal{}, bad(subject, "missing level_kind")
	case !(m.LevelPrice > 0) || math.IsInf(m.LevelPrice, 0):
		return Signal{}, bad(subject, "level_price missing or not positive")
	case m.Direction != "UP" && m.Direction != "DOWN":
		return Signal{}, bad(subject, "direction %q is not UP or DOWN", m.Direction)
	case !(m.Spot > 0) || math.IsInf(m.Spot, 0):
		return Signal{}, bad(subject, "spot missing or not positive")
	}
	m.Underlying = key
	return m, nil
}
