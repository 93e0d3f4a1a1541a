// Package synthmarket is spysql's deterministic synthetic market: for every
// trading day of a date range it writes Bronze files (docs/ARCHITECTURE.md,
// "The lake" and "Bronze records") for ES futures trades and MBP-10 book events, SPY stock trades and
// SPY option trades, with source "synthetic".
//
// # Determinism
//
// Every random draw comes from a PCG generator seeded from (Config.Seed,
// date, stream), so a date's files depend only on the seed, the scale and
// the date: generating 2025-12-15 alone or as part of a month gives the same
// bytes. Nothing is carried from one day to the next. Instead, each calendar
// day n has an anchor price, a deterministic function of the seed and n (a
// slow drift plus value noise at octaves of 1..1024 days, so it wanders like
// a random walk): a day opens at its anchor at 04:00 ET and closes at the
// anchor of n+1 at 20:00 ET, which is the next day's open (over weekends and
// holidays the anchor moves on, giving a small gap). A day's high and low
// are also drawn from (seed, date) alone, so the next day knows its prior-day
// high and low without simulating the day before. testdata/golden_hashes.txt
// pins the bytes of one day, so output that drifts with a Go release or a
// compiler's fused multiply-add (allowed by the Go spec on arm64, or with
// GOAMD64=v3) fails TestGoldenHashes; the same hashes hold with GOAMD64=v1
// and v3 today, because prices are rounded to ticks before they are written.
//
// # The price path
//
// SPY's mid price is simulated once per second from 04:00 to 20:00 ET as a
// chain of bridges: open -> first extreme -> second extreme -> close, where
// the extremes are the day's high and low, placed inside regular trading
// hours, and the path is reflected inside [low, high]. Volatility is higher
// in regular hours, thin outside, and clusters (log-volatility is an AR(1)
// process). The path reacts at levels: the prior day's high and low, the
// premarket (04:00-09:30 ET) high and low once regular hours open, and
// whole dollars. On reaching a level it either bounces (the level holds as a
// barrier and the price is pushed away for one to four minutes) or breaks
// through with momentum; bounces are more likely at stronger levels and in
// calm markets. The path does not depend on Config.Scale: the scale only sets
// how densely it is sampled by events.
//
// # Instruments
//
// ES trades at ten times SPY plus a basis (cost of carry to the contract's
// expiry, fixed for the day), on 0.25 ticks. The instrument is the front
// quarterly contract: the first of Mar/Jun/Sep/Dec whose expiry (the third
// Friday) falls after the date, e.g. ESZ5 on 2025-12-15 and ESH6 from
// 2025-12-19. The ES book is ten contiguous levels a side, 0.25 apart,
// tracking the fair price; around a level reaction the defending side shows a
// wall (bounce) or thins out (break) and aggressors lean in the direction of
// the move. MBP-10 events: A adds size at a level (size = quantity added,
// possibly a new price level inside the spread), C removes size (size =
// quantity removed; a fill after a trade is a C), M changes a level's size in
// place (size = the new level size), T is a trade (price and size of the
// print, side = aggressor, B buy or A sell, depth 0). A T row shows the book
// before the fill; the fill follows as a C with the same ts_event_ns and the
// next seq. Every row's book has bid_px_00 < ask_px_00, strictly monotone
// levels and positive sizes and counts. flags is 128 (F_LAST) on the last row
// of an event and 0 on a T row. At small scales events are sparse, so the
// book re-centres on the fair price between events when it moved more than
// the spread. FuturesTrade.seq is the seq of the matching T row.
//
// SPY trades print at the bid or ask in cents (Polygon-style exchange ids,
// conditions 12 = extended hours, 14 = intermarket sweep, 37 = odd lot).
// Options trade from 09:30 ET until 15 minutes after the close, on OCC
// symbols (SPY251219C00600000) with expiries on the day itself (0DTE), the
// next two trading days, the next two Fridays and the next two monthly
// expiries (third Fridays), all moved to the previous trading day when they
// fall on a holiday. Strikes are whole dollars around spot, wider for longer
// expiries; prices are Black-Scholes values with a skew, on 0.01 ticks under
// $3 and 0.05 above.
//
// # Volume and files
//
// Config.Scale 1 is roughly a real day: about 2M MBP-10 rows, 0.45M ES
// trades, 0.3M SPY trades and 0.25M option trades, with a U-shaped intraday
// profile in regular hours and thin extended hours. Days are generated and
// written one UTC hour at a time (one store.WriteBronze call per table and
// hour), so memory is bounded by the busiest hour. Files are named from the
// seed and scale (synthetic-s1-x0.01.parquet): rerunning the same
// configuration is a no-op, another seed or scale adds files beside it.
package synthmarket
