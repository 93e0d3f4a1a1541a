package dbn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
)

// FuzzDBNDecode feeds arbitrary bytes to the decoder: it must not panic,
// hang or allocate more than the input justifies. The seed corpus is
// testdata/fuzz/FuzzDBNDecode plus the test files added here.
func FuzzDBNDecode(f *testing.F) {
	for _, name := range []string{
		"test_data.trades.dbn", "test_data.mbp-10.dbn", "test_data.trades.v1.dbn.zst",
		"test_data.mbp-10.v3.dbn.zst", "test_data.ohlcv-1s.v3.dbn.zst",
	} {
		f.Add(readTestFile(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := NewDecoder(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer d.Close()
		_, _ = NewSymbolMap(d.Metadata())
		var tr Trade
		var mb MBP10
		// Bounded: zstd input can expand to far more records than its size.
		for i := 0; i < 1<<18; i++ {
			rt, err := d.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrFormat) && d.zr == nil {
					t.Fatalf("plain input: unexpected error kind %v", err)
				}
				return
			}
			switch rt {
			case RTypeMBP0:
				_ = d.Trade(&tr)
			case RTypeMBP10:
				_ = d.MBP10(&mb)
			}
			_ = d.Header()
		}
	})
}

// TestNoHugeAllocation checks that lengths and counts stated by corrupt
// input do not turn into allocations.
func TestNoHugeAllocation(t *testing.T) {
	raw := readTestFile(t, "test_data.trades.dbn")
	bigMeta := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint32(bigMeta[4:], 1<<30-1)
	count := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint32(count[preludeLen+104:], 1<<31)
	cstr := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint16(cstr[preludeLen+16+2+24+3:], 1)
	binary.LittleEndian.PutUint32(cstr[preludeLen+104:], 1<<31)
	// A zstd frame header declaring the largest window (2^41 bytes).
	window := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xF8, 0x01, 0x00, 0x00}
	// A 64 MiB window (exponent 16) and one raw block holding the file.
	window64 := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, 16 << 3}
	bh := uint32(len(raw))<<3 | 1
	window64 = append(window64, byte(bh), byte(bh>>8), byte(bh>>16))
	window64 = append(window64, raw...)
	for _, in := range [][]byte{bigMeta, count, cstr, window, window64} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		d, err := NewDecoder(bytes.NewReader(in))
		if err == nil {
			for {
				if _, err := d.Next(); err != nil {
					break
				}
			}
			d.Close()
		}
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
			t.Errorf("input of %d bytes allocated %d bytes (err %v)", len(in), grew, err)
		}
	}
}
