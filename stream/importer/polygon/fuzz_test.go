package polygon

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzPolygonCSV feeds arbitrary bytes to both readers and every ticker to
// ParseOCC: no panic, no hang, and a parsed OCC symbol prints back as its
// input. The seed corpus is testdata/fuzz/FuzzPolygonCSV plus the fixtures.
func FuzzPolygonCSV(f *testing.F) {
	for _, name := range []string{"stocks_trades.csv", "stocks_trades_no_participant.csv", "options_trades.csv", "stocks_trades.csv.gz"} {
		b, err := os.ReadFile(filepath.Join(testDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if sr, err := NewStocksReader(bytes.NewReader(data)); err == nil {
			for range 1 << 16 {
				var tr StockTrade
				if err := sr.Read(&tr); err != nil {
					break
				}
				if tr.Ticker == "" {
					t.Fatal("row without ticker accepted")
				}
			}
			sr.Close()
		}
		or, err := NewOptionsReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer or.Close()
		for range 1 << 16 {
			var tr OptionTrade
			if err := or.Read(&tr); err == io.EOF || err != nil {
				return
			}
			checkOCC(t, tr.Ticker)
		}
	})
}

// FuzzParseOCC checks that ParseOCC only accepts what it can print back.
func FuzzParseOCC(f *testing.F) {
	for _, s := range []string{"O:SPY251219C00600000", "O:F250117P00012500", "GOOGL1250620C00150000", "O:SPY250230C00600000"} {
		f.Add(s)
	}
	f.Fuzz(checkOCC)
}

func checkOCC(t *testing.T, ticker string) {
	o, err := ParseOCC(ticker)
	if err != nil {
		return
	}
	back := fmt.Sprintf("%s%s%c%08d", o.Root, o.Expiration.Format("060102"), o.Right, o.StrikeMilli)
	if back != o.Symbol || o.Symbol != strings.TrimPrefix(ticker, "O:") {
		t.Fatalf("ParseOCC(%q) = %+v prints back as %q", ticker, o, back)
	}
}
