package dbn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

const testDir = "../../../testdata/dbn"

func readTestFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The two trades of every trades test file, read from the bytes.
var wantTrades = []Trade{
	{
		Event: Event{
			Header: Header{Length: 12, RType: RTypeMBP0, PublisherID: 1, InstrumentID: 5482, TsEvent: 1609160400098821953},
			Price:  3720250000000, Size: 5, Action: 'T', Side: 'A', Flags: 129, Depth: 0,
			TsRecv: 1609160400099150057, TsInDelta: 19251, Sequence: 1170380,
		},
	},
	{
		Event: Event{
			Header: Header{Length: 12, RType: RTypeMBP0, PublisherID: 1, InstrumentID: 5482, TsEvent: 1609160400107665963},
			Price:  3720250000000, Size: 21, Action: 'T', Side: 'A', Flags: 129, Depth: 0,
			TsRecv: 1609160400108142648, TsInDelta: 20728, Sequence: 1170414,
		},
	},
}

// wantBook is levels 0 and 2..9 of both MBP-10 records; level 1 differs.
func wantBook(level1 BidAskPair) [10]BidAskPair {
	return [10]BidAskPair{
		{3720250000000, 3720500000000, 24, 10, 15, 8},
		level1,
		{3719750000000, 3721000000000, 32, 39, 23, 25},
		{3719500000000, 3721250000000, 39, 28, 26, 17},
		{3719250000000, 3721500000000, 50, 33, 35, 19},
		{3719000000000, 3721750000000, 42, 45, 28, 33},
		{3718750000000, 3722000000000, 44, 55, 35, 40},
		{3718500000000, 3722250000000, 64, 59, 39, 38},
		{3718250000000, 3722500000000, 53, 49, 32, 35},
		{3718000000000, 3722750000000, 67, 44, 39, 26},
	}
}

var wantMBP10 = []MBP10{
	{
		Event: Event{
			Header: Header{Length: 92, RType: RTypeMBP10, PublisherID: 1, InstrumentID: 5482, TsEvent: 1609160400000429831},
			Price:  3722750000000, Size: 1, Action: 'C', Side: 'A', Flags: 128, Depth: 9,
			TsRecv: 1609160400000704060, TsInDelta: 22993, Sequence: 1170352,
		},
		Levels: wantBook(BidAskPair{3720000000000, 3720750000000, 31, 34, 18, 24}),
	},
	{
		Event: Event{
			Header: Header{Length: 92, RType: RTypeMBP10, PublisherID: 1, InstrumentID: 5482, TsEvent: 1609160400000435673},
			Price:  3720000000000, Size: 1, Action: 'C', Side: 'B', Flags: 128, Depth: 1,
			TsRecv: 1609160400000750544, TsInDelta: 20625, Sequence: 1170356,
		},
		Levels: wantBook(BidAskPair{3720000000000, 3720750000000, 30, 34, 17, 24}),
	},
}

func TestDecodeTestFiles(t *testing.T) {
	day := time.Date(2020, 12, 28, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		file       string
		version    uint8
		compressed bool
		schema     Schema
	}{
		{"test_data.trades.dbn", 2, false, SchemaTrades},
		{"test_data.trades.v1.dbn.zst", 1, true, SchemaTrades},
		{"test_data.trades.v2.dbn.zst", 2, true, SchemaTrades},
		{"test_data.trades.v3.dbn.zst", 3, true, SchemaTrades},
		{"test_data.mbp-10.dbn", 2, false, SchemaMBP10},
		{"test_data.mbp-10.v1.dbn.zst", 1, true, SchemaMBP10},
		{"test_data.mbp-10.v2.dbn.zst", 2, true, SchemaMBP10},
		{"test_data.mbp-10.v3.dbn.zst", 3, true, SchemaMBP10},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d, err := NewDecoder(bytes.NewReader(readTestFile(t, tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			m := d.Metadata()
			cstr := 71
			if tc.version == 1 {
				cstr = 22
			}
			if m.Version != tc.version || d.Compressed() != tc.compressed || m.Schema != tc.schema ||
				m.Dataset != "GLBX.MDP3" || m.Venue() != "GLBX" || m.Start != 1609160400000000000 ||
				m.End != 1609200000000000000 || m.Limit != 2 || m.STypeIn != STypeRawSymbol ||
				m.STypeOut != STypeInstrumentID || m.TsOut || m.SymbolCstrLen != cstr {
				t.Fatalf("metadata = %+v", m)
			}
			if len(m.Symbols) != 1 || m.Symbols[0] != "ESH1" || len(m.Partial) != 0 || len(m.NotFound) != 0 {
				t.Fatalf("symbols = %q partial %q not found %q", m.Symbols, m.Partial, m.NotFound)
			}
			want := []SymbolMapping{{RawSymbol: "ESH1", Intervals: []MappingInterval{
				{StartDate: day, EndDate: day.AddDate(0, 0, 1), Symbol: "5482"},
			}}}
			if len(m.Mappings) != 1 || m.Mappings[0].RawSymbol != want[0].RawSymbol ||
				len(m.Mappings[0].Intervals) != 1 || m.Mappings[0].Intervals[0] != want[0].Intervals[0] {
				t.Fatalf("mappings = %+v", m.Mappings)
			}
			switch tc.schema {
			case SchemaTrades:
				checkRecords(t, "trade", readAll(t, d.ReadTrade), wantTrades)
			case SchemaMBP10:
				checkRecords(t, "mbp-10", readAll(t, d.ReadMBP10), wantMBP10)
			}
			if d.Count() != 2 {
				t.Errorf("count = %d, want 2", d.Count())
			}
		})
	}
}

func TestOtherSchemasDecodeMetadata(t *testing.T) {
	tests := []struct {
		file   string
		schema string
	}{
		{"test_data.mbo.v3.dbn.zst", "mbo"},
		{"test_data.definition.v3.dbn.zst", "definition"},
		{"test_data.ohlcv-1s.v3.dbn.zst", "ohlcv-1s"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d, err := NewDecoder(bytes.NewReader(readTestFile(t, tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if got := d.Metadata().Schema.String(); got != tc.schema {
				t.Fatalf("schema = %q, want %q", got, tc.schema)
			}
			// Reading them as trades fails with the rtype named.
			var tr Trade
			if err := d.ReadTrade(&tr); err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "rtype") {
				t.Fatalf("ReadTrade = %v, want an rtype error", err)
			}
		})
	}
}

func plain(t testing.TB, name string) []byte {
	t.Helper()
	d, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out, err := d.DecodeAll(readTestFile(t, name), nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// recordsOffset is where the records start in a plain stream.
func recordsOffset(b []byte) int {
	return preludeLen + int(binary.LittleEndian.Uint32(b[4:]))
}

func TestZstdFramesAndSkippableFrames(t *testing.T) {
	raw := plain(t, "test_data.mbp-10.v3.dbn.zst")
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A skippable frame, then the stream cut into three frames at odd
	// offsets (inside the metadata and inside a record), with another
	// skippable frame between them.
	skippable := func(n int) []byte {
		b := binary.LittleEndian.AppendUint32(nil, 0x184D2A5A)
		b = binary.LittleEndian.AppendUint32(b, uint32(n))
		return append(b, bytes.Repeat([]byte{0xEE}, n)...)
	}
	var s []byte
	s = append(s, skippable(7)...)
	s = enc.EncodeAll(raw[:100], s)
	s = append(s, skippable(0)...)
	s = enc.EncodeAll(raw[100:len(raw)-200], s)
	s = enc.EncodeAll(raw[len(raw)-200:], s)
	d, err := NewDecoder(bytes.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.Compressed() {
		t.Fatal("not detected as zstd")
	}
	for i := range wantMBP10 {
		var m MBP10
		if err := d.ReadMBP10(&m); err != nil {
			t.Fatal(err)
		}
		if m != wantMBP10[i] {
			t.Fatalf("record %d = %+v", i, m)
		}
	}
	var m MBP10
	if err := d.ReadMBP10(&m); err != io.EOF {
		t.Fatalf("after the last record: %v, want EOF", err)
	}
}

// withTsOut rewrites a plain stream so the metadata says ts_out and every
// record carries ts_out = 1e18 + index in 8 extra bytes.
func withTsOut(t testing.TB, raw []byte) []byte {
	t.Helper()
	off := recordsOffset(raw)
	out := append([]byte(nil), raw[:off]...)
	// ts_out flag: dataset(16) schema(2) start end limit(24) stype_in stype_out.
	flag := preludeLen + 16 + 2 + 24 + 2
	if raw[3] == 1 {
		flag += 8
	}
	out[flag] = 1
	for i, p := 0, off; p < len(raw); i++ {
		n := int(raw[p]) * 4
		rec := append([]byte(nil), raw[p:p+n]...)
		rec[0] += 2
		rec = binary.LittleEndian.AppendUint64(rec, 1e18+uint64(i))
		out = append(out, rec...)
		p += n
	}
	return out
}

func TestTsOut(t *testing.T) {
	for _, v := range []string{"v1", "v2", "v3"} {
		t.Run(v, func(t *testing.T) {
			d, err := NewDecoder(bytes.NewReader(withTsOut(t, plain(t, "test_data.trades."+v+".dbn.zst"))))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if !d.Metadata().TsOut {
				t.Fatal("ts_out not set in metadata")
			}
			for i, want := range wantTrades {
				var tr Trade
				if err := d.ReadTrade(&tr); err != nil {
					t.Fatal(err)
				}
				want.Length += 2
				want.TsOut = 1e18 + uint64(i)
				if tr != want {
					t.Fatalf("trade %d = %+v, want %+v", i, tr, want)
				}
			}
		})
	}
}

func TestCorruptInput(t *testing.T) {
	raw := readTestFile(t, "test_data.trades.dbn")
	off := recordsOffset(raw)
	set := func(b []byte, at int, v byte) []byte {
		b = append([]byte(nil), b...)
		b[at] = v
		return b
	}
	bigMeta := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint32(bigMeta[4:], 1<<30)
	hugeCount := append([]byte(nil), raw...)
	// The symbols count, right after the v2 fixed metadata.
	binary.LittleEndian.PutUint32(hugeCount[preludeLen+104:], 0xFFFFFFFF)
	tests := []struct {
		name    string
		in      []byte
		atStart bool // NewDecoder fails; otherwise reading records fails
		want    string
	}{
		{"empty", nil, true, "truncated"},
		{"not dbn", []byte("PAR1 not a DBN file at all"), true, "no DBN prefix"},
		{"version 0", set(raw, 3, 0), true, "unsupported DBN version 0"},
		{"version 4", set(raw, 3, 4), true, "unsupported DBN version 4"},
		{"short metadata length", set(set(raw, 4, 10), 5, 0), true, "out of range"},
		{"metadata length past the end", bigMeta, true, "truncated"},
		{"symbol count past the end", hugeCount, true, "does not fit"},
		{"truncated metadata", raw[:200], true, "truncated"},
		{"record shorter than header", set(raw, off, 3), false, "shorter than the header"},
		{"truncated record", raw[:len(raw)-5], false, "truncated"},
		{"wrong rtype", set(raw, off+1, RTypeMBO), false, "rtype 0xa0"},
		{"record too short for a trade", set(raw, off, 4), false, "at least 48"},
		{"zstd garbage", append([]byte{0x28, 0xB5, 0x2F, 0xFD}, bytes.Repeat([]byte{0xFF}, 64)...), true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder(bytes.NewReader(tc.in))
			if tc.atStart {
				if err == nil {
					d.Close()
					t.Fatal("NewDecoder succeeded")
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %q does not contain %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for {
				var tr Trade
				err = d.ReadTrade(&tr)
				if err != nil {
					break
				}
			}
			if err == io.EOF || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrFormat containing %q", err, tc.want)
			}
		})
	}
}

func TestRoot(t *testing.T) {
	tests := map[string]string{
		"ESH1": "ES", "ESZ24": "ES", "6EH1": "6E", "MESM5": "MES", "CLZ4": "CL",
		"ES.c.0": "ES", "ES.FUT": "ES", "ESH1-ESM1": "ES", "ES": "ES", "E1": "E1", "SPY": "SPY",
	}
	for in, want := range tests {
		if got := Root(in); got != want {
			t.Errorf("Root(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSymbolMap(t *testing.T) {
	d, err := NewDecoder(bytes.NewReader(readTestFile(t, "test_data.trades.v1.dbn.zst")))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sm, err := NewSymbolMap(d.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   uint32
		ts   uint64
		want string
		ok   bool
	}{
		{5482, 1609160400098821953, "ESH1", true},
		{5482, 1609200000000000000 - 1, "ESH1", true},
		{5482, 1609200000000000000, "", false}, // 2020-12-29 is past the interval
		{5482, 1609113600000000000 - 1, "", false},
		{5483, 1609160400098821953, "", false},
	}
	for _, tc := range tests {
		got, ok := sm.Lookup(tc.id, tc.ts)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Lookup(%d, %d) = %q, %v; want %q, %v", tc.id, tc.ts, got, ok, tc.want, tc.ok)
		}
	}
}

// readAll reads records with read until io.EOF.
func readAll[T any](t *testing.T, read func(*T) error) []T {
	t.Helper()
	var got []T
	for {
		var r T
		if err := read(&r); err == io.EOF {
			return got
		} else if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
}

// checkRecords compares decoded records with the expected ones.
func checkRecords[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d %s records, want %d", len(got), what, len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}
