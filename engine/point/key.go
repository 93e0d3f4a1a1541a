package point

import (
	"math"
	"strconv"
	"time"

	"github.com/spysql/spysql/engine/session"
)

// keyFromArg is the key a statement's argument stands for, when the
// point read reads it exactly as DuckDB would cast it to the key's type:
// binary values of the key's own type, and text in one canonical
// spelling (any other spelling runs in DuckDB, whose cast decides).
func keyFromArg(t colType, a session.Arg) (keyVal, bool) {
	switch t.kind {
	case session.KindInteger, session.KindBigInt:
		v, ok := int64(0), false
		switch a.Kind {
		case session.ArgInt64:
			v, ok = a.I, true
		case session.ArgText:
			x, err := strconv.ParseInt(a.S, 10, 64)
			v, ok = x, err == nil && strconv.FormatInt(x, 10) == a.S
		}
		if !ok || t.kind == session.KindInteger && int64(int32(v)) != v {
			return keyVal{}, false // DuckDB reports what is out of range
		}
		return keyVal{i: v}, true
	case session.KindDate:
		switch a.Kind {
		case session.ArgDate:
			return keyVal{i: a.I}, true
		case session.ArgText:
			d, err := time.Parse(time.DateOnly, a.S)
			if err != nil || d.Format(time.DateOnly) != a.S || d.Year() < 1 {
				return keyVal{}, false
			}
			return keyVal{i: int64(math.Floor(float64(d.Unix()) / 86400))}, true
		}
	case session.KindTimestamp, session.KindTimestampNS:
		us, ok := int64(0), false
		switch a.Kind {
		case session.ArgTimestamp:
			us, ok = a.I, true
		case session.ArgText:
			us, ok = canonicalTimestamp(a.S)
		}
		if !ok {
			return keyVal{}, false
		}
		if t.kind == session.KindTimestampNS {
			if us > math.MaxInt64/1000 || us < math.MinInt64/1000 {
				return keyVal{}, false
			}
			us *= 1000
		}
		return keyVal{i: us}, true
	case session.KindTimestampTZ:
		// Text depends on the session's TimeZone: DuckDB casts it.
		if a.Kind == session.ArgTimestampTZ {
			return keyVal{i: a.I}, true
		}
	case session.KindVarchar:
		if a.Kind == session.ArgText {
			return keyVal{s: a.S}, true
		}
	}
	return keyVal{}, false
}

// Canonical TIMESTAMP spellings: whole seconds, or six fractional digits.
const (
	tsSeconds = "2006-01-02 15:04:05"
	tsMicros  = "2006-01-02 15:04:05.000000"
)

// canonicalTimestamp reads a TIMESTAMP in one of the canonical
// spellings, in µs since the epoch.
func canonicalTimestamp(s string) (int64, bool) {
	for _, layout := range []string{tsSeconds, tsMicros} {
		if len(s) != len(layout) {
			continue
		}
		ts, err := time.Parse(layout, s)
		if err != nil || ts.Format(layout) != s || ts.Year() < 1 {
			return 0, false
		}
		return ts.UnixMicro(), true
	}
	return 0, false
}
