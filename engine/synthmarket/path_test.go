package synthmarket

import (
	"math"
	"testing"
)

// TestPath checks the mid path over a quarter of trading days: it opens at
// the day's anchor and closes at the next day's, touches exactly its drawn
// high and low, reacts at every kind of level (bounces hold, breaks go
// through), and its volatility clusters.
func TestPath(t *testing.T) {
	cal := newCalendar(t)
	days, err := cal.TradingDays(mustDate(t, "2025-01-02"), mustDate(t, "2025-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	var touches [numKinds]int
	var bounces, bounceHeld, breaks, breakHeld int
	var ac, acN float64
	for _, d := range days {
		s, _, err := cal.Session(d)
		if err != nil {
			t.Fatal(err)
		}
		prior, err := cal.PrevTradingDay(d)
		if err != nil {
			t.Fatal(err)
		}
		p := simulatePath(DefaultSeed, d, prior, s)
		if p.seconds != 16*3600 || p.rthClose-p.rthOpen != 23400 {
			t.Fatalf("%s: %d seconds, regular hours %d", d, p.seconds, p.rthClose-p.rthOpen)
		}
		hi, lo := math.Inf(-1), math.Inf(1)
		for _, x := range p.x {
			hi, lo = math.Max(hi, x), math.Min(lo, x)
		}
		if p.x[0] != anchor(DefaultSeed, d.Days()) || p.x[p.seconds] != anchor(DefaultSeed, d.Days()+1) || hi != p.high || lo != p.low {
			t.Errorf("%s: open %v close %v high %v low %v; want %v %v %v %v", d, p.x[0], p.x[p.seconds], hi, lo,
				p.open, p.close, p.high, p.low)
		}
		if ph, pl := dayRange(DefaultSeed, prior.Days()); ph != p.priorHigh || pl != p.priorLow {
			t.Errorf("%s: prior high/low %v %v, want %v %v", d, p.priorHigh, p.priorLow, ph, pl)
		}
		for k := range touches {
			touches[k] += p.levelTouches[k]
		}
		for i := 1; i+180 < len(p.x); i++ {
			re := p.react[i]
			if re.level == 0 || p.react[i-1].level != 0 {
				continue
			}
			side := math.Copysign(1, p.x[i]-re.level)
			held := (p.x[i+180]-re.level)*side > 0
			if re.bounce {
				bounces++
				if held {
					bounceHeld++
				}
			} else {
				breaks++
				if held {
					breakHeld++
				}
			}
		}
		// Lag-one autocorrelation of absolute one-minute returns in
		// regular hours.
		var prev float64
		var xs, ys []float64
		for i := p.rthOpen + 60; i <= p.rthClose; i += 60 {
			r := math.Abs(math.Log(p.x[i] / p.x[i-60]))
			if i > p.rthOpen+60 {
				xs, ys = append(xs, prev), append(ys, r)
			}
			prev = r
		}
		ac += corr(xs, ys)
		acN++
	}
	for k, n := range touches {
		if n < len(days)/4 {
			t.Errorf("level kind %d: %d reactions in %d days", k, n, len(days))
		}
	}
	share := float64(bounces) / float64(bounces+breaks)
	if share < 0.5 || share > 0.75 || float64(bounceHeld) < 0.85*float64(bounces) || float64(breakHeld) > 0.25*float64(breaks) {
		t.Errorf("%d bounces (%.0f%% held after 3 min), %d breaks (%.0f%% held)", bounces,
			100*float64(bounceHeld)/float64(bounces), breaks, 100*float64(breakHeld)/float64(breaks))
	}
	if ac/acN < 0.05 {
		t.Errorf("autocorrelation of absolute minute returns %.3f, want volatility clustering", ac/acN)
	}
}

func corr(xs, ys []float64) float64 {
	n := float64(len(xs))
	var sx, sy, sxx, syy, sxy float64
	for i := range xs {
		sx, sy = sx+xs[i], sy+ys[i]
		sxx, syy, sxy = sxx+xs[i]*xs[i], syy+ys[i]*ys[i], sxy+xs[i]*ys[i]
	}
	return (sxy/n - sx/n*sy/n) / math.Sqrt((sxx/n-sx/n*sx/n)*(syy/n-sy/n*sy/n))
}

// TestAnchor: the daily anchor moves about 0.8% a day and drifts up over
// the years; different seeds give different markets.
func TestAnchor(t *testing.T) {
	var sum2 float64
	n := 0
	for d := int32(anchorRefDay - 3650); d < anchorRefDay; d++ {
		r := math.Log(anchor(1, d+1) / anchor(1, d))
		sum2 += r * r
		n++
	}
	if std := math.Sqrt(sum2 / float64(n)); std < 0.004 || std > 0.015 {
		t.Errorf("daily anchor move std %.4f", std)
	}
	if a, b := anchor(1, anchorRefDay-3650), anchor(1, anchorRefDay); a > b || a < 50 {
		t.Errorf("anchor ten years apart %v -> %v", a, b)
	}
	if anchor(1, anchorRefDay) == anchor(2, anchorRefDay) {
		t.Error("seeds 1 and 2 give the same anchor")
	}
}

func TestOptionExpiries(t *testing.T) {
	cal := newCalendar(t)
	for _, tc := range []struct {
		date string
		want []string
	}{
		// Monday: 0DTE, Tue, Wed, Fri (also the monthly), next Fri, January monthly.
		{"2025-12-15", []string{"2025-12-15", "2025-12-16", "2025-12-17", "2025-12-19", "2025-12-26", "2026-01-16"}},
		// Good Friday 2026-04-03: the weekly moves to Thursday (0DTE).
		{"2026-04-02", []string{"2026-04-02", "2026-04-06", "2026-04-07", "2026-04-10", "2026-04-17", "2026-05-15"}},
		// Beyond the calendar's last year every weekday trades (even 2036-01-01).
		{"2035-12-31", []string{"2035-12-31", "2036-01-01", "2036-01-02", "2036-01-04", "2036-01-11", "2036-01-18", "2036-02-15"}},
	} {
		exps := optionExpiries(cal, mustDate(t, tc.date))
		var got []string
		for _, e := range exps {
			got = append(got, e.date.String())
		}
		if len(got) != len(tc.want) || exps[len(exps)-1].cum != 1 {
			t.Errorf("%s: expiries %v, want %v", tc.date, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: expiries %v, want %v", tc.date, got, tc.want)
				break
			}
		}
	}
}

func TestOCCSymbol(t *testing.T) {
	for _, tc := range []struct {
		yymmdd, right string
		strike        float64
		want          string
	}{
		{"251219", "C", 600, "SPY251219C00600000"},
		{"260116", "P", 85, "SPY260116P00085000"},
		{"251215", "P", 1234.5, "SPY251215P01234500"},
	} {
		if got := occSymbol("SPY", tc.yymmdd, tc.right, tc.strike); got != tc.want {
			t.Errorf("occSymbol(%s %s %v) = %s, want %s", tc.yymmdd, tc.right, tc.strike, got, tc.want)
		}
	}
}

func TestBlackScholesParity(t *testing.T) {
	s, k, yrs, r, v := 600.0, 605.0, 0.1, 0.04, 0.15
	c, p := blackScholes(s, k, yrs, r, v, true), blackScholes(s, k, yrs, r, v, false)
	if d := c - p - (s - k*math.Exp(-r*yrs)); math.Abs(d) > 1e-9 {
		t.Errorf("put-call parity off by %g", d)
	}
}
