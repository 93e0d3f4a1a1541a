package pgcatalog

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// SetConfig is one set_config(name, value, is_local) call of a statement.
// The rewrite replaces the call with the value it returns; the server
// applies the change when the statement runs.
type SetConfig struct {
	Name  string
	Value string
	Reset bool // value was NULL: back to the default, as PostgreSQL does
	Local bool // until the transaction ends
}

// SettingError is a set_config or current_setting call PostgreSQL would
// refuse; Unknown says the setting does not exist (SQLSTATE 42704), else
// the call is not supported (0A000).
type SettingError struct {
	Name    string
	Unknown bool
	Msg     string
}

func (e *SettingError) Error() string { return e.Msg }

// RewriteStatement is Rewrite that also returns the statement's
// set_config calls, in order, and the first call the session refuses
// (Options.SetConfig's error, or a *SettingError).
func RewriteStatement(sql string, opt Options) (out string, changed bool, sets []SetConfig, err error) {
	r, out, changed := rewrite(sql, opt)
	if r == nil {
		return out, changed, nil, nil
	}
	return out, changed, r.sets, r.err
}

// setConfig answers set_config with constant arguments through
// Options.SetConfig; other arguments are refused.
func (r *rewriter) setConfig(fc *pg.FuncCall) {
	if len(fc.Args) != 3 {
		return
	}
	name, ok := stringConst(fc.Args[0])
	if !ok {
		r.fail(&SettingError{Msg: "set_config: the setting name must be a string constant"})
		return
	}
	sc := SetConfig{Name: name}
	if c := fc.Args[1].GetAConst(); c != nil && c.Isnull {
		sc.Reset = true
	} else if v, ok := stringConst(fc.Args[1]); ok {
		sc.Value = v
	} else {
		r.fail(&SettingError{Name: name, Msg: "set_config: the new value must be a string constant or NULL"})
		return
	}
	local, ok := boolConst(fc.Args[2])
	if !ok {
		r.fail(&SettingError{Name: name, Msg: "set_config: is_local must be a boolean constant"})
		return
	}
	sc.Local = local
	shown, err := r.opt.SetConfig(sc)
	if err != nil {
		r.fail(err)
		return
	}
	r.sets = append(r.sets, sc)
	fc.Funcname = []*pg.Node{pg.MakeStrNode(CatalogSchema), pg.MakeStrNode("spysql_value")}
	fc.Args = []*pg.Node{pg.MakeAConstStrNode(shown, -1)}
	r.changed = true
}

// currentSetting answers current_setting(name [, missing_ok]) with the
// session's value; an unknown name is NULL when missing_ok, and an unset
// custom (dotted) name an error.
func (r *rewriter) currentSetting(fc *pg.FuncCall) bool {
	if len(fc.Args) < 1 || len(fc.Args) > 2 {
		return false
	}
	lit, ok := stringConst(fc.Args[0])
	if !ok {
		return false
	}
	if v, ok := r.opt.Setting(strings.ToLower(lit)); ok {
		fc.Funcname = []*pg.Node{pg.MakeStrNode(CatalogSchema), pg.MakeStrNode("spysql_value")}
		fc.Args = []*pg.Node{pg.MakeAConstStrNode(v, -1)}
		r.changed = true
		return true
	}
	if len(fc.Args) == 2 {
		missingOK, ok := boolConst(fc.Args[1])
		if !ok {
			return false
		}
		if missingOK {
			fc.Funcname = []*pg.Node{pg.MakeStrNode(CatalogSchema), pg.MakeStrNode("spysql_value")}
			fc.Args = []*pg.Node{{Node: &pg.Node_TypeCast{TypeCast: &pg.TypeCast{
				Arg:      &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Isnull: true}}},
				TypeName: &pg.TypeName{Names: []*pg.Node{pg.MakeStrNode("varchar")}, Typemod: -1}, Location: -1,
			}}}}
			r.changed = true
			return true
		}
	}
	if r.opt.SetConfig != nil && strings.Contains(lit, ".") {
		// An unset custom setting (DuckDB has no dotted names); others go
		// to DuckDB and the server's gate, which refuses its path settings.
		r.fail(&SettingError{Name: lit, Unknown: true, Msg: fmt.Sprintf("unrecognized configuration parameter %q", lit)})
		return true
	}
	return false
}

func (r *rewriter) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// boolConst reads a boolean constant: true/false, or a string PostgreSQL
// reads as one ('on', 't', ...).
func boolConst(n *pg.Node) (bool, bool) {
	if n == nil {
		return false, false
	}
	if c := n.GetAConst(); c != nil && !c.Isnull {
		if b := c.GetBoolval(); b != nil {
			return b.Boolval, true
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		return boolConst(tc.Arg)
	}
	s, ok := stringConst(n)
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "true", "on", "yes", "y", "1":
		return true, true
	case "f", "false", "off", "no", "n", "0":
		return false, true
	}
	return false, false
}
