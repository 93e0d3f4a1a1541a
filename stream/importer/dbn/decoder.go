package dbn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

const (
	recordBufSize = 256 << 10
	// maxZstdWindow bounds the history a zstd frame header can demand (the
	// decompressor allocates it up front). Databento writes level-3 frames
	// with windows of a few MiB; 32 MiB also covers level 19.
	maxZstdWindow = 32 << 20
	// maxEmptyReads is how many (0, nil) reads in a row count as no progress.
	maxEmptyReads = 100
)

// Decoder reads the metadata and the records of one DBN stream.
type Decoder struct {
	src    io.Reader
	zr     *zstd.Decoder
	meta   *Metadata
	buf    []byte
	pos    int // start of unread data in buf
	end    int // end of valid data in buf
	srcErr error
	err    error
	rec    []byte // the current record
	count  int64  // records returned by Next
}

// IsZstd reports whether b starts with a Zstandard frame or skippable frame.
func IsZstd(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	m := binary.LittleEndian.Uint32(b)
	return m == 0xFD2FB528 || m&0xFFFFFFF0 == 0x184D2A50
}

// NewDecoder reads the metadata from r, decompressing Zstandard input when
// its magic number says so. Call Close to release the decompressor.
func NewDecoder(r io.Reader) (*Decoder, error) {
	head := make([]byte, 4)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("read DBN header: %w", eofIsFormat(err))
	}
	d := &Decoder{src: io.MultiReader(bytes.NewReader(head[:n]), r)}
	if IsZstd(head[:n]) {
		zr, err := zstd.NewReader(d.src, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return nil, fmt.Errorf("open zstd stream: %w", err)
		}
		d.zr = zr
		d.src = zr
	}
	meta, err := readMetadata(d.src)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.meta = meta
	d.buf = make([]byte, recordBufSize)
	return d, nil
}

// Metadata is the stream's metadata.
func (d *Decoder) Metadata() *Metadata { return d.meta }

// Compressed reports whether the stream is Zstandard-compressed.
func (d *Decoder) Compressed() bool { return d.zr != nil }

// Count is the number of records Next has returned.
func (d *Decoder) Count() int64 { return d.count }

// Close releases the decompressor. It does not close the underlying reader.
func (d *Decoder) Close() error {
	if d.zr != nil {
		d.zr.Close()
		d.zr = nil
	}
	return nil
}

// Next advances to the next record and returns its rtype. It returns io.EOF
// after the last record; an error is sticky.
func (d *Decoder) Next() (uint8, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.end-d.pos < HeaderLen {
		if err := d.fill(HeaderLen); err != nil {
			d.err = err
			return 0, err
		}
	}
	n := int(d.buf[d.pos]) * 4
	if n < HeaderLen {
		d.err = fmt.Errorf("%w: record %d: length %d is shorter than the header", ErrFormat, d.count, n)
		return 0, d.err
	}
	if d.end-d.pos < n {
		if err := d.fill(n); err != nil {
			d.err = err
			return 0, err
		}
	}
	d.rec = d.buf[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	d.count++
	return d.rec[1], nil
}

// fill makes at least need bytes available from d.pos.
func (d *Decoder) fill(need int) error {
	if d.pos > 0 {
		d.end = copy(d.buf, d.buf[d.pos:d.end])
		d.pos = 0
	}
	empty := 0
	for d.end < need {
		if d.srcErr != nil {
			if errors.Is(d.srcErr, io.EOF) {
				if d.end == 0 {
					return io.EOF
				}
				return fmt.Errorf("%w: record %d truncated (%d of %d bytes)", ErrFormat, d.count, d.end, need)
			}
			return fmt.Errorf("read DBN record %d: %w", d.count, d.srcErr)
		}
		n, err := d.src.Read(d.buf[d.end:])
		d.end += n
		switch {
		case err != nil:
			d.srcErr = err
		case n == 0:
			if empty++; empty >= maxEmptyReads {
				d.srcErr = io.ErrNoProgress
			}
		default:
			empty = 0
		}
	}
	return nil
}

// Raw is the current record's bytes, valid until the next call to Next.
func (d *Decoder) Raw() []byte { return d.rec }

// Header decodes the current record's header.
func (d *Decoder) Header() Header {
	var h Header
	if len(d.rec) >= HeaderLen {
		decodeHeader(d.rec, &h)
	}
	return h
}

// need checks that the current record has rtype and at least base bytes
// (plus ts_out when the metadata says so).
func (d *Decoder) need(rtype uint8, base int, what string) error {
	if len(d.rec) < HeaderLen {
		return fmt.Errorf("%w: no current record", ErrFormat)
	}
	if d.rec[1] != rtype {
		return fmt.Errorf("%w: record %d has rtype 0x%02x, want %s (0x%02x)", ErrFormat, d.count-1, d.rec[1], what, rtype)
	}
	if d.meta.TsOut {
		base += tsOutLen
	}
	if len(d.rec) < base {
		return fmt.Errorf("%w: record %d: %s record of %d bytes, want at least %d", ErrFormat, d.count-1, what, len(d.rec), base)
	}
	return nil
}

func (d *Decoder) tsOut() uint64 {
	if !d.meta.TsOut {
		return 0
	}
	return binary.LittleEndian.Uint64(d.rec[len(d.rec)-tsOutLen:])
}

// Trade decodes the current record, which must be a trade.
func (d *Decoder) Trade(t *Trade) error {
	if err := d.need(RTypeMBP0, TradeLen, "trade"); err != nil {
		return err
	}
	decodeTrade(d.rec, t)
	t.TsOut = d.tsOut()
	return nil
}

// MBP10 decodes the current record, which must be an MBP-10 record.
func (d *Decoder) MBP10(m *MBP10) error {
	if err := d.need(RTypeMBP10, MBP10Len, "mbp-10"); err != nil {
		return err
	}
	decodeMBP10(d.rec, m)
	m.TsOut = d.tsOut()
	return nil
}

// ReadTrade reads the next trade into t, skipping gateway messages. It
// returns io.EOF at the end of the stream.
func (d *Decoder) ReadTrade(t *Trade) error {
	for {
		rt, err := d.Next()
		if err != nil {
			return err
		}
		if !IsGateway(rt) {
			return d.Trade(t)
		}
	}
}

// ReadMBP10 reads the next MBP-10 record into m, skipping gateway messages.
// It returns io.EOF at the end of the stream.
func (d *Decoder) ReadMBP10(m *MBP10) error {
	for {
		rt, err := d.Next()
		if err != nil {
			return err
		}
		if !IsGateway(rt) {
			return d.MBP10(m)
		}
	}
}
