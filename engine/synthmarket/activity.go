package synthmarket

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Event rates per second of regular trading at Scale 1, before the
// intraday profile and the volatility factor.
const (
	esEventRate = 60.0 // MBP-10 events (about 28% are trades, each two rows)
	spyRate     = 12.0 // SPY trades
	optionRate  = 10.0 // SPY option trades (regular hours only)
)

// activity is the intraday profile of trading at second sec: about 1 on
// average in regular hours (U-shaped: busy open and close, calm midday),
// a few percent early premarket rising towards the open, and a decaying
// tail after the close.
func activity(p *dayPath, sec int) float64 {
	switch {
	case sec < p.rthOpen-5400:
		return 0.03
	case sec < p.rthOpen:
		return 0.06 + 0.12*float64(sec-(p.rthOpen-5400))/5400
	case sec < p.rthClose:
		u := float64(sec-p.rthOpen) / float64(p.rthClose-p.rthOpen)
		return (0.55 + 1.8*(u-0.5)*(u-0.5) + math.Exp(-u/0.03) + 0.6*math.Exp(-(1-u)/0.03)) / 0.75
	}
	return 0.03 + 0.22*math.Exp(-float64(sec-p.rthClose)/1800)
}

// eventRate is the expected number of events in second sec for a base
// rate at Scale 1.
func eventRate(p *dayPath, sec int, base, scale float64) float64 {
	return base * scale * activity(p, sec) * math.Sqrt(float64(p.vol[sec]))
}

// offsets draws the sorted nanosecond offsets of k events in one second,
// reusing buf.
func offsets(r *rand.Rand, k int, buf []int64) []int64 {
	buf = buf[:0]
	for range k {
		buf = append(buf, r.Int64N(1e9))
	}
	slices.Sort(buf)
	return buf
}

// expectedRows is a capacity for the rows of seconds [from, to) given the
// expected events per second and rows per event: the mean plus a margin,
// so an hour's slice is allocated once instead of grown.
func expectedRows(from, to int, rate func(sec int) float64, perEvent float64) int {
	var sum float64
	for sec := from; sec < to; sec++ {
		sum += rate(sec)
	}
	sum *= perEvent
	return int(sum*1.05 + 4*math.Sqrt(sum) + 16)
}
