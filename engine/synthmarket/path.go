package synthmarket

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/spysql/spysql/engine/calendar"
)

// Path model constants (per-second volatility is relative to the price).
const (
	sigmaEarlyPM = 1.5e-5 // 04:00-08:00 ET
	sigmaLatePM  = 2.5e-5 // 08:00-09:30 ET
	sigmaRTH     = 5.0e-5 // regular hours, boosted after the open
	sigmaPost    = 1.5e-5 // after the close
	volPersist   = 1200.0 // seconds, AR(1) time constant of log-volatility
	volStd       = 0.35   // stationary std of log-volatility
	touchBand    = 0.03   // dollars: a level is touched within this band
	reactPush    = 0.2    // drift of a reaction, in sigmas per second
	reactCool    = 600    // seconds before the same level reacts again
	reactRoom    = 900    // seconds a bridge segment must have left
)

// levelKind is what makes a price a level.
type levelKind uint8

const (
	kindPriorHigh levelKind = iota
	kindPriorLow
	kindPMHigh
	kindPMLow
	kindRound
	numKinds
)

// bounceProb is the chance that a touch of a level of this kind holds, in
// a market of normal volatility.
func (k levelKind) bounceProb() float64 {
	switch k {
	case kindPriorHigh, kindPriorLow:
		return 0.70
	case kindPMHigh, kindPMLow:
		return 0.64
	}
	return 0.58
}

// reaction is what the price is doing at a level during one second.
type reaction struct {
	level  float64 // SPY price of the level; 0 when there is no reaction
	dir    int8    // +1: moving up (off support or through resistance), -1: down
	bounce bool    // the level holds (else it breaks)
}

// dayPath is one day's SPY mid price, one point per second from PMOpen.
type dayPath struct {
	seconds           int
	rthOpen, rthClose int           // second indexes of 09:30 ET and the close
	x                 []float64     // seconds+1 mid prices
	vol               []float32     // per second: volatility multiplier
	react             []reaction    // per second
	open, close       float64       // anchor prices at 04:00 and 20:00 ET
	high, low         float64       // extremes of x
	priorHigh         float64       // of the previous trading day
	priorLow          float64       //
	pmHigh, pmLow     float64       // of 04:00-09:30 ET
	levelTouches      [numKinds]int // reactions started, by kind
}

// mid is the mid price off nanoseconds after PMOpen, interpolated.
func (p *dayPath) mid(off int64) float64 {
	sec := int(off / 1e9)
	if sec >= p.seconds {
		return p.x[p.seconds]
	}
	f := float64(off%1e9) / 1e9
	return p.x[sec] + f*(p.x[sec+1]-p.x[sec])
}

// inRTH reports whether second sec is in regular trading hours.
func (p *dayPath) inRTH(sec int) bool { return sec >= p.rthOpen && sec < p.rthClose }

// baseSigma is the relative per-second volatility at second i.
func (p *dayPath) baseSigma(i int) float64 {
	switch {
	case i < p.rthOpen-5400:
		return sigmaEarlyPM
	case i < p.rthOpen:
		return sigmaLatePM
	case i < p.rthClose:
		return sigmaRTH * (1 + 0.8*math.Exp(-float64(i-p.rthOpen)/1800))
	}
	return sigmaPost
}

// simulatePath builds the mid path of day (session s); prior is the
// previous trading day, whose high and low are levels.
func simulatePath(seed int64, day, prior calendar.Date, s calendar.Session) *dayPath {
	n := int(s.PostClose.Sub(s.PMOpen) / time.Second)
	p := &dayPath{
		seconds:  n,
		rthOpen:  int(s.RTHOpen.Sub(s.PMOpen) / time.Second),
		rthClose: int(s.RTHClose.Sub(s.PMOpen) / time.Second),
		x:        make([]float64, n+1),
		vol:      make([]float32, n+1),
		react:    make([]reaction, n+1),
	}
	dn := day.Days()
	p.open, p.close = anchor(seed, dn), anchor(seed, dn+1)
	p.high, p.low = dayRange(seed, dn)
	p.priorHigh, p.priorLow = dayRange(seed, prior.Days())
	r := newRand(seed, int64(dn), streamPath)

	// The day's extremes happen in regular hours, at least ten minutes apart.
	tHi, tLo := extremeTime(r, p.rthOpen, p.rthClose), extremeTime(r, p.rthOpen, p.rthClose)
	for try := 0; absInt(tHi-tLo) < 600 && try < 16; try++ {
		tLo = extremeTime(r, p.rthOpen, p.rthClose)
	}
	if absInt(tHi-tLo) < 600 {
		span := p.rthClose - p.rthOpen
		tHi, tLo = p.rthOpen+span/4, p.rthOpen+3*span/4
	}
	type point struct {
		t int
		x float64
	}
	segs := []point{{tHi, p.high}, {tLo, p.low}, {n, p.close}}
	if tLo < tHi {
		segs[0], segs[1] = segs[1], segs[0]
	}

	// Cooldowns: next second each fixed level or whole dollar may react.
	var fixedCool [kindRound]int
	roundBase := int(math.Floor(p.low)) - 1
	roundCool := make([]int, int(math.Ceil(p.high))-roundBase+2)

	// Bridges run in variance time: a step's share of the remaining move is
	// its share of the remaining variance, so quiet hours drift little.
	cumVar := make([]float64, n+1)
	for i := range n {
		sb := p.baseSigma(i)
		cumVar[i+1] = cumVar[i] + sb*sb
	}

	rho := math.Exp(-1 / volPersist)
	eta := volStd * math.Sqrt(1-rho*rho)
	h := volStd * r.NormFloat64()
	x := p.open
	p.x[0] = x
	p.pmHigh, p.pmLow = x, x
	var act reaction
	actLeft, seg := 0, 0
	for i := 0; i < n; i++ {
		for segs[seg].t <= i {
			seg++
		}
		target, tEnd := segs[seg].x, segs[seg].t
		h = rho*h + eta*r.NormFloat64()
		v := math.Exp(h)
		p.vol[i] = float32(v)
		sb := p.baseSigma(i)
		sigma := sb * v * x
		next := target
		if i+1 < tEnd {
			drift := (target - x) * sb * sb / (cumVar[tEnd] - cumVar[i])
			if actLeft > 0 {
				drift += float64(act.dir) * reactPush * sigma
			}
			next = x + drift + sigma*r.NormFloat64()
		}
		if i < p.rthOpen {
			p.pmHigh, p.pmLow = math.Max(p.pmHigh, x), math.Min(p.pmLow, x)
		}
		if actLeft == 0 && tEnd-i > reactRoom {
			// A fresh touch of a level: decide whether it holds.
			lv, kind, ok := p.touch(i, x, next, fixedCool[:], roundCool, roundBase)
			if ok {
				side := int8(1)
				if x < lv {
					side = -1
				}
				pb := math.Min(math.Max(kind.bounceProb()-0.15*(v-1), 0.2), 0.9)
				act = reaction{level: lv, bounce: r.Float64() < pb}
				if act.bounce {
					act.dir = side
					actLeft = 60 + r.IntN(181)
				} else {
					act.dir = -side
					actLeft = 90 + r.IntN(211)
				}
				p.levelTouches[kind]++
				if kind == kindRound {
					roundCool[int(math.Round(lv))-roundBase] = i + actLeft + reactCool
				} else {
					fixedCool[kind] = i + actLeft + reactCool
				}
			}
		}
		if actLeft > 0 {
			if act.bounce && i+1 < tEnd {
				if act.dir > 0 && next < act.level || act.dir < 0 && next > act.level {
					next = 2*act.level - next
				}
			}
			p.react[i] = act
			actLeft--
		}
		if i+1 < tEnd {
			next = reflect(next, p.low, p.high)
		}
		p.x[i+1] = next
		x = next
	}
	p.vol[n] = p.vol[n-1]
	return p
}

// touch reports the level that the move x -> next reaches from outside its
// band at second i, if any may react now: prior-day high and low, premarket
// high and low (in regular hours) and whole dollars.
func (p *dayPath) touch(i int, x, next float64, fixedCool []int, roundCool []int, roundBase int) (float64, levelKind, bool) {
	reaches := func(lv float64) bool {
		d0, d1 := x-lv, next-lv
		if d0 > touchBand {
			return d1 <= touchBand
		}
		if d0 < -touchBand {
			return d1 >= -touchBand
		}
		return false
	}
	fixed := [kindRound]float64{p.priorHigh, p.priorLow, p.pmHigh, p.pmLow}
	for k := kindPriorHigh; k < kindRound; k++ {
		if (k == kindPMHigh || k == kindPMLow) && i < p.rthOpen {
			continue
		}
		if i >= fixedCool[k] && reaches(fixed[k]) {
			return fixed[k], k, true
		}
	}
	lv := math.Round(next)
	if j := int(lv) - roundBase; j >= 0 && j < len(roundCool) && i >= roundCool[j] && reaches(lv) {
		return lv, kindRound, true
	}
	return 0, 0, false
}

// extremeTime draws the second of a daily extreme: often in the first or
// last hour of regular trading, otherwise anywhere in it.
func extremeTime(r *rand.Rand, open, close int) int {
	span := close - open
	edge := min(3600, span/3)
	switch u := r.Float64(); {
	case u < 0.3:
		return open + 60 + r.IntN(edge)
	case u < 0.5:
		return close - 60 - r.IntN(edge)
	}
	return open + 60 + r.IntN(span-120)
}

// reflect folds x back into [lo, hi].
func reflect(x, lo, hi float64) float64 {
	for range 4 {
		switch {
		case x > hi:
			x = 2*hi - x
		case x < lo:
			x = 2*lo - x
		default:
			return x
		}
	}
	return math.Min(math.Max(x, lo), hi)
}

func absInt(a int) int {
	if a < 0 {
		return -a
	}
	return a
}
