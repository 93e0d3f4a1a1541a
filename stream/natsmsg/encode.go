package natsmsg

import (
	"time"

	json "github.com/goccy/go-json"

	"github.com/spysql/spysql/engine/store"
)

// EncodeFuturesTrade is the JSON payload of a futures trade.
func EncodeFuturesTrade(r *store.FuturesTrade) ([]byte, error) {
	return json.Marshal((*FuturesTradeJSON)(r))
}

// EncodeMBP10 is the JSON payload of an MBP-10 event.
func EncodeMBP10(r *store.MBP10) ([]byte, error) { return json.Marshal((*MBP10JSON)(r)) }

// EncodeStockTrade is the JSON payload of a stock trade.
func EncodeStockTrade(r *store.StockTrade) ([]byte, error) {
	return json.Marshal((*StockTradeJSON)(r))
}

// EncodeOptionTrade is the JSON payload of an option trade.
func EncodeOptionTrade(r *store.OptionTrade) ([]byte, error) {
	return json.Marshal(optionTradeJSON{
		TsEventNS: r.TsEventNS, TsRecvNS: r.TsRecvNS, Source: r.Source,
		OptionSymbol: r.OptionSymbol,
		Expiration:   time.Unix(int64(r.Expiration)*86400, 0).UTC().Format("2006-01-02"),
		Strike:       r.Strike, OptionRight: r.OptionRight, Price: r.Price, Size: r.Size,
		Exchange: r.Exchange, Conditions: r.Conditions,
	})
}

// EncodeSignal is the JSON payload of a signal.
func EncodeSignal(s *Signal) ([]byte, error) { return json.Marshal(s) }
