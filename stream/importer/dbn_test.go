package importer

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spysql/spysql/internal/testkit"
)

const tradesQuery = `SELECT ts_event_ns, ts_recv_ns, source, instrument, price, size, aggressor, exchange, seq,
	symbol, date, hour FROM bronze.futures_trades ORDER BY ts_event_ns`

// The two ESH1 trades of every trades test file, as Bronze rows. Both are
// sells: side 'A' is a seller aggressor.
var wantTradeRows = []string{
	"1609160400098821953|1609160400099150057|databento|ESH1|3720.25|5|-1|GLBX|1170380|ES|2020-12-28|13",
	"1609160400107665963|1609160400108142648|databento|ESH1|3720.25|21|-1|GLBX|1170414|ES|2020-12-28|13",
}

const mbpQuery = `SELECT ts_event_ns, ts_recv_ns, source, instrument, action, side, depth, price, size, flags, seq,
	bid_px_00, ask_px_00, bid_sz_00, ask_sz_00, bid_ct_00, ask_ct_00,
	bid_px_01, ask_px_01, bid_sz_01, ask_sz_01, bid_ct_01, ask_ct_01,
	bid_px_09, ask_px_09, bid_sz_09, ask_sz_09, bid_ct_09, ask_ct_09,
	symbol, date, hour FROM bronze.futures_mbp10 ORDER BY ts_event_ns`

// The two MBP-10 records: a cancel on the ask at depth 9 (3722.75, the
// level-9 ask) and a cancel on the bid at depth 1 (level-1 bid size 31 ->
// 30, count 18 -> 17). Level 0 is 3720.25 x 3720.50, 24 x 10, 15 x 8 orders.
var wantMBPRows = []string{
	"1609160400000429831|1609160400000704060|databento|ESH1|C|A|9|3722.75|1|128|1170352|" +
		"3720.25|3720.5|24|10|15|8|3720|3720.75|31|34|18|24|3718|3722.75|67|44|39|26|ES|2020-12-28|13",
	"1609160400000435673|1609160400000750544|databento|ESH1|C|B|1|3720|1|128|1170356|" +
		"3720.25|3720.5|24|10|15|8|3720|3720.75|30|34|17|24|3718|3722.75|67|44|39|26|ES|2020-12-28|13",
}

func TestImportDBNEveryVersion(t *testing.T) {
	tests := []struct {
		file, table, query string
		want               []string
	}{
		{"test_data.trades.dbn", "futures/trades", tradesQuery, wantTradeRows},
		{"test_data.trades.v1.dbn.zst", "futures/trades", tradesQuery, wantTradeRows},
		{"test_data.trades.v2.dbn.zst", "futures/trades", tradesQuery, wantTradeRows},
		{"test_data.trades.v3.dbn.zst", "futures/trades", tradesQuery, wantTradeRows},
		{"test_data.mbp-10.dbn", "futures/mbp10", mbpQuery, wantMBPRows},
		{"test_data.mbp-10.v1.dbn.zst", "futures/mbp10", mbpQuery, wantMBPRows},
		{"test_data.mbp-10.v2.dbn.zst", "futures/mbp10", mbpQuery, wantMBPRows},
		{"test_data.mbp-10.v3.dbn.zst", "futures/mbp10", mbpQuery, wantMBPRows},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			lake := testkit.NewLake(t)
			im := newImporter(t, lake, Config{})
			path := filepath.Join(dbnDir, tc.file)
			res, err := im.ImportFile(context.Background(), KindDBN, path)
			if err != nil {
				t.Fatal(err)
			}
			part := "bronze/" + tc.table + "/symbol=ES/date=2020-12-28/hour=13"
			wantFiles := []string{part + "/import-" + res.SHA256[:16] + "-00000.parquet"}
			if res.Skipped || res.Records != 2 || res.Table != tc.table || !reflect.DeepEqual(res.Files, wantFiles) ||
				!reflect.DeepEqual(res.Partitions, []string{part}) || res.Unchanged != 0 {
				t.Fatalf("result %+v", res)
			}
			if got := query(t, lake, tc.query); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("rows:\n got %q\nwant %q", got, tc.want)
			}
			entry, ok, err := ReadLedger(lake, res.SHA256)
			if err != nil || !ok {
				t.Fatalf("ledger entry: %v %v", ok, err)
			}
			if entry.Kind != KindDBN || entry.Source != "databento" || entry.Records != 2 ||
				!reflect.DeepEqual(entry.Files, wantFiles) || entry.File != path {
				t.Fatalf("ledger entry %+v", entry)
			}
		})
	}
}

func TestImportDBNRefusesOtherSchemas(t *testing.T) {
	tests := []struct{ file, schema string }{
		{"test_data.mbo.v3.dbn.zst", `"mbo"`},
		{"test_data.definition.v3.dbn.zst", `"definition"`},
		{"test_data.ohlcv-1s.v3.dbn.zst", `"ohlcv-1s"`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			lake := testkit.NewLake(t)
			im := newImporter(t, lake, Config{})
			_, err := im.ImportFile(context.Background(), KindDBN, filepath.Join(dbnDir, tc.file))
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "schema "+tc.schema) {
				t.Fatalf("error %v, want ErrUnsupported naming schema %s", err, tc.schema)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			if files := lakeFiles(t, lake); len(files) != 0 {
				t.Fatalf("files written: %q", files)
			}
		})
	}
}

func TestImportDBNIdempotent(t *testing.T) {
	lake := testkit.NewLake(t)
	im := newImporter(t, lake, Config{})
	paths := []string{filepath.Join(dbnDir, "test_data.trades.v1.dbn.zst"), filepath.Join(dbnDir, "test_data.mbp-10.dbn")}
	ctx := context.Background()
	sum, err := im.Import(ctx, KindDBN, paths)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 2 || sum.Skipped != 0 || sum.Records != 4 || sum.Files != 2 || sum.Partitions != 2 {
		t.Fatalf("first import: %+v", sum)
	}
	before := lakeFiles(t, lake)
	sum, err = im.Import(ctx, KindDBN, paths)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 0 || sum.Skipped != 2 || sum.Records != 0 || sum.Files != 0 || !sum.Results[0].Skipped {
		t.Fatalf("second import: %+v", sum)
	}
	if after := lakeFiles(t, lake); !reflect.DeepEqual(after, before) {
		t.Fatalf("files changed:\n%q\n%q", before, after)
	}
	if got := query(t, lake, tradesQuery); !reflect.DeepEqual(got, wantTradeRows) {
		t.Fatalf("rows after re-import: %q", got)
	}
	if got := query(t, lake, "SELECT count(*) FROM bronze.futures_mbp10"); got[0] != "2" {
		t.Fatalf("mbp10 rows after re-import: %q", got)
	}
}

func TestImportDBNBatchesAndSymbolRoot(t *testing.T) {
	lake := testkit.NewLake(t)
	im := newImporter(t, lake, Config{BatchRows: 1, SymbolRoot: "MES"})
	res, err := im.ImportFile(context.Background(), KindDBN, filepath.Join(dbnDir, "test_data.trades.v3.dbn.zst"))
	if err != nil {
		t.Fatal(err)
	}
	part := "bronze/futures/trades/symbol=MES/date=2020-12-28/hour=13/import-" + res.SHA256[:16]
	if want := []string{part + "-00000.parquet", part + "-00001.parquet"}; !reflect.DeepEqual(res.Files, want) {
		t.Fatalf("files %q, want %q", res.Files, want)
	}
	want := make([]string, len(wantTradeRows))
	for i, r := range wantTradeRows {
		want[i] = strings.Replace(r, "|ES|", "|MES|", 1)
	}
	if got := query(t, lake, tradesQuery); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows:\n got %q\nwant %q", got, want)
	}
}

// A corrupt file fails in the validation pass: no Parquet file, no ledger
// entry, even when its first records would make complete batches.
func TestImportDBNCorruptWritesNothing(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(dbnDir, "test_data.trades.dbn"))
	if err != nil {
		t.Fatal(err)
	}
	big := synthDBN(t, "test_data.trades.v2.dbn.zst", 1000, 3)
	noMapping := append([]byte(nil), raw...)
	noMapping[len(raw)-48+4] = 0x6b // the second record's instrument id: 5482 -> 5483
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated last record", raw[:len(raw)-7], "truncated"},
		{"truncated after many batches", big[:len(big)-20], "truncated"},
		{"record without symbol mapping", noMapping, "instrument 5483 has no symbol mapping on 2020-12-28"},
		{"not DBN", []byte("ticker,price\nSPY,1\n"), "no DBN prefix"},
		{"empty", nil, "truncated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lake := testkit.NewLake(t)
			im := newImporter(t, lake, Config{BatchRows: 10})
			path := writeTemp(t, "bad.dbn", tc.data)
			_, err := im.ImportFile(context.Background(), KindDBN, path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and containing %q", err, path, tc.want)
			}
			if files := lakeFiles(t, lake); len(files) != 0 {
				t.Fatalf("files written: %q", files)
			}
		})
	}
}

func TestImportMissingFile(t *testing.T) {
	lake := testkit.NewLake(t)
	im := newImporter(t, lake, Config{})
	for _, kind := range []Kind{KindDBN, KindPolygonStocks, KindPolygonOptions} {
		_, err := im.ImportFile(context.Background(), kind, "/nonexistent/file")
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: error %v, want ErrNotExist", kind, err)
		}
	}
	if _, err := im.ImportFile(context.Background(), "csv", "x"); err == nil {
		t.Error("unknown kind accepted")
	}
}

// A large multi-batch import over several hours lands every row once in the
// partition of its UTC hour.
func TestImportDBNManyBatches(t *testing.T) {
	lake := testkit.NewLake(t)
	im := newImporter(t, lake, Config{BatchRows: 3000})
	path := writeTemp(t, "mbp.dbn", synthDBN(t, "test_data.mbp-10.v3.dbn.zst", 10000, 4))
	res, err := im.ImportFile(context.Background(), KindDBN, path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 10000 || len(res.Partitions) != 4 || len(res.Files) < 4 {
		t.Fatalf("result: %d records, partitions %q, files %q", res.Records, res.Partitions, res.Files)
	}
	got := query(t, lake, `SELECT hour, count(*), min(seq), max(seq), count(DISTINCT seq),
		bool_and(strftime(make_timestamp(ts_event_ns // 1000), '%H') = hour)
		FROM bronze.futures_mbp10 GROUP BY hour ORDER BY hour`)
	want := []string{"00|2500|0|2499|2500|true", "01|2500|2500|4999|2500|true", "02|2500|5000|7499|2500|true", "03|2500|7500|9999|2500|true"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("per hour:\n got %q\nwant %q", got, want)
	}
}

// An undefined price (i64 max) is NULL in Bronze; a ts_out suffix on every
// record (metadata ts_out set) decodes to the same rows.
func TestImportDBNUndefPriceAndTsOut(t *testing.T) {
	raw := plainDBN(t, "test_data.mbp-10.v2.dbn.zst")
	off := 8 + int(binary.LittleEndian.Uint32(raw[4:]))
	undef := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint64(undef[off+16:], math.MaxInt64)            // price of record 0
	binary.LittleEndian.PutUint64(undef[off+48+9*32:], math.MaxInt64)       // bid_px_09 of record 0
	binary.LittleEndian.PutUint64(undef[off+368+48+9*32+8:], math.MaxInt64) // ask_px_09 of record 1

	trades := plainDBN(t, "test_data.trades.v3.dbn.zst")
	toff := 8 + int(binary.LittleEndian.Uint32(trades[4:]))
	tsOut := append([]byte(nil), trades[:toff]...)
	tsOut[8+16+2+24+2] = 1 // ts_out flag (v2/v3 layout)
	for p := toff; p < len(trades); p += 48 {
		rec := append([]byte(nil), trades[p:p+48]...)
		rec[0] += 2
		tsOut = binary.LittleEndian.AppendUint64(append(tsOut, rec...), 1609160400200000000)
	}

	lake := testkit.NewLake(t)
	im := newImporter(t, lake, Config{})
	ctx := context.Background()
	if _, err := im.ImportFile(ctx, KindDBN, writeTemp(t, "undef.dbn", undef)); err != nil {
		t.Fatal(err)
	}
	if _, err := im.ImportFile(ctx, KindDBN, writeTemp(t, "tsout.dbn", tsOut)); err != nil {
		t.Fatal(err)
	}
	got := query(t, lake, "SELECT seq, price, bid_px_09, ask_px_09, bid_px_00 FROM bronze.futures_mbp10 ORDER BY seq")
	want := []string{"1170352|NULL|NULL|3722.75|3720.25", "1170356|3720|3718|NULL|3720.25"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("undefined prices:\n got %q\nwant %q", got, want)
	}
	if got := query(t, lake, tradesQuery); !reflect.DeepEqual(got, wantTradeRows) {
		t.Fatalf("ts_out rows:\n got %q\nwant %q", got, wantTradeRows)
	}
}

// TestImportOptionsAreFixedPerFile: a file is imported with one set of
// options; a re-import or a resumed import with others is refused, not
// silently skipped or written twice.
func TestImportOptionsAreFixedPerFile(t *testing.T) {
	file := filepath.Join(dbnDir, "test_data.trades.v3.dbn.zst")
	ctx := context.Background()

	lake := testkit.NewLake(t)
	if _, err := newImporter(t, lake, Config{SymbolRoot: "MES"}).ImportFile(ctx, KindDBN, file); err != nil {
		t.Fatal(err)
	}
	_, err := newImporter(t, lake, Config{SymbolRoot: "ES"}).ImportFile(ctx, KindDBN, file)
	if err == nil || !strings.Contains(err.Error(), `already imported with options "batch_rows=262144 symbol_root=MES"`) {
		t.Fatalf("re-import with another root: %v", err)
	}
	res, err := newImporter(t, lake, Config{SymbolRoot: "MES"}).ImportFile(ctx, KindDBN, file)
	if err != nil || !res.Skipped {
		t.Fatalf("re-import with the same options: skipped=%v err=%v", res.Skipped, err)
	}

	// A killed run leaves its start marker; resuming with another batch
	// size is refused, with the same one it completes.
	lake = testkit.NewLake(t)
	sum := res.SHA256
	if err := beginImport(lake, sum, file, "batch_rows=1 symbol_root="); err != nil {
		t.Fatal(err)
	}
	_, err = newImporter(t, lake, Config{BatchRows: 2}).ImportFile(ctx, KindDBN, file)
	if err == nil || !strings.Contains(err.Error(), `interrupted import of this file used options "batch_rows=1 symbol_root="`) {
		t.Fatalf("resume with another batch size: %v", err)
	}
	if _, err := newImporter(t, lake, Config{BatchRows: 1}).ImportFile(ctx, KindDBN, file); err != nil {
		t.Fatalf("resume with the same batch size: %v", err)
	}
	if _, err := os.Stat(startMarker(lake, sum)); !os.IsNotExist(err) {
		t.Fatalf("start marker left after the import: %v", err)
	}
}
