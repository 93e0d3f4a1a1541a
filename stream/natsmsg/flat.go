package natsmsg

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// The hot payloads (futures trades and MBP-10) are flat JSON objects of
// numbers and short strings. decodeFlat reads the common shape of them
// without reflection; anything it is not certain to read exactly as the
// JSON library would (escapes, non-ASCII, null, an unknown, repeated or
// differently cased key, a number out of range or of the wrong form, any
// nesting) makes it give up, and the caller decodes with the library, so
// what is accepted or rejected, and why, does not change.

// flatKind is the Go type of one field.
type flatKind uint8

const (
	flatInt64 flatKind = iota + 1
	flatInt32
	flatInt8
	flatFloat64
	flatString
)

// flatField is one JSON key of a struct and where its value goes.
type flatField struct {
	name string
	key  string // "name": as the encoders write it
	kind flatKind
	off  uintptr
}

// flatFields lists the fields of struct T with a json tag and a kind
// decodeFlat reads, in declaration order (the order Encode writes). At most
// 128 fields.
func flatFields[T any]() []flatField {
	t := reflect.TypeFor[T]()
	var out []flatField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		var k flatKind
		switch f.Type.Kind() {
		case reflect.Int64:
			k = flatInt64
		case reflect.Int32:
			k = flatInt32
		case reflect.Int8:
			k = flatInt8
		case reflect.Float64:
			k = flatFloat64
		case reflect.String:
			k = flatString
		default:
			continue
		}
		out = append(out, flatField{name: name, key: `"` + name + `":`, kind: k, off: f.Offset})
	}
	if len(out) > 128 {
		panic("natsmsg: flatFields supports at most 128 fields")
	}
	return out
}

// Field tables of the hot wire types; read only.
var (
	futuresTradeFields = flatFields[FuturesTradeJSON]()
	mbp10Fields        = flatFields[MBP10JSON]()
)

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// hasPrefixAt reports whether data[i:] starts with s.
func hasPrefixAt(data []byte, i int, s string) bool {
	return len(data)-i >= len(s) && string(data[i:i+len(s)]) == s
}

// decodeFlat fills *v (a struct whose fields are fields) from data and
// reports true, or reports false, possibly having written some fields,
// when the caller must decode data with the JSON library instead.
func decodeFlat(data []byte, fields []flatField, v unsafe.Pointer) bool {
	var seen [2]uint64
	i, n := 0, len(data)
	i = skipSpace(data, i)
	if i >= n || data[i] != '{' {
		return false
	}
	i++
	i = skipSpace(data, i)
	if i < n && data[i] == '}' {
		i++
		i = skipSpace(data, i)
		return i == n
	}
	next := 0 // the field expected next, in encoding order
	for {
		// Key: a plain ASCII string naming a field exactly. The field
		// after the last one is tried first, as the encoders write it.
		fi := -1
		if next < len(fields) && hasPrefixAt(data, i, fields[next].key) {
			fi = next
			i += len(fields[next].key)
		} else {
			start, end, ok := plainString(data, i)
			if !ok {
				return false
			}
			key := data[start:end]
			i = end + 1
			for j := range fields {
				if fields[j].name == string(key) {
					fi = j
					break
				}
			}
			if fi < 0 {
				return false
			}
			i = skipSpace(data, i)
			if i >= n || data[i] != ':' {
				return false
			}
			i++
		}
		if seen[fi/64]&(1<<(fi%64)) != 0 {
			return false
		}
		seen[fi/64] |= 1 << (fi % 64)
		next = fi + 1
		i = skipSpace(data, i)
		if i >= n {
			return false
		}
		f := &fields[fi]
		p := unsafe.Add(v, f.off)
		if f.kind == flatString {
			start, end, ok := plainString(data, i)
			if !ok {
				return false
			}
			*(*string)(p) = string(data[start:end])
			i = end + 1
		} else {
			num, end := scanNumber(data, i)
			if end < 0 {
				return false
			}
			if f.kind == flatFloat64 {
				x, ok := num.float(data[i:end])
				if !ok {
					return false
				}
				*(*float64)(p) = x
			} else {
				x, ok := num.int()
				if !ok {
					return false
				}
				switch f.kind {
				case flatInt64:
					*(*int64)(p) = x
				case flatInt32:
					if x < math.MinInt32 || x > math.MaxInt32 {
						return false
					}
					*(*int32)(p) = int32(x)
				case flatInt8:
					if x < math.MinInt8 || x > math.MaxInt8 {
						return false
					}
					*(*int8)(p) = int8(x)
				}
			}
			i = end
		}
		i = skipSpace(data, i)
		if i >= n {
			return false
		}
		switch data[i] {
		case ',':
			i++
			i = skipSpace(data, i)
		case '}':
			i++
			i = skipSpace(data, i)
			return i == n
		default:
			return false
		}
	}
}

// number is a scanned JSON number: its decimal digits as an integer
// (when they fit), the count of digits after the point, and the form.
type number struct {
	mant     uint64
	digits   int // significant digits read into mant, leading zeros excluded
	frac     int // digits after the point
	neg      bool
	exponent bool // has an e or E part
	point    bool
}

// int is the number as an int64, if it is an integer that fits.
func (x number) int() (int64, bool) {
	switch {
	case x.point || x.exponent || x.digits > 19:
		return 0, false
	case x.neg && x.mant <= 1<<63:
		return -int64(x.mant-1) - 1, true
	case !x.neg && x.mant < 1<<63:
		return int64(x.mant), true
	}
	return 0, false
}

// exact10 holds the powers of ten a float64 represents exactly.
var exact10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// float is the number as a float64, correctly rounded: directly when the
// digits fit 53 bits and the point is at most 22 places in (one exact
// division, which rounds once), else by strconv from text.
func (x number) float(text []byte) (float64, bool) {
	if !x.exponent && x.digits <= 15 && x.frac < len(exact10) {
		f := float64(x.mant) / exact10[x.frac]
		if x.neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(unsafe.String(&text[0], len(text)), 64)
	return f, err == nil
}

// scanNumber reads a number by the JSON grammar at data[i:] and returns it
// with where it ends; end is -1 when there is no valid number.
func scanNumber(data []byte, i int) (x number, end int) {
	n := len(data)
	if i < n && data[i] == '-' {
		x.neg = true
		i++
	}
	// Locals, not x's fields, in the loops: the hot path of every field.
	var mant uint64
	digits := 0
	switch {
	case i >= n:
		return x, -1
	case data[i] == '0':
		i++
	case data[i] >= '1' && data[i] <= '9':
		// No leading zeros: every digit is significant.
		d := i
		for ; i < n && data[i]-'0' <= 9; i++ {
			if i-d < 19 {
				mant = mant*10 + uint64(data[i]-'0')
			}
		}
		digits = i - d
	default:
		return x, -1
	}
	if i < n && data[i] == '.' {
		x.point = true
		i++
		d := i
		for ; i < n && data[i]-'0' <= 9; i++ {
			if c := data[i] - '0'; digits > 0 || c != 0 {
				if digits < 19 {
					mant = mant*10 + uint64(c)
				}
				digits++
			}
		}
		if i == d {
			return x, -1
		}
		x.frac = i - d
	}
	x.mant, x.digits = mant, digits
	if i < n && (data[i] == 'e' || data[i] == 'E') {
		x.exponent = true
		i++
		if i < n && (data[i] == '+' || data[i] == '-') {
			i++
		}
		d := i
		for i < n && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == d {
			return x, -1
		}
	}
	return x, i
}

// plainString reads the JSON string opening at data[i] when it is plain
// ASCII without escapes: its contents are data[start:end], data[end] is the
// closing quote. ok is false for anything else.
func plainString(data []byte, i int) (start, end int, ok bool) {
	if i >= len(data) || data[i] != '"' {
		return 0, 0, false
	}
	start = i + 1
	for end = start; end < len(data) && data[end] != '"'; end++ {
		if c := data[end]; c == '\\' || c < 0x20 || c >= 0x80 {
			return 0, 0, false
		}
	}
	if end >= len(data) {
		return 0, 0, false
	}
	return start, end, true
}
