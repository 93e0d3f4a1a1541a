package importer

import (
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/spysql/spysql/internal/testkit"
)

const stocksQuery = `SELECT ts_event_ns, ts_recv_ns, source, price, size, exchange, conditions, trade_id, seq, tape,
	symbol, date, hour FROM bronze.stocks_trades ORDER BY symbol, ts_event_ns, seq`

var wantStocksRows = []string{
	"1735828200700000000|1735828200700100000|polygon|243.85|3|4|[37]|71675|2001|3|AAPL|2025-01-02|14",
	// The duplicate identical print is kept.
	"1735828200123456789|1735828200123500000|polygon|584.64|100|11|[12 37]|52983525029461|1001|2|SPY|2025-01-02|14",
	"1735828200123456789|1735828200123500000|polygon|584.64|100|11|[12 37]|52983525029461|1001|2|SPY|2025-01-02|14",
	// participant_timestamp 0: the event time is sip_timestamp.
	"1735828200500000000|1735828200500000000|polygon|584.65|5|12|[]|52983525034100|1002|2|SPY|2025-01-02|14",
	"1735831800000000001|1735831800000300000|polygon|585.1|250|15|[12 14 41]|52983525034200|1003|2|SPY|2025-01-02|15",
}

func TestImportPolygonStocks(t *testing.T) {
	tests := []struct {
		file       string
		want       []string
		partitions []string
	}{
		{"stocks_trades.csv", wantStocksRows, []string{
			"bronze/stocks/trades/symbol=AAPL/date=2025-01-02/hour=14",
			"bronze/stocks/trades/symbol=SPY/date=2025-01-02/hour=14",
			"bronze/stocks/trades/symbol=SPY/date=2025-01-02/hour=15",
		}},
		{"stocks_trades.csv.gz", wantStocksRows, nil},
		{"stocks_trades_no_participant.csv", []string{
			"1735830000000000000|1735830000000000000|polygon|514.2|10|8|[12 37]|9001|77|3|QQQ|2025-01-02|15",
			"1735830000000000500|1735830000000000500|polygon|514.25|20|8|[]|9002|78|3|QQQ|2025-01-02|15",
		}, []string{"bronze/stocks/trades/symbol=QQQ/date=2025-01-02/hour=15"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			lake := testkit.NewLake(t)
			im := newImporter(t, lake, Config{})
			res, err := im.ImportFile(context.Background(), KindPolygonStocks, filepath.Join(polygonDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if res.Records != int64(len(tc.want)) || (tc.partitions != nil && !reflect.DeepEqual(res.Partitions, tc.partitions)) {
				t.Fatalf("result %+v", res)
			}
			if got := query(t, lake, stocksQuery); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("rows:\n got %q\nwant %q", got, tc.want)
			}
			// Idempotent: the second import is skipped and adds nothing.
			sum, err := im.Import(context.Background(), KindPolygonStocks, []string{filepath.Join(polygonDir, tc.file)})
			if err != nil || sum.Skipped != 1 || sum.Imported != 0 {
				t.Fatalf("re-import: %+v %v", sum, err)
			}
			if got := query(t, lake, "SELECT count(*) FROM bronze.stocks_trades"); got[0] != strconv.Itoa(len(tc.want)) {
				t.Fatalf("rows after re-import: %s", got[0])
			}
		})
	}
}

func TestImportPolygonOptions(t *testing.T) {
	lake := testkit.NewLake(t)
	im := newImporter(t, lake, Config{})
	res, err := im.ImportFile(context.Background(), KindPolygonOptions, filepath.Join(polygonDir, "options_trades.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wantParts := []string{
		"bronze/options/trades/underlying=F/date=2025-01-02/hour=16",
		"bronze/options/trades/underlying=GOOGL1/date=2025-01-02/hour=16",
		"bronze/options/trades/underlying=SPY/date=2025-01-02/hour=14",
	}
	if res.Records != 5 || !reflect.DeepEqual(res.Partitions, wantParts) {
		t.Fatalf("result %+v", res)
	}
	got := query(t, lake, `SELECT ts_event_ns, ts_recv_ns, source, option_symbol, expiration, strike, option_right,
		price, size, exchange, conditions, underlying, date, hour FROM bronze.options_trades ORDER BY underlying, ts_event_ns`)
	want := []string{
		"1735835400000000000|1735835400000000000|polygon|F250117P00012500|2025-01-17|12.5|P|0.41|25|312|[209]|F|2025-01-02|16",
		"1735835400000200000|1735835400000200000|polygon|GOOGL1250620C00150000|2025-06-20|150|C|41.1|2|301|[232 233]|GOOGL1|2025-01-02|16",
		"1735828200900000000|1735828200900000000|polygon|SPY250103P00584000|2025-01-03|584|P|1.05|3|316|[]|SPY|2025-01-02|14",
		"1735828260000000000|1735828260000000000|polygon|SPY251219C00600000|2025-12-19|600|C|12.35|1|302|[209]|SPY|2025-01-02|14",
		"1735828260100000000|1735828260100500000|polygon|SPY251219C00600000|2025-12-19|600|C|12.4|10|303|[209 219]|SPY|2025-01-02|14",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows:\n got %q\nwant %q", got, want)
	}
}

func TestImportPolygonBadInputWritesNothing(t *testing.T) {
	good := string(synthStocksCSV(50, 1))
	tests := []struct {
		name string
		kind Kind
		data string
		want string
	}{
		{"bad row after many batches", KindPolygonStocks, good + "SPY,,0,1,x,0,abc,1,1,1,2,,\n", "line 52: column price"},
		{"bad OCC symbol", KindPolygonOptions, "ticker,price,size,sip_timestamp\nO:SPY251219C00600000,1,1,1\nO:SPY251319C00600000,1,1,1\n", "line 3: option symbol"},
		{"ticker with a slash", KindPolygonStocks, "ticker,price,size,sip_timestamp\nBRK/A,1,1,1\n", "not usable as a partition"},
		{"no header", KindPolygonStocks, "SPY,1.5,100,1735828200\n", `no "ticker" column`},
		{"empty", KindPolygonOptions, "", "empty file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lake := testkit.NewLake(t)
			im := newImporter(t, lake, Config{BatchRows: 7})
			path := writeTemp(t, "bad.csv", []byte(tc.data))
			_, err := im.ImportFile(context.Background(), tc.kind, path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line containing %q", err, tc.want)
			}
			if files := lakeFiles(t, lake); len(files) != 0 {
				t.Fatalf("files written: %q", files)
			}
		})
	}
}
