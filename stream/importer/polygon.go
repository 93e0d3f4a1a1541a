package importer

import (
	"fmt"
	"io"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/stream/importer/polygon"
)

// VendorPolygon is the Bronze source value of Polygon imports.
const VendorPolygon = "polygon"

func stocksSpec() spec[store.StockTrade] {
	return spec[store.StockTrade]{
		kind: KindPolygonStocks, vendor: VendorPolygon, table: store.StocksTrades,
		open: func(r io.Reader) (source[store.StockTrade], error) {
			pr, err := polygon.NewStocksReader(r)
			if err != nil {
				return nil, err
			}
			return &stocksSource{r: pr}, nil
		},
	}
}

func optionsSpec() spec[store.OptionTrade] {
	return spec[store.OptionTrade]{
		kind: KindPolygonOptions, vendor: VendorPolygon, table: store.OptionsTrades,
		open: func(r io.Reader) (source[store.OptionTrade], error) {
			pr, err := polygon.NewOptionsReader(r)
			if err != nil {
				return nil, err
			}
			return &optionsSource{r: pr}, nil
		},
	}
}

type stocksSource struct {
	r          *polygon.StocksReader
	row        polygon.StockTrade
	lastTicker string
}

func (s *stocksSource) Close() error { return s.r.Close() }

func (s *stocksSource) Next(out *store.StockTrade) error {
	t := &s.row
	if err := s.r.Read(t); err != nil {
		return err
	}
	if t.Ticker != s.lastTicker {
		if err := checkKey(t.Ticker); err != nil {
			return fmt.Errorf("line %d: ticker: %w", s.r.Line(), err)
		}
		s.lastTicker = t.Ticker
	}
	*out = store.StockTrade{
		TsEventNS: t.EventNS(), TsRecvNS: t.SIPTimestamp, Source: VendorPolygon,
		Price: t.Price, Size: t.Size, Exchange: t.Exchange, Conditions: t.Conditions,
		TradeID: t.ID, Seq: t.SequenceNumber, Tape: t.Tape, Symbol: s.lastTicker,
	}
	return nil
}

type optionsSource struct {
	r          *polygon.OptionsReader
	row        polygon.OptionTrade
	lastTicker string
	last       polygon.OCC
}

func (s *optionsSource) Close() error { return s.r.Close() }

func (s *optionsSource) Next(out *store.OptionTrade) error {
	t := &s.row
	if err := s.r.Read(t); err != nil {
		return err
	}
	if t.Ticker != s.lastTicker {
		occ, err := polygon.ParseOCC(t.Ticker)
		if err != nil {
			return fmt.Errorf("%w: line %d: %v", polygon.ErrFormat, s.r.Line(), err)
		}
		s.lastTicker, s.last = t.Ticker, occ
	}
	o := &s.last
	right := "C"
	if o.Right == 'P' {
		right = "P"
	}
	*out = store.OptionTrade{
		TsEventNS: t.EventNS(), TsRecvNS: t.SIPTimestamp, Source: VendorPolygon,
		OptionSymbol: o.Symbol, Expiration: o.ExpirationDays(), Strike: o.Strike(), OptionRight: right,
		Price: t.Price, Size: t.Size, Exchange: t.Exchange, Conditions: t.Conditions, Underlying: o.Root,
	}
	return nil
}

var (
	_ source[store.StockTrade]  = (*stocksSource)(nil)
	_ source[store.OptionTrade] = (*optionsSource)(nil)
)
