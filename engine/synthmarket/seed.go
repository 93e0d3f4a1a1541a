package synthmarket

import (
	"math"
	"math/rand/v2"
)

// Random streams: each (seed, day, stream) triple has its own generator, so
// adding draws to one stream never shifts another.
const (
	streamAnchor uint64 = iota + 1
	streamRange
	streamPath
	streamFutures
	streamStocks
	streamOptions
)

// Anchor price model (log scale): drift per year, the price at refDay and
// the value-noise amplitude per sqrt(day).
const (
	anchorRefPrice = 600.0
	anchorRefDay   = 20437 // 2025-12-15 as days since 1970-01-01
	anchorDrift    = 0.09  // per year
	anchorNoise    = 0.004 // per sqrt(day)
	anchorOctaves  = 11    // lattice periods 1, 2, 4, ..., 1024 days
)

// splitmix64 is a bijective 64-bit mixer (Steele et al.).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRand returns the generator of one (seed, key, stream) triple; key is
// usually a day number.
func newRand(seed int64, key int64, stream uint64) *rand.Rand {
	a := splitmix64(uint64(seed) ^ splitmix64(uint64(key)^splitmix64(stream)))
	b := splitmix64(a ^ 0x5851f42d4c957f2d ^ stream)
	return rand.New(rand.NewPCG(a, b))
}

// anchor is the deterministic price of calendar day n (days since
// 1970-01-01) for a seed: the open of day n and the close of day n-1.
func anchor(seed int64, n int32) float64 {
	years := float64(n-anchorRefDay) / 365.25
	logp := math.Log(anchorRefPrice) + anchorDrift*years
	for k := 0; k < anchorOctaves; k++ {
		period := int64(1) << k
		j := floorDiv(int64(n), period)
		f := float64(int64(n)-j*period) / float64(period)
		v0 := latticeNoise(seed, k, j)
		v1 := v0
		if f > 0 {
			v1 = latticeNoise(seed, k, j+1)
		}
		logp += anchorNoise * math.Sqrt(float64(period)) * (v0 + f*(v1-v0))
	}
	return math.Round(math.Exp(logp)*100) / 100
}

// latticeNoise is a standard normal value at lattice point j of octave k.
func latticeNoise(seed int64, k int, j int64) float64 {
	return newRand(seed, j, streamAnchor|uint64(k)<<16).NormFloat64()
}

// dayRange returns the high and low of day n's mid price path: around its
// open and close (anchor(n), anchor(n+1)) by a random daily range of about
// 0.5-2.5% of the price. It depends only on (seed, n), so the next day can
// use it as the prior-day high and low.
func dayRange(seed int64, n int32) (hi, lo float64) {
	open, cls := anchor(seed, n), anchor(seed, n+1)
	r := newRand(seed, int64(n), streamRange)
	width := math.Min(0.003+0.005*math.Abs(r.NormFloat64()), 0.03) * open
	width = math.Max(width, 0.30)
	up := 0.2 + 0.6*r.Float64()
	hi = math.Ceil((math.Max(open, cls)+up*width)*100) / 100
	lo = math.Floor((math.Min(open, cls)-(1-up)*width)*100) / 100
	return hi, lo
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// roundTo rounds x to the nearest multiple of tick.
func roundTo(x, tick float64) float64 {
	return math.Round(x/tick) * tick
}

// poisson draws a Poisson count with mean lambda: Knuth's product method
// for small means, a rounded normal above 30.
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		k := math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64())
		return int(math.Max(k, 0))
	}
	limit := math.Exp(-lambda)
	k, p := 0, r.Float64()
	for p > limit {
		k++
		p *= r.Float64()
	}
	return k
}
