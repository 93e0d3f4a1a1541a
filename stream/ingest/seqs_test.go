package ingest

import (
	"slices"
	"testing"
)

func TestSeqsRoundTrip(t *testing.T) {
	for _, seqs := range [][]uint64{
		{1},
		{1, 2, 3, 4},
		{5, 9, 200, 1 << 40, 1<<63 + 7},
	} {
		v := encodeSeqs("MARKET", seqs)
		stream, got, err := decodeSeqs(v)
		if err != nil || stream != "MARKET" || !slices.Equal(got, seqs) {
			t.Errorf("%v -> %q -> %q %v %v", seqs, v, stream, got, err)
		}
	}
	for _, bad := range []string{"", "MARKET", "MARKET:!!", "MARKET:AQA"} { // AQA: deltas 1, 0
		if _, _, err := decodeSeqs(bad); err == nil {
			t.Errorf("decodeSeqs(%q) accepted", bad)
		}
	}
	if got := fileName("MARKET", []uint64{12, 15, 300}); got != "nats-MARKET-000000000012-000000000300.parquet" {
		t.Errorf("fileName = %s", got)
	}
}

func FuzzDecodeSeqs(f *testing.F) {
	f.Add(encodeSeqs("MARKET", []uint64{1, 2, 3}))
	f.Add("LEVELS:")
	f.Fuzz(func(t *testing.T, v string) {
		stream, seqs, err := decodeSeqs(v)
		if err != nil {
			return
		}
		if !slices.IsSorted(seqs) || len(slices.Compact(slices.Clone(seqs))) != len(seqs) {
			t.Fatalf("%q decodes to unsorted or repeated %v", v, seqs)
		}
		if len(seqs) > 0 {
			if _, again, err := decodeSeqs(encodeSeqs(stream, seqs)); err != nil || !slices.Equal(again, seqs) {
				t.Fatalf("re-encode of %v: %v %v", seqs, again, err)
			}
		}
	})
}
