package session

import (
	"fmt"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// SQLKind is a DuckDB logical type id, independent of the bindings.
type SQLKind int

// Type kinds. Physical layouts in a Vector are noted where they matter.
const (
	KindUnknown     SQLKind = iota // unresolved parameter, SQL NULL literal
	KindBoolean                    // 1 byte
	KindTinyInt                    // int8
	KindSmallInt                   // int16
	KindInteger                    // int32
	KindBigInt                     // int64
	KindUTinyInt                   // uint8
	KindUSmallInt                  // uint16
	KindUInteger                   // uint32
	KindUBigInt                    // uint64
	KindHugeInt                    // 128-bit: uint64 low, int64 high
	KindUHugeInt                   // 128-bit: uint64 low, uint64 high
	KindFloat                      // float32
	KindDouble                     // float64
	KindDecimal                    // Width, Scale; int16/32/64/128 by width
	KindVarchar                    // string_t; Alias "JSON" for json
	KindBlob                       // string_t
	KindDate                       // int32 days since 1970-01-01
	KindTime                       // int64 µs since midnight
	KindTimeTZ                     // uint64: µs << 24 | (offset + max)
	KindTimestamp                  // int64 µs since epoch
	KindTimestampS                 // int64 s
	KindTimestampMS                // int64 ms
	KindTimestampNS                // int64 ns
	KindTimestampTZ                // int64 µs since epoch, UTC
	KindInterval                   // int32 months, int32 days, int64 µs
	KindUUID                       // 128-bit, high bit flipped
	KindEnum                       // dictionary index
	KindList                       // list_entry_t {offset, length} + child
	KindArray                      // fixed Size + child
	KindStruct                     // child vectors
	KindMap                        // list of struct(key, value)
	KindOther                      // union, bit, bignum, geometry, variant, ...
)

// SQLType is a DuckDB logical type, with the details encoders need.
type SQLType struct {
	Kind  SQLKind
	Alias string // e.g. "JSON"
	// Name is DuckDB's name of the id, for messages ("UNION", "BIT").
	Name         string
	Width, Scale uint8        // DECIMAL
	Internal     StorageWidth // DECIMAL storage / ENUM index width
	Size         int          // ARRAY element count
	Elem         *SQLType     // LIST, ARRAY element
	Fields       []SQLType    // STRUCT children; MAP key, value
}

// StorageWidth is a storage width selector for DECIMAL and ENUM: 16, 32, 64, 128
// bits for DECIMAL, 8/16/32 for ENUM.
type StorageWidth uint8

// ResultColumn is one result column.
type ResultColumn struct {
	Name string
	Type SQLType
}

func (t SQLType) String() string {
	switch t.Kind {
	case KindDecimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Width, t.Scale)
	case KindList:
		return t.Elem.String() + "[]"
	case KindArray:
		return fmt.Sprintf("%s[%d]", t.Elem, t.Size)
	}
	if t.Alias != "" {
		return t.Alias
	}
	return t.Name
}

var kindOf = map[bindings.Type]struct {
	k    SQLKind
	name string
}{
	bindings.TypeBoolean:     {KindBoolean, "BOOLEAN"},
	bindings.TypeTinyInt:     {KindTinyInt, "TINYINT"},
	bindings.TypeSmallInt:    {KindSmallInt, "SMALLINT"},
	bindings.TypeInteger:     {KindInteger, "INTEGER"},
	bindings.TypeBigInt:      {KindBigInt, "BIGINT"},
	bindings.TypeUTinyInt:    {KindUTinyInt, "UTINYINT"},
	bindings.TypeUSmallInt:   {KindUSmallInt, "USMALLINT"},
	bindings.TypeUInteger:    {KindUInteger, "UINTEGER"},
	bindings.TypeUBigInt:     {KindUBigInt, "UBIGINT"},
	bindings.TypeHugeInt:     {KindHugeInt, "HUGEINT"},
	bindings.TypeUHugeInt:    {KindUHugeInt, "UHUGEINT"},
	bindings.TypeFloat:       {KindFloat, "FLOAT"},
	bindings.TypeDouble:      {KindDouble, "DOUBLE"},
	bindings.TypeDecimal:     {KindDecimal, "DECIMAL"},
	bindings.TypeVarchar:     {KindVarchar, "VARCHAR"},
	bindings.TypeBlob:        {KindBlob, "BLOB"},
	bindings.TypeDate:        {KindDate, "DATE"},
	bindings.TypeTime:        {KindTime, "TIME"},
	bindings.TypeTimeTZ:      {KindTimeTZ, "TIME WITH TIME ZONE"},
	bindings.TypeTimestamp:   {KindTimestamp, "TIMESTAMP"},
	bindings.TypeTimestampS:  {KindTimestampS, "TIMESTAMP_S"},
	bindings.TypeTimestampMS: {KindTimestampMS, "TIMESTAMP_MS"},
	bindings.TypeTimestampNS: {KindTimestampNS, "TIMESTAMP_NS"},
	bindings.TypeTimestampTZ: {KindTimestampTZ, "TIMESTAMP WITH TIME ZONE"},
	bindings.TypeInterval:    {KindInterval, "INTERVAL"},
	bindings.TypeUUID:        {KindUUID, "UUID"},
	bindings.TypeEnum:        {KindEnum, "ENUM"},
	bindings.TypeList:        {KindList, "LIST"},
	bindings.TypeArray:       {KindArray, "ARRAY"},
	bindings.TypeStruct:      {KindStruct, "STRUCT"},
	bindings.TypeMap:         {KindMap, "MAP"},
	bindings.TypeSQLNull:     {KindUnknown, "NULL"},
	bindings.TypeInvalid:     {KindUnknown, "UNKNOWN"},
	bindings.TypeAny:         {KindUnknown, "ANY"},
	bindings.TypeUnion:       {KindOther, "UNION"},
	bindings.TypeBit:         {KindOther, "BIT"},
	bindings.TypeBigNum:      {KindOther, "BIGNUM"},
	bindings.TypeTimeNS:      {KindOther, "TIME_NS"},
}

// typeOf describes a logical type; it does not take ownership of lt.
func typeOf(lt bindings.LogicalType) SQLType {
	id := bindings.GetTypeId(lt)
	k, ok := kindOf[id]
	if !ok {
		k.k, k.name = KindOther, fmt.Sprintf("TYPE(%d)", int(id))
	}
	t := SQLType{Kind: k.k, Name: k.name, Alias: bindings.LogicalTypeGetAlias(lt)}
	switch t.Kind {
	case KindDecimal:
		t.Width, t.Scale = bindings.DecimalWidth(lt), bindings.DecimalScale(lt)
		switch bindings.DecimalInternalType(lt) {
		case bindings.TypeSmallInt:
			t.Internal = 16
		case bindings.TypeInteger:
			t.Internal = 32
		case bindings.TypeBigInt:
			t.Internal = 64
		default:
			t.Internal = 128
		}
	case KindEnum:
		switch bindings.EnumInternalType(lt) {
		case bindings.TypeUTinyInt:
			t.Internal = 8
		case bindings.TypeUSmallInt:
			t.Internal = 16
		default:
			t.Internal = 32
		}
	case KindList, KindMap:
		c := bindings.ListTypeChildType(lt)
		e := typeOf(c)
		bindings.DestroyLogicalType(&c)
		t.Elem = &e
		if t.Kind == KindMap {
			t.Fields = e.Fields
		}
	case KindArray:
		c := bindings.ArrayTypeChildType(lt)
		e := typeOf(c)
		bindings.DestroyLogicalType(&c)
		t.Elem = &e
		t.Size = int(bindings.ArrayTypeArraySize(lt))
	case KindStruct:
		n := bindings.StructTypeChildCount(lt)
		for i := range n {
			c := bindings.StructTypeChildType(lt, i)
			f := typeOf(c)
			bindings.DestroyLogicalType(&c)
			t.Fields = append(t.Fields, f)
		}
	}
	return t
}
