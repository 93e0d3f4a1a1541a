package point

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"sync"

	"github.com/spysql/spysql/engine/session"
)

// Segment dictionaries. Blocks of 512 rows are too short for ZSTD to see
// what a column repeats over thousands of rows (a few hundred symbols, a
// price grid, a feature's few thousand levels), which Parquet's row-group
// dictionaries catch. So the index is cut in segments of segRows rows
// (segBlocks blocks, never spanning a row group), and on the first row of
// each segment the "dict" column holds, for each block column, the sorted
// distinct values of the column in the segment, or nothing: a column is
// dictionary-coded in a segment when that (the dictionary, and two-byte
// codes in each block) compresses smaller than its values do.
//
//	uvarint columns, uvarint length of each column's dictionary (0: none), dictionaries
//
// A dictionary is a section (block.go) of its values, without NULLs.

// segBlocks is the number of blocks in a segment.
const segBlocks = 64

// segRows is the number of rows in a segment.
const segRows = segBlocks * blockRows

// maxDictValues bounds a dictionary: codes are two bytes.
const maxDictValues = 1 << 16

// buildDict is the sorted distinct values of cells and each cell's code,
// or nil when t is not dictionary-coded or there are too many values to
// gain.
func buildDict(t colType, cells []cell) ([]cell, []uint16) {
	if t.kind == session.KindList || t.kind == session.KindBoolean || t.size() == 16 {
		return nil, nil
	}
	variable := t.size() == 0
	type fixedKey struct{ lo, hi uint64 }
	seenFixed := map[fixedKey]struct{}{}
	seenBytes := map[string]struct{}{}
	var vals []cell
	// Values must repeat (four rows a value on average): a dictionary
	// of nearly unique values saves little and costs a lookup its
	// decoding when the segment's dictionaries are not cached.
	limit := min(maxDictValues, len(cells)/4)
	for _, c := range cells {
		if c.null {
			continue
		}
		if variable {
			if _, ok := seenBytes[string(c.b)]; !ok {
				seenBytes[string(c.b)] = struct{}{}
				vals = append(vals, c)
			}
		} else if _, ok := seenFixed[fixedKey{c.lo, c.hi}]; !ok {
			seenFixed[fixedKey{c.lo, c.hi}] = struct{}{}
			vals = append(vals, cell{lo: c.lo, hi: c.hi})
		}
		if len(vals) > limit {
			return nil, nil
		}
	}
	if len(vals) == 0 {
		return nil, nil
	}
	slices.SortFunc(vals, func(a, b cell) int {
		if variable {
			return slices.Compare(a.b, b.b)
		}
		return cmp.Compare(signedValue(t, a.lo), signedValue(t, b.lo))
	})
	codes := make([]uint16, len(cells))
	fixedCode := make(map[uint64]uint16, len(vals))
	bytesCode := make(map[string]uint16, len(vals))
	for i, v := range vals {
		if variable {
			bytesCode[string(v.b)] = uint16(i)
		} else {
			fixedCode[v.lo] = uint16(i)
		}
	}
	for i, c := range cells {
		switch {
		case c.null:
		case variable:
			codes[i] = bytesCode[string(c.b)]
		default:
			codes[i] = fixedCode[c.lo]
		}
	}
	return vals, codes
}

// signedValue orders fixed-width values of up to 8 bytes as signed
// integers (IEEE floats of one sign sort alike).
func signedValue(t colType, lo uint64) int64 {
	if t.size() == 4 {
		return int64(int32(uint32(lo)))
	}
	return int64(lo)
}

// encodeDicts assembles a segment's dictionaries from each column's
// (nil: the column is not dictionary-coded).
func encodeDicts(secs [][]byte) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(secs)))
	for _, s := range secs {
		b = binary.AppendUvarint(b, uint64(len(s)))
	}
	for _, s := range secs {
		b = append(b, s...)
	}
	return b
}

// readDicts decodes a segment's dictionaries: nil for a column without.
func readDicts(b []byte, types []colType) ([]*section, int, error) {
	nc, k := binary.Uvarint(b)
	if k <= 0 || nc != uint64(len(types)) {
		return nil, 0, errBlock
	}
	b = b[k:]
	lens := make([]uint64, nc)
	for c := range lens {
		if lens[c], k = binary.Uvarint(b); k <= 0 {
			return nil, 0, errBlock
		}
		b = b[k:]
	}
	out := make([]*section, nc)
	size := 0
	for c, l := range lens {
		if uint64(len(b)) < l {
			return nil, 0, errBlock
		}
		raw := b[:l]
		b = b[l:]
		if l == 0 {
			continue
		}
		n, k := binary.Uvarint(raw)
		if k <= 0 || n == 0 || n > maxDictValues {
			return nil, 0, errBlock
		}
		s, rest, err := readSection(raw[k:], types[c], int(n))
		if err != nil || len(rest) != 0 || s.nulls != nil || s.codes || s.t.kind == session.KindList {
			return nil, 0, errBlock
		}
		if s.delta {
			// Decoded once: a lookup reads one value by its code.
			s.vals = make([]uint64, n)
			acc := s.base
			for i := range s.vals {
				if s.t.floating() {
					acc ^= s.raw(i)
				} else {
					acc += s.raw(i)
				}
				s.vals[i] = acc
				if s.w == 4 {
					s.vals[i] &= math.MaxUint32
				}
			}
			s.delta = false
			size += 8 * int(n)
		}
		if s.lens != nil {
			s.offs = make([]int, 0, n+1)
			off := 0
			for lens, i := s.lens, 0; i < int(n); i++ {
				v, k := binary.Uvarint(lens)
				lens = lens[k:]
				s.offs = append(s.offs, off)
				off += int(v)
			}
			s.offs = append(s.offs, off)
			size += 8 * len(s.offs)
		}
		size += len(raw)
		out[c] = &s
	}
	if len(b) != 0 {
		return nil, 0, errBlock
	}
	return out, size, nil
}

// maxDictCache bounds the decoded dictionaries a table keeps, in bytes.
const maxDictCache = 64 << 20

// dictCache holds a table's decoded segment dictionaries, by the
// segment's row group and first row, within maxDictCache bytes.
type dictCache struct {
	mu    sync.Mutex
	segs  map[[2]int64]dictEntry
	bytes int
}

type dictEntry struct {
	secs []*section
	size int
}

func (d *dictCache) get(rg int, first int64) ([]*section, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.segs[[2]int64{int64(rg), first}]
	return e.secs, ok
}

func (d *dictCache) put(rg int, first int64, secs []*section, size int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.segs == nil {
		d.segs = map[[2]int64]dictEntry{}
	}
	for k, e := range d.segs { // any others, until it fits
		if d.bytes+size <= maxDictCache {
			break
		}
		delete(d.segs, k)
		d.bytes -= e.size
	}
	if size > maxDictCache {
		return
	}
	d.segs[[2]int64{int64(rg), first}] = dictEntry{secs: secs, size: size}
	d.bytes += size
}

// encodeSegment encodes the blocks of a segment of rows rows (cols[c]:
// the cells of column c) and its dictionaries, coding each column by
// dictionary where that is smaller once compressed.
func encodeSegment(types []colType, cols [][]cell, rows int, z *sizer) (blocks [][]byte, dict []byte) {
	nb := (rows + blockRows - 1) / blockRows
	secs := make([][][]byte, nb) // [block][column]
	for i := range secs {
		secs[i] = make([][]byte, len(types))
	}
	dicts := make([][]byte, len(types))
	for c, t := range types {
		plainSize := 0
		var lay layout
		for i := range nb {
			cells := cols[c][i*blockRows : min(rows, (i+1)*blockRows)]
			secs[i][c] = appendSection(nil, t, cells, z, &lay)
			plainSize += z.size(secs[i][c])
		}
		vals, codes := buildDict(t, cols[c][:rows])
		if vals == nil {
			continue
		}
		d := binary.AppendUvarint(nil, uint64(len(vals)))
		d = appendSection(d, t, vals, z, nil)
		dictSize := z.size(d)
		coded := make([][]byte, nb)
		var codeLay layout
		for i := range nb {
			lo, hi := i*blockRows, min(rows, (i+1)*blockRows)
			coded[i] = appendCodes(nil, cols[c][lo:hi], codes[lo:hi], z, &codeLay)
			dictSize += z.size(coded[i])
		}
		if dictSize < plainSize {
			dicts[c] = d
			for i := range nb {
				secs[i][c] = coded[i]
			}
		}
	}
	blocks = make([][]byte, nb)
	for i := range nb {
		blocks[i] = encodeBlock(secs[i], min(blockRows, rows-i*blockRows))
	}
	return blocks, encodeDicts(dicts)
}
