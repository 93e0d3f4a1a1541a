package sqlfeatures

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ParamType is the SQL type a parameter is bound with.
type ParamType string

// The parameter types and the DuckDB types getvariable returns for them.
const (
	ParamInt      ParamType = "int"      // BIGINT
	ParamFloat    ParamType = "float"    // DOUBLE
	ParamString   ParamType = "string"   // VARCHAR
	ParamBool     ParamType = "bool"     // BOOLEAN
	ParamDuration ParamType = "duration" // INTERVAL; epoch_ns(getvariable('W')) gives nanoseconds
)

// Parameter is one typed manifest parameter, bound with SET VARIABLE and
// read in SQL with getvariable('Name'). Value is an int64, float64,
// string, bool or time.Duration according to Type.
type Parameter struct {
	Name  string
	Type  ParamType
	Value any
	Line  int
}

// Text is the parameter's canonical value as text: the same value always
// gives the same text (it goes into the fingerprint).
func (p Parameter) Text() string {
	switch v := p.Value.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Duration:
		return v.String()
	case string:
		return v
	}
	return fmt.Sprint(p.Value)
}

// bind returns the SET VARIABLE statement and its argument. Values are
// passed as prepared-statement arguments: no text is ever spliced in.
func (p Parameter) bind() (string, any) {
	name := p.Name // checked against paramNameRe: safe as an identifier
	switch v := p.Value.(type) {
	case int64:
		return "SET VARIABLE " + name + " = CAST(? AS BIGINT)", v
	case float64:
		return "SET VARIABLE " + name + " = CAST(? AS DOUBLE)", v
	case bool:
		return "SET VARIABLE " + name + " = CAST(? AS BOOLEAN)", v
	case time.Duration:
		return "SET VARIABLE " + name + " = to_microseconds(CAST(? AS BIGINT))", v.Microseconds()
	}
	return "SET VARIABLE " + name + " = CAST(? AS VARCHAR)", p.Text()
}

var paramNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parameters decodes the parameters mapping. A value is either a plain
// YAML scalar, typed by YAML itself (240 is an int, 0.25 a float, true a
// bool, anything else a string), or the long form {type: T, value: V},
// which is the only way to declare a duration: V is a number of seconds or
// a Go duration string such as "240s" or "4m".
func (d *nodeDecoder) parameters(n *yaml.Node, key string) []Parameter {
	var out []Parameter
	lower := map[string]string{}
	d.pairs(n, key, func(name string, k, v *yaml.Node) {
		pk := joinKey(key, name)
		if !paramNameRe.MatchString(name) {
			d.fail(k, pk, "parameter names must be letters, digits and _, not starting with a digit")
			return
		}
		if strings.EqualFold(name, BuildDateVar) {
			d.fail(k, pk, "%s is reserved: the builder binds it to the trading date being built", BuildDateVar)
			return
		}
		if prev, ok := lower[strings.ToLower(name)]; ok {
			d.fail(k, pk, "clashes with %s: getvariable names are case-insensitive", prev)
			return
		}
		lower[strings.ToLower(name)] = name
		p, ok := d.parameter(v, pk)
		if !ok {
			return
		}
		p.Name, p.Line = name, k.Line
		out = append(out, p)
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (d *nodeDecoder) parameter(v *yaml.Node, key string) (Parameter, bool) {
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!int":
			i, ok := d.integer(v, key)
			return Parameter{Type: ParamInt, Value: i}, ok
		case "!!float":
			f, ok := d.finite(v, key)
			return Parameter{Type: ParamFloat, Value: f}, ok
		case "!!bool":
			b, ok := d.boolean(v, key)
			return Parameter{Type: ParamBool, Value: b}, ok
		case "!!str":
			return Parameter{Type: ParamString, Value: v.Value}, true
		}
		d.fail(v, key, "want a value, got %s", describe(v))
		return Parameter{}, false
	}
	var typ ParamType
	var val *yaml.Node
	d.mapping(v, key, map[string]field{
		"type": {true, func(k string, t *yaml.Node) {
			s, ok := d.str(t, k)
			if !ok {
				return
			}
			switch ParamType(s) {
			case ParamInt, ParamFloat, ParamString, ParamBool, ParamDuration:
				typ = ParamType(s)
			default:
				d.fail(t, k, "unknown type %q (want int, float, string, bool or duration)", s)
			}
		}},
		"value": {true, func(_ string, x *yaml.Node) { val = x }},
	})
	if typ == "" || val == nil {
		return Parameter{}, false
	}
	vk := joinKey(key, "value")
	p := Parameter{Type: typ}
	ok := false
	switch typ {
	case ParamInt:
		p.Value, ok = d.integer(val, vk)
	case ParamFloat:
		p.Value, ok = d.finite(val, vk)
	case ParamString:
		p.Value, ok = d.str(val, vk)
	case ParamBool:
		p.Value, ok = d.boolean(val, vk)
	case ParamDuration:
		p.Value, ok = d.duration(val, vk)
	}
	return p, ok
}

func (d *nodeDecoder) finite(v *yaml.Node, key string) (float64, bool) {
	f, ok := d.number(v, key)
	if ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		d.fail(v, key, "want a finite number, got %s", v.Value)
		return 0, false
	}
	return f, ok
}

// duration is a number of seconds or a Go duration string, in whole
// microseconds (DuckDB's INTERVAL resolution).
func (d *nodeDecoder) duration(v *yaml.Node, key string) (time.Duration, bool) {
	const want = `want seconds (240) or a duration string ("240s", "4m", "1h30m")`
	if v.Kind != yaml.ScalarNode {
		d.fail(v, key, "%s, got %s", want, describe(v))
		return 0, false
	}
	var dur time.Duration
	switch v.ShortTag() {
	case "!!int", "!!float":
		var secs float64
		if v.Decode(&secs) != nil || math.IsNaN(secs) || math.Abs(secs) > 1e9 {
			d.fail(v, key, "%s, got %s", want, describe(v))
			return 0, false
		}
		dur = time.Duration(math.Round(secs * 1e9))
	case "!!str":
		var err error
		if dur, err = time.ParseDuration(v.Value); err != nil {
			d.fail(v, key, "%s, got %q", want, v.Value)
			return 0, false
		}
	default:
		d.fail(v, key, "%s, got %s", want, describe(v))
		return 0, false
	}
	if dur%time.Microsecond != 0 {
		d.fail(v, key, "%s is finer than a microsecond", dur)
		return 0, false
	}
	return dur, true
}
