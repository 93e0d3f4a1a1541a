package dbn

import (
	"fmt"
	"strconv"
	"strings"
)

const nsPerDay = 86_400_000_000_000

// SymbolMap resolves instrument ids to symbols over time, built from the
// metadata's symbol mappings.
type SymbolMap struct {
	byID map[uint32][]span
}

// span is one [start, end) range of UTC days (since 1970-01-01) on which an
// instrument id has a symbol.
type span struct {
	start, end int64
	symbol     string
}

// NewSymbolMap builds the instrument-id map of m. One side of the mappings
// must be instrument ids: the output (the usual case: raw symbols in,
// instrument ids out) or the input.
func NewSymbolMap(m *Metadata) (*SymbolMap, error) {
	var idIsOut bool
	switch {
	case m.STypeOut == STypeInstrumentID:
		idIsOut = true
	case m.STypeIn == STypeInstrumentID:
	default:
		return nil, fmt.Errorf("symbol mappings go from %s to %s; neither side is instrument ids", m.STypeIn, m.STypeOut)
	}
	s := &SymbolMap{byID: map[uint32][]span{}}
	for _, sm := range m.Mappings {
		for _, iv := range sm.Intervals {
			idText, symbol := iv.Symbol, sm.RawSymbol
			if !idIsOut {
				idText, symbol = sm.RawSymbol, iv.Symbol
			}
			if idText == "" || symbol == "" {
				continue // no instrument on these dates
			}
			id, err := strconv.ParseUint(idText, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("mapping of %q: instrument id %q: %w", sm.RawSymbol, idText, err)
			}
			start, end := iv.StartDate.Unix()/86400, iv.EndDate.Unix()/86400
			s.byID[uint32(id)] = append(s.byID[uint32(id)], span{start, end, symbol})
		}
	}
	return s, nil
}

// Lookup returns the symbol of instrument id on the UTC date of tsNS.
func (s *SymbolMap) Lookup(id uint32, tsNS uint64) (string, bool) {
	day := int64(tsNS / nsPerDay)
	for _, sp := range s.byID[id] {
		if day >= sp.start && day < sp.end {
			return sp.symbol, true
		}
	}
	return "", false
}

// Len is the number of instrument ids with a mapping.
func (s *SymbolMap) Len() int { return len(s.byID) }

// Root derives a futures root from a symbol: the part before the first '.',
// '-' or ' ' (ES.c.0, ES.FUT, ESH1-ESM1), then without the trailing year
// digits and the month code before them (ESH1 -> ES, ESZ24 -> ES,
// 6EH1 -> 6E). A symbol without trailing digits is returned unchanged.
func Root(symbol string) string {
	if i := strings.IndexAny(symbol, ".- "); i > 0 {
		symbol = symbol[:i]
	}
	s := strings.TrimRight(symbol, "0123456789")
	if s == symbol || len(s) < 2 {
		return symbol
	}
	if strings.IndexByte("FGHJKMNQUVXZ", s[len(s)-1]) >= 0 {
		return s[:len(s)-1]
	}
	return symbol
}
