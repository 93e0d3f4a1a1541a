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

// Trade is a trades-schema record (rtype MBP-0).
type Trade struct {
	Header
	Price     int64 // fixed point, 1e-9; UndefPrice if unset
	Size      uint32
	Action    byte // 'T' for a trade
	Side      byte // aggressor side: 'B' buyer, 'A' seller, 'N' unknown
	Flags     uint8
	Depth     uint8
	TsRecv    uint64 // UTC ns the capture server received it
	TsInDelta int32  // ns from the venue's send time to ts_recv
	Sequence  uint32 // venue message sequence number
	TsOut     uint64 // gateway send time when Metadata.TsOut, else 0
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
	Header
	Price     int64
	Size      uint32
	Action    byte // 'A' add, 'C' cancel, 'M' modify, 'R' clear, 'T' trade, 'F' fill
	Side      byte // 'B' bid, 'A' ask, 'N' none
	Flags     uint8
	Depth     uint8 // book level the event applies to
	TsRecv    uint64
	TsInDelta int32
	Sequence  uint32
	Levels    [10]BidAskPair
	TsOut     uint64
}

func decodeHeader(b []byte, h *Header) {
	_ = b[15]
	h.Length = b[0]
	h.RType = b[1]
	h.PublisherID = binary.LittleEndian.Uint16(b[2:])
	h.InstrumentID = binary.LittleEndian.Uint32(b[4:])
	h.TsEvent = binary.LittleEndian.Uint64(b[8:])
}

// decodeTrade decodes b, which holds at least TradeLen bytes.
func decodeTrade(b []byte, t *Trade) {
	b = b[:TradeLen:TradeLen]
	decodeHeader(b, &t.Header)
	t.Price = int64(binary.LittleEndian.Uint64(b[16:]))
	t.Size = binary.LittleEndian.Uint32(b[24:])
	t.Action = b[28]
	t.Side = b[29]
	t.Flags = b[30]
	t.Depth = b[31]
	t.TsRecv = binary.LittleEndian.Uint64(b[32:])
	t.TsInDelta = int32(binary.LittleEndian.Uint32(b[40:]))
	t.Sequence = binary.LittleEndian.Uint32(b[44:])
}

// decodeMBP10 decodes b, which holds at least MBP10Len bytes.
func decodeMBP10(b []byte, m *MBP10) {
	b = b[:MBP10Len:MBP10Len]
	decodeHeader(b, &m.Header)
	m.Price = int64(binary.LittleEndian.Uint64(b[16:]))
	m.Size = binary.LittleEndian.Uint32(b[24:])
	m.Action = b[28]
	m.Side = b[29]
	m.Flags = b[30]
	m.Depth = b[31]
	m.TsRecv = binary.LittleEndian.Uint64(b[32:])
	m.TsInDelta = int32(binary.LittleEndian.Uint32(b[40:]))
	m.Sequence = binary.LittleEndian.Uint32(b[44:])
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
