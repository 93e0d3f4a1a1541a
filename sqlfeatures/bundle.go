package sqlfeatures

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spysql/spysql/engine/store"
)

// Bundle is a manifest with its SQL parsed and checked: one view per SQL
// file, in dependency order, and the version's fingerprint.
type Bundle struct {
	Manifest *Manifest
	// Views are in creation order: every view comes after the views it
	// reads; ties are broken by name, so file order never matters.
	Views       []View
	Fingerprint string
}

// View is one SQL file of a bundle.
type View struct {
	Name string // the file's base name without .sql
	// File is the path as listed in the manifest ("sql/bars.sql"); Path is
	// where it was read.
	File string
	Path string
	// Text is the file as read: one statement for DuckDB's parser,
	// optionally ended by ';' and followed by comments.
	Text string
	// Deps are the bundle views it reads; Bronze the Bronze tables.
	Deps      []string
	Bronze    []store.Table
	canonical []byte
}

// Output is the view the bundle materializes.
func (b *Bundle) Output() *View {
	for i := range b.Views {
		if b.Views[i].Name == b.Manifest.Output.View {
			return &b.Views[i]
		}
	}
	return nil
}

// Parameter returns the declared parameter with this name, matched
// case-insensitively as getvariable does.
func (m *Manifest) Parameter(name string) (Parameter, bool) {
	for _, p := range m.Parameters {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Parameter{}, false
}

// allowedTableFuncs are the table functions a view may call: none of them
// reads files, so Bronze is only ever read through the scoped views.
var allowedTableFuncs = map[string]bool{"range": true, "generate_series": true, "unnest": true}

// LoadBundle reads the manifest at path and its SQL files, parses each
// file with DuckDB (through q, any DuckDB connection), checks references,
// parameters and dependencies, and computes the fingerprint. Every problem
// is a *ManifestError naming file, line and key; several are joined.
func LoadBundle(ctx context.Context, q Querier, path string, opts DecodeOptions) (*Bundle, error) {
	m, err := ReadManifest(path, opts)
	if err != nil {
		return nil, err
	}
	return NewBundle(ctx, q, m)
}

// NewBundle parses and checks the SQL of a decoded manifest.
func NewBundle(ctx context.Context, q Querier, m *Manifest) (*Bundle, error) {
	names := map[string]bool{}
	for _, r := range m.SQL {
		names[r.View()] = true
	}
	var errs []error
	views := make([]View, 0, len(m.SQL))
	for _, ref := range m.SQL {
		v, verrs, err := checkView(ctx, q, m, ref, names)
		if err != nil {
			return nil, err
		}
		errs = append(errs, verrs...)
		views = append(views, v)
	}
	if m.Output.View != "" && !names[m.Output.View] {
		errs = append(errs, &ManifestError{File: m.File, Line: m.outputLine, Key: "output.view",
			Msg: fmt.Sprintf("no SQL file defines view %s (views: %s)", m.Output.View, strings.Join(sortedKeys(names), ", "))})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ordered, err := orderViews(m, views)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Manifest: m, Views: ordered}
	b.Fingerprint, err = fingerprint(b)
	if err != nil {
		return nil, err
	}
	if m.Fingerprint != "" && m.Fingerprint != b.Fingerprint {
		return nil, &ManifestError{File: m.File, Key: "fingerprint",
			Msg: fmt.Sprintf("recorded %s but the manifest and SQL give %s: edited after the build?", m.Fingerprint, b.Fingerprint)}
	}
	return b, nil
}

// checkView reads and parses one SQL file. Problems with the file are
// returned as verrs; err is for failures of DuckDB itself.
func checkView(ctx context.Context, q Querier, m *Manifest, ref SQLRef, names map[string]bool) (View, []error, error) {
	v := View{Name: ref.View(), File: ref.Path, Path: filepath.Join(m.Dir, filepath.FromSlash(ref.Path))}
	data, err := os.ReadFile(v.Path)
	if err != nil {
		return v, []error{&ManifestError{File: m.File, Line: ref.Line, Key: "sql", Msg: fmt.Sprintf("read %s: %v", ref.Path, err)}}, nil
	}
	v.Text = string(data)
	var errs []error
	fail := func(at int, key, format string, args ...any) {
		errs = append(errs, &ManifestError{File: v.Path, Line: lineAt(v.Text, at), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	p, err := parseSQL(ctx, q, v.Text)
	var serr *serializeError
	if errors.As(err, &serr) {
		fail(serr.at, "view "+v.Name, "%s", serr.msg)
		return v, errs, nil
	}
	if err != nil {
		return v, nil, fmt.Errorf("parse %s: %w", v.Path, err)
	}
	switch {
	case p.statements == 0:
		fail(0, "view "+v.Name, "no SELECT statement")
		return v, errs, nil
	case p.statements > 1:
		fail(p.secondAt, "view "+v.Name, "a second statement: each file holds exactly one SELECT")
		return v, errs, nil
	}
	v.canonical = p.canonical
	deps, bronze := map[string]bool{}, map[store.Table]bool{}
	for _, r := range p.refs {
		schema, name := strings.ToLower(r.schema), strings.ToLower(r.name)
		full := name
		if schema != "" {
			full = schema + "." + name
		}
		switch {
		case r.catalog != "":
			fail(r.at, full, "catalog-qualified names are not allowed")
		case schema == "bronze":
			t, err := store.ParseTable(name)
			if err != nil || strings.Contains(name, "/") {
				fail(r.at, full, "unknown Bronze table (want futures_trades, futures_mbp10, stocks_trades or options_trades)")
			} else if !hasTable(m.Source.Tables, t) {
				fail(r.at, full, "%s is not in source.schemas of %s", t.Path(), m.File)
			} else {
				bronze[t] = true
			}
		case schema == "calendar":
			if name != "sessions" {
				fail(r.at, full, "only calendar.sessions exists")
			}
		case schema != "":
			fail(r.at, full, "a view may read bronze.*, calendar.sessions and the bundle's views only")
		case !names[name]:
			fail(r.at, name, "view %s reads view %s, which no SQL file of %s defines (views: %s)",
				v.Name, name, m.File, strings.Join(sortedKeys(names), ", "))
		default:
			deps[name] = true
		}
	}
	for _, f := range p.funcs {
		if !allowedTableFuncs[f.name] {
			fail(f.at, f.name, "table function %s is not allowed: a view reads Bronze through bronze.* only", f.name)
		}
	}
	for _, g := range p.vars {
		if g.name == "" {
			fail(g.at, "getvariable", "the argument must be a parameter name in quotes, e.g. getvariable('W_b')")
			continue
		}
		if _, ok := m.Parameter(g.name); !ok && !strings.EqualFold(g.name, BuildDateVar) {
			fail(g.at, "getvariable('"+g.name+"')", "parameter %s is not declared in the parameters of %s (declared: %s)",
				g.name, m.File, declared(m))
		}
	}
	v.Deps = sortedKeys(deps)
	for _, t := range store.BronzeTables() {
		if bronze[t] {
			v.Bronze = append(v.Bronze, t)
		}
	}
	return v, errs, nil
}

func declared(m *Manifest) string {
	if len(m.Parameters) == 0 {
		return "none"
	}
	names := make([]string, len(m.Parameters))
	for i, p := range m.Parameters {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func hasTable(ts []store.Table, t store.Table) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// orderViews sorts views so each follows its dependencies (Kahn's
// algorithm, ready views by name). A cycle is an error naming its views.
func orderViews(m *Manifest, views []View) ([]View, error) {
	byName := map[string]View{}
	indeg := map[string]int{}
	users := map[string][]string{}
	for _, v := range views {
		byName[v.Name] = v
		indeg[v.Name] += 0
		for _, d := range v.Deps {
			indeg[v.Name]++
			users[d] = append(users[d], v.Name)
		}
	}
	var ready []string
	for n, d := range indeg {
		if d == 0 {
			ready = append(ready, n)
		}
	}
	var out []View
	for len(ready) > 0 {
		sort.Strings(ready)
		n := ready[0]
		ready = ready[1:]
		out = append(out, byName[n])
		for _, u := range users[n] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(out) == len(views) {
		return out, nil
	}
	cycle := findCycle(byName, indeg)
	first := byName[cycle[0]]
	return nil, &ManifestError{File: first.Path, Key: "view " + first.Name,
		Msg: fmt.Sprintf("dependency cycle: %s (%s)", strings.Join(cycle, " -> "), cycleFiles(byName, cycle))}
}

// findCycle returns a cycle among the views left with unmet dependencies,
// starting at the smallest name and ending where it started.
func findCycle(byName map[string]View, indeg map[string]int) []string {
	var left []string
	for n, d := range indeg {
		if d > 0 {
			left = append(left, n)
		}
	}
	sort.Strings(left)
	// Every remaining view depends on a remaining view; walk until a
	// repeat, then cut the walk at the repeat.
	seen := map[string]int{}
	var path []string
	n := left[0]
	for {
		if i, ok := seen[n]; ok {
			cyc := append(append([]string{}, path[i:]...), n)
			return rotateCycle(cyc)
		}
		seen[n] = len(path)
		path = append(path, n)
		for _, d := range byName[n].Deps {
			if indeg[d] > 0 {
				n = d
				break
			}
		}
	}
}

// rotateCycle starts a closed cycle a->b->...->a at its smallest name.
func rotateCycle(c []string) []string {
	ring := c[:len(c)-1]
	min := 0
	for i := range ring {
		if ring[i] < ring[min] {
			min = i
		}
	}
	out := append(append([]string{}, ring[min:]...), ring[:min]...)
	return append(out, out[0])
}

func cycleFiles(byName map[string]View, cycle []string) string {
	var files []string
	for _, n := range cycle[:len(cycle)-1] {
		files = append(files, byName[n].File)
	}
	return strings.Join(files, ", ")
}
