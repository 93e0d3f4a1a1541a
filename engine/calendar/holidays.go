package calendar

import "time"

// dayKind classifies a weekday: a normal session, a full closure or an
// early close (13:00 ET).
type dayKind uint8

const (
	regular dayKind = iota
	closed
	earlyClose
)

// special is a weekday that is not a regular full session.
type special struct {
	kind dayKind
	name string
}

// oneOffClosures are the unscheduled full-day NYSE closures in
// FirstYear..LastYear that no rule produces.
func oneOffClosures() map[Date]string {
	return map[Date]string{
		{2018, time.December, 5}: "National Day of Mourning (George H. W. Bush)",
		{2025, time.January, 9}:  "National Day of Mourning (Jimmy Carter)",
	}
}

// yearSpecials returns the full closures and early closes of year y.
// Weekend dates never appear; every date is a Monday..Friday.
func yearSpecials(y int) map[Date]special {
	out := make(map[Date]special, 16)
	shut := func(d Date, name string) {
		if d.Year == y && isWeekday(d) {
			out[d] = special{kind: closed, name: name}
		}
	}

	// New Year's Day: Sunday -> Monday; Saturday is not observed on the
	// prior Friday (NYSE rule 7.2: end of the accounting year).
	if ny := (Date{y, time.January, 1}); ny.Weekday() == time.Sunday {
		shut(ny.AddDays(1), "New Year's Day (observed)")
	} else {
		shut(ny, "New Year's Day")
	}
	if y >= 1998 {
		shut(nthWeekday(y, time.January, time.Monday, 3), "Martin Luther King Jr. Day")
	}
	shut(nthWeekday(y, time.February, time.Monday, 3), "Washington's Birthday")
	shut(easter(y).AddDays(-2), "Good Friday")
	shut(lastWeekday(y, time.May, time.Monday), "Memorial Day")
	if y >= 2022 {
		shut(observed(Date{y, time.June, 19}), "Juneteenth National Independence Day")
	}
	shut(observed(Date{y, time.July, 4}), "Independence Day")
	shut(nthWeekday(y, time.September, time.Monday, 1), "Labor Day")
	thanksgiving := nthWeekday(y, time.November, time.Thursday, 4)
	shut(thanksgiving, "Thanksgiving Day")
	shut(observed(Date{y, time.December, 25}), "Christmas Day")
	for d, name := range oneOffClosures() {
		shut(d, name)
	}

	// Early closes, only on weekdays that are otherwise trading days.
	early := func(d Date, name string) {
		if _, taken := out[d]; !taken && d.Year == y && isWeekday(d) {
			out[d] = special{kind: earlyClose, name: name}
		}
	}
	early(thanksgiving.AddDays(1), "Day after Thanksgiving")
	early(Date{y, time.December, 24}, "Christmas Eve")
	// July 3 closes early when it is Monday..Thursday; on a Friday it is
	// either the observed Independence Day (July 4 on Saturday) or absent.
	if j3 := (Date{y, time.July, 3}); j3.Weekday() >= time.Monday && j3.Weekday() <= time.Thursday {
		early(j3, "Independence Day eve")
	}
	return out
}

func isWeekday(d Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// observed moves a fixed-date holiday off the weekend: Saturday -> Friday,
// Sunday -> Monday.
func observed(d Date) Date {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDays(-1)
	case time.Sunday:
		return d.AddDays(1)
	}
	return d
}

// nthWeekday returns the n-th (1-based) weekday wd of month m of year y.
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) Date {
	first := Date{y, m, 1}
	offset := (int(wd) - int(first.Weekday()) + 7) % 7
	return first.AddDays(offset + 7*(n-1))
}

// lastWeekday returns the last weekday wd of month m of year y.
func lastWeekday(y int, m time.Month, wd time.Weekday) Date {
	last := Date{y, m + 1, 1}.AddDays(-1) // AddDays normalizes month 13
	offset := (int(last.Weekday()) - int(wd) + 7) % 7
	return last.AddDays(-offset)
}

// easter returns Western (Gregorian) Easter Sunday of year y, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easter(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{y, time.Month(month), day}
}
