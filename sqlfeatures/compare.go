package sqlfeatures

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/spysql/spysql/engine/store"
)

// Comparison sets two versions side by side. In every row A and B are the
// two versions' values ("" or nil where a version lacks the item) and
// Differs says whether they differ.
type Comparison struct {
	A            VersionInfo `json:"a"`
	B            VersionInfo `json:"b"`
	Schema       []SchemaRow `json:"schema"`
	Parameters   []ParamRow  `json:"parameters"`
	Groups       []GroupRow  `json:"feature_groups"`
	Rows         []RowsRow   `json:"rows"`
	ColumnsStats []StatsRow  `json:"column_stats"`
}

// SchemaRow is one output column's type in each version.
type SchemaRow struct {
	Column  string `json:"column"`
	A       string `json:"a"`
	B       string `json:"b"`
	Differs bool   `json:"differs"`
}

// ParamRow is one parameter as "type value" in each version.
type ParamRow struct {
	Name    string `json:"name"`
	A       string `json:"a"`
	B       string `json:"b"`
	Differs bool   `json:"differs"`
}

// GroupRow is one feature group's columns in each version (nil: absent).
type GroupRow struct {
	Name    string   `json:"name"`
	A       []string `json:"a"`
	B       []string `json:"b"`
	Differs bool     `json:"differs"`
}

// RowsRow is one date's row count in each version (nil: not built).
type RowsRow struct {
	Date    string `json:"date"`
	A       *int64 `json:"a"`
	B       *int64 `json:"b"`
	Differs bool   `json:"differs"`
}

// StatsRow is one column's statistics over all dates of each version.
type StatsRow struct {
	Column  string       `json:"column"`
	A       *ColumnStats `json:"a"`
	B       *ColumnStats `json:"b"`
	Differs bool         `json:"differs"`
}

// Compare reads two materialized versions and sets their schema,
// parameters, feature groups, per-date rows and per-column statistics
// side by side.
func Compare(lake store.Lake, a, b string) (*Comparison, error) {
	da, err := InspectVersion(lake, a)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	db, err := InspectVersion(lake, b)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	c := &Comparison{A: da.VersionInfo, B: db.VersionInfo}

	typesA, typesB := map[string]string{}, map[string]string{}
	var order []string
	for _, col := range da.Validation.Columns {
		typesA[col.Name] = col.Type
		order = append(order, col.Name)
	}
	for _, col := range db.Validation.Columns {
		typesB[col.Name] = col.Type
		if _, ok := typesA[col.Name]; !ok {
			order = append(order, col.Name)
		}
	}
	for _, name := range order {
		c.Schema = append(c.Schema, SchemaRow{Column: name, A: typesA[name], B: typesB[name], Differs: typesA[name] != typesB[name]})
	}

	params := map[string][2]string{}
	for _, p := range da.Manifest.Parameters {
		params[p.Name] = [2]string{string(p.Type) + " " + p.Text(), ""}
	}
	for _, p := range db.Manifest.Parameters {
		v := params[p.Name]
		v[1] = string(p.Type) + " " + p.Text()
		params[p.Name] = v
	}
	for _, name := range sortedKeys(params) {
		v := params[name]
		c.Parameters = append(c.Parameters, ParamRow{Name: name, A: v[0], B: v[1], Differs: v[0] != v[1]})
	}

	groups := map[string][2][]string{}
	for _, g := range da.Manifest.Features.Groups {
		groups[g.Name] = [2][]string{g.Columns, nil}
	}
	for _, g := range db.Manifest.Features.Groups {
		v := groups[g.Name]
		v[1] = g.Columns
		groups[g.Name] = v
	}
	for _, name := range sortedKeys(groups) {
		v := groups[name]
		c.Groups = append(c.Groups, GroupRow{Name: name, A: v[0], B: v[1], Differs: !reflect.DeepEqual(v[0], v[1])})
	}

	dates := map[string]bool{}
	for d := range da.Validation.Dates {
		dates[d] = true
	}
	for d := range db.Validation.Dates {
		dates[d] = true
	}
	for _, d := range sortedKeys(dates) {
		r := RowsRow{Date: d, A: rowsOf(da, d), B: rowsOf(db, d)}
		r.Differs = r.A == nil || r.B == nil || *r.A != *r.B
		c.Rows = append(c.Rows, r)
	}

	for _, name := range order {
		r := StatsRow{Column: name, A: statsOf(da, name), B: statsOf(db, name)}
		r.Differs = !reflect.DeepEqual(r.A, r.B)
		c.ColumnsStats = append(c.ColumnsStats, r)
	}
	return c, nil
}

func rowsOf(d *VersionDetail, date string) *int64 {
	st, ok := d.Validation.Dates[date]
	if !ok {
		return nil
	}
	n := st.Rows
	return &n
}

func statsOf(d *VersionDetail, col string) *ColumnStats {
	st, ok := d.Validation.Total.Columns[col]
	if !ok {
		return nil
	}
	return &st
}

// FormatStat renders a min or max for a table cell.
func FormatStat(v any) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(v)
}

// Summary is a one-line account of how many rows of each section differ.
func (c *Comparison) Summary() string {
	count := func(n int, differs func(i int) bool) int {
		k := 0
		for i := 0; i < n; i++ {
			if differs(i) {
				k++
			}
		}
		return k
	}
	parts := []string{
		fmt.Sprintf("schema %d/%d", count(len(c.Schema), func(i int) bool { return c.Schema[i].Differs }), len(c.Schema)),
		fmt.Sprintf("parameters %d/%d", count(len(c.Parameters), func(i int) bool { return c.Parameters[i].Differs }), len(c.Parameters)),
		fmt.Sprintf("feature groups %d/%d", count(len(c.Groups), func(i int) bool { return c.Groups[i].Differs }), len(c.Groups)),
		fmt.Sprintf("dates %d/%d", count(len(c.Rows), func(i int) bool { return c.Rows[i].Differs }), len(c.Rows)),
		fmt.Sprintf("column stats %d/%d", count(len(c.ColumnsStats), func(i int) bool { return c.ColumnsStats[i].Differs }), len(c.ColumnsStats)),
	}
	return "differences: " + strings.Join(parts, ", ")
}
