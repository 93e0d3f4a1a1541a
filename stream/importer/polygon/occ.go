package polygon

import (
	"fmt"
	"strings"
	"time"
)

// OCC is a parsed OCC option symbol such as SPY251219C00600000: root SPY,
// expiring 2025-12-19, a call, strike 600.000.
type OCC struct {
	Symbol      string    // the OCC symbol without the "O:" prefix
	Root        string    // 1 to 6 characters, not padded
	Expiration  time.Time // UTC midnight
	Right       byte      // 'C' or 'P'
	StrikeMilli int64     // strike in thousandths of a currency unit
}

// Strike is the strike price in currency units.
func (o OCC) Strike() float64 { return float64(o.StrikeMilli) / 1000 }

// ExpirationDays is the expiration as days since 1970-01-01.
func (o OCC) ExpirationDays() int32 { return int32(o.Expiration.Unix() / 86400) }

// occTail is YYMMDD, the right and the 8-digit strike.
const occTail = 6 + 1 + 8

// ParseOCC parses a Polygon option ticker ("O:SPY251219C00600000"; the "O:"
// prefix is optional). The root is whatever precedes the last 15
// characters: 1 to 6 upper-case letters or digits (adjusted roots such as
// AAPL1 keep their digit).
func ParseOCC(ticker string) (OCC, error) {
	s := strings.TrimPrefix(ticker, "O:")
	if len(s) < 1+occTail || len(s) > 6+occTail {
		return OCC{}, fmt.Errorf("option symbol %q: want 16 to 21 characters after the O: prefix", ticker)
	}
	root, tail := s[:len(s)-occTail], s[len(s)-occTail:]
	for i := 0; i < len(root); i++ {
		if c := root[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return OCC{}, fmt.Errorf("option symbol %q: bad root %q", ticker, root)
		}
	}
	var n [6]int
	for i := range 6 {
		c := tail[i]
		if c < '0' || c > '9' {
			return OCC{}, fmt.Errorf("option symbol %q: bad expiration %q", ticker, tail[:6])
		}
		n[i] = int(c - '0')
	}
	y, m, d := 2000+n[0]*10+n[1], n[2]*10+n[3], n[4]*10+n[5]
	exp := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || exp.Day() != d {
		return OCC{}, fmt.Errorf("option symbol %q: bad expiration %q", ticker, tail[:6])
	}
	right := tail[6]
	if right != 'C' && right != 'P' {
		return OCC{}, fmt.Errorf("option symbol %q: right %q is not C or P", ticker, right)
	}
	var strike int64
	for i := 7; i < occTail; i++ {
		c := tail[i]
		if c < '0' || c > '9' {
			return OCC{}, fmt.Errorf("option symbol %q: bad strike %q", ticker, tail[7:])
		}
		strike = strike*10 + int64(c-'0')
	}
	return OCC{Symbol: s, Root: root, Expiration: exp, Right: right, StrikeMilli: strike}, nil
}
