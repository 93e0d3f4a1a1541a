// Package natsmsg is the contract of spysql's live path on NATS (DESIGN.md
// section 9): the subjects, the JSON payloads and their validation.
//
// Market data travels on
//
//	market.futures.trades.<SYM>      engine.FuturesTrade  (symbol = SYM)
//	market.futures.mbp10.<SYM>       engine.MBP10         (symbol = SYM)
//	market.stocks.trades.<SYM>       engine.StockTrade    (symbol = SYM)
//	market.options.trades.<UND>      engine.OptionTrade   (underlying = UND)
//	levels.signals.<UND>             Signal               (underlying = UND)
//
// Each payload is one JSON object whose keys are the Bronze column names of
// DESIGN.md section 4 (the partition key comes from the subject, never the
// payload). Option expirations are "YYYY-MM-DD" strings; everything else has
// its column's JSON type. Decode checks the subject, the JSON, the required
// fields of each kind and that both times fall in [2000, 2100); a failure
// is a *DecodeError, which the ingest dead-letters. Encode is its inverse,
// used by the replay publisher, so Decode(Encode(r)) == r.
package natsmsg
