package ingest

import (
	"testing"

	"github.com/nats-io/nats.go"
)

// TestReplySeqs: replySeqs reads what jetstream's Metadata reads, or
// declines. The wanted values come from Metadata itself.
func TestReplySeqs(t *testing.T) {
	for _, tc := range []struct {
		reply string
		ok    bool
	}{
		{"$JS.ACK.MARKET.spysql.1.42.40.1765890000000000000.7", true},
		{"$JS.ACK.MARKET.spysql.3.18446744073709551.9.1765890000000000000.0", true},
		{"$JS.ACK._.ACCHASH.MARKET.spysql.2.1234.1200.1765890000000000000.5.random", true},
		{"$JS.ACK.hub.ACCHASH.MARKET.spysql.1.99.98.1765890000000000000.0", true},
		{"$JS.ACK.hub.ACCHASH.MARKET.spysql.1.99.98.1765890000000000000.0.a.b", true},
		{"$JS.ACK.MARKET.spysql.x.42.40.1765890000000000000.7", false},                   // Metadata reads 0
		{"$JS.ACK.MARKET.spysql.1.-42.40.1765890000000000000.7", false},                  // Metadata reads 0
		{"$JS.ACK.MARKET.spysql.1..40.1765890000000000000.7", false},                     // empty
		{"$JS.ACK.MARKET.spysql.1.99999999999999999999.40.1765890000000000000.7", false}, // overflows
		{"$JS.ACK.MARKET.spysql.1.42.40.1765890000000000000", false},                     // 8 tokens: Metadata fails
		{"$JS.ACK.a.MARKET.spysql.1.42.40.1765890000000000000.7", false},                 // 10 tokens: Metadata fails
		{"$JS.NAK.MARKET.spysql.1.42.40.1765890000000000000.7", false},
		{"_INBOX.abc", false},
	} {
		t.Run(tc.reply, func(t *testing.T) {
			seq, delivered, ok := replySeqs(tc.reply)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			msg := &nats.Msg{Subject: "market.x", Reply: tc.reply, Sub: &nats.Subscription{}}
			meta, err := msg.Metadata() // the parser jetstream.Msg uses too
			if err != nil {
				t.Fatalf("Metadata: %v, but replySeqs read it", err)
			}
			if seq != meta.Sequence.Stream || delivered != meta.NumDelivered {
				t.Fatalf("seq %d delivered %d, Metadata says %d and %d", seq, delivered, meta.Sequence.Stream, meta.NumDelivered)
			}
		})
	}
}
