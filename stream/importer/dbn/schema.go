package dbn

import (
	"fmt"
	"math"
)

// Sentinel values of the DBN encoding.
const (
	// UndefPrice marks a price that is not set.
	UndefPrice int64 = math.MaxInt64
	// UndefTimestamp marks a timestamp that is not set.
	UndefTimestamp uint64 = math.MaxUint64
	// PriceScale is the fixed-point scale of prices: 1 unit = 1e-9.
	PriceScale = 1e9
	// MaxVersion is the newest DBN version this package decodes.
	MaxVersion = 3
)

// Schema is a DBN data record schema (the metadata's schema field).
type Schema uint16

// The schemas of DBN versions 1 to 3.
const (
	SchemaMBO        Schema = 0
	SchemaMBP1       Schema = 1
	SchemaMBP10      Schema = 2
	SchemaTBBO       Schema = 3
	SchemaTrades     Schema = 4
	SchemaOHLCV1S    Schema = 5
	SchemaOHLCV1M    Schema = 6
	SchemaOHLCV1H    Schema = 7
	SchemaOHLCV1D    Schema = 8
	SchemaDefinition Schema = 9
	SchemaStatistics Schema = 10
	SchemaStatus     Schema = 11
	SchemaImbalance  Schema = 12
	SchemaOHLCVEOD   Schema = 13
	SchemaCMBP1      Schema = 14
	SchemaCBBO1S     Schema = 15
	SchemaCBBO1M     Schema = 16
	SchemaTCBBO      Schema = 17
	SchemaBBO1S      Schema = 18
	SchemaBBO1M      Schema = 19
	// SchemaMixed is the null schema: a stream whose records have several
	// schemas.
	SchemaMixed Schema = 0xFFFF
)

// String is the schema's Databento name, e.g. "mbp-10".
func (s Schema) String() string {
	switch s {
	case SchemaMBO:
		return "mbo"
	case SchemaMBP1:
		return "mbp-1"
	case SchemaMBP10:
		return "mbp-10"
	case SchemaTBBO:
		return "tbbo"
	case SchemaTrades:
		return "trades"
	case SchemaOHLCV1S:
		return "ohlcv-1s"
	case SchemaOHLCV1M:
		return "ohlcv-1m"
	case SchemaOHLCV1H:
		return "ohlcv-1h"
	case SchemaOHLCV1D:
		return "ohlcv-1d"
	case SchemaDefinition:
		return "definition"
	case SchemaStatistics:
		return "statistics"
	case SchemaStatus:
		return "status"
	case SchemaImbalance:
		return "imbalance"
	case SchemaOHLCVEOD:
		return "ohlcv-eod"
	case SchemaCMBP1:
		return "cmbp-1"
	case SchemaCBBO1S:
		return "cbbo-1s"
	case SchemaCBBO1M:
		return "cbbo-1m"
	case SchemaTCBBO:
		return "tcbbo"
	case SchemaBBO1S:
		return "bbo-1s"
	case SchemaBBO1M:
		return "bbo-1m"
	case SchemaMixed:
		return "mixed"
	}
	return fmt.Sprintf("schema(%d)", uint16(s))
}

// Record types (the rtype byte of the record header) this package knows.
const (
	RTypeMBP0          uint8 = 0x00 // trades
	RTypeMBP1          uint8 = 0x01
	RTypeMBP10         uint8 = 0x0A
	RTypeStatus        uint8 = 0x12
	RTypeInstrumentDef uint8 = 0x13
	RTypeImbalance     uint8 = 0x14
	RTypeError         uint8 = 0x15
	RTypeSymbolMapping uint8 = 0x16
	RTypeSystem        uint8 = 0x17
	RTypeStatistics    uint8 = 0x18
	RTypeOHLCV1S       uint8 = 0x20
	RTypeMBO           uint8 = 0xA0
)

// IsGateway reports whether rtype is a gateway message (error, symbol
// mapping or system/heartbeat) rather than market data. Such records can be
// interleaved in any stream and carry no trade or book event.
func IsGateway(rtype uint8) bool {
	return rtype == RTypeError || rtype == RTypeSymbolMapping || rtype == RTypeSystem
}

// SType is a symbology type.
type SType uint8

// The symbology types.
const (
	STypeInstrumentID SType = 0
	STypeRawSymbol    SType = 1
	STypeSmart        SType = 2
	STypeContinuous   SType = 3
	STypeParent       SType = 4
	// STypeNull marks an unset stype_in (mixed symbology).
	STypeNull SType = 0xFF
)

// String is the symbology's Databento name.
func (s SType) String() string {
	switch s {
	case STypeInstrumentID:
		return "instrument_id"
	case STypeRawSymbol:
		return "raw_symbol"
	case STypeSmart:
		return "smart"
	case STypeContinuous:
		return "continuous"
	case STypeParent:
		return "parent"
	case STypeNull:
		return "null"
	}
	return fmt.Sprintf("stype(%d)", uint8(s))
}

// Price converts a fixed-point DBN price to currency units. UndefPrice
// becomes 0, which Bronze writes as NULL where the column is optional.
func Price(p int64) float64 {
	if p == UndefPrice {
		return 0
	}
	return float64(p) / PriceScale
}
