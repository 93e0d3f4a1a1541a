package store

import "fmt"

// Table identifies one Bronze table.
type Table int

// The Bronze tables of docs/ARCHITECTURE.md, "Bronze records".
const (
	FuturesTrades Table = iota
	FuturesMBP10
	StocksTrades
	OptionsTrades
)

// BronzeTables lists every Bronze table in a fixed order.
func BronzeTables() []Table {
	return []Table{FuturesTrades, FuturesMBP10, StocksTrades, OptionsTrades}
}

// Name is the view name in schema bronze, e.g. "futures_trades".
func (t Table) Name() string {
	switch t {
	case FuturesTrades:
		return "futures_trades"
	case FuturesMBP10:
		return "futures_mbp10"
	case StocksTrades:
		return "stocks_trades"
	case OptionsTrades:
		return "options_trades"
	}
	return fmt.Sprintf("table(%d)", int(t))
}

// Path is the table's directory under bronze/, e.g. "futures/trades".
func (t Table) Path() string {
	switch t {
	case FuturesTrades:
		return "futures/trades"
	case FuturesMBP10:
		return "futures/mbp10"
	case StocksTrades:
		return "stocks/trades"
	case OptionsTrades:
		return "options/trades"
	}
	return ""
}

// KeyColumn is the first Hive partition column: "symbol", or "underlying"
// for options.
func (t Table) KeyColumn() string {
	if t == OptionsTrades {
		return "underlying"
	}
	return "symbol"
}

// ParseTable maps a schema path ("futures/trades") or view name
// ("futures_trades") to its Table.
func ParseTable(s string) (Table, error) {
	for _, t := range BronzeTables() {
		if s == t.Path() || s == t.Name() {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown bronze table %q (want one of futures/trades, futures/mbp10, stocks/trades, options/trades)", s)
}

// Column is one column of a view with its DuckDB type.
type Column struct {
	Name string
	Type string
}

// Columns are the columns stored in the table's Parquet files, in order.
// Partition columns are not included; see PartitionColumns.
func (t Table) Columns() []Column {
	common := []Column{{"ts_event_ns", "BIGINT"}, {"ts_recv_ns", "BIGINT"}, {"source", "VARCHAR"}}
	switch t {
	case FuturesTrades:
		return append(common,
			Column{"instrument", "VARCHAR"}, Column{"price", "DOUBLE"}, Column{"size", "BIGINT"},
			Column{"aggressor", "TINYINT"}, Column{"exchange", "VARCHAR"}, Column{"seq", "BIGINT"})
	case FuturesMBP10:
		cols := append(common,
			Column{"instrument", "VARCHAR"}, Column{"action", "VARCHAR"}, Column{"side", "VARCHAR"},
			Column{"depth", "INTEGER"}, Column{"price", "DOUBLE"}, Column{"size", "BIGINT"},
			Column{"flags", "INTEGER"}, Column{"seq", "BIGINT"})
		for _, k := range []struct{ prefix, typ string }{
			{"bid_px", "DOUBLE"}, {"ask_px", "DOUBLE"}, {"bid_sz", "BIGINT"},
			{"ask_sz", "BIGINT"}, {"bid_ct", "INTEGER"}, {"ask_ct", "INTEGER"},
		} {
			for i := 0; i < 10; i++ {
				cols = append(cols, Column{fmt.Sprintf("%s_%02d", k.prefix, i), k.typ})
			}
		}
		return cols
	case StocksTrades:
		return append(common,
			Column{"price", "DOUBLE"}, Column{"size", "BIGINT"}, Column{"exchange", "INTEGER"},
			Column{"conditions", "INTEGER[]"}, Column{"trade_id", "VARCHAR"}, Column{"seq", "BIGINT"},
			Column{"tape", "INTEGER"})
	case OptionsTrades:
		return append(common,
			Column{"option_symbol", "VARCHAR"}, Column{"expiration", "DATE"}, Column{"strike", "DOUBLE"},
			Column{"option_right", "VARCHAR"}, Column{"price", "DOUBLE"}, Column{"size", "BIGINT"},
			Column{"exchange", "INTEGER"}, Column{"conditions", "INTEGER[]"})
	}
	return nil
}

// PartitionColumns are the Hive partition columns, always VARCHAR.
func (t Table) PartitionColumns() []Column {
	return []Column{{t.KeyColumn(), "VARCHAR"}, {"date", "VARCHAR"}, {"hour", "VARCHAR"}}
}
