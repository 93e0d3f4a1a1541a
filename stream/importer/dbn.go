package importer

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/importer/dbn"
)

// VendorDatabento is the Bronze source value of DBN imports.
const VendorDatabento = "databento"

const nsPerDay = 86_400_000_000_000

// DBNInfo is the DBN metadata kept in the ledger entry.
type DBNInfo struct {
	Version    uint8  `json:"version"`
	Dataset    string `json:"dataset"`
	Schema     string `json:"schema"`
	StartNS    uint64 `json:"start_ns"`
	EndNS      uint64 `json:"end_ns"`
	Compressed bool   `json:"compressed"`
	SymbolRoot string `json:"symbol_root,omitempty"`
}

// importDBN reads the metadata to choose the table, then imports the file.
func (im *Importer) importDBN(ctx context.Context, path string) (FileResult, error) {
	res := FileResult{Path: path, Kind: KindDBN}
	meta, compressed, err := peekDBN(path)
	if err != nil {
		return res, err
	}
	info := &DBNInfo{
		Version: meta.Version, Dataset: meta.Dataset, Schema: meta.Schema.String(),
		StartNS: meta.Start, EndNS: meta.End, Compressed: compressed, SymbolRoot: im.cfg.SymbolRoot,
	}
	root := im.cfg.SymbolRoot
	switch meta.Schema {
	case dbn.SchemaTrades:
		return importFile(ctx, im, path, spec[store.FuturesTrade]{
			kind: KindDBN, vendor: VendorDatabento, table: store.FuturesTrades, info: info,
			open: func(r io.Reader) (source[store.FuturesTrade], error) {
				s, err := openDBN(r, root, dbn.SchemaTrades)
				if err != nil {
					return nil, err
				}
				return &dbnTrades{dbnSource: s}, nil
			},
		})
	case dbn.SchemaMBP10:
		return importFile(ctx, im, path, spec[store.MBP10]{
			kind: KindDBN, vendor: VendorDatabento, table: store.FuturesMBP10, info: info,
			open: func(r io.Reader) (source[store.MBP10], error) {
				s, err := openDBN(r, root, dbn.SchemaMBP10)
				if err != nil {
					return nil, err
				}
				return &dbnMBP10{dbnSource: s}, nil
			},
		})
	}
	return res, fmt.Errorf("%w: DBN schema %q (dataset %s): only trades and mbp-10 can be imported",
		ErrUnsupported, meta.Schema.String(), meta.Dataset)
}

// peekDBN decodes the metadata of a DBN file.
func peekDBN(path string) (*dbn.Metadata, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	d, err := dbn.NewDecoder(f)
	if err != nil {
		return nil, false, err
	}
	defer d.Close()
	return d.Metadata(), d.Compressed(), nil
}

// dbnSource is what trades and MBP-10 sources share: the decoder and the
// instrument id -> symbol resolution.
type dbnSource struct {
	d        *dbn.Decoder
	syms     *dbn.SymbolMap
	root     string // --symbol-root, or "" to derive
	exchange string

	// the last resolution, reused while the instrument and day repeat
	lastOK            bool
	lastID            uint32
	lastDay           int64
	lastSym, lastRoot string
}

func openDBN(r io.Reader, root string, want dbn.Schema) (*dbnSource, error) {
	d, err := dbn.NewDecoder(r)
	if err != nil {
		return nil, err
	}
	m := d.Metadata()
	if m.Schema != want {
		d.Close()
		return nil, fmt.Errorf("DBN schema is %s, want %s", m.Schema, want)
	}
	syms, err := dbn.NewSymbolMap(m)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("DBN metadata: %w", err)
	}
	return &dbnSource{d: d, syms: syms, root: root, exchange: m.Venue()}, nil
}

func (s *dbnSource) Close() error { return s.d.Close() }

// times checks ts_event and returns the Bronze timestamps. An undefined
// ts_recv is stored as 0.
func (s *dbnSource) times(h *dbn.Header, tsRecv uint64) (event, recv int64, err error) {
	if h.TsEvent > math.MaxInt64 {
		return 0, 0, fmt.Errorf("%w: record %d: ts_event is undefined", dbn.ErrFormat, s.d.Count()-1)
	}
	if tsRecv <= math.MaxInt64 {
		recv = int64(tsRecv)
	}
	return int64(h.TsEvent), recv, nil
}

// resolve maps an instrument id to its raw symbol and partition root on the
// UTC date of ts_recv (ts_event when ts_recv is undefined), as Databento's
// own symbol maps do.
func (s *dbnSource) resolve(h *dbn.Header, tsRecv uint64) (symbol, root string, err error) {
	ts := tsRecv
	if ts == dbn.UndefTimestamp {
		ts = h.TsEvent
	}
	day := int64(ts / nsPerDay)
	if s.lastOK && h.InstrumentID == s.lastID && day == s.lastDay {
		return s.lastSym, s.lastRoot, nil
	}
	symbol, ok := s.syms.Lookup(h.InstrumentID, ts)
	if !ok {
		return "", "", fmt.Errorf("record %d: instrument %d has no symbol mapping on %s",
			s.d.Count()-1, h.InstrumentID, time.Unix(0, int64(ts)).UTC().Format(time.DateOnly))
	}
	root = s.root
	if root == "" {
		root = dbn.Root(symbol)
		if err := checkKey(root); err != nil {
			return "", "", fmt.Errorf("record %d: symbol %q: %w", s.d.Count()-1, symbol, err)
		}
	}
	s.lastOK, s.lastID, s.lastDay, s.lastSym, s.lastRoot = true, h.InstrumentID, day, symbol, root
	return symbol, root, nil
}

// aggressor maps a trade's side to +1 (buyer aggressor, 'B'), -1 (seller
// aggressor, 'A') or 0.
func aggressor(side byte) int8 {
	switch side {
	case 'B':
		return 1
	case 'A':
		return -1
	}
	return 0
}

// char returns a one-byte string without allocating for the usual codes.
func char(b byte) string {
	switch b {
	case 'A':
		return "A"
	case 'B':
		return "B"
	case 'C':
		return "C"
	case 'F':
		return "F"
	case 'M':
		return "M"
	case 'N':
		return "N"
	case 'R':
		return "R"
	case 'T':
		return "T"
	case 0:
		return ""
	}
	return string([]byte{b})
}

// event checks an event's times and resolves its instrument: what every
// record type needs before it maps to a Bronze row.
func (s *dbnSource) event(e *dbn.Event) (evNS, recvNS int64, symbol, root string, err error) {
	if evNS, recvNS, err = s.times(&e.Header, e.TsRecv); err != nil {
		return 0, 0, "", "", err
	}
	symbol, root, err = s.resolve(&e.Header, e.TsRecv)
	return evNS, recvNS, symbol, root, err
}

type dbnTrades struct {
	*dbnSource
	rec dbn.Trade
}

func (s *dbnTrades) Next(out *store.FuturesTrade) error {
	r := &s.rec
	if err := s.d.ReadTrade(r); err != nil {
		return err
	}
	ev, recv, symbol, root, err := s.event(&r.Event)
	if err != nil {
		return err
	}
	*out = store.FuturesTrade{
		TsEventNS: ev, TsRecvNS: recv, Source: VendorDatabento, Instrument: symbol,
		Price: dbn.Price(r.Price), Size: int64(r.Size), Aggressor: aggressor(r.Side),
		Exchange: s.exchange, Seq: int64(r.Sequence), Symbol: root,
	}
	return nil
}

type dbnMBP10 struct {
	*dbnSource
	rec dbn.MBP10
}

func (s *dbnMBP10) Next(out *store.MBP10) error {
	r := &s.rec
	if err := s.d.ReadMBP10(r); err != nil {
		return err
	}
	ev, recv, symbol, root, err := s.event(&r.Event)
	if err != nil {
		return err
	}
	l := &r.Levels
	*out = store.MBP10{
		TsEventNS: ev, TsRecvNS: recv, Source: VendorDatabento, Instrument: symbol,
		Action: char(r.Action), Side: char(r.Side), Depth: int32(r.Depth), Price: dbn.Price(r.Price),
		Size: int64(r.Size), Flags: int32(r.Flags), Seq: int64(r.Sequence), Symbol: root,
		BidPx00: dbn.Price(l[0].BidPx), AskPx00: dbn.Price(l[0].AskPx),
		BidPx01: dbn.Price(l[1].BidPx), AskPx01: dbn.Price(l[1].AskPx),
		BidPx02: dbn.Price(l[2].BidPx), AskPx02: dbn.Price(l[2].AskPx),
		BidPx03: dbn.Price(l[3].BidPx), AskPx03: dbn.Price(l[3].AskPx),
		BidPx04: dbn.Price(l[4].BidPx), AskPx04: dbn.Price(l[4].AskPx),
		BidPx05: dbn.Price(l[5].BidPx), AskPx05: dbn.Price(l[5].AskPx),
		BidPx06: dbn.Price(l[6].BidPx), AskPx06: dbn.Price(l[6].AskPx),
		BidPx07: dbn.Price(l[7].BidPx), AskPx07: dbn.Price(l[7].AskPx),
		BidPx08: dbn.Price(l[8].BidPx), AskPx08: dbn.Price(l[8].AskPx),
		BidPx09: dbn.Price(l[9].BidPx), AskPx09: dbn.Price(l[9].AskPx),
		BidSz00: int64(l[0].BidSz), AskSz00: int64(l[0].AskSz),
		BidSz01: int64(l[1].BidSz), AskSz01: int64(l[1].AskSz),
		BidSz02: int64(l[2].BidSz), AskSz02: int64(l[2].AskSz),
		BidSz03: int64(l[3].BidSz), AskSz03: int64(l[3].AskSz),
		BidSz04: int64(l[4].BidSz), AskSz04: int64(l[4].AskSz),
		BidSz05: int64(l[5].BidSz), AskSz05: int64(l[5].AskSz),
		BidSz06: int64(l[6].BidSz), AskSz06: int64(l[6].AskSz),
		BidSz07: int64(l[7].BidSz), AskSz07: int64(l[7].AskSz),
		BidSz08: int64(l[8].BidSz), AskSz08: int64(l[8].AskSz),
		BidSz09: int64(l[9].BidSz), AskSz09: int64(l[9].AskSz),
		BidCt00: int32(l[0].BidCt), AskCt00: int32(l[0].AskCt),
		BidCt01: int32(l[1].BidCt), AskCt01: int32(l[1].AskCt),
		BidCt02: int32(l[2].BidCt), AskCt02: int32(l[2].AskCt),
		BidCt03: int32(l[3].BidCt), AskCt03: int32(l[3].AskCt),
		BidCt04: int32(l[4].BidCt), AskCt04: int32(l[4].AskCt),
		BidCt05: int32(l[5].BidCt), AskCt05: int32(l[5].AskCt),
		BidCt06: int32(l[6].BidCt), AskCt06: int32(l[6].AskCt),
		BidCt07: int32(l[7].BidCt), AskCt07: int32(l[7].AskCt),
		BidCt08: int32(l[8].BidCt), AskCt08: int32(l[8].AskCt),
		BidCt09: int32(l[9].BidCt), AskCt09: int32(l[9].AskCt),
	}
	return nil
}

var (
	_ source[store.FuturesTrade] = (*dbnTrades)(nil)
	_ source[store.MBP10]        = (*dbnMBP10)(nil)
)
