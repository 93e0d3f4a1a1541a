package pgcatalog

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// CastParams casts each parameter $n that types names (n counts from 1)
// to that type, as PostgreSQL fixes an untyped parameter's type at Parse:
// to the type the client gave, or text. It returns sql unchanged when
// PostgreSQL's parser refuses it or no parameter is named.
func CastParams(sql string, types map[int]string) (string, bool) {
	tree, err := pg.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 || len(types) == 0 {
		return sql, false
	}
	changed := false
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if !m.IsValid() {
			return
		}
		if n, ok := m.Interface().(*pg.Node); ok {
			if pr := n.GetParamRef(); pr != nil {
				if typ, ok := types[int(pr.Number)]; ok {
					ref := &pg.Node{Node: &pg.Node_ParamRef{ParamRef: pr}}
					n.Node = &pg.Node_TypeCast{TypeCast: &pg.TypeCast{
						Arg: ref, TypeName: &pg.TypeName{Names: []*pg.Node{pg.MakeStrNode(typ)}, Typemod: -1}, Location: -1,
					}}
					changed = true
					return
				}
			}
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			case fd.Message() != nil && !fd.IsMap():
				walk(v.Message())
			}
			return true
		})
	}
	walk(tree.ProtoReflect())
	if !changed {
		return sql, false
	}
	out, err := pg.Deparse(tree)
	if err != nil {
		return sql, false
	}
	return out, true
}

// paramTypeNames are DuckDB's names of the PostgreSQL types a client may
// give a parameter, by OID.
var paramTypeNames = map[uint32]string{
	16: "boolean", 17: "blob", 20: "bigint", 21: "smallint", 23: "integer", 25: "varchar",
	26: "uinteger", 114: "json", 700: "real", 701: "double", 1042: "varchar", 1043: "varchar",
	1082: "date", 1083: "time", 1114: "timestamp", 1184: "timestamptz", 1186: "interval",
	1700: "decimal", 2950: "uuid", 3802: "json",
	1000: "boolean[]", 1005: "smallint[]", 1007: "integer[]", 1016: "bigint[]", 1009: "varchar[]",
	1015: "varchar[]", 1021: "real[]", 1022: "double[]", 1028: "uinteger[]",
}

// ParamTypeName is the DuckDB type a parameter the client typed oid is
// cast to; text for 0 (unspecified) and types DuckDB lacks.
func ParamTypeName(oid uint32) string {
	if n, ok := paramTypeNames[oid]; ok {
		return n
	}
	return "varchar"
}
