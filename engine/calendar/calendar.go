package calendar

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // America/New_York on hosts without a zone database
)

// The years the calendar covers, inclusive.
const (
	FirstYear = 2015
	LastYear  = 2035
)

// ErrOutOfRange is returned (wrapped) for dates outside FirstYear..LastYear.
var ErrOutOfRange = errors.New("calendar: date outside 2015-01-01..2035-12-31")

// Session times in America/New_York, as hour and minute.
const (
	pmOpenHour, pmOpenMin       = 4, 0
	rthOpenHour, rthOpenMin     = 9, 30
	rthCloseHour, rthCloseMin   = 16, 0
	earlyCloseHour              = 13
	postCloseHour, postCloseMin = 20, 0
)

// Session is one trading day: all instants in UTC.
type Session struct {
	Date       Date
	PMOpen     time.Time // 04:00 America/New_York
	RTHOpen    time.Time // 09:30
	RTHClose   time.Time // 16:00, or 13:00 on early closes
	PostClose  time.Time // 20:00, also on early-close days (simplification)
	EarlyClose bool
}

// UTCHour is one Hive partition: Date "2006-01-02" and Hour "09" of a UTC
// hour.
type UTCHour struct {
	Date string
	Hour string
}

// Calendar is the NYSE session calendar for FirstYear..LastYear. It is
// immutable after New and safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	specials map[Date]special // holidays and early closes; read-only
}

// New builds the calendar. It fails only if America/New_York cannot be
// loaded, which the embedded tzdata prevents.
func New() (*Calendar, error) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		return nil, fmt.Errorf("calendar: load America/New_York: %w", err)
	}
	specials := make(map[Date]special, 16*(LastYear-FirstYear+1))
	for y := FirstYear; y <= LastYear; y++ {
		for d, s := range yearSpecials(y) {
			specials[d] = s
		}
	}
	return &Calendar{loc: loc, specials: specials}, nil
}

// Location returns the exchange time zone, America/New_York.
func (c *Calendar) Location() *time.Location { return c.loc }

// check returns an error if d is not a real date or lies outside the
// calendar's years.
func check(d Date) error {
	if !d.valid() {
		return fmt.Errorf("calendar: invalid date %04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	if d.Year < FirstYear || d.Year > LastYear {
		return fmt.Errorf("%w: %s", ErrOutOfRange, d)
	}
	return nil
}

// Session returns the session of d. ok is false for weekends, holidays and
// one-off closures; the error is non-nil only for an invalid date or one
// outside FirstYear..LastYear (errors.Is(err, ErrOutOfRange)).
func (c *Calendar) Session(d Date) (Session, bool, error) {
	if err := check(d); err != nil {
		return Session{}, false, err
	}
	if !isWeekday(d) {
		return Session{}, false, nil
	}
	sp := c.specials[d]
	if sp.kind == closed {
		return Session{}, false, nil
	}
	s := Session{
		Date:       d,
		PMOpen:     c.at(d, pmOpenHour, pmOpenMin),
		RTHOpen:    c.at(d, rthOpenHour, rthOpenMin),
		RTHClose:   c.at(d, rthCloseHour, rthCloseMin),
		PostClose:  c.at(d, postCloseHour, postCloseMin),
		EarlyClose: sp.kind == earlyClose,
	}
	if s.EarlyClose {
		s.RTHClose = c.at(d, earlyCloseHour, 0)
	}
	return s, true, nil
}

// at is hh:mm New York time on d, as a UTC instant.
func (c *Calendar) at(d Date, hh, mm int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, c.loc).UTC()
}

// Sessions returns the sessions of the trading days in [from, to], in
// ascending order. It is empty (and not an error) when from is after to.
func (c *Calendar) Sessions(from, to Date) ([]Session, error) {
	if err := check(from); err != nil {
		return nil, err
	}
	if err := check(to); err != nil {
		return nil, err
	}
	var out []Session
	for d := from; !d.After(to); d = d.AddDays(1) {
		s, ok, err := c.Session(d)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// TradingDays returns the trading days in [from, to], in ascending order.
func (c *Calendar) TradingDays(from, to Date) ([]Date, error) {
	ss, err := c.Sessions(from, to)
	if err != nil {
		return nil, err
	}
	out := make([]Date, len(ss))
	for i, s := range ss {
		out[i] = s.Date
	}
	return out, nil
}

// PrevTradingDay returns the last trading day strictly before d. d itself
// may be 2036-01-01; ErrOutOfRange is returned when the search would leave
// FirstYear..LastYear.
func (c *Calendar) PrevTradingDay(d Date) (Date, error) {
	if !d.valid() {
		return Date{}, check(d)
	}
	for p := d.AddDays(-1); ; p = p.AddDays(-1) {
		_, ok, err := c.Session(p)
		if err != nil {
			return Date{}, fmt.Errorf("calendar: no trading day before %s: %w", d, err)
		}
		if ok {
			return p, nil
		}
	}
}

// BronzeHours returns the UTC hours that cover [s.PMOpen, s.PostClose):
// every UTC hour h with h < PostClose and h+1h > PMOpen, ascending. In
// winter (EST) that is 09..23 of the session date and 00 of the next UTC
// date; in summer (EDT) 08..23, as PostClose is then exactly 00:00 UTC of
// the next date, which the half-open window excludes. A zero Session has no
// hours.
func (c *Calendar) BronzeHours(s Session) []UTCHour {
	if s.PMOpen.IsZero() || !s.PMOpen.Before(s.PostClose) {
		return nil
	}
	end := s.PostClose.UTC()
	var out []UTCHour
	// Truncate works on absolute time, so it lands on UTC hour boundaries.
	for h := s.PMOpen.UTC().Truncate(time.Hour); h.Before(end); h = h.Add(time.Hour) {
		out = append(out, UTCHour{Date: h.Format(dateLayout), Hour: h.Format("15")})
	}
	return out
}
