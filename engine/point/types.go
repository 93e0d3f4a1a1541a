package point

import (
	"fmt"
	"strconv"
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/spysql/spysql/engine/session"
)

// colType is a column type as DuckDB reads it, for the types a point
// read decodes; kind session.KindOther for the rest.
type colType struct {
	kind         session.SQLKind
	width, scale uint8    // DECIMAL
	elem         *colType // LIST: a flat element type
}

// primitiveNames name the flat types a point read decodes. The index
// stores names, so that the SQLKind numbering may change.
var primitiveNames = map[session.SQLKind]string{
	session.KindBoolean: "BOOLEAN", session.KindInteger: "INTEGER", session.KindBigInt: "BIGINT",
	session.KindFloat: "FLOAT", session.KindDouble: "DOUBLE", session.KindVarchar: "VARCHAR",
	session.KindBlob: "BLOB", session.KindDate: "DATE", session.KindTimestamp: "TIMESTAMP",
	session.KindTimestampNS: "TIMESTAMP_NS", session.KindTimestampTZ: "TIMESTAMPTZ",
}

// duckTypes are the DuckDB type ids of the flat types.
var duckTypes = map[session.SQLKind]bindings.Type{
	session.KindBoolean: bindings.TypeBoolean, session.KindInteger: bindings.TypeInteger,
	session.KindBigInt: bindings.TypeBigInt, session.KindFloat: bindings.TypeFloat,
	session.KindDouble: bindings.TypeDouble, session.KindVarchar: bindings.TypeVarchar,
	session.KindBlob: bindings.TypeBlob, session.KindDate: bindings.TypeDate,
	session.KindTimestamp: bindings.TypeTimestamp, session.KindTimestampNS: bindings.TypeTimestampNS,
	session.KindTimestampTZ: bindings.TypeTimestampTZ,
}

var otherType = colType{kind: session.KindOther}

// decoded reports whether point reads decode the type.
func (t colType) decoded() bool { return t.kind != session.KindOther }

func (t colType) String() string {
	switch t.kind {
	case session.KindDecimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.width, t.scale)
	case session.KindList:
		return t.elem.String() + "[]"
	case session.KindOther:
		return "OTHER"
	}
	return primitiveNames[t.kind]
}

// parseColType reads what String wrote.
func parseColType(s string) (colType, bool) {
	if e, ok := strings.CutSuffix(s, "[]"); ok {
		et, ok := parseColType(e)
		if !ok || et.kind == session.KindList || et.kind == session.KindOther {
			return colType{}, false
		}
		return colType{kind: session.KindList, elem: &et}, true
	}
	if s == "OTHER" {
		return otherType, true
	}
	if ws, ok := strings.CutPrefix(s, "DECIMAL("); ok {
		w, sc, ok := strings.Cut(strings.TrimSuffix(ws, ")"), ",")
		wi, err1 := strconv.Atoi(w)
		si, err2 := strconv.Atoi(sc)
		if !ok || err1 != nil || err2 != nil || wi < 1 || wi > 38 || si < 0 || si > wi {
			return colType{}, false
		}
		return colType{kind: session.KindDecimal, width: uint8(wi), scale: uint8(si)}, true
	}
	for k, n := range primitiveNames {
		if n == s {
			return colType{kind: k}, true
		}
	}
	return colType{}, false
}

// matches reports whether DuckDB prepared a column of type st for this
// column, so that the decoded values are what DuckDB would return.
func (t colType) matches(st session.SQLType) bool {
	if st.Kind != t.kind || st.Alias != "" || t.kind == session.KindOther {
		return false
	}
	switch t.kind {
	case session.KindDecimal:
		return st.Width == t.width && st.Scale == t.scale
	case session.KindList:
		return st.Elem != nil && t.elem.matches(*st.Elem)
	}
	return true
}

// size is the bytes of one value in a block: 0 for variable-length
// values (VARCHAR, BLOB, lists).
func (t colType) size() int {
	switch t.kind {
	case session.KindBoolean:
		return 1
	case session.KindInteger, session.KindDate, session.KindFloat:
		return 4
	case session.KindBigInt, session.KindDouble, session.KindTimestamp, session.KindTimestampNS, session.KindTimestampTZ:
		return 8
	case session.KindDecimal:
		if t.width > 18 {
			return 16
		}
		return 8
	}
	return 0
}

// floating reports whether values are IEEE floats (XOR-coded in blocks,
// not delta-coded).
func (t colType) floating() bool {
	return t.kind == session.KindFloat || t.kind == session.KindDouble
}

// vectorWidth is the bytes of one value in a DuckDB vector.
func (t colType) vectorWidth() int {
	if t.kind != session.KindDecimal {
		return t.size()
	}
	switch {
	case t.width <= 4:
		return 2
	case t.width <= 9:
		return 4
	case t.width <= 18:
		return 8
	}
	return 16
}

// logical is the DuckDB logical type; the caller destroys it.
func (t colType) logical() bindings.LogicalType {
	switch t.kind {
	case session.KindDecimal:
		return bindings.CreateDecimalType(t.width, t.scale)
	case session.KindList:
		child := t.elem.logical()
		defer bindings.DestroyLogicalType(&child)
		return bindings.CreateListType(child)
	}
	return bindings.CreateLogicalType(duckTypes[t.kind])
}

// srcCol is a column of a dataset being indexed: how to read its values
// from the Parquet file.
type srcCol struct {
	name     string
	typ      colType
	typeName string // for messages: DuckDB's name, or the Parquet type
	leaf     int    // first leaf (column chunk) index; -1 for a partition column
	// mult scales INT64 timestamps to DuckDB's unit (MILLIS read as µs).
	mult int64
	// listBase is the definition level of an empty list (a NULL list
	// has less), elemDef that of a present element.
	listBase, elemDef int
	part              bool // the Hive partition column "date" of Silver
}

// flatType is the type DuckDB gives a flat Parquet column, and the unit
// multiplier of its values.
func flatType(pt parquet.Type) (colType, int64) {
	var lv format.LogicalTypeValue
	if lt := pt.LogicalType(); lt != nil {
		lv = lt.Value
	}
	switch pt.Kind() {
	case parquet.Boolean:
		if lv == nil {
			return colType{kind: session.KindBoolean}, 1
		}
	case parquet.Int32:
		switch v := lv.(type) {
		case nil:
			return colType{kind: session.KindInteger}, 1
		case *format.DateType:
			return colType{kind: session.KindDate}, 1
		case *format.IntType:
			if v.BitWidth == 32 && v.IsSigned {
				return colType{kind: session.KindInteger}, 1
			}
		case *format.DecimalType:
			return decimalType(v)
		}
	case parquet.Int64:
		switch v := lv.(type) {
		case nil:
			return colType{kind: session.KindBigInt}, 1
		case *format.IntType:
			if v.BitWidth == 64 && v.IsSigned {
				return colType{kind: session.KindBigInt}, 1
			}
		case *format.DecimalType:
			return decimalType(v)
		case *format.TimestampType:
			kind := session.KindTimestamp
			if v.IsAdjustedToUTC {
				kind = session.KindTimestampTZ
			}
			switch v.Unit.Value.(type) {
			case *format.MicroSeconds:
				return colType{kind: kind}, 1
			case *format.MilliSeconds:
				return colType{kind: kind}, 1000
			case *format.NanoSeconds:
				if !v.IsAdjustedToUTC {
					return colType{kind: session.KindTimestampNS}, 1
				}
			}
		}
	case parquet.Float:
		if lv == nil {
			return colType{kind: session.KindFloat}, 1
		}
	case parquet.Double:
		if lv == nil {
			return colType{kind: session.KindDouble}, 1
		}
	case parquet.ByteArray:
		switch v := lv.(type) {
		case nil:
			return colType{kind: session.KindBlob}, 1
		case *format.StringType:
			return colType{kind: session.KindVarchar}, 1
		case *format.DecimalType:
			return decimalType(v)
		}
	case parquet.FixedLenByteArray:
		if v, ok := lv.(*format.DecimalType); ok {
			return decimalType(v)
		}
	}
	return otherType, 1
}

func decimalType(v *format.DecimalType) (colType, int64) {
	if v.Precision < 1 || v.Precision > 38 || v.Scale < 0 || v.Scale > v.Precision {
		return otherType, 1
	}
	return colType{kind: session.KindDecimal, width: uint8(v.Precision), scale: uint8(v.Scale)}, 1
}

// datasetColumns are pf's top-level columns as DuckDB reads them. Names
// differing only in case are refused: DuckDB renames one, and names would
// no longer map one to one.
func datasetColumns(pf *parquet.File) ([]srcCol, error) {
	var cols []srcCol
	seen := map[string]string{}
	leaf := 0
	for _, col := range pf.Root().Columns() {
		k := strings.ToLower(col.Name())
		if other, dup := seen[k]; dup {
			return nil, fmt.Errorf("columns %q and %q differ only in case (DuckDB renames one)", other, col.Name())
		}
		seen[k] = col.Name()
		c := srcCol{name: col.Name(), typ: otherType, leaf: leaf, mult: 1}
		switch {
		case col.Leaf() && !col.Repeated():
			c.typ, c.mult = flatType(col.Type())
		case !col.Leaf() && !col.Repeated():
			c.typ, c.mult, c.listBase, c.elemDef = listType(col)
		}
		c.typeName = c.typ.String()
		if !c.typ.decoded() {
			c.typeName = parquetTypeName(col)
		}
		leaf += countLeaves(col)
		cols = append(cols, c)
	}
	return cols, nil
}

// listType reads a standard three-level LIST of a flat element type:
//
//	<optional|required> group name (LIST) { repeated group list { <optional|required> T element } }
func listType(col *parquet.Column) (colType, int64, int, int) {
	lt := col.Type().LogicalType()
	if lt == nil || len(col.Columns()) != 1 {
		return otherType, 1, 0, 0
	}
	if _, ok := lt.Value.(*format.ListType); !ok {
		return otherType, 1, 0, 0
	}
	rep := col.Columns()[0]
	if !rep.Repeated() || rep.Leaf() || len(rep.Columns()) != 1 {
		return otherType, 1, 0, 0
	}
	el := rep.Columns()[0]
	if !el.Leaf() || el.Repeated() {
		return otherType, 1, 0, 0
	}
	et, mult := flatType(el.Type())
	if !et.decoded() {
		return otherType, 1, 0, 0
	}
	base := 0
	if col.Optional() {
		base = 1
	}
	return colType{kind: session.KindList, elem: &et}, mult, base, el.MaxDefinitionLevel()
}

// parquetTypeName describes a column's Parquet type, for messages.
func parquetTypeName(col *parquet.Column) string {
	switch {
	case col.Repeated():
		return "repeated Parquet field"
	case !col.Leaf():
		if lt := col.Type().LogicalType(); lt != nil {
			switch lt.Value.(type) {
			case *format.ListType:
				return "Parquet LIST of nested or undecoded elements"
			case *format.MapType:
				return "Parquet MAP"
			}
		}
		return "Parquet group (STRUCT)"
	}
	if lt := col.Type().LogicalType(); lt != nil {
		return "Parquet " + col.Type().Kind().String() + " " + lt.String()
	}
	return "Parquet " + col.Type().Kind().String()
}
