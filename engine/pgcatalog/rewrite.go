package pgcatalog

import (
	"strings"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// names is what the SQL files define; computed once from embedded text.
var names = sync.OnceValue(loadNames)

// Options are a connection's values the rewrite needs.
type Options struct {
	// Setting answers current_setting('name') with the session's value;
	// nil, or false, leaves the call to DuckDB.
	Setting func(name string) (string, bool)
	// SetConfig checks a set_config call and returns the value the
	// setting will show, which the call returns; nil leaves set_config
	// to the catalog's macro (it returns the value and changes nothing).
	// With it, current_setting of an unknown name is a *SettingError.
	SetConfig func(SetConfig) (string, error)
}

// Rewrite returns sql as DuckDB must run it to answer as PostgreSQL
// would, and whether it differs from sql. A statement PostgreSQL's parser
// refuses, several statements, or anything but a query (SELECT, EXPLAIN
// of one) is returned as it is.
func Rewrite(sql string, opt Options) (string, bool) {
	_, out, changed := rewrite(sql, opt)
	return out, changed
}

// rewrite is Rewrite; the rewriter is nil when the statement was left as
// it is before the walk.
func rewrite(sql string, opt Options) (*rewriter, string, bool) {
	tree, err := pg.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, sql, false
	}
	root := tree.Stmts[0].Stmt
	var sel *pg.SelectStmt
	switch n := root.Node.(type) {
	case *pg.Node_SelectStmt:
		sel = n.SelectStmt
	case *pg.Node_ExplainStmt:
	default:
		return nil, sql, false
	}
	r := &rewriter{opt: opt, ctes: map[string]bool{}, shown: map[*pg.TypeCast]bool{}}
	if sel != nil {
		r.nameColumns(sel)
	}
	collectCTEs(root.ProtoReflect(), r.ctes)
	r.walk(root.ProtoReflect())
	if !r.changed {
		return r, sql, false
	}
	out, err := pg.Deparse(tree)
	if err != nil {
		return r, sql, false
	}
	return r, out, true
}

type rewriter struct {
	opt Options
	// shown are casts whose value is a result column: a regclass shown
	// prints as its name, as PostgreSQL's output function does.
	shown   map[*pg.TypeCast]bool
	ctes    map[string]bool
	changed bool
	sets    []SetConfig // set_config calls, in order
	err     error       // the first call refused
	session bool        // read the session's settings
}

// walk visits every message of the tree, pre-order; a *pg.Node may be
// replaced in place before its children are visited.
func (r *rewriter) walk(m protoreflect.Message) {
	if !m.IsValid() {
		return
	}
	switch x := m.Interface().(type) {
	case *pg.Node:
		r.node(x)
		m = x.ProtoReflect()
	case *pg.RangeVar:
		r.rangeVar(x)
	case *pg.FuncCall:
		r.funcCall(x)
	case *pg.RangeFunction:
		r.rangeFunction(x)
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				r.walk(l.Get(i).Message())
			}
		case fd.Message() != nil && !fd.IsMap():
			r.walk(v.Message())
		}
		return true
	})
}

// collectCTEs records every CTE name of the statement first: a WITH
// clause comes after the FROM clause in the tree's field order.
func collectCTEs(m protoreflect.Message, into map[string]bool) {
	if !m.IsValid() {
		return
	}
	if cte, ok := m.Interface().(*pg.CommonTableExpr); ok {
		into[cte.Ctename] = true
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				collectCTEs(l.Get(i).Message(), into)
			}
		case fd.Message() != nil && !fd.IsMap():
			collectCTEs(v.Message(), into)
		}
		return true
	})
}

// node replaces expressions DuckDB does not have.
func (r *rewriter) node(n *pg.Node) {
	switch x := n.Node.(type) {
	case *pg.Node_TypeCast:
		r.typeCast(n, x.TypeCast)
	case *pg.Node_AExpr:
		r.aExpr(n, x.AExpr)
	case *pg.Node_CollateClause:
		// COLLATE "default", "C", pg_catalog."default": DuckDB compares
		// bytes as C does.
		if x.CollateClause.Arg != nil {
			n.Node = x.CollateClause.Arg.Node
			r.changed = true
			r.node(n)
		}
	case *pg.Node_SqlvalueFunction:
		var fn string
		switch x.SqlvalueFunction.Op {
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE,
			pg.SQLValueFunctionOp_SVFOP_USER, pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
			fn = "spysql_user"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			fn = "spysql_database"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			fn = "spysql_current_schema"
		default:
			return
		}
		n.Node = catalogCall(fn).Node
		r.changed = true
	}
}

func catalogCall(fn string, args ...*pg.Node) *pg.Node {
	return pg.MakeFuncCallNode([]*pg.Node{pg.MakeStrNode(CatalogSchema), pg.MakeStrNode(fn)}, args, -1)
}

// rangeVar sends pg_catalog and information_schema relations to the
// catalog's schemas; an unqualified pg_catalog name too, as PostgreSQL
// searches pg_catalog first, unless a CTE of the statement has it.
func (r *rewriter) rangeVar(rv *pg.RangeVar) {
	ns := names()
	if rv.Catalogname != "" {
		return // database.schema.name: DuckDB's own, as written
	}
	switch rv.Schemaname {
	case "pg_catalog":
		if ns.rels[CatalogSchema][rv.Relname] {
			rv.Schemaname, r.changed = CatalogSchema, true
		}
	case "information_schema":
		if ns.rels[InfoSchema][rv.Relname] {
			rv.Schemaname, r.changed = InfoSchema, true
		}
	case "":
		if ns.rels[CatalogSchema][rv.Relname] && !r.ctes[rv.Relname] &&
			!strings.HasPrefix(rv.Relname, "spysql_") {
			rv.Schemaname, r.changed = CatalogSchema, true
		}
	}
}

// scalarSRFs return rows of one scalar: in PostgreSQL the alias of such
// a function in FROM also names its column (FROM generate_series(1, 3) s
// makes s an integer), in DuckDB only the row.
var scalarSRFs = map[string]bool{"generate_series": true, "unnest": true, "generate_subscripts": true}

func (r *rewriter) rangeFunction(rf *pg.RangeFunction) {
	if rf.Alias == nil || len(rf.Alias.Colnames) > 0 || len(rf.Functions) != 1 || rf.Ordinality || rf.IsRowsfrom || len(rf.Coldeflist) > 0 {
		return
	}
	items := rf.Functions[0].GetList().GetItems()
	if len(items) == 0 {
		return
	}
	fc := items[0].GetFuncCall()
	if fc == nil {
		return
	}
	parts := strs(fc.Funcname)
	if len(parts) == 0 || !scalarSRFs[parts[len(parts)-1]] {
		return
	}
	rf.Alias.Colnames = []*pg.Node{pg.MakeStrNode(rf.Alias.Aliasname)}
	r.changed = true
}

// builtinRenames are PostgreSQL functions DuckDB has under another name.
var builtinRenames = map[string]string{
	"json_build_object": "json_object", "json_agg": "json_group_array", "json_object_agg": "json_group_object",
}

// funcCall sends catalog functions to the macros and drops pg_catalog
// from DuckDB's own (pg_catalog.lower is lower).
func (r *rewriter) funcCall(fc *pg.FuncCall) {
	if fc.Funcformat == pg.CoercionForm_COERCE_SQL_SYNTAX {
		return // EXTRACT, SUBSTRING, AT TIME ZONE, ...: deparsed as written
	}
	parts := strs(fc.Funcname)
	if parts == nil {
		return
	}
	ns := names()
	name := parts[len(parts)-1]
	schema := ""
	if len(parts) == 2 {
		schema = parts[0]
	} else if len(parts) > 2 {
		return
	}
	if name == "current_setting" || name == "set_config" {
		r.session = true // the answer depends on the session: not cached
	}
	if name == "current_setting" && r.opt.Setting != nil && (schema == "" || schema == "pg_catalog") {
		if r.currentSetting(fc) {
			return
		}
	}
	if name == "set_config" && r.opt.SetConfig != nil && (schema == "" || schema == "pg_catalog") {
		r.setConfig(fc)
		return
	}
	if to, ok := builtinRenames[name]; ok && (schema == "" || schema == "pg_catalog") {
		fc.Funcname = []*pg.Node{pg.MakeStrNode(to)}
		r.changed = true
		return
	}
	if to, ok := funcRenames[name]; ok && (schema == "" || schema == "pg_catalog") {
		fc.Funcname = []*pg.Node{pg.MakeStrNode(CatalogSchema), pg.MakeStrNode(to)}
		r.changed = true
		return
	}
	switch schema {
	case "", "pg_catalog":
		if ns.funcs[CatalogSchema][name] && !strings.HasPrefix(name, "spysql_") {
			fc.Funcname = []*pg.Node{pg.MakeStrNode(CatalogSchema), pg.MakeStrNode(name)}
			r.changed = true
		} else if schema != "" {
			fc.Funcname = []*pg.Node{pg.MakeStrNode(name)}
			r.changed = true
		}
	case "information_schema":
		if ns.funcs[InfoSchema][name] {
			fc.Funcname = []*pg.Node{pg.MakeStrNode(InfoSchema), pg.MakeStrNode(name)}
			r.changed = true
		}
	}
}

// funcRenames are PostgreSQL functions whose DuckDB namesakes the
// catalog's own SQL uses, so the macros answering them have other names.
var funcRenames = map[string]string{
	"current_database": "spysql_database", "current_schemas": "spysql_current_schemas",
	"current_schema": "spysql_current_schema", "current_user": "spysql_user", "session_user": "spysql_user",
}

// regCasts are the OID alias types: a cast of a name (a literal or a
// parameter) looks the object up, a cast of anything else names it.
var regCasts = map[string]string{
	"regclass": "regclass", "regtype": "regtype", "regnamespace": "regnamespace",
	"regrole": "regrole", "regproc": "regproc", "regprocedure": "regprocedure",
}

// plainTypes are PostgreSQL types DuckDB lacks, by what stands in.
var plainTypes = map[string]string{
	"name": "varchar", "char": "varchar", "bpchar": "varchar", "int2vector": "varchar",
	"oidvector": "varchar", "sql_identifier": "varchar", "character_data": "varchar",
	"yes_or_no": "varchar", "pg_node_tree": "varchar", "aclitem": "varchar",
	"cardinal_number": "integer", "oid": "uinteger", "xid": "bigint", "cid": "bigint", "tid": "varchar",
	"regoper": "integer", "regoperator": "integer", "regconfig": "integer",
	"regdictionary": "integer", "regcollation": "integer", "anyarray": "varchar",
}

func (r *rewriter) typeCast(n *pg.Node, tc *pg.TypeCast) {
	if tc.TypeName == nil {
		return
	}
	parts := strs(tc.TypeName.Names)
	if len(parts) == 0 {
		return
	}
	name := parts[len(parts)-1]
	if len(parts) == 2 && (parts[0] == "pg_catalog" || parts[0] == "information_schema") {
		tc.TypeName.Names = []*pg.Node{pg.MakeStrNode(name)}
		r.changed = true
	}
	if reg, ok := regCasts[name]; ok && len(tc.TypeName.ArrayBounds) == 0 {
		arg := tc.Arg
		if _, isStr := stringConst(arg); isStr || arg.GetParamRef() != nil {
			arg = catalogCall("spysql_"+reg+"_in", arg)
			if !r.shown[tc] {
				n.Node = arg.Node
				r.changed = true
				return
			}
		}
		n.Node = catalogCall("spysql_"+reg+"_out", arg).Node
		r.changed = true
		return
	}
	if to, ok := plainTypes[name]; ok {
		tc.TypeName.Names = []*pg.Node{pg.MakeStrNode(to)}
		r.changed = true
	}
}

// aExpr strips OPERATOR(pg_catalog.op) and turns the regular expression
// operators into regexp_matches: DuckDB's ~ matches the whole string,
// PostgreSQL's any part of it.
func (r *rewriter) aExpr(n *pg.Node, e *pg.A_Expr) {
	if r.anyArray(n, e) {
		return
	}
	if e.Kind != pg.A_Expr_Kind_AEXPR_OP {
		return
	}
	parts := strs(e.Name)
	if len(parts) == 0 {
		return
	}
	op := parts[len(parts)-1]
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		e.Name = []*pg.Node{pg.MakeStrNode(op)}
		r.changed = true
	}
	var negate, icase bool
	switch op {
	case "~":
	case "~*":
		icase = true
	case "!~":
		negate = true
	case "!~*":
		negate, icase = true, true
	default:
		return
	}
	if e.Lexpr == nil {
		return
	}
	args := []*pg.Node{e.Lexpr, e.Rexpr}
	if icase {
		args = append(args, pg.MakeAConstStrNode("i", -1))
	}
	call := pg.MakeFuncCallNode([]*pg.Node{pg.MakeStrNode("regexp_matches")}, args, e.Location)
	if negate {
		call = pg.MakeBoolExprNode(pg.BoolExprType_NOT_EXPR, []*pg.Node{call}, e.Location)
	}
	n.Node = call.Node
	r.changed = true
}

// anyArray turns x = ANY(array) into list_contains(array, x) and x <>
// ALL(array) into its negation: DuckDB plans = ANY as a subquery, which
// it cannot join on the outer side of a LEFT JOIN (SQLAlchemy's index
// query does so). A string literal (an array in PostgreSQL's text form)
// is left alone.
func (r *rewriter) anyArray(n *pg.Node, e *pg.A_Expr) bool {
	parts := strs(e.Name)
	if len(parts) == 0 || e.Lexpr == nil || e.Rexpr == nil || e.Rexpr.GetSubLink() != nil {
		return false
	}
	if _, isStr := stringConst(e.Rexpr); isStr {
		return false
	}
	op := parts[len(parts)-1]
	var negate bool
	switch {
	case e.Kind == pg.A_Expr_Kind_AEXPR_OP_ANY && op == "=":
	case e.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL && op == "<>":
		negate = true
	default:
		return false
	}
	call := pg.MakeFuncCallNode([]*pg.Node{pg.MakeStrNode("list_contains")}, []*pg.Node{e.Rexpr, e.Lexpr}, e.Location)
	if negate {
		call = pg.MakeBoolExprNode(pg.BoolExprType_NOT_EXPR, []*pg.Node{call}, e.Location)
	}
	n.Node = call.Node
	r.changed = true
	return true
}

// strs is a list of String nodes as strings, or nil.
func strs(list []*pg.Node) []string {
	out := make([]string, 0, len(list))
	for _, n := range list {
		s := n.GetString_()
		if s == nil {
			return nil
		}
		out = append(out, s.Sval)
	}
	return out
}

// stringConst is a string literal's value.
func stringConst(n *pg.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	c := n.GetAConst()
	if c == nil || c.Isnull {
		return "", false
	}
	if s := c.GetSval(); s != nil {
		return s.Sval, true
	}
	return "", false
}
