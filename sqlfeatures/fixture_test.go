package sqlfeatures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

// fixtureDates are the trading week the tests build (Mon 2025-12-15 ..
// Fri 2025-12-19) plus the Friday before, the lookback of Monday, and the
// early close after Thanksgiving (2025-11-28, 13:00) with its lookback
// day (2025-11-26; the 27th is a holiday).
var fixtureDates = []string{"2025-11-26", "2025-11-28", "2025-12-12", "2025-12-15", "2025-12-16", "2025-12-17", "2025-12-18", "2025-12-19"}

// writeFixtureLake writes a small deterministic Bronze lake: for each
// date, ES book events every ~8 s and SPY trades every ~4 s from 04:00 to
// 20:00 New York time, through store.WriteBronze like every real writer.
func writeFixtureLake(t testing.TB, root string, dates []string) store.Lake {
	t.Helper()
	lake, err := store.OpenLake(root, true)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, ds := range dates {
		d, err := calendar.ParseDate(ds)
		if err != nil {
			t.Fatal(err)
		}
		s, ok, err := cal.Session(d)
		if err != nil || !ok {
			t.Fatalf("fixture date %s is not a trading day", ds)
		}
		r := rand.New(rand.NewPCG(uint64(d.Days()), 7))
		start, end := s.PMOpen.UnixNano(), s.PostClose.UnixNano()
		var book []store.MBP10
		var spy []store.StockTrade
		es, px := 6800.0+float64(d.Day), 680.0+float64(d.Day)/10
		var seq int64
		for ts := start; ts < end; ts += int64(2e9 + r.Int64N(12e9)) {
			es += math.Round(r.NormFloat64()*2) * 0.25
			seq++
			bid := es - 0.25*float64(1+r.IntN(2))
			book = append(book, store.MBP10{
				TsEventNS: ts, TsRecvNS: ts + 1000, Source: "synthetic", Instrument: "ESH6",
				Action: "A", Side: "B", Price: bid, Size: int64(1 + r.IntN(50)), Seq: seq,
				BidPx00: bid, AskPx00: es + 0.25, BidSz00: int64(10 + r.IntN(90)), AskSz00: int64(10 + r.IntN(90)),
				Symbol: "ES",
			})
		}
		for ts := start; ts < end; ts += int64(1e9 + r.Int64N(6e9)) {
			px += r.NormFloat64() * 0.02
			seq++
			spy = append(spy, store.StockTrade{
				TsEventNS: ts, TsRecvNS: ts + 2000, Source: "synthetic", Price: math.Round(px*100) / 100,
				Size: int64(1 + r.IntN(500)), Exchange: int32(1 + r.IntN(12)), TradeID: fmt.Sprint(seq), Seq: seq,
				Tape: 2, Symbol: "SPY",
			})
		}
		if _, err := store.WriteBronze(ctx, lake, book, "fixture-"+ds); err != nil {
			t.Fatal(err)
		}
		if _, err := store.WriteBronze(ctx, lake, spy, "fixture-"+ds); err != nil {
			t.Fatal(err)
		}
	}
	return lake
}

// fixtureLake is one lake per test binary, copied per test that writes
// Silver (Bronze is read-only for the builder).
var fixtureRoot string

func sharedFixture(t testing.TB) string {
	t.Helper()
	if fixtureRoot == "" {
		t.Fatal("TestMain did not create the fixture lake")
	}
	return fixtureRoot
}

// freshLake copies the shared fixture's Bronze into a new lake.
func freshLake(t testing.TB) store.Lake {
	t.Helper()
	return testkit.CopyLake(t, sharedFixture(t), "bronze")
}
