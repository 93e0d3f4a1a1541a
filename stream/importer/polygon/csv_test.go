package polygon

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const testDir = "../../../testdata/polygon"

func openTest(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(testDir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readStocks(t *testing.T, r io.Reader) ([]StockTrade, error) {
	t.Helper()
	sr, err := NewStocksReader(r)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	var out []StockTrade
	for {
		var tr StockTrade
		if err := sr.Read(&tr); err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		out = append(out, tr)
	}
}

var wantStocks = []StockTrade{
	{Ticker: "SPY", Conditions: []int32{12, 37}, Exchange: 11, ID: "52983525029461", ParticipantTimestamp: 1735828200123456789,
		Price: 584.64, SequenceNumber: 1001, SIPTimestamp: 1735828200123500000, Size: 100, Tape: 2},
	{Ticker: "SPY", Conditions: []int32{12, 37}, Exchange: 11, ID: "52983525029461", ParticipantTimestamp: 1735828200123456789,
		Price: 584.64, SequenceNumber: 1001, SIPTimestamp: 1735828200123500000, Size: 100, Tape: 2},
	{Ticker: "SPY", Exchange: 12, ID: "52983525034100", Price: 584.65, SequenceNumber: 1002,
		SIPTimestamp: 1735828200500000000, Size: 5, Tape: 2},
	{Ticker: "AAPL", Conditions: []int32{37}, Exchange: 4, ID: "71675", ParticipantTimestamp: 1735828200700000000,
		Price: 243.85, SequenceNumber: 2001, SIPTimestamp: 1735828200700100000, Size: 3, Tape: 3,
		TRFID: 202, TRFTimestamp: 1735828200699000000},
	{Ticker: "SPY", Conditions: []int32{12, 14, 41}, Exchange: 15, ID: "52983525034200", ParticipantTimestamp: 1735831800000000001,
		Price: 585.10, SequenceNumber: 1003, SIPTimestamp: 1735831800000300000, Size: 250, Tape: 2},
}

func TestStocksFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []StockTrade
	}{
		{"stocks_trades.csv", wantStocks},
		{"stocks_trades.csv.gz", wantStocks},
		{"stocks_trades_no_participant.csv", []StockTrade{
			{Ticker: "QQQ", Conditions: []int32{12, 37}, Exchange: 8, ID: "9001", Price: 514.2, SequenceNumber: 77,
				SIPTimestamp: 1735830000000000000, Size: 10, Tape: 3},
			{Ticker: "QQQ", Exchange: 8, ID: "9002", Price: 514.25, SequenceNumber: 78,
				SIPTimestamp: 1735830000000000500, Size: 20, Tape: 3},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := readStocks(t, openTest(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("rows:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	// Event time: participant_timestamp, or sip_timestamp when it is 0 or missing.
	if got := wantStocks[0].EventNS(); got != 1735828200123456789 {
		t.Errorf("EventNS = %d", got)
	}
	if got := wantStocks[2].EventNS(); got != 1735828200500000000 {
		t.Errorf("EventNS without participant = %d", got)
	}
}

func TestOptionsFixture(t *testing.T) {
	or, err := NewOptionsReader(openTest(t, "options_trades.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer or.Close()
	var got []OptionTrade
	for {
		var tr OptionTrade
		if err := or.Read(&tr); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		got = append(got, tr)
	}
	want := []OptionTrade{
		{Ticker: "O:SPY251219C00600000", Conditions: []int32{209}, Exchange: 302, Price: 12.35, SIPTimestamp: 1735828260000000000, Size: 1},
		{Ticker: "O:SPY251219C00600000", Conditions: []int32{209, 219}, Exchange: 303, ParticipantTimestamp: 1735828260100000000,
			Price: 12.40, SIPTimestamp: 1735828260100500000, Size: 10},
		{Ticker: "O:F250117P00012500", Conditions: []int32{209}, Exchange: 312, Price: 0.41, SIPTimestamp: 1735835400000000000, Size: 25},
		{Ticker: "O:GOOGL1250620C00150000", Conditions: []int32{232, 233}, Exchange: 301, Price: 41.1, SIPTimestamp: 1735835400000200000, Size: 2},
		{Ticker: "O:SPY250103P00584000", Exchange: 316, Price: 1.05, SIPTimestamp: 1735828200900000000, Size: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseOCC(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want OCC
		err  string
	}{
		{in: "O:SPY251219C00600000", want: OCC{"SPY251219C00600000", "SPY", day(2025, 12, 19), 'C', 600000}},
		{in: "SPY251219C00600000", want: OCC{"SPY251219C00600000", "SPY", day(2025, 12, 19), 'C', 600000}},
		{in: "O:F250117P00012500", want: OCC{"F250117P00012500", "F", day(2025, 1, 17), 'P', 12500}},
		{in: "O:GOOGL1250620C00150000", want: OCC{"GOOGL1250620C00150000", "GOOGL1", day(2025, 6, 20), 'C', 150000}},
		{in: "O:SPXW240229P04800500", want: OCC{"SPXW240229P04800500", "SPXW", day(2024, 2, 29), 'P', 4800500}},
		{in: "O:250117P00012500", err: "16 to 21"},
		{in: "O:ABCDEFG250117P00012500", err: "16 to 21"},
		{in: "O:spy251219C00600000", err: "bad root"},
		{in: "O:SPY251319C00600000", err: "bad expiration"},
		{in: "O:SPY250230C00600000", err: "bad expiration"},
		{in: "O:SPY25121XC00600000", err: "bad expiration"},
		{in: "O:SPY251219X00600000", err: "not C or P"},
		{in: "O:SPY251219C0060000A", err: "bad strike"},
		{in: "", err: "16 to 21"},
	}
	for _, tc := range tests {
		got, err := ParseOCC(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseOCC(%q) = %+v, %v; want error %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseOCC(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	o, _ := ParseOCC("O:F250117P00012500")
	if o.Strike() != 12.5 || o.ExpirationDays() != 20105 {
		t.Errorf("strike %v days %d", o.Strike(), o.ExpirationDays())
	}
}

func TestBadCSV(t *testing.T) {
	const header = "ticker,conditions,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty file"},
		{"no sip_timestamp column", "ticker,price,size\nSPY,1,1\n", `no "sip_timestamp" column`},
		{"duplicate column", "ticker,price,price,size,sip_timestamp\n", "appears twice"},
		{"bad price", header + "SPY,,1,1,0,abc,1,1,1,1\n", "line 2: column price"},
		{"missing size", header + "SPY,,1,1,0,1.5,1,1,,1\n", "column size \"\": missing value"},
		{"fractional size", header + "SPY,,1,1,0,1.5,1,1,1.5,1\n", "not an integer"},
		{"bad conditions", header + "SPY,\"12,x\",1,1,0,1.5,1,1,1,1\n", "not a list of integers"},
		{"missing ticker", header + ",,1,1,0,1.5,1,1,1,1\n", "column ticker"},
		{"short row", header + "SPY,,1\n", "line 2"},
		{"bare quote", header + "SPY,\"12,1,1,0,1.5,1,1,1,1\n", "line 2"},
		{"exchange out of range", header + "SPY,,9999999999,1,0,1.5,1,1,1,1\n", "out of range"},
		{"bad gzip", "\x1f\x8b\x08garbage", "gzip"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readStocks(t, strings.NewReader(tc.in))
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrFormat containing %q", err, tc.want)
			}
		})
	}
}
