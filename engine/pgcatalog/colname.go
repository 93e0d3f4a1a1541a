package pgcatalog

import (
	pg "github.com/pganalyze/pg_query_go/v6"
)

// nameColumns gives each unnamed result column of a query the name
// PostgreSQL gives it (FigureColname in parse_target.c): a column's
// name, a function's name, the type of a cast constant, "case",
// "array", "exists", and "?column?" for the rest. DuckDB would name
// them after the expression ("count_star()"). A set operation takes the
// names of its first branch.
func (r *rewriter) nameColumns(sel *pg.SelectStmt) {
	for sel.Op != pg.SetOperation_SETOP_NONE && sel.Larg != nil {
		sel = sel.Larg
	}
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil || rt.Val == nil {
			continue
		}
		if tc := rt.Val.GetTypeCast(); tc != nil {
			r.shown[tc] = true
		}
		if rt.Name != "" {
			continue
		}
		if cr := rt.Val.GetColumnRef(); cr != nil {
			continue // DuckDB names a column as PostgreSQL does; * expands
		}
		name, _ := figureColname(rt.Val)
		rt.Name = name
		r.changed = true
	}
}

// figureColname returns the name and whether it is a strong choice (not
// a fallback that an enclosing cast may override).
func figureColname(n *pg.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg.Node_ColumnRef:
		f := x.ColumnRef.Fields
		if len(f) > 0 {
			if s := f[len(f)-1].GetString_(); s != nil {
				return s.Sval, true
			}
		}
	case *pg.Node_AIndirection:
		ind := x.AIndirection.Indirection
		for i := len(ind) - 1; i >= 0; i-- {
			if s := ind[i].GetString_(); s != nil {
				return s.Sval, true
			}
		}
		return figureColname(x.AIndirection.Arg)
	case *pg.Node_FuncCall:
		f := x.FuncCall.Funcname
		if len(f) > 0 {
			if s := f[len(f)-1].GetString_(); s != nil {
				return s.Sval, true
			}
		}
	case *pg.Node_AExpr:
		if x.AExpr.Kind == pg.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", true
		}
	case *pg.Node_TypeCast:
		if name, strong := figureColname(x.TypeCast.Arg); strong {
			return name, true
		}
		if tn := x.TypeCast.TypeName; tn != nil && len(tn.Names) > 0 {
			if s := tn.Names[len(tn.Names)-1].GetString_(); s != nil {
				return s.Sval, false
			}
		}
	case *pg.Node_CollateClause:
		return figureColname(x.CollateClause.Arg)
	case *pg.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg.SubLinkType_EXISTS_SUBLINK:
			return "exists", true
		case pg.SubLinkType_ARRAY_SUBLINK:
			return "array", true
		case pg.SubLinkType_EXPR_SUBLINK:
			if s := x.SubLink.Subselect.GetSelectStmt(); s != nil {
				for s.Op != pg.SetOperation_SETOP_NONE && s.Larg != nil {
					s = s.Larg
				}
				if len(s.TargetList) > 0 {
					if rt := s.TargetList[0].GetResTarget(); rt != nil {
						if rt.Name != "" {
							return rt.Name, true
						}
						return figureColname(rt.Val)
					}
				}
			}
		}
	case *pg.Node_CaseExpr:
		if x.CaseExpr.Defresult != nil {
			if name, strong := figureColname(x.CaseExpr.Defresult); strong {
				return name, true
			}
		}
		return "case", true
	case *pg.Node_AArrayExpr:
		return "array", true
	case *pg.Node_RowExpr:
		return "row", true
	case *pg.Node_CoalesceExpr:
		return "coalesce", true
	case *pg.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg.MinMaxOp_IS_GREATEST {
			return "greatest", true
		}
		return "least", true
	case *pg.Node_SqlvalueFunction:
		return svfNames[x.SqlvalueFunction.Op], true
	case *pg.Node_GroupingFunc:
		return "grouping", true
	}
	return "?column?", false
}

var svfNames = map[pg.SQLValueFunctionOp]string{
	pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:        "current_date",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME:        "current_time",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:      "current_time",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:   "current_timestamp",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N: "current_timestamp",
	pg.SQLValueFunctionOp_SVFOP_LOCALTIME:           "localtime",
	pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:         "localtime",
	pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:      "localtimestamp",
	pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:    "localtimestamp",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:        "current_role",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:        "current_user",
	pg.SQLValueFunctionOp_SVFOP_USER:                "user",
	pg.SQLValueFunctionOp_SVFOP_SESSION_USER:        "session_user",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:     "current_catalog",
	pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:      "current_schema",
}
