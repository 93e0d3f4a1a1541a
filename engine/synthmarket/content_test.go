package synthmarket

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// TestLakeContent reads a generated lake back with DuckDB: a DST switch
// (2025-03-07..10) and the Christmas week with an early close, a holiday
// and a weekend (2025-12-23..29).
func TestLakeContent(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t)
	dir := t.TempDir()
	ranges := []Config{
		{Start: mustDate(t, "2025-03-07"), End: mustDate(t, "2025-03-10"), Scale: testScale},
		{Start: mustDate(t, "2025-12-23"), End: mustDate(t, "2025-12-29"), Scale: testScale},
	}
	var lake store.Lake
	var sessions []calendar.Session
	for _, cfg := range ranges {
		lake, _ = genLake(t, dir, cfg)
		ss, err := Sessions(cal, cfg)
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, ss...)
	}
	if len(sessions) != 6 {
		t.Fatalf("%d sessions, want 6", len(sessions))
	}
	db := openDuckDB(t, lake)
	t.Run("partitions", func(t *testing.T) { checkPartitions(t, db, cal, sessions) })
	t.Run("session window", func(t *testing.T) { checkSessionWindow(t, db, sessions) })
	t.Run("book", func(t *testing.T) { checkBook(t, db) })
	t.Run("prices", func(t *testing.T) { checkPrices(t, db) })
	t.Run("options", func(t *testing.T) { checkOptions(t, db) })
}

// checkPartitions: every row sits in the partition of the UTC date and hour
// of its ts_event_ns, and partitions are exactly hours of trading sessions
// (none of a weekend or holiday, other than the 00 UTC spill of the
// evening before).
func checkPartitions(t *testing.T, db *sql.DB, cal *calendar.Calendar, sessions []calendar.Session) {
	hours := map[string]bool{}
	for _, s := range sessions {
		for _, h := range cal.BronzeHours(s) {
			hours[h.Date+" "+h.Hour] = true
		}
	}
	for _, tb := range store.BronzeTables() {
		q := `SELECT count(*) FILTER (WHERE strftime(make_timestamp(ts_event_ns // 1000), '%Y-%m-%d') <> date
		         OR strftime(make_timestamp(ts_event_ns // 1000), '%H') <> hour),
		        count(*) FILTER (WHERE ` + tb.KeyColumn() + ` <> ` + map[bool]string{true: "'SPY'", false: "'ES'"}[tb == store.StocksTrades || tb == store.OptionsTrades] + `),
		        count(*) FILTER (WHERE source <> 'synthetic'), count(*) FROM ` + tb.Name()
		got := queryInts(t, db, q, 4)
		if got[0] != 0 || got[1] != 0 || got[2] != 0 || got[3] == 0 {
			t.Errorf("%s: %d rows in the wrong hour, %d wrong symbol, %d wrong source, of %d", tb.Name(), got[0], got[1], got[2], got[3])
		}
		rows, err := db.Query(`SELECT DISTINCT date, hour FROM ` + tb.Name() + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var d, h string
			if err := rows.Scan(&d, &h); err != nil {
				t.Fatal(err)
			}
			n++
			if !hours[d+" "+h] {
				t.Errorf("%s: partition date=%s/hour=%s is outside every session", tb.Name(), d, h)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if tb != store.OptionsTrades && n != len(hours) {
			t.Errorf("%s: %d partitions, want one for each of the %d session hours", tb.Name(), n, len(hours))
		}
	}
	// Christmas: only the spill of the 24th's evening (19:00-20:00 ET).
	got := queryInts(t, db, `SELECT count(DISTINCT hour), count(*) FILTER (WHERE hour <> '00') FROM stocks_trades WHERE date = '2025-12-25'`, 2)
	if got[0] != 1 || got[1] != 0 {
		t.Errorf("2025-12-25 has %d hours, %d rows outside hour 00", got[0], got[1])
	}
}

// checkSessionWindow: trades fall inside 04:00-20:00 ET of a trading day
// (options from the open to 15 minutes after the close), far denser in
// regular hours; ts_recv_ns is a little after ts_event_ns.
func checkSessionWindow(t *testing.T, db *sql.DB, sessions []calendar.Session) {
	for _, tb := range []store.Table{store.FuturesTrades, store.FuturesMBP10, store.StocksTrades, store.OptionsTrades} {
		rows, err := db.Query(`SELECT ts_event_ns, ts_recv_ns FROM ` + tb.Name())
		if err != nil {
			t.Fatal(err)
		}
		var inRTH, outRTH, bad, badRecv int
		var rthSec, outSec float64
		for _, s := range sessions {
			rthSec += s.RTHClose.Sub(s.RTHOpen).Seconds()
			outSec += s.PostClose.Sub(s.PMOpen).Seconds() - s.RTHClose.Sub(s.RTHOpen).Seconds()
		}
		for rows.Next() {
			var ev, recv int64
			if err := rows.Scan(&ev, &recv); err != nil {
				t.Fatal(err)
			}
			if recv <= ev || recv-ev > int64(50*time.Millisecond) {
				badRecv++
			}
			ts := time.Unix(0, ev)
			found := false
			for _, s := range sessions {
				from, to := s.PMOpen, s.PostClose
				if tb == store.OptionsTrades {
					from, to = s.RTHOpen, s.RTHClose.Add(15*time.Minute)
				}
				if !ts.Before(from) && ts.Before(to) {
					found = true
					if !ts.Before(s.RTHOpen) && ts.Before(s.RTHClose) {
						inRTH++
					} else {
						outRTH++
					}
				}
			}
			if !found {
				bad++
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if bad != 0 || badRecv != 0 {
			t.Errorf("%s: %d rows outside the sessions, %d with ts_recv_ns not a little after ts_event_ns", tb.Name(), bad, badRecv)
		}
		rthRate, outRate := float64(inRTH)/rthSec, float64(outRTH)/outSec
		if tb != store.OptionsTrades && (outRTH == 0 || rthRate < 5*outRate) {
			t.Errorf("%s: %.3f rows/s in regular hours vs %.3f outside, want thin but non-empty extended hours", tb.Name(), rthRate, outRate)
		}
	}
	// The early close of 2025-12-24 (13:00 ET = 18:00 UTC): the afternoon
	// is as thin as the evening.
	got := queryInts(t, db, `SELECT count(*) FILTER (WHERE hour IN ('15', '16')), count(*) FILTER (WHERE hour IN ('19', '20'))
		FROM stocks_trades WHERE date = '2025-12-24'`, 2)
	if got[0] < 5*got[1] || got[1] == 0 {
		t.Errorf("2025-12-24: %d SPY trades 10:00-12:00 ET vs %d 14:00-16:00 ET, want the early close", got[0], got[1])
	}
}

// checkBook: every MBP-10 row leaves a consistent ten-level book, and each
// T row matches a futures trade.
func checkBook(t *testing.T, db *sql.DB) {
	var bad []string
	bad = append(bad, "bid_px_00 >= ask_px_00", "price IS NULL OR price * 4 <> round(price * 4)",
		"action NOT IN ('A', 'C', 'M', 'T')", "side NOT IN ('B', 'A')", "depth NOT BETWEEN 0 AND 9",
		"size <= 0", "flags NOT IN (0, 128) OR (flags = 0) <> (action = 'T')",
		"action = 'T' AND (depth <> 0 OR price <> CASE side WHEN 'B' THEN ask_px_00 ELSE bid_px_00 END OR size > CASE side WHEN 'B' THEN ask_sz_00 ELSE bid_sz_00 END)",
		"action <> 'T' AND price <> CASE side WHEN 'B' THEN bid_px_00 - 0.25 * depth ELSE ask_px_00 + 0.25 * depth END AND action <> 'C'",
		"instrument NOT IN ('ESH5', 'ESH6')",
		"(date < '2025-06-01') <> (instrument = 'ESH5')")
	for i := 0; i < bookDepth; i++ {
		for _, s := range []string{"bid", "ask"} {
			bad = append(bad, fmt.Sprintf("%s_sz_%02d <= 0 OR %s_ct_%02d <= 0 OR %s_ct_%02d > %s_sz_%02d OR %s_px_%02d IS NULL", s, i, s, i, s, i, s, i, s, i))
		}
		if i > 0 {
			bad = append(bad, fmt.Sprintf("bid_px_%02d <> bid_px_%02d - 0.25 OR ask_px_%02d <> ask_px_%02d + 0.25", i, i-1, i, i-1))
		}
	}
	var sel []string
	for _, c := range bad {
		sel = append(sel, "count(*) FILTER (WHERE "+c+")")
	}
	got := queryInts(t, db, "SELECT "+strings.Join(sel, ", ")+", count(*) FROM futures_mbp10", len(bad)+1)
	for i, c := range bad {
		if got[i] != 0 {
			t.Errorf("%d of %d MBP-10 rows have %s", got[i], got[len(bad)], c)
		}
	}
	// seq grows with time, one T row per futures trade, with the same print.
	got = queryInts(t, db, `SELECT
		(SELECT count(*) FROM (SELECT ts_event_ns < lag(ts_event_ns) OVER (ORDER BY seq) AS back FROM futures_mbp10) WHERE back),
		(SELECT count(*) FROM futures_mbp10 WHERE action = 'T'),
		(SELECT count(*) FROM futures_trades),
		(SELECT count(*) FROM futures_trades f JOIN futures_mbp10 m USING (seq)
		  WHERE m.action = 'T' AND f.ts_event_ns = m.ts_event_ns AND f.price = m.price AND f.size = m.size
		    AND f.instrument = m.instrument AND f.aggressor = CASE m.side WHEN 'B' THEN 1 ELSE -1 END),
		(SELECT count(*) FROM futures_trades WHERE aggressor NOT IN (1, -1) OR size <= 0 OR exchange = '')`, 5)
	if got[0] != 0 || got[1] != got[2] || got[3] != got[2] || got[4] != 0 {
		t.Errorf("seq out of time order %d; T rows %d, trades %d, matching %d, bad trades %d", got[0], got[1], got[2], got[3], got[4])
	}
}

// checkPrices: prices on their ticks, ES about ten times SPY minute by
// minute, with both aggressor sides.
func checkPrices(t *testing.T, db *sql.DB) {
	got := queryInts(t, db, `SELECT
		(SELECT count(*) FROM stocks_trades WHERE abs(price * 100 - round(price * 100)) > 1e-6 OR size <= 0 OR tape <> 2 OR trade_id = ''),
		(SELECT count(*) FROM futures_trades WHERE price * 4 <> round(price * 4)),
		(SELECT count(DISTINCT aggressor) FROM futures_trades)`, 3)
	if got[0] != 0 || got[1] != 0 || got[2] != 2 {
		t.Errorf("%d SPY trades off the cent tick or malformed, %d ES trades off 0.25, %d aggressor values", got[0], got[1], got[2])
	}
	var lo, hi float64
	var n int64
	err := db.QueryRow(`WITH es AS (SELECT ts_event_ns // 60000000000 AS m, avg(price) AS p FROM futures_trades GROUP BY 1),
		spy AS (SELECT ts_event_ns // 60000000000 AS m, avg(price) AS p FROM stocks_trades GROUP BY 1)
		SELECT min(es.p / spy.p), max(es.p / spy.p), count(*) FROM es JOIN spy USING (m)`).Scan(&lo, &hi, &n)
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 || lo < 9.98 || hi > 10.15 {
		t.Errorf("ES/SPY per minute in [%.4f, %.4f] over %d minutes, want about 10", lo, hi, n)
	}
}

// checkOptions: OCC symbols parse back to the expiration, strike and right
// columns; several expiries from 0DTE out, strikes around spot.
func checkOptions(t *testing.T, db *sql.DB) {
	got := queryInts(t, db, `SELECT
		count(*) FILTER (WHERE length(option_symbol) <> 18 OR NOT starts_with(option_symbol, 'SPY')
		  OR strptime(substr(option_symbol, 4, 6), '%y%m%d')::DATE <> expiration
		  OR substr(option_symbol, 10, 1) <> option_right
		  OR substr(option_symbol, 11, 8)::INTEGER / 1000.0 <> strike
		  OR option_right NOT IN ('C', 'P') OR price <= 0 OR size <= 0 OR strike <> round(strike)),
		count(*) FILTER (WHERE expiration < make_timestamp((ts_event_ns - 5 * 3600000000000) // 1000)::DATE),
		count(*) FILTER (WHERE expiration = make_timestamp((ts_event_ns - 5 * 3600000000000) // 1000)::DATE),
		count(DISTINCT expiration), count(DISTINCT option_right), count(*)
		FROM options_trades`, 6)
	if got[0] != 0 || got[1] != 0 {
		t.Errorf("%d option rows whose symbol does not match their columns, %d expired", got[0], got[1])
	}
	if got[2]*5 < got[5] || got[3] < 8 || got[4] != 2 {
		t.Errorf("%d 0DTE of %d option trades, %d expiries, %d rights", got[2], got[5], got[3], got[4])
	}
	var far int64
	err := db.QueryRow(`WITH spy AS (SELECT ts_event_ns // 60000000000 AS m, avg(price) AS p FROM stocks_trades GROUP BY 1)
		SELECT count(*) FROM options_trades o JOIN spy ON o.ts_event_ns // 60000000000 = spy.m
		WHERE abs(o.strike - spy.p) > 0.1 * spy.p`).Scan(&far)
	if err != nil {
		t.Fatal(err)
	}
	if far != 0 {
		t.Errorf("%d option trades with strikes more than 10%% from spot", far)
	}
}
