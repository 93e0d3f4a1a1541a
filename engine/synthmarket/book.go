package synthmarket

import "github.com/spysql/spysql/engine/store"

// esTick is the ES price increment; bookDepth the MBP-10 levels a side.
const (
	esTick    = 0.25
	bookDepth = 10
)

// book is an ES order book: ten contiguous price levels a side, esTick
// apart from the best bid and ask.
type book struct {
	bid, ask     float64 // best prices; bid < ask
	bidSz, askSz [bookDepth]int64
	bidCt, askCt [bookDepth]int32
}

// bidPx and askPx are the prices of level i.
func (b *book) bidPx(i int) float64 { return b.bid - esTick*float64(i) }
func (b *book) askPx(i int) float64 { return b.ask + esTick*float64(i) }

// spreadTicks is the bid-ask spread in ticks.
func (b *book) spreadTicks() int { return int((b.ask-b.bid)/esTick + 0.5) }

// snapshot copies the book into the level columns of r.
func (b *book) snapshot(r *store.MBP10) {
	r.BidPx00 = b.bidPx(0)
	r.BidPx01 = b.bidPx(1)
	r.BidPx02 = b.bidPx(2)
	r.BidPx03 = b.bidPx(3)
	r.BidPx04 = b.bidPx(4)
	r.BidPx05 = b.bidPx(5)
	r.BidPx06 = b.bidPx(6)
	r.BidPx07 = b.bidPx(7)
	r.BidPx08 = b.bidPx(8)
	r.BidPx09 = b.bidPx(9)
	r.BidSz00 = b.bidSz[0]
	r.BidSz01 = b.bidSz[1]
	r.BidSz02 = b.bidSz[2]
	r.BidSz03 = b.bidSz[3]
	r.BidSz04 = b.bidSz[4]
	r.BidSz05 = b.bidSz[5]
	r.BidSz06 = b.bidSz[6]
	r.BidSz07 = b.bidSz[7]
	r.BidSz08 = b.bidSz[8]
	r.BidSz09 = b.bidSz[9]
	r.BidCt00 = b.bidCt[0]
	r.BidCt01 = b.bidCt[1]
	r.BidCt02 = b.bidCt[2]
	r.BidCt03 = b.bidCt[3]
	r.BidCt04 = b.bidCt[4]
	r.BidCt05 = b.bidCt[5]
	r.BidCt06 = b.bidCt[6]
	r.BidCt07 = b.bidCt[7]
	r.BidCt08 = b.bidCt[8]
	r.BidCt09 = b.bidCt[9]
	r.AskPx00 = b.askPx(0)
	r.AskPx01 = b.askPx(1)
	r.AskPx02 = b.askPx(2)
	r.AskPx03 = b.askPx(3)
	r.AskPx04 = b.askPx(4)
	r.AskPx05 = b.askPx(5)
	r.AskPx06 = b.askPx(6)
	r.AskPx07 = b.askPx(7)
	r.AskPx08 = b.askPx(8)
	r.AskPx09 = b.askPx(9)
	r.AskSz00 = b.askSz[0]
	r.AskSz01 = b.askSz[1]
	r.AskSz02 = b.askSz[2]
	r.AskSz03 = b.askSz[3]
	r.AskSz04 = b.askSz[4]
	r.AskSz05 = b.askSz[5]
	r.AskSz06 = b.askSz[6]
	r.AskSz07 = b.askSz[7]
	r.AskSz08 = b.askSz[8]
	r.AskSz09 = b.askSz[9]
	r.AskCt00 = b.askCt[0]
	r.AskCt01 = b.askCt[1]
	r.AskCt02 = b.askCt[2]
	r.AskCt03 = b.askCt[3]
	r.AskCt04 = b.askCt[4]
	r.AskCt05 = b.askCt[5]
	r.AskCt06 = b.askCt[6]
	r.AskCt07 = b.askCt[7]
	r.AskCt08 = b.askCt[8]
	r.AskCt09 = b.askCt[9]
}
