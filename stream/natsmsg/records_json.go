// Wire forms of the engine records: field names and types match
// engine/store/records.go exactly, so a value converts with a plain conversion
// (store.MBP10(m)); only the tags differ. Keep them in step.

package natsmsg

// FuturesTradeJSON is engine.FuturesTrade on the wire.
type FuturesTradeJSON struct {
	TsEventNS  int64   `json:"ts_event_ns"`
	TsRecvNS   int64   `json:"ts_recv_ns"`
	Source     string  `json:"source"`
	Instrument string  `json:"instrument"`
	Price      float64 `json:"price"`
	Size       int64   `json:"size"`
	Aggressor  int8    `json:"aggressor"`
	Exchange   string  `json:"exchange"`
	Seq        int64   `json:"seq"`
	// Symbol is the root (ES), the symbol= partition.
	Symbol string `json:"-"`
}

// MBP10JSON is engine.MBP10 on the wire.
type MBP10JSON struct {
	TsEventNS  int64   `json:"ts_event_ns"`
	TsRecvNS   int64   `json:"ts_recv_ns"`
	Source     string  `json:"source"`
	Instrument string  `json:"instrument"`
	Action     string  `json:"action"`
	Side       string  `json:"side"`
	Depth      int32   `json:"depth"`
	Price      float64 `json:"price"`
	Size       int64   `json:"size"`
	Flags      int32   `json:"flags"`
	Seq        int64   `json:"seq"`
	BidPx00    float64 `json:"bid_px_00"`
	BidPx01    float64 `json:"bid_px_01"`
	BidPx02    float64 `json:"bid_px_02"`
	BidPx03    float64 `json:"bid_px_03"`
	BidPx04    float64 `json:"bid_px_04"`
	BidPx05    float64 `json:"bid_px_05"`
	BidPx06    float64 `json:"bid_px_06"`
	BidPx07    float64 `json:"bid_px_07"`
	BidPx08    float64 `json:"bid_px_08"`
	BidPx09    float64 `json:"bid_px_09"`
	AskPx00    float64 `json:"ask_px_00"`
	AskPx01    float64 `json:"ask_px_01"`
	AskPx02    float64 `json:"ask_px_02"`
	AskPx03    float64 `json:"ask_px_03"`
	AskPx04    float64 `json:"ask_px_04"`
	AskPx05    float64 `json:"ask_px_05"`
	AskPx06    float64 `json:"ask_px_06"`
	AskPx07    float64 `json:"ask_px_07"`
	AskPx08    float64 `json:"ask_px_08"`
	AskPx09    float64 `json:"ask_px_09"`
	BidSz00    int64   `json:"bid_sz_00"`
	BidSz01    int64   `json:"bid_sz_01"`
	BidSz02    int64   `json:"bid_sz_02"`
	BidSz03    int64   `json:"bid_sz_03"`
	BidSz04    int64   `json:"bid_sz_04"`
	BidSz05    int64   `json:"bid_sz_05"`
	BidSz06    int64   `json:"bid_sz_06"`
	BidSz07    int64   `json:"bid_sz_07"`
	BidSz08    int64   `json:"bid_sz_08"`
	BidSz09    int64   `json:"bid_sz_09"`
	AskSz00    int64   `json:"ask_sz_00"`
	AskSz01    int64   `json:"ask_sz_01"`
	AskSz02    int64   `json:"ask_sz_02"`
	AskSz03    int64   `json:"ask_sz_03"`
	AskSz04    int64   `json:"ask_sz_04"`
	AskSz05    int64   `json:"ask_sz_05"`
	AskSz06    int64   `json:"ask_sz_06"`
	AskSz07    int64   `json:"ask_sz_07"`
	AskSz08    int64   `json:"ask_sz_08"`
	AskSz09    int64   `json:"ask_sz_09"`
	BidCt00    int32   `json:"bid_ct_00"`
	BidCt01    int32   `json:"bid_ct_01"`
	BidCt02    int32   `json:"bid_ct_02"`
	BidCt03    int32   `json:"bid_ct_03"`
	BidCt04    int32   `json:"bid_ct_04"`
	BidCt05    int32   `json:"bid_ct_05"`
	BidCt06    int32   `json:"bid_ct_06"`
	BidCt07    int32   `json:"bid_ct_07"`
	BidCt08    int32   `json:"bid_ct_08"`
	BidCt09    int32   `json:"bid_ct_09"`
	AskCt00    int32   `json:"ask_ct_00"`
	AskCt01    int32   `json:"ask_ct_01"`
	AskCt02    int32   `json:"ask_ct_02"`
	AskCt03    int32   `json:"ask_ct_03"`
	AskCt04    int32   `json:"ask_ct_04"`
	AskCt05    int32   `json:"ask_ct_05"`
	AskCt06    int32   `json:"ask_ct_06"`
	AskCt07    int32   `json:"ask_ct_07"`
	AskCt08    int32   `json:"ask_ct_08"`
	AskCt09    int32   `json:"ask_ct_09"`
	// Symbol is the root (ES), the symbol= partition.
	Symbol string `json:"-"`
}

// StockTradeJSON is engine.StockTrade on the wire.
type StockTradeJSON struct {
	TsEventNS  int64   `json:"ts_event_ns"`
	TsRecvNS   int64   `json:"ts_recv_ns"`
	Source     string  `json:"source"`
	Price      float64 `json:"price"`
	Size       int64   `json:"size"`
	Exchange   int32   `json:"exchange"`
	Conditions []int32 `json:"conditions"`
	TradeID    string  `json:"trade_id"`
	Seq        int64   `json:"seq"`
	Tape       int32   `json:"tape"`
	// Symbol is the ticker (SPY), the symbol= partition.
	Symbol string `json:"-"`
}
