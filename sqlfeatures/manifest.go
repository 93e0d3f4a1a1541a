package sqlfeatures

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/store"
	"gopkg.in/yaml.v3"
)

// Manifest is one decoded manifest file (docs/ARCHITECTURE.md, "Silver"). It holds
// what the YAML says; the SQL it names is parsed by LoadBundle.
type Manifest struct {
	// File is the manifest's path as given; Dir is its directory, against
	// which SQL paths resolve.
	File string
	Dir  string
	// Raw is the file's bytes as read.
	Raw []byte

	Version       string    // "v1.0"
	Name          string    // "mechanics_only"
	Description   string    // free text, not part of the fingerprint
	CreatedAt     time.Time // zero when absent; not part of the fingerprint
	ParentVersion string    // a version id, "" for none
	Source        Source
	SQL           []SQLRef
	Output        Output
	Features      Features
	Parameters    []Parameter // sorted by name
	Validation    Validation
	// Fingerprint is the fingerprint a build recorded in the copy of the
	// manifest it keeps in the version directory; "" in a source manifest.
	Fingerprint string

	outputLine int
}

// ID is the version id, "<version>_<name>", e.g. "v1.0_mechanics_only".
func (m *Manifest) ID() string { return m.Version + "_" + m.Name }

// Source says what the bundle's SQL reads.
type Source struct {
	// Layer is the tier read; only "bronze" is supported.
	Layer string
	// Tables are the Bronze tables the SQL may read (source.schemas).
	Tables []store.Table
	// LookbackDays is how many earlier trading days of Bronze are visible
	// when a date is built; 0 means only the date itself.
	LookbackDays int
}

// SQLRef is one entry of the manifest's sql list.
type SQLRef struct {
	Path string // as written, slash-separated, relative to the manifest
	Line int
}

// View is the name of the view the file defines: its base name without
// ".sql".
func (r SQLRef) View() string { return strings.TrimSuffix(filepath.Base(r.Path), ".sql") }

// Output names the view that is materialized and its columns' roles.
type Output struct {
	View   string
	Key    []string // unique per row; the file is sorted by it
	Labels []string // target columns; exempt from max_null_rate
}

// Features groups output columns for compare and for Gold.
type Features struct {
	Groups []FeatureGroup
}

// FeatureGroup is a named set of output columns.
type FeatureGroup struct {
	Name    string
	Columns []string
}

// Validation are the audit rules every built date must pass before it is
// published. The zero value allows any null rate and refuses empty dates.
type Validation struct {
	// MaxNullRate bounds the share of NULLs in every output column except
	// labels and key columns (keys may never be NULL). 0 with
	// HasMaxNullRate false means no limit.
	MaxNullRate    float64
	HasMaxNullRate bool
	// MaxNullRateByColumn overrides MaxNullRate for single columns,
	// labels included.
	MaxNullRateByColumn map[string]float64
	// AllowEmpty publishes dates with no rows; by default an empty date
	// fails its audit (its Bronze is usually missing).
	AllowEmpty bool
}

var (
	versionRe   = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	nameRe      = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	versionIDRe = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)_[a-z][a-z0-9_]*$`)
	viewNameRe  = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	fpRe        = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
)

// ValidVersionID reports whether id has the form "vMAJOR.MINOR_name".
func ValidVersionID(id string) bool { return versionIDRe.MatchString(id) }

// DecodeOptions tune DecodeManifest. The zero value checks everything
// except the parent's existence.
type DecodeOptions struct {
	// ParentExists reports whether a parent version id exists (built in
	// the lake or defined by a sibling manifest). nil skips the check.
	ParentExists func(id string) bool
}

// ReadManifest reads and decodes the manifest at path.
func ReadManifest(path string, opts DecodeOptions) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	return DecodeManifest(path, data, opts)
}

// DecodeManifest decodes a manifest strictly: unknown or duplicate keys,
// wrong types, bad version strings, SQL files that do not exist and
// missing parents are errors, each a *ManifestError naming file, line and
// key (several are joined with errors.Join). SQL paths resolve against the
// directory of file.
func DecodeManifest(file string, data []byte, opts DecodeOptions) (*Manifest, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ManifestError{File: file, Line: 1, Msg: "empty manifest"}
		}
		return nil, syntaxError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &ManifestError{File: file, Line: extra.Line, Msg: "more than one YAML document"}
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(file, err)
	}
	m := &Manifest{File: file, Dir: filepath.Dir(file), Raw: data}
	d := &nodeDecoder{file: file}
	root := doc.Content[0]
	d.mapping(root, "", map[string]field{
		"version": {true, func(k string, v *yaml.Node) {
			m.Version, _ = d.ident(v, k, versionRe, "a version: want vMAJOR.MINOR, e.g. v1.0")
		}},
		"name": {true, func(k string, v *yaml.Node) {
			m.Name, _ = d.ident(v, k, nameRe, "a name: want lowercase letters, digits and _, starting with a letter")
		}},
		"description": {false, func(k string, v *yaml.Node) { m.Description, _ = d.optStr(v, k) }},
		"created_at":  {false, func(k string, v *yaml.Node) { m.CreatedAt, _ = d.timestamp(v, k) }},
		"parent_version": {false, func(k string, v *yaml.Node) {
			m.ParentVersion = d.parent(v, k, opts)
		}},
		"source":     {true, func(k string, v *yaml.Node) { d.source(v, k, &m.Source) }},
		"sql":        {true, func(k string, v *yaml.Node) { m.SQL = d.sqlList(v, k, m.Dir) }},
		"output":     {true, func(k string, v *yaml.Node) { m.outputLine = v.Line; d.output(v, k, &m.Output) }},
		"features":   {false, func(k string, v *yaml.Node) { d.features(v, k, &m.Features) }},
		"parameters": {false, func(k string, v *yaml.Node) { m.Parameters = d.parameters(v, k) }},
		"validation": {false, func(k string, v *yaml.Node) { d.validation(v, k, &m.Validation) }},
		"fingerprint": {false, func(k string, v *yaml.Node) {
			m.Fingerprint, _ = d.ident(v, k, fpRe, "a fingerprint (sha256:<64 hex digits>)")
		}},
	})
	if m.ParentVersion != "" && m.Version != "" && m.Name != "" && m.ParentVersion == m.ID() {
		d.fail(root, "parent_version", "a version cannot be its own parent")
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return m, nil
}

func (d *nodeDecoder) parent(v *yaml.Node, k string, opts DecodeOptions) string {
	s, ok := d.optStr(v, k)
	if !ok || s == "" {
		return ""
	}
	if !versionIDRe.MatchString(s) {
		d.fail(v, k, "%q is not a version id: want vMAJOR.MINOR_name, e.g. v1.0_mechanics_only", s)
		return ""
	}
	if opts.ParentExists != nil && !opts.ParentExists(s) {
		d.fail(v, k, "version %s does not exist (not built in the lake and no manifest %s.yaml next to this one)", s, s)
		return ""
	}
	return s
}

func (d *nodeDecoder) source(n *yaml.Node, key string, s *Source) {
	d.mapping(n, key, map[string]field{
		"layer": {true, func(k string, v *yaml.Node) {
			if l, ok := d.str(v, k); ok {
				if l != "bronze" {
					d.fail(v, k, "%q is not supported: want bronze", l)
				}
				s.Layer = l
			}
		}},
		"schemas": {true, func(k string, v *yaml.Node) {
			d.strList(v, k, func(item *yaml.Node, ik, name string) bool {
				t, err := store.ParseTable(name)
				if err != nil || strings.Contains(name, "_") {
					d.fail(item, ik, "unknown Bronze schema %q (want futures/trades, futures/mbp10, stocks/trades or options/trades)", name)
					return false
				}
				s.Tables = append(s.Tables, t)
				return true
			})
		}},
		"lookback_days": {false, func(k string, v *yaml.Node) {
			if n, ok := d.integer(v, k); ok {
				if n < 0 || n > 30 {
					d.fail(v, k, "%d is out of range 0..30", n)
					return
				}
				s.LookbackDays = int(n)
			}
		}},
	})
}

func (d *nodeDecoder) sqlList(n *yaml.Node, key, dir string) []SQLRef {
	var refs []SQLRef
	views := map[string]string{}
	d.strList(n, key, func(item *yaml.Node, ik, p string) bool {
		local := filepath.FromSlash(p)
		switch {
		case !filepath.IsLocal(local) || filepath.ToSlash(filepath.Clean(local)) != p:
			d.fail(item, ik, "%q must be a clean relative path inside the manifest's directory", p)
			return false
		case !strings.HasSuffix(p, ".sql"):
			d.fail(item, ik, "%q is not a .sql file", p)
			return false
		}
		ref := SQLRef{Path: p, Line: item.Line}
		if !viewNameRe.MatchString(ref.View()) {
			d.fail(item, ik, "view name %q (from the file name) must be lowercase letters, digits and _", ref.View())
			return false
		}
		if prev, dup := views[ref.View()]; dup {
			d.fail(item, ik, "%s and %s both define view %s", prev, p, ref.View())
			return false
		}
		st, err := os.Stat(filepath.Join(dir, local))
		if err != nil || !st.Mode().IsRegular() {
			d.fail(item, ik, "file %s does not exist", p)
			return false
		}
		views[ref.View()] = p
		refs = append(refs, ref)
		return true
	})
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		d.fail(n, key, "at least one SQL file is required")
	}
	return refs
}

func (d *nodeDecoder) output(n *yaml.Node, key string, o *Output) {
	d.mapping(n, key, map[string]field{
		"view": {true, func(k string, v *yaml.Node) {
			o.View, _ = d.ident(v, k, viewNameRe, "a view name")
		}},
		"key": {true, func(k string, v *yaml.Node) {
			o.Key, _ = d.strList(v, k, nil)
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				d.fail(v, k, "at least one key column is required")
			}
		}},
		"labels": {false, func(k string, v *yaml.Node) { o.Labels, _ = d.strList(v, k, nil) }},
	})
}

func (d *nodeDecoder) features(n *yaml.Node, key string, f *Features) {
	d.mapping(n, key, map[string]field{
		"groups": {true, func(k string, v *yaml.Node) {
			if !d.is(v, k, yaml.SequenceNode, "a list") {
				return
			}
			names := map[string]bool{}
			for i, g := range v.Content {
				gk := fmt.Sprintf("%s[%d]", k, i)
				var grp FeatureGroup
				d.mapping(g, gk, map[string]field{
					"name": {true, func(k string, v *yaml.Node) {
						grp.Name, _ = d.ident(v, k, nameRe, "a group name: want lowercase letters, digits and _")
						if names[grp.Name] {
							d.fail(v, k, "group %s is defined twice", grp.Name)
						}
						names[grp.Name] = true
					}},
					"columns": {true, func(k string, v *yaml.Node) { grp.Columns, _ = d.strList(v, k, nil) }},
				})
				f.Groups = append(f.Groups, grp)
			}
		}},
	})
}

func (d *nodeDecoder) validation(n *yaml.Node, key string, val *Validation) {
	rate := func(v *yaml.Node, k string) (float64, bool) {
		r, ok := d.number(v, k)
		if ok && (r < 0 || r > 1) {
			d.fail(v, k, "%v is out of range 0..1", r)
			return 0, false
		}
		return r, ok
	}
	d.mapping(n, key, map[string]field{
		"max_null_rate": {false, func(k string, v *yaml.Node) {
			val.MaxNullRate, val.HasMaxNullRate = rate(v, k)
		}},
		"max_null_rate_by_column": {false, func(k string, v *yaml.Node) {
			val.MaxNullRateByColumn = map[string]float64{}
			d.pairs(v, k, func(col string, _, v *yaml.Node) {
				if r, ok := rate(v, joinKey(k, col)); ok {
					val.MaxNullRateByColumn[col] = r
				}
			})
		}},
		"allow_empty": {false, func(k string, v *yaml.Node) { val.AllowEmpty, _ = d.boolean(v, k) }},
	})
}
