package point

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/parquet-go/parquet-go/compress/zstd"
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
func appendSection(b []byte, t colType, cells []cell) []byte {
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
		return appendSection(b, *t.elem, elems)
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
	w := t.size()
	var base cell
	for _, c := range cells {
		if !c.null {
			base = c
			break
		}
	}
	if w == 16 || w == 1 {
		base = cell{} // stored as they are
	}
	// Values in order (repeated values stay whole, which ZSTD finds) or
	// in byte planes (the zero high bytes of small offsets together),
	// whichever compresses better.
	vals := make([]byte, n*w)
	for i, c := range cells {
		lo, hi := c.lo, c.hi
		switch {
		case c.null:
			lo, hi = 0, 0
		case t.floating():
			lo ^= base.lo
		default:
			lo -= base.lo
		}
		for p := 0; p < w; p++ {
			v := lo
			if p >= 8 {
				v = hi
			}
			vals[i*w+p] = byte(v >> (8 * (p % 8)))
		}
	}
	planes := make([]byte, n*w)
	for i := range n {
		for p := range w {
			planes[p*n+i] = vals[i*w+p]
		}
	}
	if w > 1 && compressedSize(planes) < compressedSize(vals) {
		b[flagsAt] |= flagPlanes
		vals = planes
	}
	b = binary.LittleEndian.AppendUint64(b, base.lo)
	return append(b, vals...)
}

// Section flags.
const (
	flagNulls  = 1 // a null bitmap follows
	flagPlanes = 2 // fixed-width values in byte planes
)

// compressedSize is the size of b compressed by ZSTD's fastest level,
// to choose between layouts.
func compressedSize(b []byte) int {
	codec := zstd.Codec{Level: zstd.SpeedFastest}
	out, err := codec.Encode(nil, b)
	if err != nil {
		return len(b)
	}
	return len(out)
}

// section is a decoded view of one encoded section.
type section struct {
	t      colType
	n      int
	nulls  []byte // nil: no NULLs
	planes bool   // fixed-width values in byte planes
	base   uint64
	data   []byte // fixed: n*size bytes in planes; variable: the bytes
	lens   []byte // variable and lists: uvarint lengths
	elems  *section
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
	if flags&flagNulls != 0 {
		nb := (n + 7) / 8
		if len(b) < nb {
			return s, nil, errBlock
		}
		s.nulls, b = b[:nb], b[nb:]
	}
	if t.kind == session.KindList || t.size() == 0 {
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
			s.elems = &e
			return s, rest, nil
		}
		if uint64(len(b)) < total {
			return s, nil, errBlock
		}
		s.data = b[:total]
		return s, b[total:], nil
	}
	w := t.size()
	if len(b) < 8+n*w {
		return s, nil, errBlock
	}
	s.base = binary.LittleEndian.Uint64(b)
	s.data = b[8 : 8+n*w]
	return s, b[8+n*w:], nil
}

func (s *section) null(i int) bool {
	return s.nulls != nil && s.nulls[i/8]&(1<<(i%8)) != 0
}

// fixed is fixed-width value i.
func (s *section) fixed(i int) (lo, hi uint64) {
	w := s.t.size()
	at, stride := i*w, 1
	if s.planes {
		at, stride = i, s.n
	}
	for p := 0; p < w && p < 8; p++ {
		lo |= uint64(s.data[at+p*stride]) << (8 * p)
	}
	for p := 8; p < w; p++ {
		hi |= uint64(s.data[at+p*stride]) << (8 * (p - 8))
	}
	switch {
	case w == 16 || w == 1:
	case s.t.floating():
		lo ^= s.base
	default:
		lo += s.base
	}
	if w == 4 {
		lo &= math.MaxUint32
	}
	return lo, hi
}

// span is the offset and length of entry i in the bytes (variable
// width) or the elements (lists).
func (s *section) span(i int) (off, n int, err error) {
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
	off, n, err := s.span(i)
	if err != nil || off+n > len(s.data) {
		return nil, errBlock
	}
	return s.data[off : off+n], nil
}

// encodeBlock encodes the columns of a block; cols[c] holds the block's
// cells of column c.
func encodeBlock(types []colType, cols [][]cell, rows int) []byte {
	secs := make([][]byte, len(types))
	var b []byte
	b = binary.AppendUvarint(b, uint64(rows))
	b = binary.AppendUvarint(b, uint64(len(types)))
	for c, t := range types {
		secs[c] = appendSection(nil, t, cols[c])
		b = binary.AppendUvarint(b, uint64(len(secs[c])))
	}
	for _, s := range secs {
		b = append(b, s...)
	}
	return b
}

// blockView is a decoded block header: each column's section, read
// when first asked for.
type blockView struct {
	rows  int
	types []colType
	raw   [][]byte
	secs  []*section
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
		v.secs[c] = &s
	}
	return v.secs[c], nil
}
