package natsmsg

import (
	"testing"

	"github.com/spysql/spysql/engine/store"
)

func benchPayloads(b *testing.B) (trade, mbp []byte) {
	b.Helper()
	trade, err := EncodeFuturesTrade(&store.FuturesTrade{TsEventNS: ts, TsRecvNS: ts + 15000, Source: "nats",
		Instrument: "ESH6", Price: 6850.25, Size: 3, Aggressor: -1, Exchange: "XCME", Seq: 12345})
	if err != nil {
		b.Fatal(err)
	}
	m := store.MBP10{TsEventNS: ts, TsRecvNS: ts + 15000, Source: "nats", Instrument: "ESH6", Action: "A", Side: "B",
		Depth: 3, Price: 6850, Size: 3, Seq: 12345, BidPx00: 6850, BidPx01: 6849.75, BidPx02: 6849.5, AskPx00: 6850.25,
		AskPx01: 6850.5, BidSz00: 12, BidSz01: 13, AskSz00: 11, BidCt00: 2, AskCt00: 3}
	mbp, err = EncodeMBP10(&m)
	if err != nil {
		b.Fatal(err)
	}
	return trade, mbp
}

// BenchmarkDecode: the per-message decode cost of the hot kinds.
func BenchmarkDecode(b *testing.B) {
	trade, mbp := benchPayloads(b)
	b.Run("trade", func(b *testing.B) {
		b.SetBytes(int64(len(trade)))
		for b.Loop() {
			if _, err := DecodeFuturesTrade("market.futures.trades.ES", "ES", trade); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mbp10", func(b *testing.B) {
		b.SetBytes(int64(len(mbp)))
		for b.Loop() {
			if _, err := DecodeMBP10("market.futures.mbp10.ES", "ES", mbp); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeLibrary: the same payloads through the JSON library
// alone, the baseline of BenchmarkDecode.
func BenchmarkDecodeLibrary(b *testing.B) {
	trade, mbp := benchPayloads(b)
	b.Run("trade", func(b *testing.B) {
		b.SetBytes(int64(len(trade)))
		for b.Loop() {
			var m FuturesTradeJSON
			if err := unmarshal("market.futures.trades.ES", trade, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mbp10", func(b *testing.B) {
		b.SetBytes(int64(len(mbp)))
		for b.Loop() {
			var m MBP10JSON
			if err := unmarshal("market.futures.mbp10.ES", mbp, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
