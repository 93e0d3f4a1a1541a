package calendar

import (
	"fmt"
	"time"
)

// dateLayout is the textual form of a Date and of a Hive date= partition.
const dateLayout = "2006-01-02"

// Date is a civil (calendar) date, independent of any time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses s in the form "2006-01-02". The date must exist (no
// 2025-02-30) and nothing may surround it.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: invalid date %q (want YYYY-MM-DD): %w", s, err)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// midnightUTC is d at 00:00 UTC; out-of-range fields are normalized the way
// time.Date normalizes them.
func (d Date) midnightUTC() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns d as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// AddDays returns the date n days after d (before it if n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.midnightUTC().Weekday() }

// Days returns the number of days since 1970-01-01 (the Parquet DATE value).
func (d Date) Days() int32 {
	// Midnight UTC is an exact multiple of a day, so the division is exact
	// for dates before 1970 too.
	return int32(d.midnightUTC().Unix() / 86400)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// valid reports whether d names a real calendar date (no normalization).
func (d Date) valid() bool {
	return d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && DateOf(d.midnightUTC()) == d
}
