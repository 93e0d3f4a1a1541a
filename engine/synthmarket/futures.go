package synthmarket

import (
	"math"
	"math/rand/v2"

	"github.com/spysql/spysql/engine/store"
)

// ES venue and symbol, MBP-10 actions, sides and flags.
const (
	esSymbol   = "ES"
	esExchange = "XCME"
	flagLast   = 128 // F_LAST: last row of an event
)

// Shares of MBP-10 events by kind (the rest are modifies).
const (
	shareTrade  = 0.28
	shareAdd    = 0.36
	shareCancel = 0.30
)

// esGen generates one day of ES trades and MBP-10 events.
type esGen struct {
	r          *rand.Rand
	p          *dayPath
	start      int64 // PMOpen, ns since the epoch
	instrument string
	basis      float64
	scale      float64
	seq        int64
	bk         book
	offs       []int64

	// The reaction of the current second, in ES terms.
	wallPx   float64 // ES price of the level; 0 when none
	wallSide byte    // 'B' or 'A': the side of the book at the level
	wallMult float64 // size multiplier there (>1 a wall, <1 thin)
	bias     float64 // added to the chance of a buy aggressor

	trades []store.FuturesTrade
	mbp    []store.MBP10
}

func newESGen(seed int64, day int32, p *dayPath, start int64, instrument string, basis, scale float64) *esGen {
	g := &esGen{
		r:          newRand(seed, int64(day), streamFutures),
		p:          p,
		start:      start,
		instrument: instrument,
		basis:      basis,
		scale:      scale,
		seq:        int64(day) * 1e9,
	}
	f := g.fair(0)
	g.bk.bid = math.Floor(f/esTick) * esTick
	g.bk.ask = g.bk.bid + esTick
	rth := p.inRTH(0)
	for i := range bookDepth {
		g.bk.bidSz[i], g.bk.bidCt[i] = g.freshLevel('B', g.bk.bidPx(i), i, rth)
		g.bk.askSz[i], g.bk.askCt[i] = g.freshLevel('A', g.bk.askPx(i), i, rth)
	}
	return g
}

// fair is the ES fair price off ns after PMOpen.
func (g *esGen) fair(off int64) float64 { return 10*g.p.mid(off) + g.basis }

// run generates the events of seconds [from, to) after PMOpen, appending
// to g.trades and g.mbp.
func (g *esGen) run(from, to int) {
	for sec := from; sec < to; sec++ {
		k := poisson(g.r, g.rate(sec))
		if k == 0 {
			continue
		}
		g.setWall(sec)
		g.offs = offsets(g.r, k, g.offs)
		for _, o := range g.offs {
			g.event(int64(sec)*1e9+o, sec)
		}
	}
}

// rate is the expected MBP-10 events in second sec.
func (g *esGen) rate(sec int) float64 { return eventRate(g.p, sec, esEventRate, g.scale) }

// setWall maps the path's reaction at second sec onto the book.
func (g *esGen) setWall(sec int) {
	re := g.p.react[sec]
	g.wallPx, g.bias = 0, 0
	if re.level == 0 {
		return
	}
	g.wallPx = roundTo(10*re.level+g.basis, esTick)
	// A support (dir +1 on a bounce) sits on the bid; a resistance that
	// breaks upwards (dir +1 on a break) is on the ask.
	support := re.dir > 0 == re.bounce
	g.wallSide = 'A'
	if support {
		g.wallSide = 'B'
	}
	if re.bounce {
		g.wallMult, g.bias = 4, 0.10*float64(re.dir)
	} else {
		g.wallMult, g.bias = 0.35, 0.18*float64(re.dir)
	}
}

// sizeMult is the size multiplier of a level at price on side.
func (g *esGen) sizeMult(side byte, price float64) float64 {
	if g.wallPx != 0 && side == g.wallSide && math.Abs(price-g.wallPx) <= 2*esTick {
		return g.wallMult
	}
	return 1
}

// freshLevel draws the size and order count of a new price level.
func (g *esGen) freshLevel(side byte, price float64, depth int, rth bool) (int64, int32) {
	base := 8.0
	if rth {
		base = 30
	}
	mean := base * (1 + 0.3*float64(depth)) * g.sizeMult(side, price)
	sz := int64(math.Max(1, math.Round(mean*math.Exp(0.5*g.r.NormFloat64()-0.125))))
	ct := int64(math.Round(float64(sz) / (2 + 4*g.r.Float64())))
	return sz, int32(min(max(ct, 1), sz))
}

// shiftBid moves the best bid to nb, keeping the sizes of prices that stay
// in the book and drawing new levels for the others.
func (g *esGen) shiftBid(nb float64, rth bool) {
	b := &g.bk
	k := int(math.Round((nb - b.bid) / esTick)) // > 0: levels appear on top
	b.bid = nb
	shiftLevels(&b.bidSz, &b.bidCt, k)
	for i := range bookDepth {
		if (k > 0 && i < k) || (k < 0 && i >= bookDepth+k) {
			b.bidSz[i], b.bidCt[i] = g.freshLevel('B', b.bidPx(i), i, rth)
		}
	}
}

// shiftAsk moves the best ask to na like shiftBid.
func (g *esGen) shiftAsk(na float64, rth bool) {
	b := &g.bk
	k := int(math.Round((b.ask - na) / esTick)) // > 0: levels appear on top
	b.ask = na
	shiftLevels(&b.askSz, &b.askCt, k)
	for i := range bookDepth {
		if (k > 0 && i < k) || (k < 0 && i >= bookDepth+k) {
			b.askSz[i], b.askCt[i] = g.freshLevel('A', b.askPx(i), i, rth)
		}
	}
}

// shiftLevels moves level i to i+k (k > 0) or i-|k| (k < 0); vacated
// levels are left for the caller to fill.
func shiftLevels(sz *[bookDepth]int64, ct *[bookDepth]int32, k int) {
	switch {
	case k > 0:
		for i := bookDepth - 1; i >= k; i-- {
			sz[i], ct[i] = sz[i-k], ct[i-k]
		}
	case k < 0:
		m := -k
		for i := 0; i+m < bookDepth; i++ {
			sz[i], ct[i] = sz[i+m], ct[i+m]
		}
	}
}

// recenter moves the book onto the fair price f when f left [bid, ask].
func (g *esGen) recenter(f float64, rth bool) {
	if g.bk.bid <= f && f <= g.bk.ask {
		return
	}
	nb := math.Floor(f/esTick) * esTick
	g.shiftBid(nb, rth)
	g.shiftAsk(nb+esTick, rth)
}

// event generates one MBP-10 event (and a trade) off ns after PMOpen.
func (g *esGen) event(off int64, sec int) {
	rth := g.p.inRTH(sec)
	f := g.fair(off)
	g.recenter(f, rth)
	ts := g.start + off
	recv := ts + 20_000 + int64(g.r.ExpFloat64()*150_000)
	switch u := g.r.Float64(); {
	case u < shareTrade:
		g.trade(ts, recv, f)
	case u < shareTrade+shareAdd:
		g.add(ts, recv, rth)
	case u < shareTrade+shareAdd+shareCancel:
		g.cancel(ts, recv, rth)
	default:
		g.modify(ts, recv)
	}
}

// side draws a book side, leaning to the wall side by lean.
func (g *esGen) side(lean float64) byte {
	p := 0.5
	if g.wallPx != 0 {
		if g.wallSide == 'B' {
			p += lean
		} else {
			p -= lean
		}
	}
	if g.r.Float64() < p {
		return 'B'
	}
	return 'A'
}

// depth draws a level index, mostly near the top.
func (g *esGen) depth() int { return min(int(g.r.ExpFloat64()*2.5), bookDepth-1) }

// trade prints an aggressive order against the best level: a T row with
// the book before the fill, then the fill as a C row.
func (g *esGen) trade(ts, recv int64, f float64) {
	b := &g.bk
	mid := (b.bid + b.ask) / 2
	pBuy := math.Min(math.Max(0.5+1.2*(f-mid)/esTick+g.bias, 0.08), 0.92)
	var q int64
	switch u := g.r.Float64(); {
	case u < 0.45:
		q = 1
	case u < 0.97:
		q = 1 + int64(g.r.ExpFloat64()*4)
	default:
		q = 10 + int64(g.r.ExpFloat64()*40)
	}
	buy := g.r.Float64() < pBuy
	px, aggr, aside, rest := b.bid, int8(-1), "A", "B"
	lvl := &b.bidSz[0]
	if buy {
		px, aggr, aside, rest = b.ask, 1, "B", "A"
		lvl = &b.askSz[0]
	}
	q = min(q, *lvl)
	g.seq++
	g.row(ts, recv, "T", aside, 0, px, q, 0)
	g.trades = append(g.trades, store.FuturesTrade{
		TsEventNS: ts, TsRecvNS: recv, Source: Source, Instrument: g.instrument,
		Price: px, Size: q, Aggressor: aggr, Exchange: esExchange, Seq: g.seq, Symbol: esSymbol,
	})
	rth := g.p.inRTH(int((ts - g.start) / 1e9))
	if q < *lvl {
		*lvl -= q
		if buy {
			b.askCt[0] = min(b.askCt[0], int32(b.askSz[0]))
		} else {
			b.bidCt[0] = min(b.bidCt[0], int32(b.bidSz[0]))
		}
	} else if buy {
		g.shiftAsk(b.ask+esTick, rth)
	} else {
		g.shiftBid(b.bid-esTick, rth)
	}
	g.seq++
	g.row(ts, recv, "C", rest, 0, px, q, flagLast)
}

// add rests new size at a level; with a wide spread it often improves the
// best price by one tick, adding a price level.
func (g *esGen) add(ts, recv int64, rth bool) {
	b := &g.bk
	side := g.side(0.15)
	d := g.depth()
	if d == 0 && b.spreadTicks() > 1 && g.r.Float64() < 0.7 {
		if side == 'B' {
			g.shiftBid(b.bid+esTick, rth)
			g.seq++
			g.row(ts, recv, "A", "B", 0, b.bid, b.bidSz[0], flagLast)
		} else {
			g.shiftAsk(b.ask-esTick, rth)
			g.seq++
			g.row(ts, recv, "A", "A", 0, b.ask, b.askSz[0], flagLast)
		}
		return
	}
	sz, ct, px, s := &b.bidSz[d], &b.bidCt[d], b.bidPx(d), "B"
	if side == 'A' {
		sz, ct, px, s = &b.askSz[d], &b.askCt[d], b.askPx(d), "A"
	}
	q := 1 + int64(g.r.ExpFloat64()*5*g.sizeMult(side, px))
	*sz += q
	*ct++
	g.seq++
	g.row(ts, recv, "A", s, d, px, q, flagLast)
}

// cancel removes size from a level; rarely it empties the best level,
// which widens the spread.
func (g *esGen) cancel(ts, recv int64, rth bool) {
	b := &g.bk
	side := g.side(-0.15)
	d := g.depth()
	sz, ct, px, s := &b.bidSz[d], &b.bidCt[d], b.bidPx(d), "B"
	if side == 'A' {
		sz, ct, px, s = &b.askSz[d], &b.askCt[d], b.askPx(d), "A"
	}
	if d == 0 && b.spreadTicks() == 1 && g.r.Float64() < 0.08/g.sizeMult(side, px) {
		q := *sz
		if side == 'B' {
			g.shiftBid(b.bid-esTick, rth)
		} else {
			g.shiftAsk(b.ask+esTick, rth)
		}
		g.seq++
		g.row(ts, recv, "C", s, 0, px, q, flagLast)
		return
	}
	if *sz <= 1 {
		g.add(ts, recv, rth)
		return
	}
	q := min(1+int64(g.r.ExpFloat64()*4), *sz-1)
	*sz -= q
	if *ct > 1 && g.r.Float64() < 0.6 {
		*ct--
	}
	*ct = min(*ct, int32(*sz))
	g.seq++
	g.row(ts, recv, "C", s, d, px, q, flagLast)
}

// modify changes a level's size in place.
func (g *esGen) modify(ts, recv int64) {
	b := &g.bk
	side := g.side(0)
	d := g.depth()
	sz, ct, px, s := &b.bidSz[d], &b.bidCt[d], b.bidPx(d), "B"
	if side == 'A' {
		sz, ct, px, s = &b.askSz[d], &b.askCt[d], b.askPx(d), "A"
	}
	*sz = max(1, int64(math.Round(float64(*sz)*(0.6+0.8*g.r.Float64()))))
	*ct = min(*ct, int32(*sz))
	g.seq++
	g.row(ts, recv, "M", s, d, px, *sz, flagLast)
}

// row appends one MBP-10 row with the current book.
func (g *esGen) row(ts, recv int64, action, side string, depth int, price float64, size int64, flags int32) {
	g.mbp = append(g.mbp, store.MBP10{
		TsEventNS: ts, TsRecvNS: recv, Source: Source, Instrument: g.instrument,
		Action: action, Side: side, Depth: int32(depth), Price: price, Size: size,
		Flags: flags, Seq: g.seq, Symbol: esSymbol,
	})
	g.bk.snapshot(&g.mbp[len(g.mbp)-1])
}
