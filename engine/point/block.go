package point

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/klauspost/compress/zstd"
	"github.com/spysql/spysql/engine/session"
)

// A block holds up to blockRows consecutive rows of an index, stored
// column by column so that ZSTD (the Parquet page's codec) finds what a
// column repeats, and so that one value is read without decoding the
// others:
//
//	uvarint rows, uvarint columns, uvarint length of each column's section, sections
//
// A section: a flags byte (flagNulls: a null bitmap of rows bits
// follows), then for fixed-width values the block's first non-null value
// and the rows' values as offsets from it (integers: difference, floats:
// XOR of the bits), in row order or (flagPlanes) in byte planes (byte p
// of every value, then byte p+1); for VARCHAR and
// BLOB a uvarint byte count of the lengths, the lengths as uvarints, then
// the bytes; for a list, the list section (nulls and a uvarint length
// per row, as VARCHAR) followed by its elements' section.

// blockRows is the number of rows in a block; an index's row groups are
// a multiple of it, so that a block never spans two.
const blockRows = 512

// cell is one value of a column being encoded.
type cell struct {
	null   bool
	lo, hi uint64 // fixed width: the value (hi: upper half of 16 bytes)
	b      []byte // VARCHAR, BLOB
	elems  []cell // list
}

// appendSection encodes cells of type t.
func appendSection(b []byte, t colType, cells []cell, z *sizer, lay *layout) []byte {
	n := len(cells)
	hasNull := false
	for _, c := range cells {
		hasNull = hasNull || c.null
	}
	flagsAt := len(b)
	if hasNull {
		b = append(b, flagNulls)
		bits := make([]byte, (n+7)/8)
		for i, c := range cells {
			if c.null {
				bits[i/8] |= 1 << (i % 8)
			}
		}
		b = append(b, bits...)
	} else {
		b = append(b, 0)
	}
	switch {
	case t.kind == session.KindList:
		var lens []byte
		var elems []cell
		for _, c := range cells {
			lens = binary.AppendUvarint(lens, uint64(len(c.elems)))
			elems = append(elems, c.elems...)
		}
		b = binary.AppendUvarint(b, uint64(len(lens)))
		b = append(b, lens...)
		return appendSection(b, *t.elem, elems, z, nil)
	case t.size() == 0:
		var lens []byte
		for _, c := range cells {
			lens = binary.AppendUvarint(lens, uint64(len(c.b)))
		}
		b = binary.AppendUvarint(b, uint64(len(lens)))
		b = append(b, lens...)
		for _, c := range cells {
			b = append(b, c.b...)
		}
		return b
	}
	return appendFixed(b, flagsAt, t.size(), t.floating(), cells, z, lay)
}

// appendCodes encodes cells as codes into the segment's dictionary of
// their column (flagDict): two bytes each, laid out as integers.
func appendCodes(b []byte, cells []cell, codes []uint16, z *sizer, lay *layout) []byte {
	hasNull := false
	for _, c := range cells {
		hasNull = hasNull || c.null
	}
	flagsAt := len(b)
	b = append(b, flagDict)
	if hasNull {
		b[flagsAt] |= flagNulls
		bits := make([]byte, (len(cells)+7)/8)
		for i, c := range cells {
			if c.null {
				bits[i/8] |= 1 << (i % 8)
			}
		}
		b = append(b, bits...)
	}
	cc := make([]cell, len(cells))
	for i, c := range cells {
		cc[i] = cell{null: c.null, lo: uint64(codes[i])}
	}
	return appendFixed(b, flagsAt, 2, false, cc, z, lay)
}

// layout is a choice of fixed-width layout (flagDelta, flagPlanes),
// made on a column's first block of a segment and kept for the others.
type layout struct {
	chosen bool
	flags  byte
}

// appendFixed appends the base and the values of w bytes each, as
// offsets from the base or (flagDelta) from the previous value, in row
// order or (flagPlanes) in byte planes: the layout lay holds, or
// whichever ZSTD compresses best (then kept in lay). 16-byte and 1-byte
// values are stored as they are.
func appendFixed(b []byte, flagsAt, w int, floating bool, cells []cell, z *sizer, lay *layout) []byte {
	n := len(cells)
	var base cell
	for _, c := range cells {
		if !c.null {
			base = c
			break
		}
	}
	plain := w == 16 || w == 1
	if plain {
		base = cell{}
	}
	encode := func(delta, planes bool) []byte {
		vals := make([]byte, n*w)
		prev := base.lo
		for i, c := range cells {
			lo, hi := c.lo, c.hi
			ref := base.lo
			if delta {
				ref = prev
			}
			switch {
			case c.null:
				lo, hi = 0, 0
			case plain:
			case floating:
				prev, lo = lo, lo^ref
			default:
				prev, lo = lo, lo-ref
			}
			for p := 0; p < w; p++ {
				v := lo
				if p >= 8 {
					v = hi
				}
				at := i*w + p
				if planes {
					at = p*n + i
				}
				vals[at] = byte(v >> (8 * (p % 8)))
			}
		}
		return vals
	}
	if lay != nil && lay.chosen {
		b[flagsAt] |= lay.flags
		b = binary.LittleEndian.AppendUint64(b, base.lo)
		return append(b, encode(lay.flags&flagDelta != 0, lay.flags&flagPlanes != 0)...)
	}
	best, bestFlags := encode(false, false), byte(0)
	if w > 1 {
		bestSize := z.size(best)
		for _, f := range []byte{flagPlanes, flagDelta, flagDelta | flagPlanes} {
			if f&flagDelta != 0 && plain {
				continue
			}
			v := encode(f&flagDelta != 0, f&flagPlanes != 0)
			if sz := z.size(v); sz < bestSize {
				best, bestFlags, bestSize = v, f, sz
			}
		}
	}
	if lay != nil {
		lay.chosen, lay.flags = true, bestFlags
	}
	b[flagsAt] |= bestFlags
	b = binary.LittleEndian.AppendUint64(b, base.lo)
	return append(b, best...)
}

// Section flags.
const (
	flagNulls  = 1 // a null bitmap follows
	flagPlanes = 2 // fixed-width values in byte planes
	flagDelta  = 4 // fixed-width values as offsets from the previous one
	flagDict   = 8 // codes into the column's segment dictionary (dict.go)
)

// sizer measures what ZSTD's fastest level makes of some bytes, to
// choose between layouts. One per index build (not safe for concurrent
// use).
type sizer struct {
	enc *zstd.Encoder
	buf []byte
}

func newSizer() (*sizer, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	return &sizer{enc: enc}, nil
}

// size is the compressed size of b.
func (z *sizer) size(b []byte) int {
	z.buf = z.enc.EncodeAll(b, z.buf[:0])
	return len(z.buf)
}

// section is a decoded view of one encoded section.
type section struct {
	t      colType
	n      int
	nulls  []byte // nil: no NULLs
	w      int    // fixed: bytes of a value (2 for dictionary codes)
	planes bool   // fixed-width values in byte planes
	base   uint64
	data   []byte   // fixed: n*w bytes; variable: the bytes
	delta  bool     // fixed: offsets from the previous value (flagDelta)
	vals   []uint64 // fixed, dictionaries: the values decoded once
	lens   []byte   // variable and lists: uvarint lengths
	offs   []int    // variable, dictionaries: n+1 offsets into data
	elems  *section
	// codes: the values are codes into the segment dictionary of the
	// column (dict.go), which dict is once attached.
	codes bool
	dict  *section
}

var errBlock = errors.New("damaged block in the point index")

// readSection reads a section of n values of type t from b and returns
// what follows it.
func readSection(b []byte, t colType, n int) (section, []byte, error) {
	s := section{t: t, n: n}
	if len(b) < 1 {
		return s, nil, errBlock
	}
	flags := b[0]
	b = b[1:]
	s.planes = flags&flagPlanes != 0
	s.codes = flags&flagDict != 0
	if flags&flagNulls != 0 {
		nb := (n + 7) / 8
		if len(b) < nb {
			return s, nil, errBlock
		}
		s.nulls, b = b[:nb], b[nb:]
	}
	if !s.codes && (t.kind == session.KindList || t.size() == 0) {
		l, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < l {
			return s, nil, errBlock
		}
		s.lens, b = b[k:k+int(l)], b[k+int(l):]
		total := uint64(0)
		for lens, i := s.lens, 0; i < n; i++ {
			v, k := binary.Uvarint(lens)
			if k <= 0 {
				return s, nil, errBlock
			}
			lens = lens[k:]
			total += v
			if total > 1<<31 {
				return s, nil, errBlock
			}
		}
		if t.kind == session.KindList {
			e, rest, err := readSection(b, *t.elem, int(total))
			if err != nil {
				return s, nil, err
			}
			if e.codes {
				return s, nil, errBlock // elements have no dictionary
			}
			s.elems = &e
			return s, rest, nil
		}
		if uint64(len(b)) < total {
			return s, nil, errBlock
		}
		s.data = b[:total]
		return s, b[total:], nil
	}
	s.w = t.size()
	if s.codes {
		s.w = 2
		if t.kind == session.KindList || t.kind == session.KindBoolean || t.size() == 16 {
			return s, nil, errBlock
		}
	}
	if len(b) < 8+n*s.w {
		return s, nil, errBlock
	}
	s.base = binary.LittleEndian.Uint64(b)
	s.data = b[8 : 8+n*s.w]
	if flags&flagDelta != 0 {
		if s.w == 1 || s.w == 16 {
			return s, nil, errBlock
		}
		s.delta = true
	}
	return s, b[8+n*s.w:], nil
}

func (s *section) null(i int) bool {
	return s.nulls != nil && s.nulls[i/8]&(1<<(i%8)) != 0
}

// raw is the stored bytes of fixed-width value i, up to 8.
func (s *section) raw(i int) (lo uint64) {
	if !s.planes {
		at := i * s.w
		switch s.w {
		case 2:
			return uint64(binary.LittleEndian.Uint16(s.data[at:]))
		case 4:
			return uint64(binary.LittleEndian.Uint32(s.data[at:]))
		case 8, 16:
			return binary.LittleEndian.Uint64(s.data[at:])
		}
		return uint64(s.data[at])
	}
	for p := 0; p < s.w && p < 8; p++ {
		lo |= uint64(s.data[i+p*s.n]) << (8 * p)
	}
	return lo
}

// fixed is fixed-width value i.
func (s *section) fixed(i int) (lo, hi uint64) {
	if s.codes {
		return s.dict.fixed(s.code(i))
	}
	w := s.w
	switch {
	case s.vals != nil:
		lo = s.vals[i]
	case s.delta:
		lo = s.prefix(i)
	case w == 16 || w == 1:
		lo = s.raw(i)
		at, stride := i*w, 1
		if s.planes {
			at, stride = i, s.n
		}
		for p := 8; p < w; p++ {
			hi |= uint64(s.data[at+p*stride]) << (8 * (p - 8))
		}
	case s.t.floating():
		lo = s.raw(i) ^ s.base
	default:
		lo = s.raw(i) + s.base
	}
	if w == 4 {
		lo &= math.MaxUint32
	}
	return lo, hi
}

// prefix is value i of a delta-coded section: the base and the offsets
// of values 0..i, summed (integers, codes) or XORed (floats). In byte
// planes, plane by plane: a sum (mod 2^64) or XOR of values is the sum or
// XOR of each plane's bytes, shifted.
func (s *section) prefix(i int) uint64 {
	xor := s.t.floating() && !s.codes
	acc := s.base
	if s.planes {
		for p := 0; p < s.w && p < 8; p++ {
			plane := s.data[p*s.n : p*s.n+i+1]
			var v uint64
			if xor {
				var x byte
				for _, c := range plane {
					x ^= c
				}
				acc ^= uint64(x) << (8 * p)
				continue
			}
			for _, c := range plane {
				v += uint64(c)
			}
			acc += v << (8 * p)
		}
		return acc
	}
	for j := 0; j <= i; j++ {
		if xor {
			acc ^= s.raw(j)
		} else {
			acc += s.raw(j)
		}
	}
	return acc
}

// code is the dictionary code of value i of a dictionary-coded section.
func (s *section) code(i int) int {
	if s.delta {
		return int(uint16(s.prefix(i)))
	}
	return int(uint16(s.raw(i) + s.base))
}

// attach gives a dictionary-coded section its dictionary; value checks
// each code read against it.
func (s *section) attach(d *section) error {
	if d == nil || d.t.String() != s.t.String() {
		return errBlock
	}
	s.dict = d
	return nil
}

// value is fixed-width value i, or errBlock for a code outside the
// dictionary.
func (s *section) value(i int) (lo, hi uint64, err error) {
	if s.codes && s.code(i) >= s.dict.n {
		return 0, 0, errBlock
	}
	lo, hi = s.fixed(i)
	return lo, hi, nil
}

// span is the offset and length of entry i in the bytes (variable
// width) or the elements (lists).
func (s *section) span(i int) (off, n int, err error) {
	if s.offs != nil {
		return s.offs[i], s.offs[i+1] - s.offs[i], nil
	}
	lens := s.lens
	for j := 0; j <= i; j++ {
		v, k := binary.Uvarint(lens)
		if k <= 0 {
			return 0, 0, errBlock
		}
		lens = lens[k:]
		if j == i {
			n = int(v)
		} else {
			off += int(v)
		}
	}
	return off, n, nil
}

// bytesAt is variable-width value i.
func (s *section) bytesAt(i int) ([]byte, error) {
	if s.codes {
		if c := s.code(i); c < s.dict.n {
			return s.dict.bytesAt(c)
		}
		return nil, errBlock
	}
	off, n, err := s.span(i)
	if err != nil || off+n > len(s.data) {
		return nil, errBlock
	}
	return s.data[off : off+n], nil
}

// encodeBlock assembles a block of rows rows from its columns' sections.
func encodeBlock(secs [][]byte, rows int) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(rows))
	b = binary.AppendUvarint(b, uint64(len(secs)))
	for _, s := range secs {
		b = binary.AppendUvarint(b, uint64(len(s)))
	}
	for _, s := range secs {
		b = append(b, s...)
	}
	return b
}

// blockView is a decoded block header: each column's section, read
// when first asked for; dicts reads the segment's dictionaries.
type blockView struct {
	rows  int
	types []colType
	raw   [][]byte
	secs  []*section
	dicts func() ([]*section, error)
}

func readBlock(b []byte, types []colType) (*blockView, error) {
	rows, k := binary.Uvarint(b)
	if k <= 0 || rows > blockRows {
		return nil, errBlock
	}
	b = b[k:]
	nc, k := binary.Uvarint(b)
	if k <= 0 || nc != uint64(len(types)) {
		return nil, errBlock
	}
	b = b[k:]
	v := &blockView{rows: int(rows), types: types, raw: make([][]byte, nc), secs: make([]*section, nc)}
	lens := make([]uint64, nc)
	for c := range lens {
		lens[c], k = binary.Uvarint(b)
		if k <= 0 {
			return nil, errBlock
		}
		b = b[k:]
	}
	for c, l := range lens {
		if uint64(len(b)) < l {
			return nil, errBlock
		}
		v.raw[c], b = b[:l], b[l:]
	}
	if len(b) != 0 {
		return nil, errBlock
	}
	return v, nil
}

// section is column c's section.
func (v *blockView) section(c int) (*section, error) {
	if v.secs[c] == nil {
		s, rest, err := readSection(v.raw[c], v.types[c], v.rows)
		if err != nil {
			return nil, err
		}
		if len(rest) != 0 {
			return nil, errBlock
		}
		if s.codes {
			if v.dicts == nil {
				return nil, errBlock
			}
			d, err := v.dicts()
			if err != nil {
				return nil, err
			}
			if err := s.attach(d[c]); err != nil {
				return nil, err
			}
		}
		v.secs[c] = &s
	}
	return v.secs[c], nil
}
