package wire

import (
	"fmt"
	"strings"

	"github.com/spysql/spysql/engine/session"
)

// PostgreSQL type OIDs (pg_type.dat) of the types the server advertises.
const (
	oidBool        uint32 = 16
	oidBytea       uint32 = 17
	oidName        uint32 = 19
	oidInt8        uint32 = 20
	oidInt2        uint32 = 21
	oidInt4        uint32 = 23
	oidText        uint32 = 25
	oidOID         uint32 = 26
	oidOIDArray    uint32 = 1028
	oidJSON        uint32 = 114
	oidJSONArray   uint32 = 199
	oidFloat4      uint32 = 700
	oidFloat8      uint32 = 701
	oidUnknown     uint32 = 705
	oidBoolArray   uint32 = 1000
	oidByteaArray  uint32 = 1001
	oidInt2Array   uint32 = 1005
	oidInt4Array   uint32 = 1007
	oidTextArray   uint32 = 1009
	oidVarchar     uint32 = 1043
	oidBPChar      uint32 = 1042
	oidInt8Array   uint32 = 1016
	oidFloat4Array uint32 = 1021
	oidFloat8Array uint32 = 1022
	oidDate        uint32 = 1082
	oidTime        uint32 = 1083
	oidTimestamp   uint32 = 1114
	oidTSArray     uint32 = 1115
	oidDateArray   uint32 = 1182
	oidTimeArray   uint32 = 1183
	oidTimestampTZ uint32 = 1184
	oidTSTZArray   uint32 = 1185
	oidInterval    uint32 = 1186
	oidIntervArray uint32 = 1187
	oidNumArray    uint32 = 1231
	oidNumeric     uint32 = 1700
	oidUUID        uint32 = 2950
	oidUUIDArray   uint32 = 2951
	oidJSONB       uint32 = 3802
)

// pgType is how one DuckDB type appears on the wire: the one map used by
// RowDescription, ParameterDescription and the encoders.
type pgType struct {
	oid    uint32
	typmod int32
	size   int16  // pg_type.typlen; -1 variable
	elem   uint32 // element OID of an array type, else 0
}

var scalarTypes = map[session.SQLKind]pgType{
	session.KindBoolean:     {oid: oidBool, size: 1},
	session.KindTinyInt:     {oid: oidInt2, size: 2},
	session.KindSmallInt:    {oid: oidInt2, size: 2},
	session.KindUTinyInt:    {oid: oidInt2, size: 2},
	session.KindInteger:     {oid: oidInt4, size: 4},
	session.KindUSmallInt:   {oid: oidInt4, size: 4},
	session.KindBigInt:      {oid: oidInt8, size: 8},
	session.KindUInteger:    {oid: oidOID, size: 4}, // PostgreSQL's only unsigned 32-bit type; the catalog's OIDs
	session.KindUBigInt:     {oid: oidNumeric, size: -1},
	session.KindHugeInt:     {oid: oidNumeric, size: -1},
	session.KindUHugeInt:    {oid: oidNumeric, size: -1},
	session.KindDecimal:     {oid: oidNumeric, size: -1},
	session.KindFloat:       {oid: oidFloat4, size: 4},
	session.KindDouble:      {oid: oidFloat8, size: 8},
	session.KindVarchar:     {oid: oidText, size: -1},
	session.KindBlob:        {oid: oidBytea, size: -1},
	session.KindDate:        {oid: oidDate, size: 4},
	session.KindTime:        {oid: oidTime, size: 8},
	session.KindTimestamp:   {oid: oidTimestamp, size: 8},
	session.KindTimestampS:  {oid: oidTimestamp, size: 8},
	session.KindTimestampMS: {oid: oidTimestamp, size: 8},
	session.KindTimestampNS: {oid: oidTimestamp, size: 8},
	session.KindTimestampTZ: {oid: oidTimestampTZ, size: 8},
	session.KindInterval:    {oid: oidInterval, size: 16},
	session.KindUUID:        {oid: oidUUID, size: 16},
	session.KindUnknown:     {oid: oidText, size: -1},
}

var arrayOf = map[uint32]uint32{
	oidBool: oidBoolArray, oidBytea: oidByteaArray, oidInt2: oidInt2Array, oidInt4: oidInt4Array,
	oidInt8: oidInt8Array, oidText: oidTextArray, oidJSON: oidJSONArray, oidFloat4: oidFloat4Array,
	oidFloat8: oidFloat8Array, oidDate: oidDateArray, oidTime: oidTimeArray, oidTimestamp: oidTSArray,
	oidTimestampTZ: oidTSTZArray, oidInterval: oidIntervArray, oidNumeric: oidNumArray, oidUUID: oidUUIDArray,
	oidOID: oidOIDArray,
}

// typeFor maps a DuckDB type to its wire type; ok is false for types that
// must be converted in SQL first (see convertExpr).
func typeFor(t session.SQLType) (pgType, bool) {
	if t.Kind == session.KindVarchar && strings.EqualFold(t.Alias, "JSON") {
		return pgType{oid: oidJSON, size: -1, typmod: -1}, true
	}
	if t.Kind == session.KindList || t.Kind == session.KindArray {
		et, ok := typeFor(*t.Elem)
		if !ok || et.elem != 0 {
			return pgType{}, false
		}
		// PostgreSQL reports an array column with its element's typmod.
		return pgType{oid: arrayOf[et.oid], typmod: et.typmod, size: -1, elem: et.oid}, true
	}
	pt, ok := scalarTypes[t.Kind]
	if !ok {
		return pgType{}, false
	}
	pt.typmod = -1
	if t.Kind == session.KindDecimal {
		pt.typmod = int32(t.Width)<<16 | int32(t.Scale) + 4
	}
	return pt, true
}

// convertExpr is the SQL that turns expr of type t into a type typeFor
// accepts: STRUCT, MAP, UNION and nested lists become json; ENUM, TIME
// WITH TIME ZONE and the rest become text.
func convertExpr(expr string, t session.SQLType) string {
	switch t.Kind {
	case session.KindStruct, session.KindMap:
		return "to_json(" + expr + ")"
	case session.KindList, session.KindArray:
		switch t.Elem.Kind {
		case session.KindList, session.KindArray, session.KindStruct, session.KindMap:
			return "to_json(" + expr + ")"
		}
		return "CAST(" + expr + " AS VARCHAR[])"
	}
	return "CAST(" + expr + " AS VARCHAR)"
}

// wrapQuery rewrites query so that every column has a wire type, or
// returns "" when it already does.
func wrapQuery(query string, cols []session.ResultColumn) string {
	need := false
	for _, c := range cols {
		if _, ok := typeFor(c.Type); !ok {
			need = true
			break
		}
	}
	if !need {
		return ""
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		ref := fmt.Sprintf("#%d", i+1)
		if _, ok := typeFor(c.Type); ok {
			b.WriteString(ref)
		} else {
			b.WriteString(convertExpr(ref, c.Type))
		}
		b.WriteString(" AS ")
		b.WriteString(quoteIdent(c.Name))
	}
	b.WriteString(" FROM (")
	b.WriteString(trimStatement(query))
	b.WriteString("\n) AS spysql_wire")
	return b.String()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
