package duck_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// writeOneOfEach writes one record of every Bronze table at ts.
func writeOneOfEach(t *testing.T, lake store.Lake, ts int64, name string) {
	t.Helper()
	ctx := context.Background()
	must := func(_ []store.WrittenFile, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.WriteBronze(ctx, lake, []store.FuturesTrade{{TsEventNS: ts, TsRecvNS: ts + 1, Source: "synthetic", Symbol: "ES", Instrument: "ESZ5", Price: 6800.25, Size: 2, Aggressor: -1, Exchange: "XCME", Seq: 7}}, name))
	must(store.WriteBronze(ctx, lake, []store.MBP10{{TsEventNS: ts, TsRecvNS: ts + 1, Source: "synthetic", Symbol: "ES", Instrument: "ESZ5", Action: "T", Side: "A", Price: 6800.25, Size: 2, BidPx00: 6800, AskPx00: 6800.25, BidSz00: 10, AskSz00: 12, BidCt00: 3, AskCt00: 4}}, name))
	must(store.WriteBronze(ctx, lake, []store.StockTrade{{TsEventNS: ts, TsRecvNS: ts + 1, Source: "synthetic", Symbol: "SPY", Price: 680.01, Size: 100, Exchange: 4, Conditions: []int32{12, 37}, TradeID: "x1", Seq: 9, Tape: 2}}, name))
	must(store.WriteBronze(ctx, lake, []store.OptionTrade{{TsEventNS: ts, TsRecvNS: ts + 1, Source: "synthetic", Underlying: "SPY", OptionSymbol: "SPY251219C00600000", Expiration: calendar.Date{Year: 2025, Month: 12, Day: 19}.Days(), Strike: 600, OptionRight: "C", Price: 80.5, Size: 3, Exchange: 65, Conditions: []int32{209}}}, name))
}

// describeViews renders "view column type" for every Bronze view.
func describeViews(t *testing.T, db *duck.DB) string {
	t.Helper()
	var b strings.Builder
	for _, tb := range store.BronzeTables() {
		for _, r := range enginetest.QueryStrings(t, db, "SELECT column_name, column_type FROM (DESCRIBE bronze."+tb.Name()+")") {
			b.WriteString(tb.Name() + " " + r[0] + " " + r[1] + "\n")
		}
	}
	return b.String()
}

// TestBronzeViewSchemas pins every Bronze view's column names and types
// (docs/ARCHITECTURE.md, "Bronze records") for a lake with data and for an empty one.
func TestBronzeViewSchemas(t *testing.T) {
	golden := filepath.Join("testdata", "bronze_views.golden")
	lake := enginetest.Lake(t)
	writeOneOfEach(t, lake, enginetest.NS(t, "2025-12-15T14:35:00Z"), "one")
	got := describeViews(t, enginetest.OpenDB(t, lake))
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("views with data differ from %s:\n%s", golden, got)
	}
	empty := describeViews(t, enginetest.OpenDB(t, enginetest.Lake(t)))
	if empty != string(want) {
		t.Fatalf("empty views differ from %s:\n%s", golden, empty)
	}
	for _, tb := range store.BronzeTables() {
		if n := enginetest.QueryStrings(t, enginetest.OpenDB(t, enginetest.Lake(t)), "SELECT count(*) FROM bronze."+tb.Name()); n[0][0] != "0" {
			t.Fatalf("empty %s has %s rows", tb.Name(), n[0][0])
		}
	}
}

func TestBronzeValuesRoundTrip(t *testing.T) {
	lake := enginetest.Lake(t)
	writeOneOfEach(t, lake, enginetest.NS(t, "2025-12-15T14:35:00Z"), "one")
	db := enginetest.OpenDB(t, lake)
	tests := []struct{ q, want string }{
		{"SELECT symbol, date, hour, instrument, price, size, aggressor, exchange, seq, source FROM bronze.futures_trades",
			"ES 2025-12-15 14 ESZ5 6800.25 2 -1 XCME 7 synthetic"},
		{"SELECT action, side, price, bid_px_00, ask_px_00, bid_px_01 IS NULL, bid_sz_00, ask_ct_00 FROM bronze.futures_mbp10",
			"T A 6800.25 6800 6800.25 true 10 4"},
		{"SELECT symbol, price, size, exchange, conditions::VARCHAR, trade_id, tape FROM bronze.stocks_trades",
			"SPY 680.01 100 4 [12, 37] x1 2"},
		{"SELECT underlying, option_symbol, expiration, strike, option_right, conditions::VARCHAR FROM bronze.options_trades",
			"SPY SPY251219C00600000 2025-12-19T00:00:00Z 600 C [209]"},
	}
	for _, tc := range tests {
		rows := enginetest.QueryStrings(t, db, tc.q)
		if len(rows) != 1 || strings.Join(rows[0], " ") != tc.want {
			t.Errorf("%s\n got %v\nwant %s", tc.q, rows, tc.want)
		}
	}
}

// TestScopedBronze checks that scoping to trading dates reads exactly the
// UTC hours of their 04:00-20:00 ET windows, including the spill past UTC
// midnight, and that hour stays the string '00'.
func TestScopedBronze(t *testing.T) {
	lake := enginetest.Lake(t)
	for _, ts := range []string{
		"2025-12-12T21:00:00Z", // Fri 16:00 ET
		"2025-12-15T08:59:00Z", // Mon 03:59 ET: before the window
		"2025-12-15T09:00:00Z", // Mon 04:00 ET
		"2025-12-16T00:59:00Z", // Mon 19:59 ET, next UTC date
		"2025-12-16T09:00:00Z", // Tue 04:00 ET
	} {
		writeOneOfEach(t, lake, enginetest.NS(t, ts), "p"+strings.NewReplacer(":", "", "-", "").Replace(ts))
	}
	db := enginetest.OpenDB(t, lake)
	ctx := context.Background()
	mon := calendar.Date{Year: 2025, Month: 12, Day: 15}
	if err := db.RegisterBronze(ctx, []calendar.Date{mon}); err != nil {
		t.Fatal(err)
	}
	for _, tb := range store.BronzeTables() {
		rows := enginetest.QueryStrings(t, db, "SELECT date || ' ' || hour FROM bronze."+tb.Name()+" ORDER BY ts_event_ns")
		var got []string
		for _, r := range rows {
			got = append(got, r[0])
		}
		// 08:59 UTC on the 15th sits in hour 08, which is outside the window.
		if want := "2025-12-15 09,2025-12-16 00"; strings.Join(got, ",") != want {
			t.Errorf("%s scoped to %s: %v, want %s", tb.Name(), mon, got, want)
		}
	}
	// A weekend date scopes to nothing, with the right columns.
	if err := db.RegisterBronze(ctx, []calendar.Date{{Year: 2025, Month: 12, Day: 13}}); err != nil {
		t.Fatal(err)
	}
	if n := enginetest.QueryStrings(t, db, "SELECT count(*) FROM bronze.stocks_trades"); n[0][0] != "0" {
		t.Fatalf("weekend scope has %s rows", n[0][0])
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := enginetest.QueryStrings(t, db, "SELECT count(*) FROM bronze.stocks_trades"); n[0][0] != "5" {
		t.Fatalf("unscoped has %s rows, want 5", n[0][0])
	}
}

func TestCalendarSessionsTable(t *testing.T) {
	db := enginetest.OpenDB(t, enginetest.Lake(t))
	tests := []struct{ date, want string }{
		{"2025-11-28", "2025-11-28T09:00:00Z 2025-11-28T14:30:00Z 2025-11-28T18:00:00Z 2025-11-29T01:00:00Z true"},
		{"2025-07-07", "2025-07-07T08:00:00Z 2025-07-07T13:30:00Z 2025-07-07T20:00:00Z 2025-07-08T00:00:00Z false"},
	}
	for _, tc := range tests {
		rows := enginetest.QueryStrings(t, db, `SELECT make_timestamp(pm_open_ns // 1000), make_timestamp(rth_open_ns // 1000),
			make_timestamp(rth_close_ns // 1000), make_timestamp(post_close_ns // 1000), early_close
			FROM calendar.sessions WHERE date = ?::DATE`, tc.date)
		if len(rows) != 1 || strings.Join(rows[0], " ") != tc.want {
			t.Errorf("%s: %v, want %s", tc.date, rows, tc.want)
		}
	}
	if n := enginetest.QueryStrings(t, db, "SELECT count(*) FROM calendar.sessions WHERE date IN ('2025-01-09', '2025-04-18', '2025-12-25')"); n[0][0] != "0" {
		t.Fatalf("holidays present: %s", n[0][0])
	}
}

func TestEngineSettings(t *testing.T) {
	db := enginetest.OpenDB(t, enginetest.Lake(t))
	rows := enginetest.QueryStrings(t, db, `SELECT current_setting('TimeZone'), current_setting('threads'),
		current_setting('autoload_known_extensions'), current_setting('autoinstall_known_extensions'),
		(SELECT count(*) FROM duckdb_extensions() WHERE extension_name IN ('icu', 'parquet', 'json') AND loaded)`)
	if got := strings.Join(rows[0], " "); got != "UTC 2 false false 3" {
		t.Fatalf("settings: %s", got)
	}
}

func TestOpenLakeErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := store.OpenLake(file, true); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as lake: %v", err)
	}
	if _, err := store.OpenLake(filepath.Join(dir, "missing"), false); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing lake: %v", err)
	}
	if _, err := store.OpenLake("", true); err == nil {
		t.Error("empty path accepted")
	}
}
