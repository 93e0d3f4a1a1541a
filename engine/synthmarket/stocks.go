package synthmarket

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/spysql/spysql/engine/store"
)

// SPY's symbol and tape (B: listed on NYSE Arca), and its trade conditions
// (Polygon codes).
const (
	spySymbol     = "SPY"
	spyTape       = 2
	condFormT     = 12 // extended-hours trade
	condISO       = 14 // intermarket sweep
	condOddLot    = 37
	spyLatencyMin = 500_000 // ns from event to receipt, plus an exponential
)

// spyVenues are Polygon-style exchange ids with cumulative weights
// (off-exchange reports, id 4, are the largest share, as in SPY).
var spyVenues = [...]struct {
	id  int32
	cum float64
}{
	{4, 0.40}, {12, 0.53}, {9, 0.60}, {18, 0.67}, {21, 0.73}, {11, 0.77},
	{15, 0.81}, {3, 0.84}, {2, 0.87}, {8, 0.90}, {17, 0.93}, {1, 0.95}, {10, 1},
}

// spyGen generates one day of SPY trades.
type spyGen struct {
	r      *rand.Rand
	p      *dayPath
	start  int64
	scale  float64
	seq    int64
	count  int64
	offs   []int64
	trades []store.StockTrade
}

func newSPYGen(seed int64, day int32, p *dayPath, start int64, scale float64) *spyGen {
	return &spyGen{
		r:     newRand(seed, int64(day), streamStocks),
		p:     p,
		start: start,
		scale: scale,
		seq:   int64(day) * 1e9,
	}
}

// run generates the trades of seconds [from, to) after PMOpen.
func (g *spyGen) run(from, to int) {
	for sec := from; sec < to; sec++ {
		k := poisson(g.r, g.rate(sec))
		if k == 0 {
			continue
		}
		g.offs = offsets(g.r, k, g.offs)
		for _, o := range g.offs {
			g.trade(int64(sec)*1e9+o, sec)
		}
	}
}

// rate is the expected trades in second sec.
func (g *spyGen) rate(sec int) float64 { return eventRate(g.p, sec, spyRate, g.scale) }

// trade prints at the bid or ask around the mid, leaning with the next
// second's move and any level reaction.
func (g *spyGen) trade(off int64, sec int) {
	p, r := g.p, g.r
	x := p.mid(off)
	rth := p.inRTH(sec)
	spread := int64(1)
	if !rth {
		spread += int64(r.IntN(3))
	}
	if p.vol[sec] > 1.5 && r.Float64() < 0.3 {
		spread++
	}
	bid := int64(math.Floor(x*100 - float64(spread-1)/2))
	ask := bid + spread
	lean := math.Min(math.Max((p.mid(off+1e9)-x)*20, -0.25), 0.25)
	if re := p.react[sec]; re.level != 0 {
		lean += 0.1 * float64(re.dir)
	}
	cents := bid
	switch u := r.Float64(); {
	case u < 0.06 && spread > 1:
		cents = bid + 1 + r.Int64N(spread-1)
	case u < 0.5+lean:
		cents = ask
	}
	var size int64
	switch u := r.Float64(); {
	case u < 0.42:
		size = 1 + r.Int64N(99)
	case u < 0.92:
		size = 100 * (1 + int64(r.ExpFloat64()*1.5))
	default:
		size = 100 * (5 + int64(r.ExpFloat64()*20))
	}
	var conds []int32
	if !rth {
		conds = append(conds, condFormT)
	}
	if r.Float64() < 0.04 {
		conds = append(conds, condISO)
	}
	if size < 100 {
		conds = append(conds, condOddLot)
	}
	u := r.Float64()
	venue := spyVenues[len(spyVenues)-1].id
	for _, v := range spyVenues {
		if u < v.cum {
			venue = v.id
			break
		}
	}
	g.seq++
	g.count++
	ts := g.start + off
	g.trades = append(g.trades, store.StockTrade{
		TsEventNS: ts, TsRecvNS: ts + spyLatencyMin + int64(r.ExpFloat64()*2e6), Source: Source,
		Price: float64(cents) / 100, Size: size, Exchange: venue, Conditions: conds,
		TradeID: strconv.FormatInt(g.count, 10), Seq: g.seq, Tape: spyTape, Symbol: spySymbol,
	})
}
