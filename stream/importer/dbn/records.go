package dbn

import "encoding/binary"

// Record sizes in bytes, without the optional trailing ts_out.
const (
	HeaderLen = 16
	TradeLen  = 48
	MBP10Len  = 368
	levelLen  = 32
	tsOutLen  = 8
)

// Header is the 16-byte header every record starts with.
type Header struct {
	Length       uint8 // record length in 4-byte words
	RType        uint8
	PublisherID  uint16
	InstrumentID uint32
	TsEvent      uint64 // UTC ns the venue stamped the event
}

// Event is the 48-byte MBP body that trades and mbp-10 records share: the
// header and the event itself.
type Event struct {
	Header
	Price     int64 // fixed point, 1e-9; UndefPrice if unset
	Size      uint32
	Action    byte // trades: 'T'; mbp-10: 'A' add, 'C' cancel, 'M' modify, 'R' clear, 'T' trade, 'F' fill
	Side      byte // trades: aggressor 'B' buyer, 'A' seller; mbp-10: 'B' bid, 'A' ask; 'N' none
	Flags     uint8
	Depth     uint8  // book level the event applies to
	TsRecv    uint64 // UTC ns the capture server received it
	TsInDelta int32  // ns from the venue's send time to ts_recv
	Sequence  uint32 // venue message sequence number
}

// Trade is a trades-schema record (rtype MBP-0).
type Trade struct {
	Event
	TsOut uint64 // gateway send time when Metadata.TsOut, else 0
}

// BidAskPair is one level of the book.
type BidAskPair struct {
	BidPx int64 // fixed point, 1e-9; UndefPrice if empty
	AskPx int64
	BidSz uint32
	AskSz uint32
	BidCt uint32 // order count at the level
	AskCt uint32
}

// MBP10 is an mbp-10 record: one book event and the top ten levels after it.
type MBP10 struct {
	Event
	Levels [10]BidAskPair
	TsOut  uint64
}

func decodeHeader(b []byte, h *Header) {
	_ = b[15]
	h.Length = b[0]
	h.RType = b[1]
	h.PublisherID = binary.LittleEndian.Uint16(b[2:])
	h.InstrumentID = binary.LittleEndian.Uint32(b[4:])
	h.TsEvent = binary.LittleEndian.Uint64(b[8:])
}

// decodeEvent decodes the first TradeLen bytes of b.
func decodeEvent(b []byte, e *Event) {
	b = b[:TradeLen:TradeLen]
	decodeHeader(b, &e.Header)
	e.Price = int64(binary.LittleEndian.Uint64(b[16:]))
	e.Size = binary.LittleEndian.Uint32(b[24:])
	e.Action = b[28]
	e.Side = b[29]
	e.Flags = b[30]
	e.Depth = b[31]
	e.TsRecv = binary.LittleEndian.Uint64(b[32:])
	e.TsInDelta = int32(binary.LittleEndian.Uint32(b[40:]))
	e.Sequence = binary.LittleEndian.Uint32(b[44:])
}

// decodeTrade decodes b, which holds at least TradeLen bytes.
func decodeTrade(b []byte, t *Trade) { decodeEvent(b, &t.Event) }

// decodeMBP10 decodes b, which holds at least MBP10Len bytes.
func decodeMBP10(b []byte, m *MBP10) {
	b = b[:MBP10Len:MBP10Len]
	decodeEvent(b, &m.Event)
	for i := range m.Levels {
		l := b[TradeLen+i*levelLen : TradeLen+(i+1)*levelLen : TradeLen+(i+1)*levelLen]
		lv := &m.Levels[i]
		lv.BidPx = int64(binary.LittleEndian.Uint64(l[0:]))
		lv.AskPx = int64(binary.LittleEndian.Uint64(l[8:]))
		lv.BidSz = binary.LittleEndian.Uint32(l[16:])
		lv.AskSz = binary.LittleEndian.Uint32(l[20:])
		lv.BidCt = binary.LittleEndian.Uint32(l[24:])
		lv.AskCt = binary.LittleEndian.Uint32(l[28:])
	}
}
