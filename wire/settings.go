package wire

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// settingDef is one session setting the server emulates. DuckDB's own
// configuration is locked, so SET/SHOW/RESET never reach it.
type settingDef struct {
	name     string // canonical spelling, as SHOW names its column
	def      string // default; "" means computed at session start
	report   bool   // sent as ParameterStatus at startup and on change
	readOnly bool
	// check normalizes a new value or rejects it.
	check func(string) (string, error)
	desc  string
}

func onlyValues(vals ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, ok := range vals {
			if strings.EqualFold(v, ok) {
				return vals[0], nil
			}
		}
		return "", fmt.Errorf("only %s is supported", vals[0])
	}
}

func anyValue(v string) (string, error) { return v, nil }

// checkEncoding accepts the spellings of UTF-8 PostgreSQL accepts: it
// compares encoding names ignoring case and everything but letters and
// digits ('utf-8', 'UTF8', 'Unicode', 'utf_8').
func checkEncoding(v string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToLower(v) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	switch b.String() {
	case "utf8", "unicode":
		return "UTF8", nil
	}
	return "", fmt.Errorf("only UTF8 is supported")
}

func checkInt(v string) (string, error) {
	if _, err := strconv.Atoi(v); err != nil {
		return "", fmt.Errorf("invalid value %q: an integer is required", v)
	}
	return v, nil
}

// checkDuration accepts a time GUC and shows it as PostgreSQL does: in
// the largest unit that divides it (5000 -> 5s, 60000 -> 1min).
func checkDuration(v string) (string, error) {
	d, err := parsePGDuration(v)
	if err != nil {
		return "", err
	}
	ms := d.Milliseconds()
	if ms == 0 {
		return "0", nil
	}
	for _, u := range []struct {
		ms   int64
		name string
	}{{86_400_000, "d"}, {3_600_000, "h"}, {60_000, "min"}, {1000, "s"}} {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.name, nil
		}
	}
	return strconv.FormatInt(ms, 10) + "ms", nil
}

func checkTimeZone(v string) (string, error) {
	switch strings.ToUpper(v) {
	case "UTC", "GMT", "Z", "ETC/UTC", "UCT", "ZULU":
		return "UTC", nil
	}
	if _, err := time.LoadLocation(v); err != nil {
		return "", fmt.Errorf("time zone %q not recognized", v)
	}
	return v, nil
}

func checkDateStyle(v string) (string, error) {
	u := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	switch u {
	case "ISO", "ISO,MDY", "MDY,ISO", "ISO,US", "US,ISO":
		return "ISO, MDY", nil
	}
	return "", fmt.Errorf("only DateStyle ISO, MDY is supported")
}

// settingDefs lists the emulated settings; lookups are case-insensitive.
var settingDefs = []settingDef{
	{name: "application_name", report: true, check: anyValue, desc: "Sets the application name"},
	{name: "client_encoding", def: "UTF8", report: true, check: checkEncoding, desc: "Sets the client's character set encoding"},
	{name: "DateStyle", def: "ISO, MDY", report: true, check: checkDateStyle, desc: "Sets the display format for date and time values"},
	{name: "IntervalStyle", def: "postgres", report: true, check: onlyValues("postgres"), desc: "Sets the display format for interval values"},
	{name: "TimeZone", def: "UTC", report: true, check: checkTimeZone, desc: "Sets the time zone for displaying time stamps"},
	{name: "integer_datetimes", def: "on", report: true, readOnly: true},
	{name: "standard_conforming_strings", def: "on", report: true, check: onlyValues("on", "true"), desc: "Backslashes in ordinary string literals are literal"},
	{name: "default_transaction_read_only", def: "on", report: true, check: onlyValues("on", "true"), desc: "Every transaction is read-only"},
	{name: "transaction_read_only", def: "on", check: onlyValues("on", "true")},
	{name: "in_hot_standby", def: "off", report: true, readOnly: true},
	{name: "is_superuser", def: "off", report: true, readOnly: true},
	{name: "session_authorization", report: true, readOnly: true},
	{name: "server_version", report: true, readOnly: true},
	{name: "server_version_num", def: "150000", readOnly: true},
	{name: "server_encoding", def: "UTF8", report: true, readOnly: true},
	{name: "max_identifier_length", def: "63", readOnly: true},
	{name: "search_path", def: `"$user", public`, check: anyValue, desc: "Sets the schema search order for names that are not schema-qualified"},
	{name: "extra_float_digits", def: "1", check: checkInt},
	{name: "statement_timeout", def: "0", check: checkDuration, desc: "Maximum time a statement may run"},
	{name: "lock_timeout", def: "0", check: checkDuration},
	{name: "idle_in_transaction_session_timeout", def: "0", check: checkDuration},
	{name: "idle_session_timeout", def: "0", check: checkDuration},
	{name: "transaction_isolation", def: "read committed", check: anyValue},
	{name: "default_transaction_isolation", def: "read committed", check: anyValue},
	{name: "client_min_messages", def: "notice", check: anyValue},
	{name: "bytea_output", def: "hex", check: onlyValues("hex")},
	{name: "work_mem", def: "4MB", check: anyValue},
	{name: "jit", def: "off", check: anyValue},
	{name: "lc_messages", def: "C", check: anyValue},
	{name: "lc_monetary", def: "C", check: anyValue},
	{name: "lc_numeric", def: "C", check: anyValue},
	{name: "lc_time", def: "C", check: anyValue},
	{name: "timezone_abbreviations", def: "Default", check: anyValue},
	{name: "row_security", def: "on", check: anyValue},
	{name: "synchronous_commit", def: "on", check: anyValue},
}

func lookupSetting(name string) (*settingDef, bool) {
	for i := range settingDefs {
		if strings.EqualFold(settingDefs[i].name, name) {
			return &settingDefs[i], true
		}
	}
	return nil, false
}

// settings are one session's values.
type settings struct {
	vals     map[string]string // canonical name -> value
	defaults map[string]string // per session (startup parameters count)
	txn      settingsTxn       // see settings_txn.go

	// Parsed values, reused while the setting's text is unchanged:
	// each statement asks for both.
	timeoutText string
	timeoutOK   bool
	timeout     time.Duration
	tzText      string
	tz          *time.Location
}

// newSettings applies the defaults, the computed values and the startup
// packet's parameters (unknown ones are ignored, as options PostgreSQL
// would reject are only warned about by most clients).
func newSettings(computed, startup map[string]string) (*settings, error) {
	s := &settings{vals: map[string]string{}, defaults: map[string]string{}}
	for _, d := range settingDefs {
		s.defaults[d.name] = d.def
	}
	for k, v := range computed {
		s.defaults[k] = v
	}
	for k, v := range startup {
		d, ok := lookupSetting(k)
		if !ok || d.readOnly {
			continue
		}
		nv, err := d.check(v)
		if err != nil {
			return nil, errorf(CodeInvalidParameterValue, "invalid value for parameter %q: %v", d.name, err)
		}
		s.defaults[d.name] = nv
	}
	for k, v := range s.defaults {
		s.vals[k] = v
	}
	return s, nil
}

func (s *settings) get(name string) (string, string, bool) {
	d, ok := lookupSetting(name)
	if !ok {
		// A custom setting exists once set (settings_config.go).
		name = strings.ToLower(name)
		v, ok := s.vals[name]
		return name, v, ok && customName(name)
	}
	return d.name, s.vals[d.name], true
}

// set changes a setting, until the end of the transaction if local;
// reported says whether clients expect a ParameterStatus for it.
func (s *settings) set(name, value string, local bool) (canon string, reported bool, err error) {
	d, ok := lookupSetting(name)
	if !ok && customName(name) {
		s.assign(strings.ToLower(name), value, local)
		return strings.ToLower(name), false, nil
	}
	if !ok {
		return "", false, errorf(CodeUndefinedObject, "unrecognized configuration parameter %q", name)
	}
	if d.readOnly {
		return "", false, errorf(CodeCantChangeRuntimeParam, "parameter %q cannot be changed", d.name)
	}
	nv, cerr := d.check(value)
	if cerr != nil {
		return "", false, errorf(CodeInvalidParameterValue, "invalid value for parameter %q: %v", d.name, cerr)
	}
	s.assign(d.name, nv, local)
	return d.name, d.report, nil
}

func (s *settings) reset(name string, local bool) (canon string, reported bool, err error) {
	d, ok := lookupSetting(name)
	if !ok && customName(name) {
		s.assign(strings.ToLower(name), "", local)
		return strings.ToLower(name), false, nil
	}
	if !ok {
		return "", false, errorf(CodeUndefinedObject, "unrecognized configuration parameter %q", name)
	}
	if d.readOnly {
		return "", false, errorf(CodeCantChangeRuntimeParam, "parameter %q cannot be changed", d.name)
	}
	s.assign(d.name, s.defaults[d.name], local)
	return d.name, d.report, nil
}

// resetAll restores every setting and returns the reported ones that
// changed.
func (s *settings) resetAll() []string {
	var changed []string
	for _, d := range settingDefs {
		if d.readOnly {
			continue
		}
		if s.vals[d.name] != s.defaults[d.name] && d.report {
			changed = append(changed, d.name)
		}
		s.assign(d.name, s.defaults[d.name], false)
	}
	for name := range s.vals {
		if customName(name) {
			s.assign(name, "", false)
		}
	}
	sort.Strings(changed)
	return changed
}

// reported are the settings sent as ParameterStatus after startup.
func (s *settings) reported() []string {
	var names []string
	for _, d := range settingDefs {
		if d.report {
			names = append(names, d.name)
		}
	}
	sort.Strings(names)
	return names
}

// statementTimeout is the session's statement_timeout.
func (s *settings) statementTimeout() time.Duration {
	v := s.vals["statement_timeout"]
	if !s.timeoutOK || v != s.timeoutText {
		s.timeout, _ = parsePGDuration(v)
		s.timeoutText, s.timeoutOK = v, true
	}
	return s.timeout
}

// location is the session's TimeZone.
func (s *settings) location() *time.Location {
	tz := s.vals["TimeZone"]
	if tz == "" || tz == "UTC" {
		return time.UTC
	}
	if s.tz == nil || tz != s.tzText {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			loc = time.UTC
		}
		s.tz, s.tzText = loc, tz
	}
	return s.tz
}

// parsePGDuration reads a GUC time value: a bare number is milliseconds;
// units us, ms, s, min, h, d are accepted.
func parsePGDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid duration %q", v)
	}
	unit := map[string]time.Duration{
		"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond, "s": time.Second,
		"min": time.Minute, "h": time.Hour, "d": 24 * time.Hour,
	}
	u, ok := unit[strings.TrimSpace(v[i:])]
	if !ok {
		return 0, fmt.Errorf("invalid duration unit in %q (use us, ms, s, min, h, d)", v)
	}
	return time.Duration(n * float64(u)), nil
}
