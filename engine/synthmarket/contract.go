package synthmarket

import (
	"time"

	"github.com/spysql/spysql/engine/calendar"
)

// Carry model of the ES basis: ES ~ 10 x SPY x (1 + carry x years to expiry).
const esCarry = 0.03

// quarterCodes are the CME month codes of the quarterly ES contracts.
var quarterCodes = [4]byte{'H', 'M', 'U', 'Z'}

// thirdFriday is the third Friday of a month: the ES and monthly option
// expiry.
func thirdFriday(year int, month time.Month) calendar.Date {
	first := calendar.Date{Year: year, Month: month, Day: 1}
	off := (int(time.Friday) - int(first.Weekday()) + 7) % 7
	return first.AddDays(off + 14)
}

// frontContract returns the ES contract traded on d and its expiry: the
// first quarterly contract (Mar, Jun, Sep, Dec) whose third Friday is after
// d. The roll is thus on expiry day, a simplification of the real roll a
// week earlier: ESZ5 trades through 2025-12-18 and ESH6 from 2025-12-19.
func frontContract(d calendar.Date) (string, calendar.Date) {
	y, m := d.Year, d.Month
	for {
		q := ((int(m) - 1) / 3) * 3 // 0, 3, 6, 9
		qm := time.Month(q + 3)     // Mar, Jun, Sep, Dec
		if exp := thirdFriday(y, qm); exp.After(d) {
			code := []byte{'E', 'S', quarterCodes[q/3], byte('0' + y%10)}
			return string(code), exp
		}
		// Past this quarter's expiry: move to the first month of the next.
		m = qm + 1
		if m > time.December {
			m, y = time.January, y+1
		}
	}
}

// esBasis is the day's ES-minus-10xSPY basis in index points, on the 0.25
// tick: cost of carry on spy (the day's open) to the contract's expiry.
func esBasis(d, expiry calendar.Date, spy float64) float64 {
	years := float64(expiry.Days()-d.Days()) / 365.0
	return roundTo(10*spy*esCarry*years, esTick)
}
