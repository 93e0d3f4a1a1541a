package point

import (
	"testing"

	"github.com/spysql/spysql/engine/session"
)

// FuzzReadBlock: damaged blocks and dictionaries are errors, never a
// crash or a read out of bounds, whatever a lookup asks of them.
func FuzzReadBlock(f *testing.F) {
	elem := colType{kind: session.KindInteger}
	types := []colType{
		{kind: session.KindBigInt}, {kind: session.KindDouble}, {kind: session.KindVarchar},
		{kind: session.KindDecimal, width: 38, scale: 2}, {kind: session.KindBoolean}, {kind: session.KindList, elem: &elem},
	}
	z, err := newSizer()
	if err != nil {
		f.Fatal(err)
	}
	cols := make([][]cell, len(types))
	for i := range 700 {
		cols[0] = append(cols[0], cell{lo: uint64(i % 7)})
		cols[1] = append(cols[1], cell{lo: uint64(i * 977)})
		cols[2] = append(cols[2], cell{b: []byte{'a' + byte(i%3)}, null: i%11 == 0})
		cols[3] = append(cols[3], cell{lo: uint64(i), hi: 1})
		cols[4] = append(cols[4], cell{lo: uint64(i % 2)})
		cols[5] = append(cols[5], cell{elems: []cell{{lo: uint64(i)}, {null: true}}})
	}
	blocks, dict := encodeSegment(types, cols, 700, z)
	f.Add(blocks[0], dict)
	f.Add(blocks[1], dict)
	f.Fuzz(func(t *testing.T, blk, dict []byte) {
		v, err := readBlock(blk, types)
		if err != nil {
			return
		}
		v.dicts = func() ([]*section, error) {
			d, _, err := readDicts(dict, types)
			return d, err
		}
		for c, ct := range types {
			s, err := v.section(c)
			if err != nil {
				continue
			}
			for i := range v.rows {
				if s.null(i) {
					continue
				}
				switch {
				case ct.kind == session.KindList:
					if off, n, err := s.span(i); err == nil && off+n <= s.elems.n {
						for e := off; e < off+n; e++ {
							if !s.elems.null(e) {
								s.elems.value(e)
							}
						}
					}
				case ct.size() == 0:
					s.bytesAt(i)
				default:
					s.value(i)
				}
			}
		}
	})
}
