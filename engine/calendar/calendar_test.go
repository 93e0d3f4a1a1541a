package calendar

import (
	"bufio"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newCal(t *testing.T) *Calendar {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func date(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func TestSessions(t *testing.T) {
	c := newCal(t)
	// want: "" for no session, else "pm open close post [early]" in UTC.
	tests := []struct{ date, note, want string }{
		{"2025-03-07", "Fri before spring DST (EST)", "2025-03-07T09:00:00Z 2025-03-07T14:30:00Z 2025-03-07T21:00:00Z 2025-03-08T01:00:00Z"},
		{"2025-03-08", "Saturday", ""},
		{"2025-03-09", "DST switch Sunday", ""},
		{"2025-03-10", "Mon after spring DST (EDT)", "2025-03-10T08:00:00Z 2025-03-10T13:30:00Z 2025-03-10T20:00:00Z 2025-03-11T00:00:00Z"},
		{"2025-10-31", "Fri before fall back (EDT)", "2025-10-31T08:00:00Z 2025-10-31T13:30:00Z 2025-10-31T20:00:00Z 2025-11-01T00:00:00Z"},
		{"2025-11-02", "fall-back Sunday", ""},
		{"2025-11-03", "Mon after fall back (EST)", "2025-11-03T09:00:00Z 2025-11-03T14:30:00Z 2025-11-03T21:00:00Z 2025-11-04T01:00:00Z"},
		{"2025-04-18", "Good Friday", ""},
		{"2024-03-29", "Good Friday", ""},
		{"2025-06-19", "Juneteenth", ""},
		{"2021-06-18", "Juneteenth not yet an NYSE holiday", "2021-06-18T08:00:00Z 2021-06-18T13:30:00Z 2021-06-18T20:00:00Z 2021-06-19T00:00:00Z"},
		{"2022-06-20", "Juneteenth on Sunday, observed Monday", ""},
		{"2025-11-27", "Thanksgiving", ""},
		{"2025-11-28", "day after Thanksgiving", "2025-11-28T09:00:00Z 2025-11-28T14:30:00Z 2025-11-28T18:00:00Z 2025-11-29T01:00:00Z early"},
		{"2025-12-24", "Christmas Eve", "2025-12-24T09:00:00Z 2025-12-24T14:30:00Z 2025-12-24T18:00:00Z 2025-12-25T01:00:00Z early"},
		{"2024-12-24", "Christmas Eve", "2024-12-24T09:00:00Z 2024-12-24T14:30:00Z 2024-12-24T18:00:00Z 2024-12-25T01:00:00Z early"},
		{"2025-07-03", "Independence Day eve (EDT)", "2025-07-03T08:00:00Z 2025-07-03T13:30:00Z 2025-07-03T17:00:00Z 2025-07-04T00:00:00Z early"},
		{"2025-07-04", "Independence Day", ""},
		{"2015-07-02", "Jul 4 2015 Saturday: no early close Jul 2", "2015-07-02T08:00:00Z 2015-07-02T13:30:00Z 2015-07-02T20:00:00Z 2015-07-03T00:00:00Z"},
		{"2015-07-03", "Independence Day observed Friday", ""},
		{"2025-01-09", "Carter day of mourning", ""},
		{"2018-12-05", "G. H. W. Bush day of mourning", ""},
		{"2022-12-26", "Christmas on Sunday, observed Monday", ""},
		{"2021-12-24", "Christmas on Saturday, observed Friday", ""},
		{"2021-12-31", "New Year 2022 on Saturday is not observed", "2021-12-31T09:00:00Z 2021-12-31T14:30:00Z 2021-12-31T21:00:00Z 2022-01-01T01:00:00Z"},
		{"2025-06-10", "normal Tuesday", "2025-06-10T08:00:00Z 2025-06-10T13:30:00Z 2025-06-10T20:00:00Z 2025-06-11T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d := date(t, tt.date)
			s, ok, err := c.Session(d)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if ok {
				if s.Date != d {
					t.Errorf("Date = %v", s.Date)
				}
				got = strings.Join([]string{rfc(s.PMOpen), rfc(s.RTHOpen), rfc(s.RTHClose), rfc(s.PostClose)}, " ")
				if s.EarlyClose {
					got += " early"
				}
				if s.PMOpen.Location() != time.UTC || s.PostClose.Location() != time.UTC {
					t.Errorf("instants not in UTC: %v", s.PMOpen.Location())
				}
			} else if s != (Session{}) {
				t.Errorf("no session but non-zero Session %+v", s)
			}
			if got != tt.want {
				t.Errorf("%s (%s):\n got %q\nwant %q", tt.date, tt.note, got, tt.want)
			}
		})
	}
}

func TestYearCounts(t *testing.T) {
	c := newCal(t)
	for year, want := range map[int]int{2019: 252, 2023: 250, 2024: 252, 2025: 250} {
		days, err := c.TradingDays(Date{year, time.January, 1}, Date{year, time.December, 31})
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != want {
			t.Errorf("%d: %d trading days, want %d", year, len(days), want)
		}
		for i := 1; i < len(days); i++ {
			if !days[i-1].Before(days[i]) {
				t.Fatalf("%d: not ascending at %v, %v", year, days[i-1], days[i])
			}
		}
	}
}

// TestPublishedCalendar compares every weekday of 2015..2026 with the
// calendars NYSE published, transcribed in testdata.
func TestPublishedCalendar(t *testing.T) {
	c := newCal(t)
	f, err := os.Open(filepath.Join("testdata", "nyse_2015_2026.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[Date]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		d := date(t, fields[0])
		if !isWeekday(d) {
			t.Errorf("testdata lists weekend day %v", d)
		}
		want[d] = fields[1]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for d := (Date{2015, 1, 1}); d.Year <= 2026; d = d.AddDays(1) {
		if !isWeekday(d) {
			continue
		}
		s, ok, err := c.Session(d)
		if err != nil {
			t.Fatal(err)
		}
		got := "regular"
		switch {
		case !ok:
			got = "closed"
		case s.EarlyClose:
			got = "early"
		}
		w := want[d]
		if w == "" {
			w = "regular"
		}
		if got != w {
			t.Errorf("%v (%v): got %s, want %s", d, d.Weekday(), got, w)
		}
	}
}

func TestBronzeHours(t *testing.T) {
	c := newCal(t)
	hours := func(date string, from, to int) []string {
		var out []string
		for h := from; h <= to; h++ {
			out = append(out, date+"/"+time.Date(0, 1, 1, h, 0, 0, 0, time.UTC).Format("15"))
		}
		return out
	}
	tests := []struct {
		date string
		want []string
	}{
		// Winter: 04:00 EST = 09:00Z .. 20:00 EST = 01:00Z next day.
		{"2025-01-15", append(hours("2025-01-15", 9, 23), "2025-01-16/00")},
		// Summer: 04:00 EDT = 08:00Z .. 20:00 EDT = 00:00Z next day (excluded).
		{"2025-06-10", hours("2025-06-10", 8, 23)},
		// Early close still ends the window at 20:00 ET.
		{"2025-12-24", append(hours("2025-12-24", 9, 23), "2025-12-25/00")},
		// Last day of a year spills into the next year.
		{"2025-12-31", append(hours("2025-12-31", 9, 23), "2026-01-01/00")},
	}
	for _, tt := range tests {
		s, ok, err := c.Session(date(t, tt.date))
		if err != nil || !ok {
			t.Fatalf("%s: ok=%v err=%v", tt.date, ok, err)
		}
		var got []string
		for _, h := range c.BronzeHours(s) {
			got = append(got, h.Date+"/"+h.Hour)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s:\n got %v\nwant %v", tt.date, got, tt.want)
		}
	}
	if h := c.BronzeHours(Session{}); h != nil {
		t.Errorf("zero session: %v", h)
	}
}

func TestOutOfRange(t *testing.T) {
	c := newCal(t)
	for _, s := range []string{"2014-12-31", "2036-01-01", "1970-01-01"} {
		if _, _, err := c.Session(date(t, s)); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), s) {
			t.Errorf("Session(%s) err = %v", s, err)
		}
	}
	if _, err := c.Sessions(date(t, "2014-12-01"), date(t, "2015-01-10")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Sessions: %v", err)
	}
	if _, err := c.TradingDays(date(t, "2035-12-01"), date(t, "2036-01-10")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("TradingDays: %v", err)
	}
	if _, err := c.PrevTradingDay(date(t, "2015-01-02")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("PrevTradingDay(2015-01-02): %v", err)
	}
	if _, _, err := c.Session(Date{2025, time.February, 30}); err == nil || errors.Is(err, ErrOutOfRange) {
		t.Errorf("invalid date: %v", err)
	}
	// Bounds themselves are in range.
	if ss, err := c.Sessions(date(t, "2015-01-01"), date(t, "2015-01-02")); err != nil || len(ss) != 1 {
		t.Errorf("2015-01-01..02: %v %v", ss, err)
	}
	if ss, err := c.Sessions(date(t, "2025-01-10"), date(t, "2025-01-09")); err != nil || len(ss) != 0 {
		t.Errorf("from after to: %v %v", ss, err)
	}
}

func TestPrevTradingDay(t *testing.T) {
	c := newCal(t)
	for in, want := range map[string]string{
		"2025-01-10": "2025-01-08", // skips the Carter closure
		"2025-03-10": "2025-03-07", // over the DST weekend
		"2025-12-26": "2025-12-24",
		"2025-04-21": "2025-04-17", // Good Friday
		"2025-06-11": "2025-06-10",
		"2022-01-03": "2021-12-31",
		"2036-01-01": "2035-12-31",
	} {
		got, err := c.PrevTradingDay(date(t, in))
		if err != nil || got.String() != want {
			t.Errorf("PrevTradingDay(%s) = %v, %v; want %s", in, got, err, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2024-02-29")
	if err != nil || d != (Date{2024, time.February, 29}) || d.String() != "2024-02-29" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, s := range []string{"", "2025-02-29", "2025-13-01", "2025-1-02", "2025/01/02",
		" 2025-01-02", "2025-01-02T00:00:00Z", "20250102", "yesterday"} {
		_, err := ParseDate(s)
		if err == nil {
			t.Errorf("ParseDate(%q): no error", s)
		} else if !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("ParseDate(%q): error does not name input: %v", s, err)
		}
	}
}

func TestDate(t *testing.T) {
	for s, want := range map[string]int32{"1970-01-01": 0, "1969-12-31": -1, "2000-03-01": 11017, "2025-01-01": 20089} {
		if got := date(t, s).Days(); got != want {
			t.Errorf("%s.Days() = %d, want %d", s, got, want)
		}
	}
	d := date(t, "2024-02-28")
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(-59).String(); got != "2023-12-31" {
		t.Errorf("AddDays(-59) = %s", got)
	}
	if got := d.AddDays(366).String(); got != "2025-02-28" {
		t.Errorf("AddDays(366) = %s", got)
	}
	if !d.Before(d.AddDays(1)) || d.Before(d) || !d.After(d.AddDays(-1)) || d.After(d) ||
		!d.Before(Date{2024, time.March, 1}) || !d.After(Date{2023, time.December, 31}) {
		t.Error("Before/After")
	}
	if w := d.Weekday(); w != time.Wednesday {
		t.Errorf("Weekday = %v", w)
	}
	if !(Date{}).IsZero() || d.IsZero() {
		t.Error("IsZero")
	}
	tokyo := time.FixedZone("JST", 9*3600)
	if got := DateOf(time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC).In(tokyo)).String(); got != "2025-01-01" {
		t.Errorf("DateOf in JST = %s", got)
	}
	if got := easter(2019); got != (Date{2019, time.April, 21}) {
		t.Errorf("easter(2019) = %v", got)
	}
	if got := easter(2035); got != (Date{2035, time.March, 25}) {
		t.Errorf("easter(2035) = %v", got)
	}
	c := newCal(t)
	if c.Location().String() != "America/New_York" {
		t.Errorf("Location = %v", c.Location())
	}
}

// TestNoLocalTime checks the source never reads the process time zone (or
// the clock), then reruns the calendar tests in a child process whose
// time.Local is Asia/Tokyo.
func TestNoLocalTime(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Local" || sel.Sel.Name == "Now") {
				t.Errorf("%s: uses .%s", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if os.Getenv("SPYSQL_CALENDAR_CHILD") != "" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.count=1", "-test.v",
		"-test.run=^(TestSessions|TestYearCounts|TestPublishedCalendar|TestBronzeHours|TestPrevTradingDay|TestLocalIsTokyo)$")
	cmd.Env = append(os.Environ(), "TZ=Asia/Tokyo", "SPYSQL_CALENDAR_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestLocalIsTokyo") {
		t.Fatalf("child with TZ=Asia/Tokyo: %v\n%s", err, out)
	}
}

// TestLocalIsTokyo runs only in TestNoLocalTime's child process.
func TestLocalIsTokyo(t *testing.T) {
	if os.Getenv("SPYSQL_CALENDAR_CHILD") == "" {
		return // only meaningful in the TZ=Asia/Tokyo child of TestNoLocalTime
	}
	if _, off := time.Date(2025, 1, 1, 0, 0, 0, 0, time.Local).Zone(); off != 9*3600 {
		t.Fatalf("time.Local offset %d, want +9h", off)
	}
}
