package ingest

import "strings"

// replySeqs reads a JetStream message's stream sequence and delivery count
// from its reply subject, as jetstream's Msg.Metadata does but without
// building all of its metadata (a tenth of the ingest's own work per
// MBP-10 message went there). ok is false for any subject it does not
// read exactly as Metadata would; the caller then asks Metadata.
//
// The subjects are "$JS.ACK.<stream>.<consumer>.<delivered>.<stream
// seq>.<consumer seq>.<time>.<pending>" and, from newer servers, the same
// with "<domain>.<account hash>." after "$JS.ACK." and possibly more
// tokens at the end.
func replySeqs(reply string) (seq, delivered uint64, ok bool) {
	rest, found := strings.CutPrefix(reply, "$JS.ACK.")
	if !found {
		return 0, 0, false
	}
	at := 0 // index of <delivered> after the prefix
	switch n := strings.Count(rest, ".") + 3; {
	case n == 9:
		at = 2
	case n >= 11:
		at = 4
	default:
		return 0, 0, false
	}
	for range at {
		_, rest, _ = strings.Cut(rest, ".")
	}
	d, rest, _ := strings.Cut(rest, ".")
	s, _, _ := strings.Cut(rest, ".")
	delivered, ok1 := plainUint(d)
	seq, ok2 := plainUint(s)
	return seq, delivered, ok1 && ok2
}

// plainUint parses 1 to 19 decimal digits.
func plainUint(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 19 {
		return 0, false
	}
	var n uint64
	for i := range len(s) {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	return n, true
}
