package point

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/session"
)

// Problem is a lookup shape on an indexed dataset that the index cannot
// answer: the column, and why.
type Problem struct {
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return fmt.Sprintf("column %q: %s", p.Column, p.Reason) }

// CheckIndex compares src's point index with what DuckDB (db, whose views
// cover the lake) prepares for SELECT * and for a lookup by the key:
// each column the index does not decode, or records as another type than
// DuckDB reads, is a Problem (a lookup returning it runs in DuckDB), and
// so is a key whose parameter DuckDB types otherwise. No problem: every
// SELECT cols FROM src WHERE key = $1 is answered from the index.
func CheckIndex(ctx context.Context, db *duck.DB, src Source) ([]Problem, error) {
	path := src.IndexPath(db.Lake())
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var meta []pointColumn
	js, _ := pf.Lookup(pointColumnsKey)
	keyName, _ := pf.Lookup(pointKeyKey)
	if err := json.Unmarshal([]byte(js), &meta); err != nil {
		return nil, fmt.Errorf("%s: no column list: %w", path, err)
	}
	s, err := session.New(ctx, db)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	table := src.Schema + "." + duck.QuoteIdent(src.Name)
	st, err := s.Prepare(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, fmt.Errorf("prepare SELECT * FROM %s: %w", table, err)
	}
	cols := st.Columns()
	st.Close()
	if len(cols) != len(meta) {
		return []Problem{{Column: "*", Reason: fmt.Sprintf("DuckDB reads %d columns, the index holds %d (rebuild the index)", len(cols), len(meta))}}, nil
	}
	var out []Problem
	for i, c := range cols {
		typ, ok := parseColType(meta[i].Type)
		switch {
		case meta[i].Name != c.Name:
			out = append(out, Problem{c.Name, fmt.Sprintf("the index has %q in its place (rebuild the index)", meta[i].Name)})
		case !ok || !typ.decoded():
			out = append(out, Problem{c.Name, fmt.Sprintf("type %s is not decoded by point reads", c.Type)})
		case !typ.matches(c.Type):
			out = append(out, Problem{c.Name, fmt.Sprintf("DuckDB reads it as %s, the index as %s", c.Type, typ)})
		}
	}
	kq := "SELECT " + duck.QuoteIdent(keyName) + " FROM " + table + " WHERE " + duck.QuoteIdent(keyName) + " = $1"
	kst, err := s.Prepare(ctx, kq)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", kq, err)
	}
	defer kst.Close()
	for _, m := range meta {
		typ, _ := parseColType(m.Type)
		if m.Name == keyName && (len(kst.Params()) != 1 || kst.Params()[0].Kind != typ.kind) {
			out = append(out, Problem{m.Name, fmt.Sprintf("the key's parameter is not typed %s", typ)})
		}
	}
	return out, nil
}
