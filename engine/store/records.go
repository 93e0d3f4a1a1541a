package store

// Bronze record types: the canonical columns of docs/ARCHITECTURE.md ("Bronze records"), in file
// order. Partition keys (symbol/underlying, date, hour) are not stored in the
// files; they come from the Hive path, so those fields are tagged "-".
// Optional prices are written as NULL when zero (an undefined price).

// FuturesTrade is one futures trade print (bronze.futures_trades).
type FuturesTrade struct {
	TsEventNS  int64   `parquet:"ts_event_ns"`
	TsRecvNS   int64   `parquet:"ts_recv_ns"`
	Source     string  `parquet:"source,dict"`
	Instrument string  `parquet:"instrument,dict"`
	Price      float64 `parquet:"price"`
	Size       int64   `parquet:"size"`
	Aggressor  int8    `parquet:"aggressor,int(8)"`
	Exchange   string  `parquet:"exchange,dict"`
	Seq        int64   `parquet:"seq"`
	// Symbol is the root (ES), the symbol= partition.
	Symbol string `parquet:"-"`
}

// MBP10 is one market-by-price event with the top ten levels after it
// (bronze.futures_mbp10).
type MBP10 struct {
	TsEventNS  int64   `parquet:"ts_event_ns"`
	TsRecvNS   int64   `parquet:"ts_recv_ns"`
	Source     string  `parquet:"source,dict"`
	Instrument string  `parquet:"instrument,dict"`
	Action     string  `parquet:"action,dict"`
	Side       string  `parquet:"side,dict"`
	Depth      int32   `parquet:"depth"`
	Price      float64 `parquet:"price,optional"`
	Size       int64   `parquet:"size"`
	Flags      int32   `parquet:"flags"`
	Seq        int64   `parquet:"seq"`
	BidPx00    float64 `parquet:"bid_px_00,optional"`
	BidPx01    float64 `parquet:"bid_px_01,optional"`
	BidPx02    float64 `parquet:"bid_px_02,optional"`
	BidPx03    float64 `parquet:"bid_px_03,optional"`
	BidPx04    float64 `parquet:"bid_px_04,optional"`
	BidPx05    float64 `parquet:"bid_px_05,optional"`
	BidPx06    float64 `parquet:"bid_px_06,optional"`
	BidPx07    float64 `parquet:"bid_px_07,optional"`
	BidPx08    float64 `parquet:"bid_px_08,optional"`
	BidPx09    float64 `parquet:"bid_px_09,optional"`
	AskPx00    float64 `parquet:"ask_px_00,optional"`
	AskPx01    float64 `parquet:"ask_px_01,optional"`
	AskPx02    float64 `parquet:"ask_px_02,optional"`
	AskPx03    float64 `parquet:"ask_px_03,optional"`
	AskPx04    float64 `parquet:"ask_px_04,optional"`
	AskPx05    float64 `parquet:"ask_px_05,optional"`
	AskPx06    float64 `parquet:"ask_px_06,optional"`
	AskPx07    float64 `parquet:"ask_px_07,optional"`
	AskPx08    float64 `parquet:"ask_px_08,optional"`
	AskPx09    float64 `parquet:"ask_px_09,optional"`
	BidSz00    int64   `parquet:"bid_sz_00"`
	BidSz01    int64   `parquet:"bid_sz_01"`
	BidSz02    int64   `parquet:"bid_sz_02"`
	BidSz03    int64   `parquet:"bid_sz_03"`
	BidSz04    int64   `parquet:"bid_sz_04"`
	BidSz05    int64   `parquet:"bid_sz_05"`
	BidSz06    int64   `parquet:"bid_sz_06"`
	BidSz07    int64   `parquet:"bid_sz_07"`
	BidSz08    int64   `parquet:"bid_sz_08"`
	BidSz09    int64   `parquet:"bid_sz_09"`
	AskSz00    int64   `parquet:"ask_sz_00"`
	AskSz01    int64   `parquet:"ask_sz_01"`
	AskSz02    int64   `parquet:"ask_sz_02"`
	AskSz03    int64   `parquet:"ask_sz_03"`
	AskSz04    int64   `parquet:"ask_sz_04"`
	AskSz05    int64   `parquet:"ask_sz_05"`
	AskSz06    int64   `parquet:"ask_sz_06"`
	AskSz07    int64   `parquet:"ask_sz_07"`
	AskSz08    int64   `parquet:"ask_sz_08"`
	AskSz09    int64   `parquet:"ask_sz_09"`
	BidCt00    int32   `parquet:"bid_ct_00"`
	BidCt01    int32   `parquet:"bid_ct_01"`
	BidCt02    int32   `parquet:"bid_ct_02"`
	BidCt03    int32   `parquet:"bid_ct_03"`
	BidCt04    int32   `parquet:"bid_ct_04"`
	BidCt05    int32   `parquet:"bid_ct_05"`
	BidCt06    int32   `parquet:"bid_ct_06"`
	BidCt07    int32   `parquet:"bid_ct_07"`
	BidCt08    int32   `parquet:"bid_ct_08"`
	BidCt09    int32   `parquet:"bid_ct_09"`
	AskCt00    int32   `parquet:"ask_ct_00"`
	AskCt01    int32   `parquet:"ask_ct_01"`
	AskCt02    int32   `parquet:"ask_ct_02"`
	AskCt03    int32   `parquet:"ask_ct_03"`
	AskCt04    int32   `parquet:"ask_ct_04"`
	AskCt05    int32   `parquet:"ask_ct_05"`
	AskCt06    int32   `parquet:"ask_ct_06"`
	AskCt07    int32   `parquet:"ask_ct_07"`
	AskCt08    int32   `parquet:"ask_ct_08"`
	AskCt09    int32   `parquet:"ask_ct_09"`
	// Symbol is the root (ES), the symbol= partition.
	Symbol string `parquet:"-"`
}

// StockTrade is one equity trade print (bronze.stocks_trades).
type StockTrade struct {
	TsEventNS  int64   `parquet:"ts_event_ns"`
	TsRecvNS   int64   `parquet:"ts_recv_ns"`
	Source     string  `parquet:"source,dict"`
	Price      float64 `parquet:"price"`
	Size       int64   `parquet:"size"`
	Exchange   int32   `parquet:"exchange"`
	Conditions []int32 `parquet:"conditions,list"`
	TradeID    string  `parquet:"trade_id"`
	Seq        int64   `parquet:"seq"`
	Tape       int32   `parquet:"tape"`
	// Symbol is the ticker (SPY), the symbol= partition.
	Symbol string `parquet:"-"`
}

// OptionTrade is one listed option trade print (bronze.options_trades).
type OptionTrade struct {
	TsEventNS    int64  `parquet:"ts_event_ns"`
	TsRecvNS     int64  `parquet:"ts_recv_ns"`
	Source       string `parquet:"source,dict"`
	OptionSymbol string `parquet:"option_symbol,dict"`
	// Expiration is days since 1970-01-01 (Parquet DATE).
	Expiration  int32   `parquet:"expiration,date"`
	Strike      float64 `parquet:"strike"`
	OptionRight string  `parquet:"option_right,dict"`
	Price       float64 `parquet:"price"`
	Size        int64   `parquet:"size"`
	Exchange    int32   `parquet:"exchange"`
	Conditions  []int32 `parquet:"conditions,list"`
	// Underlying is the underlying ticker (SPY), the underlying= partition.
	Underlying string `parquet:"-"`
}
