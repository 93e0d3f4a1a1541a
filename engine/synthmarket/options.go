package synthmarket

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// Option model constants.
const (
	optRate       = 0.04    // risk-free rate
	optBaseVol    = 0.13    // at-the-money implied volatility in a calm market
	optTailSec    = 15 * 60 // options trade until 15 minutes after the close
	optLatencyMin = 1_000_000
	yearNS        = 365 * 24 * 3600 * 1e9
)

// optVenues are Polygon-style option exchange ids with cumulative weights.
var optVenues = [...]struct {
	id  int32
	cum float64
}{
	{302, 0.22}, {312, 0.34}, {323, 0.46}, {308, 0.56}, {316, 0.65}, {313, 0.73},
	{300, 0.80}, {301, 0.85}, {322, 0.90}, {325, 0.95}, {303, 1},
}

// expiry is one option expiration listed on the generated day.
type expiry struct {
	date    calendar.Date
	yymmdd  string
	days    int32   // Parquet DATE value
	dte     int     // calendar days from the trade date
	closeNS int64   // the close of the expiry day, ns since the epoch
	cum     float64 // cumulative pick weight
}

// optionExpiries lists the expiries traded on d, sorted: d itself (0DTE),
// the next two trading days, the next two Fridays and the next two
// monthly expiries (third Fridays), each moved to the previous trading day
// when it is a holiday. Beyond the calendar's years weekdays count as
// trading days closing at 16:00 ET.
func optionExpiries(cal *calendar.Calendar, d calendar.Date) []expiry {
	type cand struct {
		date calendar.Date
		w    float64
	}
	var cands []cand
	cands = append(cands, cand{d, 0.45})
	next := d
	for _, w := range []float64{0.15, 0.07} {
		for {
			next = next.AddDays(1)
			if _, ok := tradingClose(cal, next); ok {
				break
			}
		}
		cands = append(cands, cand{next, w})
	}
	fri := d.AddDays(1 + (int(time.Friday)-int(d.AddDays(1).Weekday())+7)%7)
	cands = append(cands, cand{fri, 0.07}, cand{fri.AddDays(7), 0.07})
	for m, n := 0, 0; n < 2; m++ {
		y, mon := d.Year, d.Month+time.Month(m)
		for mon > time.December {
			y, mon = y+1, mon-12
		}
		if tf := thirdFriday(y, mon); !tf.Before(d) {
			cands = append(cands, cand{tf, 0.095})
			n++
		}
	}
	var out []expiry
	for _, c := range cands {
		e := c.date
		for {
			if _, ok := tradingClose(cal, e); ok {
				break
			}
			e = e.AddDays(-1)
		}
		if e.Before(d) {
			e = d
		}
		i := slices.IndexFunc(out, func(x expiry) bool { return x.date == e })
		if i >= 0 {
			out[i].cum += c.w
			continue
		}
		cl, _ := tradingClose(cal, e)
		out = append(out, expiry{
			date: e, yymmdd: fmt.Sprintf("%02d%02d%02d", e.Year%100, int(e.Month), e.Day),
			days: e.Days(), dte: int(e.Days() - d.Days()), closeNS: cl.UnixNano(), cum: c.w,
		})
	}
	slices.SortFunc(out, func(a, b expiry) int { return int(a.days - b.days) })
	total := 0.0
	for i := range out {
		total += out[i].cum
		out[i].cum = total
	}
	for i := range out {
		out[i].cum /= total
	}
	return out
}

// tradingClose returns the regular close of d and whether d trades. Dates
// outside the calendar's years trade on weekdays, closing at 16:00 ET.
func tradingClose(cal *calendar.Calendar, d calendar.Date) (time.Time, bool) {
	s, ok, err := cal.Session(d)
	if err == nil {
		return s.RTHClose, ok
	}
	wd := d.Weekday()
	return time.Date(d.Year, d.Month, d.Day, 16, 0, 0, 0, cal.Location()).UTC(),
		wd != time.Saturday && wd != time.Sunday
}

// optGen generates one day of SPY option trades.
type optGen struct {
	r      *rand.Rand
	p      *dayPath
	start  int64
	scale  float64
	exps   []expiry
	offs   []int64
	trades []store.OptionTrade
}

func newOptGen(seed int64, day int32, p *dayPath, start int64, scale float64, exps []expiry) *optGen {
	return &optGen{r: newRand(seed, int64(day), streamOptions), p: p, start: start, scale: scale, exps: exps}
}

// run generates the trades of seconds [from, to) after PMOpen that fall in
// the option session (the open to 15 minutes after the close).
func (g *optGen) run(from, to int) {
	from, to = g.window(from, to)
	for sec := from; sec < to; sec++ {
		k := poisson(g.r, g.rate(sec))
		if k == 0 {
			continue
		}
		g.offs = offsets(g.r, k, g.offs)
		for _, o := range g.offs {
			g.trade(int64(sec)*1e9 + o)
		}
	}
}

// rate is the expected trades in second sec: after the close at the
// rate of the last regular second.
func (g *optGen) rate(sec int) float64 {
	return eventRate(g.p, min(sec, g.p.rthClose-1), optionRate, g.scale)
}

// window clips seconds [from, to) to the option session.
func (g *optGen) window(from, to int) (int, int) {
	return max(from, g.p.rthOpen), min(to, g.p.rthClose+optTailSec, g.p.seconds)
}

// trade prints one option: an expiry by weight, a strike around spot
// (mostly out of the money, wider for longer expiries), a Black-Scholes
// price with skew, on the option tick.
func (g *optGen) trade(off int64) {
	r := g.r
	ts := g.start + off
	s := g.p.mid(off)
	u := r.Float64()
	e := g.exps[len(g.exps)-1]
	for _, x := range g.exps {
		if u < x.cum {
			e = x
			break
		}
	}
	call := r.Float64() < 0.48
	width := 1.5 + 5*math.Sqrt(float64(e.dte)/30)
	dist := math.Round(r.ExpFloat64() * width)
	if (r.Float64() < 0.75) != call { // 75% out of the money
		dist = -dist
	}
	strike := math.Max(1, math.Round(s)+dist)
	years := math.Max(float64(e.closeNS-ts), 60e9) / yearNS
	m := math.Log(strike / s)
	iv := optBaseVol*math.Sqrt(float64(g.p.vol[off/1e9])) - 0.6*m + 4*m*m
	iv = math.Min(math.Max(iv, 0.05), 1.5)
	theo := blackScholes(s, strike, years, optRate, iv, call)
	half := math.Max(0.005, theo*0.015)
	if r.Float64() < 0.5 {
		half = -half
	}
	price := math.Max(theo+half, 0.01)
	if price < 3 {
		price = math.Round(price*100) / 100
	} else {
		price = math.Round(price*20) * 5 / 100
	}
	price = math.Max(price, 0.01)
	var size int64
	switch u := r.Float64(); {
	case u < 0.6:
		size = 1 + r.Int64N(5)
	case u < 0.95:
		size = 1 + int64(r.ExpFloat64()*15)
	default:
		size = 50 + int64(r.ExpFloat64()*300)
	}
	u = r.Float64()
	venue := optVenues[len(optVenues)-1].id
	for _, v := range optVenues {
		if u < v.cum {
			venue = v.id
			break
		}
	}
	right := "P"
	if call {
		right = "C"
	}
	g.trades = append(g.trades, store.OptionTrade{
		TsEventNS: ts, TsRecvNS: ts + optLatencyMin + int64(r.ExpFloat64()*3e6), Source: Source,
		OptionSymbol: occSymbol(spySymbol, e.yymmdd, right, strike), Expiration: e.days,
		Strike: strike, OptionRight: right, Price: price, Size: size, Exchange: venue,
		Underlying: spySymbol,
	})
}

// occSymbol is the compact OCC option symbol: root, YYMMDD, C or P and the
// strike in thousandths on eight digits, e.g. SPY251219C00600000.
func occSymbol(root, yymmdd, right string, strike float64) string {
	k := strconv.FormatInt(int64(math.Round(strike*1000)), 10)
	b := make([]byte, 0, len(root)+15)
	b = append(b, root...)
	b = append(b, yymmdd...)
	b = append(b, right...)
	for range 8 - len(k) {
		b = append(b, '0')
	}
	return string(append(b, k...))
}

// blackScholes is the European option value (spot s, strike k, years t,
// rate r, volatility v).
func blackScholes(s, k, t, r, v float64, call bool) float64 {
	sq := v * math.Sqrt(t)
	d1 := (math.Log(s/k) + (r+v*v/2)*t) / sq
	d2 := d1 - sq
	df := math.Exp(-r * t)
	if call {
		return s*normCDF(d1) - k*df*normCDF(d2)
	}
	return k*df*normCDF(-d2) - s*normCDF(-d1)
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
