package dbn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Metadata layout constants.
const (
	preludeLen        = 8  // "DBN", version, u32 metadata length
	datasetCstrLen    = 16 // dataset name, NUL-padded
	v1SymbolCstrLen   = 22 // fixed symbol length of version 1
	v1ReservedLen     = 47
	v2ReservedLen     = 53
	metadataFixedLen  = 100 // the shortest metadata any version can have
	maxSymbolCstrLen  = 1 << 10
	maxMetadataLength = 1 << 30
	metadataChunk     = 64 << 10
)

// ErrFormat is wrapped by every error about malformed DBN input.
var ErrFormat = errors.New("invalid DBN data")

// Metadata is the header of a DBN stream.
type Metadata struct {
	Version  uint8
	Dataset  string // e.g. "GLBX.MDP3"
	Schema   Schema
	Start    uint64 // first requested time, UTC ns
	End      uint64 // end of the requested range, UTC ns; UndefTimestamp if open
	Limit    uint64 // record limit of the request, 0 for none
	STypeIn  SType
	STypeOut SType
	// TsOut is set when every record carries the gateway send time (ts_out)
	// in its last 8 bytes.
	TsOut         bool
	SymbolCstrLen int
	Symbols       []string
	Partial       []string
	NotFound      []string
	Mappings      []SymbolMapping
}

// SymbolMapping maps one requested symbol to output symbols over dates.
type SymbolMapping struct {
	RawSymbol string
	Intervals []MappingInterval
}

// MappingInterval is one [StartDate, EndDate) range of a mapping: on those
// UTC dates the input symbol resolves to Symbol.
type MappingInterval struct {
	StartDate time.Time // UTC midnight
	EndDate   time.Time // UTC midnight, exclusive
	Symbol    string
}

// Venue is the venue part of the dataset, e.g. "GLBX" for "GLBX.MDP3".
func (m *Metadata) Venue() string {
	if i := strings.IndexByte(m.Dataset, '.'); i > 0 {
		return m.Dataset[:i]
	}
	return m.Dataset
}

// readMetadata reads the prelude and the metadata from r. The metadata buffer
// grows with the bytes actually read, never to the stated length at once.
func readMetadata(r io.Reader) (*Metadata, error) {
	var pre [preludeLen]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("read DBN prelude: %w", eofIsFormat(err))
	}
	if string(pre[:3]) != "DBN" {
		return nil, fmt.Errorf("%w: no DBN prefix (got %q)", ErrFormat, pre[:3])
	}
	version := pre[3]
	if version == 0 || version > MaxVersion {
		return nil, fmt.Errorf("%w: unsupported DBN version %d (supported 1 to %d)", ErrFormat, version, MaxVersion)
	}
	length := binary.LittleEndian.Uint32(pre[4:])
	if length < metadataFixedLen || length > maxMetadataLength {
		return nil, fmt.Errorf("%w: metadata length %d out of range", ErrFormat, length)
	}
	buf, err := readUpTo(r, int(length))
	if err != nil {
		return nil, fmt.Errorf("read DBN metadata (%d bytes): %w", length, eofIsFormat(err))
	}
	m, err := parseMetadata(version, buf)
	if err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrFormat, err)
	}
	return m, nil
}

// readUpTo reads exactly n bytes, growing its buffer as data arrives.
func readUpTo(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, metadataChunk))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, 2*cap(buf)))
			copy(grown, buf)
			buf = grown
		}
		m, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func eofIsFormat(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: truncated", ErrFormat)
	}
	return err
}

// cursor reads little-endian fields from a byte slice, remembering the first
// out-of-bounds read instead of panicking.
type cursor struct {
	b   []byte
	off int
	err error
}

func (c *cursor) take(n int) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || n > len(c.b)-c.off {
		c.err = fmt.Errorf("truncated at byte %d (need %d more)", c.off, n)
		return nil
	}
	s := c.b[c.off : c.off+n]
	c.off += n
	return s
}

func (c *cursor) u8() uint8 {
	if s := c.take(1); s != nil {
		return s[0]
	}
	return 0
}

func (c *cursor) u16() uint16 {
	if s := c.take(2); s != nil {
		return binary.LittleEndian.Uint16(s)
	}
	return 0
}

func (c *cursor) u32() uint32 {
	if s := c.take(4); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

func (c *cursor) u64() uint64 {
	if s := c.take(8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (c *cursor) remaining() int { return len(c.b) - c.off }

// cstr reads a NUL-padded string of n bytes.
func (c *cursor) cstr(n int) string {
	s := c.take(n)
	if s == nil {
		return ""
	}
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if !utf8.Valid(s) {
		c.err = fmt.Errorf("invalid UTF-8 in string at byte %d", c.off-n)
		return ""
	}
	return string(s)
}

func parseMetadata(version uint8, b []byte) (*Metadata, error) {
	c := &cursor{b: b}
	m := &Metadata{Version: version}
	m.Dataset = c.cstr(datasetCstrLen)
	m.Schema = Schema(c.u16())
	m.Start = c.u64()
	m.End = c.u64()
	m.Limit = c.u64()
	if version == 1 {
		c.u64() // deprecated record count
	}
	m.STypeIn = SType(c.u8())
	m.STypeOut = SType(c.u8())
	m.TsOut = c.u8() != 0
	if version == 1 {
		m.SymbolCstrLen = v1SymbolCstrLen
		c.take(v1ReservedLen)
	} else {
		m.SymbolCstrLen = int(c.u16())
		c.take(v2ReservedLen)
	}
	if c.err != nil {
		return nil, c.err
	}
	if m.SymbolCstrLen == 0 || m.SymbolCstrLen > maxSymbolCstrLen {
		return nil, fmt.Errorf("symbol length %d out of range", m.SymbolCstrLen)
	}
	if n := c.u32(); n != 0 {
		return nil, fmt.Errorf("schema definitions (%d bytes) are not supported", n)
	}
	var err error
	if m.Symbols, err = readSymbols(c, m.SymbolCstrLen, "symbols"); err != nil {
		return nil, err
	}
	if m.Partial, err = readSymbols(c, m.SymbolCstrLen, "partial"); err != nil {
		return nil, err
	}
	if m.NotFound, err = readSymbols(c, m.SymbolCstrLen, "not_found"); err != nil {
		return nil, err
	}
	if m.Mappings, err = readMappings(c, m.SymbolCstrLen); err != nil {
		return nil, err
	}
	// Anything after the mappings is padding.
	return m, nil
}

// readSymbols reads a u32 count and that many symbols, checking that they fit
// before allocating.
func readSymbols(c *cursor, cstrLen int, what string) ([]string, error) {
	n := int(c.u32())
	if c.err != nil {
		return nil, fmt.Errorf("%s: %w", what, c.err)
	}
	if n > c.remaining()/cstrLen {
		return nil, fmt.Errorf("%s: count %d does not fit in %d bytes", what, n, c.remaining())
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, c.cstr(cstrLen))
	}
	if c.err != nil {
		return nil, fmt.Errorf("%s: %w", what, c.err)
	}
	return out, nil
}

func readMappings(c *cursor, cstrLen int) ([]SymbolMapping, error) {
	n := int(c.u32())
	if c.err != nil {
		return nil, fmt.Errorf("mappings: %w", c.err)
	}
	if n > c.remaining()/(cstrLen+4) {
		return nil, fmt.Errorf("mappings: count %d does not fit in %d bytes", n, c.remaining())
	}
	out := make([]SymbolMapping, 0, n)
	for i := range n {
		sm := SymbolMapping{RawSymbol: c.cstr(cstrLen)}
		k := int(c.u32())
		if c.err != nil {
			return nil, fmt.Errorf("mapping %d: %w", i, c.err)
		}
		if k > c.remaining()/(cstrLen+8) {
			return nil, fmt.Errorf("mapping %d: interval count %d does not fit in %d bytes", i, k, c.remaining())
		}
		sm.Intervals = make([]MappingInterval, 0, k)
		for j := range k {
			start, err := isoDate(c.u32())
			if err != nil {
				return nil, fmt.Errorf("mapping %d interval %d start: %w", i, j, err)
			}
			end, err := isoDate(c.u32())
			if err != nil {
				return nil, fmt.Errorf("mapping %d interval %d end: %w", i, j, err)
			}
			sm.Intervals = append(sm.Intervals, MappingInterval{StartDate: start, EndDate: end, Symbol: c.cstr(cstrLen)})
		}
		if c.err != nil {
			return nil, fmt.Errorf("mapping %d: %w", i, c.err)
		}
		out = append(out, sm)
	}
	return out, nil
}

// isoDate decodes a date stored as the integer YYYYMMDD.
func isoDate(raw uint32) (time.Time, error) {
	y, mo, d := int(raw/10000), int(raw/100%100), int(raw%100)
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if mo < 1 || mo > 12 || d < 1 || t.Day() != d {
		return time.Time{}, fmt.Errorf("bad date %d", raw)
	}
	return t, nil
}
