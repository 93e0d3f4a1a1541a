package manifests_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// The hand-made session. Times are seconds after the open (negative:
// before it); every record arrives 1 ms after its event unless noted.
//
// Prior session (regular hours): 100.00, 103.50, 97.50, then 98.40 a
// minute before its close: PDH 103.50, PDL 97.50, PDC 98.40.
// Premarket: 100.20 and 100.90 (PM_LOW, PM_HIGH), and 105.00 stamped a
// second before the open but received 10 s after it, after the opening
// trade, so it is not part of the premarket levels.
// Regular hours (SPY, 100 shares each):
//
//	  +5  100.55  opening trade; ROUND 98..103 (within $3 of 100.55)
//	 +60  100.62
//	+300  100.48  OR_HIGH 100.62, OR_LOW 100.48 (first 15 minutes)
//	+905  100.56  first trade past 15 minutes: OR levels active; it is
//	              within 0.25 of both: OR_HIGH fires UP (previous trade
//	              100.48 below it), OR_LOW fires DOWN (previous trade at it)
//	+1200 101.30  OR_HIGH: 101.30 >= 100.62+0.50 in 300 s: BREAK;
//	              OR_LOW (DOWN) sees 101.30 >= 100.48+0.50: BOUNCE
//	+1260 101.90  ROUND 102 fires UP (touch 1)
//	+1320 102.60  102 + 0.50 reached: BREAK; also > RESET_BAND: re-arms 102
//	+1500 102.70  last trade of the first 102 touch's horizon
//	+1600 102.20  ROUND 102 fires DOWN (touch 2, after the re-arm)
//	+1700 102.50  back to 102 + 0.50: BOUNCE; 0.50 is not > RESET_BAND
//	+1800 102.10  within the band but not re-armed: no touch
//	+2400 101.60
//	+3000 101.20  ROUND 101 fires DOWN (touch 1; it was never within 0.25)
//	+3100 101.25
//	+3250 101.35  nothing moved 0.50 in 300 s: CHOP
//	+16200 103.05 14:00 New York: ROUND 103 fires UP on a full day; after
//	              an early close (13:00) it is not a regular-hours trade
type fixtureTouch struct {
	at        int // seconds after the open
	kind      string
	level     float64
	direction string
	touch     int
	outcome   string
	fwdPx     float64 // last trade of the horizon (0: none)
	spot      float64
}

var fixtureTouches = []fixtureTouch{
	{905, "OR_HIGH", 100.62, "UP", 1, "BREAK", 101.30, 100.56},
	{905, "OR_LOW", 100.48, "DOWN", 1, "BOUNCE", 101.30, 100.56},
	{1260, "ROUND", 102, "UP", 1, "BREAK", 102.70, 101.90},
	{1600, "ROUND", 102, "DOWN", 2, "BOUNCE", 102.10, 102.20},
	{3000, "ROUND", 101, "DOWN", 1, "CHOP", 101.35, 101.20},
	{16200, "ROUND", 103, "UP", 1, "CHOP", 0, 103.05},
}

var fixtureSPY = []struct {
	at    int
	price float64
}{
	{5, 100.55}, {60, 100.62}, {300, 100.48}, {905, 100.56}, {1200, 101.30}, {1260, 101.90},
	{1320, 102.60}, {1500, 102.70}, {1600, 102.20}, {1700, 102.50}, {1800, 102.10},
	{2400, 101.60}, {3000, 101.20}, {3100, 101.25}, {3250, 101.35}, {16200, 103.05},
}

const ms = int64(1e6)

// writeFixture writes the hand-made prior session and session d into lake.
func writeFixture(t *testing.T, lake store.Lake, cal *calendar.Calendar, d calendar.Date) calendar.Session {
	t.Helper()
	ctx := context.Background()
	s, ok, err := cal.Session(d)
	if err != nil || !ok {
		t.Fatalf("%s: no session", d)
	}
	pd, err := cal.PrevTradingDay(d)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := cal.Session(pd)
	if err != nil {
		t.Fatal(err)
	}
	open, pOpen, pClose := s.RTHOpen.UnixNano(), p.RTHOpen.UnixNano(), p.RTHClose.UnixNano()
	at := func(base int64, sec int) int64 { return base + int64(sec)*1e9 }
	var seq int64
	var spy []store.StockTrade
	addSPY := func(ev, recv int64, px float64) {
		seq++
		spy = append(spy, store.StockTrade{TsEventNS: ev, TsRecvNS: recv, Source: "fixture", Price: px, Size: 100,
			Exchange: 4, TradeID: fmt.Sprint(seq), Seq: seq, Tape: 2, Symbol: "SPY"})
	}
	for _, x := range []struct {
		ev int64
		px float64
	}{{at(pOpen, 60), 100.00}, {at(pOpen, 120), 103.50}, {at(pOpen, 180), 97.50}, {at(pClose, -60), 98.40}} {
		addSPY(x.ev, x.ev+ms, x.px)
	}
	pm := s.PMOpen.UnixNano()
	addSPY(at(pm, 3600), at(pm, 3600)+ms, 100.20)
	addSPY(at(pm, 7200), at(pm, 7200)+ms, 100.90)
	addSPY(at(open, -1), at(open, 10), 105.00) // late: after the opening trade
	for _, x := range fixtureSPY {
		addSPY(at(open, x.at), at(open, x.at)+ms, x.price)
	}

	// ES: front contract by premarket book events (three ESZ5, one ESH6).
	var book []store.MBP10
	addBook := func(ev int64, inst, action, side string, px float64, size int64, askPx0, askStep float64, askSz func(int) int64) {
		seq++
		r := store.MBP10{TsEventNS: ev, TsRecvNS: ev + ms, Source: "fixture", Instrument: inst, Action: action,
			Side: side, Price: px, Size: size, Flags: 128, Seq: seq, Symbol: "ES"}
		bids := []*float64{&r.BidPx00, &r.BidPx01, &r.BidPx02, &r.BidPx03, &r.BidPx04, &r.BidPx05, &r.BidPx06, &r.BidPx07, &r.BidPx08, &r.BidPx09}
		asks := []*float64{&r.AskPx00, &r.AskPx01, &r.AskPx02, &r.AskPx03, &r.AskPx04, &r.AskPx05, &r.AskPx06, &r.AskPx07, &r.AskPx08, &r.AskPx09}
		bsz := []*int64{&r.BidSz00, &r.BidSz01, &r.BidSz02, &r.BidSz03, &r.BidSz04, &r.BidSz05, &r.BidSz06, &r.BidSz07, &r.BidSz08, &r.BidSz09}
		asz := []*int64{&r.AskSz00, &r.AskSz01, &r.AskSz02, &r.AskSz03, &r.AskSz04, &r.AskSz05, &r.AskSz06, &r.AskSz07, &r.AskSz08, &r.AskSz09}
		for i := range 10 {
			*asks[i] = askPx0 + askStep*float64(i)
			*bids[i] = askPx0 - 0.5 - askStep*float64(i)
			*asz[i] = askSz(i)
			*bsz[i] = 1000
		}
		book = append(book, r)
	}
	five := func(int) int64 { return 5 }
	tens := func(i int) int64 { return 10 * int64(i+1) }
	for i := range 3 {
		addBook(at(pm, 600+i), "ESZ5", "A", "B", 1000, 1, 1005.25, 0.25, five)
	}
	addBook(at(pm, 700), "ESH6", "A", "B", 1000, 1, 1005.25, 0.25, five)
	// For the ROUND 102 touch at +1260 (spot 101.90): 240 s earlier
	// (+1020) the book of +600 holds: asks 1010.25..1019.25, 5 each.
	addBook(at(open, 600), "ESZ5", "A", "B", 1000, 1, 1010.25, 1, five)
	// At the decision the book of +1258 holds: mid (1018.75+1019.25)/2 =
	// 1019 = 10 x spot, so the level is 1020 ES and the band 2.5; asks
	// 1019.25 + i with sizes 10(i+1): 1019.25, 1020.25, 1021.25, 1022.25
	// are within the band: 10+20+30+40 = 100. Before: 1018.25 and
	// 1019.25, 5 each = 10. Adds minus cancels on the ask within the band
	// in (+1020, +1260]: +7 (+1255) - 3 (+1258) = 4; the bid add at +1256
	// and the ask add after the decision do not count.
	addBook(at(open, 1255), "ESZ5", "A", "A", 1020.25, 7, 1019.25, 1, tens)
	addBook(at(open, 1256), "ESZ5", "A", "B", 1018.75, 50, 1019.25, 1, tens)
	addBook(at(open, 1258), "ESZ5", "C", "A", 1021.25, 3, 1019.25, 1, tens)
	addBook(at(open, 1260)+ms, "ESZ5", "A", "A", 1020.25, 900, 1019.25, 1, func(int) int64 { return 900 })

	// ES trades: in (+1200.001, +1260.001]: buy 5 at 1010.00 (+1230),
	// sell 2 at 1010.50 (+1250); outside: +1150 and +1260.002 (after).
	var es []store.FuturesTrade
	for _, x := range []struct {
		sec  int
		off  int64
		px   float64
		size int64
		agg  int8
	}{{1150, 0, 1009.00, 100, 1}, {1230, 0, 1010.00, 5, 1}, {1250, 0, 1010.50, 2, -1}, {1260, 2 * ms, 1011.00, 50, 1}} {
		seq++
		ev := at(open, x.sec) + x.off
		es = append(es, store.FuturesTrade{TsEventNS: ev, TsRecvNS: ev + ms, Source: "fixture", Instrument: "ESZ5",
			Price: x.px, Size: x.size, Aggressor: x.agg, Exchange: "XCME", Seq: seq, Symbol: "ES"})
	}

	// Options for the ROUND 102 touch: a same-day 102 call (10 @ 1.50,
	// +1000), a next-week 101 put (4 @ 0.80, +1100), a 105 call (out of
	// the $2 range) and a 102 call after the decision. Calls 10, puts 4,
	// premium 1500 - 320 = 1180, same-day share 10/14, nearest strike
	// (102) share 10/14.
	var opts []store.OptionTrade
	for _, x := range []struct {
		sec    int
		off    int64
		strike float64
		right  string
		exp    calendar.Date
		px     float64
		size   int64
	}{{1000, 0, 102, "C", d, 1.50, 10}, {1100, 0, 101, "P", d.AddDays(7), 0.80, 4},
		{1150, 0, 105, "C", d, 0.10, 100}, {1260, 5 * ms, 102, "C", d, 1.60, 1000}} {
		ev := at(open, x.sec) + x.off
		opts = append(opts, store.OptionTrade{TsEventNS: ev, TsRecvNS: ev + ms, Source: "fixture",
			OptionSymbol: fmt.Sprintf("SPY%s%s%08d", strings.ReplaceAll(x.exp.String()[2:], "-", ""), x.right, int(x.strike*1000)),
			Expiration:   x.exp.Days(), Strike: x.strike, OptionRight: x.right, Price: x.px, Size: x.size, Exchange: 1,
			Underlying: "SPY"})
	}
	name := "fixture-" + d.String()
	for _, err := range []error{
		write(ctx, lake, spy, name), write(ctx, lake, book, name), write(ctx, lake, es, name), write(ctx, lake, opts, name),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func write[T store.Record](ctx context.Context, lake store.Lake, recs []T, name string) error {
	_, err := store.WriteBronze(ctx, lake, recs, name)
	return err
}

// TestHandFixture runs v1.0 and v2.0 on the hand-made session of a DST
// switch day (2025-11-03, the first EST session; its prior session is
// EDT) and of an early close (2025-11-28, 13:00; prior 2025-11-26), and
// checks every level, touch and label and the features of the ROUND 102
// touch against the values worked out above.
func TestHandFixture(t *testing.T) {
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		date  string
		early bool
	}{{"2025-11-03", false}, {"2025-11-28", true}} {
		t.Run(tc.date, func(t *testing.T) {
			root := t.TempDir()
			lake, err := store.OpenLake(root, true)
			if err != nil {
				t.Fatal(err)
			}
			s := writeFixture(t, lake, cal, mustDate(t, tc.date))
			if s.EarlyClose != tc.early {
				t.Fatalf("%s early close %v", tc.date, s.EarlyClose)
			}
			open := s.RTHOpen.UnixNano()
			for _, m := range []string{"v1.0_mechanics_only.yaml", "v2.0_full_ensemble.yaml"} {
				got := queryFixture(t, root, m, tc.date)
				var want []string
				for _, x := range fixtureTouches {
					if tc.early && x.at >= 12600 { // 13:00 is 3.5 h after the open
						continue
					}
					fwd := 0.0
					if x.fwdPx != 0 {
						fwd = (x.fwdPx/x.spot - 1) * 1e4
					}
					want = append(want, fmt.Sprintf("%d|%s|%g|%d|%g|%s|%g|%d|%s|%.9f",
						open+int64(x.at)*1e9, x.kind, x.level, open+int64(x.at)*1e9+ms, x.spot, x.direction,
						float64(x.at)/60, x.touch, x.outcome, fwd))
				}
				sort.Strings(want)
				if strings.Join(got.touches, "\n") != strings.Join(want, "\n") {
					t.Fatalf("%s touches:\n got %s\nwant %s", m, strings.Join(got.touches, "\n     "), strings.Join(want, "\n     "))
				}
				checkFeatures(t, m, got.round102)
				if m == "v2.0_full_ensemble.yaml" {
					// Bars ending by +1260.001: the trades received in regular-hours
					// minutes so far (the late 105.00 arrived at +10 s, in the first
					// one): VWAP (100.55+100.62+100.48+100.56+101.30+105.00)/6.
					vwap := 60851.0 / 600.0
					near(t, "ta_vwap_dist_bps", got.round102["ta_vwap_dist_bps"], (101.90/vwap-1)*1e4)
					// Other levels active at +905 within 0.50 of OR_HIGH 100.62:
					// OR_LOW 100.48, PM_HIGH 100.90, PM_LOW 100.20, ROUND 101.
					near(t, "confluence_count", got.orHigh["confluence_count"], 4)
				}
			}
			levels := fixtureLevels(t, root, tc.date)
			wantLevels := []string{"OR_HIGH 100.62 +905", "OR_LOW 100.48 +905", "PDC 98.4 +5", "PDH 103.5 +5", "PDL 97.5 +5",
				"PM_HIGH 100.9 +5", "PM_LOW 100.2 +5", "ROUND 98 +5", "ROUND 99 +5", "ROUND 100 +5", "ROUND 101 +5",
				"ROUND 102 +5", "ROUND 103 +5"}
			var gotLevels []string
			for _, l := range levels {
				gotLevels = append(gotLevels, fmt.Sprintf("%s %g +%d", l.kind, l.price, (l.active-ms-open)/1e9))
			}
			if strings.Join(gotLevels, ", ") != strings.Join(wantLevels, ", ") {
				t.Fatalf("levels:\n got %s\nwant %s", strings.Join(gotLevels, ", "), strings.Join(wantLevels, ", "))
			}
		})
	}
}

// checkFeatures compares the ROUND 102 touch at +1260 with the values
// worked out in writeFixture.
func checkFeatures(t *testing.T, m string, f map[string]float64) {
	t.Helper()
	want := map[string]float64{
		"barrier_es_level": 1020, "barrier_size_now": 100, "barrier_size_before": 10, "barrier_delta_liq": 90,
		"barrier_net_adds": 4,
		"tape_buy_vol":     5, "tape_sell_vol": 2, "tape_imbalance": 3.0 / 7, "tape_velocity": 0.5 / 60,
		"tape_trade_rate": 2.0 / 60, "tape_imbalance_toward": 3.0 / 7,
		"fuel_call_vol": 10, "fuel_put_vol": 4, "fuel_signed_premium": 1180, "fuel_0dte_share": 10.0 / 14,
		"fuel_strike_concentration": 10.0 / 14,
	}
	for k, v := range want {
		near(t, m+" "+k, f[k], v)
	}
	if f["barrier_state_vacuum"] != 1 {
		t.Errorf("%s barrier_state: want VACUUM (100 contracts <= VACUUM_MAX_SIZE)", m)
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// fixtureResult is what TestHandFixture reads back from a bundle.
type fixtureResult struct {
	touches  []string           // key, decision, signal columns and labels, formatted
	round102 map[string]float64 // numeric features of the ROUND 102 touch at +1260
	orHigh   map[string]float64 // of the OR_HIGH touch
}

func queryFixture(t *testing.T, root, manifest, date string) fixtureResult {
	t.Helper()
	conn, b, s := openBundle(t, root, manifest, date)
	ctx := context.Background()
	view := b.Manifest.Output.View
	q := fmt.Sprintf(`SELECT * FROM %s WHERE ts_event_ns >= %d AND ts_event_ns < %d ORDER BY ts_event_ns, level_kind, level_price`,
		view, s.RTHOpen.UnixNano(), s.RTHClose.UnixNano())
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	res := fixtureResult{}
	open := s.RTHOpen.UnixNano()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := map[string]any{}
		num := map[string]float64{}
		for i, c := range cols {
			r[c] = vals[i]
			switch v := vals[i].(type) {
			case int64:
				num[c] = float64(v)
			case int32:
				num[c] = float64(v)
			case float64:
				num[c] = v
			}
		}
		if r["barrier_state"] == "VACUUM" {
			num["barrier_state_vacuum"] = 1
		}
		res.touches = append(res.touches, fmt.Sprintf("%d|%s|%g|%d|%g|%s|%g|%d|%s|%.9f",
			r["ts_event_ns"], r["level_kind"], r["level_price"], r["ts_recv_ns"], r["spot"], r["direction"],
			r["minutes_since_open"], r["touch_number"], r["outcome"], r["fwd_return_bps"]))
		if r["level_kind"] == "ROUND" && r["level_price"] == 102.0 && r["ts_event_ns"] == open+1260*int64(1e9) {
			res.round102 = num
		}
		if r["level_kind"] == "OR_HIGH" {
			res.orHigh = num
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(res.touches)
	if res.round102 == nil || res.orHigh == nil {
		t.Fatalf("%s: the ROUND 102 or OR_HIGH touch is missing:\n%s", manifest, strings.Join(res.touches, "\n"))
	}
	return res
}

type fixtureLevel struct {
	kind   string
	price  float64
	active int64
}

// fixtureLevels reads the levels view of v1.0 for the session.
func fixtureLevels(t *testing.T, root, date string) []fixtureLevel {
	t.Helper()
	conn, _, _ := openBundle(t, root, "v1.0_mechanics_only.yaml", date)
	rows, err := conn.QueryContext(context.Background(),
		fmt.Sprintf("SELECT level_kind, level_price, active_from_ns FROM levels WHERE session_date = DATE '%s' ORDER BY level_kind, level_price", date))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []fixtureLevel
	for rows.Next() {
		var l fixtureLevel
		if err := rows.Scan(&l.kind, &l.price, &l.active); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}
