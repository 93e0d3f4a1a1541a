package sqlfeatures

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// nodeDecoder walks a yaml.Node tree so that every error can name the
// file, line and dotted key it belongs to. yaml.v3's own strict decoding
// (KnownFields) reports lines but not keys, and stops at Go types; walking
// the nodes gives exact, testable messages.
type nodeDecoder struct {
	file string
	errs []error
}

func (d *nodeDecoder) fail(n *yaml.Node, key, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &ManifestError{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (d *nodeDecoder) err() error { return errors.Join(d.errs...) }

// field is one known key of a mapping.
type field struct {
	required bool
	decode   func(key string, v *yaml.Node)
}

// mapping decodes a mapping node with known keys: unknown and duplicate
// keys are errors, and so are missing required keys (reported at the
// mapping's line).
func (d *nodeDecoder) mapping(n *yaml.Node, key string, fields map[string]field) {
	if !d.is(n, key, yaml.MappingNode, "a mapping") {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		path := joinKey(key, name)
		if k.Kind != yaml.ScalarNode {
			d.fail(k, key, "keys must be plain names")
			continue
		}
		if seen[name] {
			d.fail(k, path, "duplicate key")
			continue
		}
		seen[name] = true
		f, ok := fields[name]
		if !ok {
			d.fail(k, path, "unknown key (want one of: %s)", strings.Join(fieldNames(fields), ", "))
			continue
		}
		f.decode(path, v)
	}
	for _, name := range fieldNames(fields) {
		if fields[name].required && !seen[name] {
			d.fail(n, joinKey(key, name), "required key is missing")
		}
	}
}

// pairs calls fn for each key/value of a mapping whose keys are data (the
// parameters), rejecting duplicates.
func (d *nodeDecoder) pairs(n *yaml.Node, key string, fn func(name string, k, v *yaml.Node)) {
	if !d.is(n, key, yaml.MappingNode, "a mapping") {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.fail(k, key, "keys must be plain names")
			continue
		}
		if seen[k.Value] {
			d.fail(k, joinKey(key, k.Value), "duplicate key")
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

func fieldNames(fields map[string]field) []string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func joinKey(parent, k string) string {
	if parent == "" {
		return k
	}
	return parent + "." + k
}

// is checks n's kind, reporting "want WANT, got ..." otherwise.
func (d *nodeDecoder) is(n *yaml.Node, key string, kind yaml.Kind, want string) bool {
	if n.Kind == kind {
		return true
	}
	d.fail(n, key, "want %s, got %s", want, describe(n))
	return false
}

// describe names what a node holds, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!int":
		return "the integer " + n.Value
	case "!!float":
		return "the float " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!timestamp":
		return "the timestamp " + n.Value
	}
	return strconv.Quote(n.Value)
}

func (d *nodeDecoder) str(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.fail(n, key, "want a string, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// optStr is a string or null ("" for null).
func (d *nodeDecoder) optStr(n *yaml.Node, key string) (string, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return "", true
	}
	return d.str(n, key)
}

// ident is a string matching re, described by what for the error.
func (d *nodeDecoder) ident(n *yaml.Node, key string, re *regexp.Regexp, what string) (string, bool) {
	s, ok := d.str(n, key)
	if !ok {
		return "", false
	}
	if !re.MatchString(s) {
		d.fail(n, key, "%q is not %s", s, what)
		return "", false
	}
	return s, true
}

func (d *nodeDecoder) integer(n *yaml.Node, key string) (int64, bool) {
	var v int64
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&v) != nil {
		d.fail(n, key, "want an integer, got %s", describe(n))
		return 0, false
	}
	return v, true
}

// number accepts an integer or a float.
func (d *nodeDecoder) number(n *yaml.Node, key string) (float64, bool) {
	var v float64
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || n.Decode(&v) != nil {
		d.fail(n, key, "want a number, got %s", describe(n))
		return 0, false
	}
	return v, true
}

func (d *nodeDecoder) boolean(n *yaml.Node, key string) (bool, bool) {
	var v bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&v) != nil {
		d.fail(n, key, "want true or false, got %s", describe(n))
		return false, false
	}
	return v, true
}

// timestamp accepts an RFC 3339 time, quoted or not.
func (d *nodeDecoder) timestamp(n *yaml.Node, key string) (time.Time, bool) {
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!timestamp" && tag != "!!str") {
		d.fail(n, key, "want an RFC 3339 time such as 2025-12-24T12:00:00Z, got %s", describe(n))
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		d.fail(n, key, "want an RFC 3339 time such as 2025-12-24T12:00:00Z, got %q", n.Value)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// strList is a list of strings, each checked by check (nil: any non-empty
// string); duplicates are errors.
func (d *nodeDecoder) strList(n *yaml.Node, key string, check func(item *yaml.Node, key, s string) bool) ([]string, bool) {
	if !d.is(n, key, yaml.SequenceNode, "a list") {
		return nil, false
	}
	ok := true
	seen := map[string]bool{}
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		ik := fmt.Sprintf("%s[%d]", key, i)
		s, good := d.str(item, ik)
		switch {
		case !good:
			ok = false
		case s == "":
			d.fail(item, ik, "empty string")
			ok = false
		case seen[s]:
			d.fail(item, ik, "%q is listed twice", s)
			ok = false
		case check != nil && !check(item, ik, s):
			ok = false
		default:
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, ok
}

// yamlLine pulls the line out of a yaml.v3 syntax error ("yaml: line 3:
// ..."), so syntax errors are reported like every other manifest error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxError(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ManifestError{File: file, Line: line, Key: "syntax", Msg: m[2]}
	}
	return &ManifestError{File: file, Key: "syntax", Msg: strings.TrimPrefix(msg, "yaml: ")}
}
