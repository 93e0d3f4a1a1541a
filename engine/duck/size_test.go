package duck_test

import (
	"testing"

	"github.com/spysql/spysql/engine/duck"
)

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"", 0, false}, {"0", 0, false}, {"512", 512, false}, {"512B", 512, false},
		{"1KB", 1000, false}, {"1kib", 1024, false}, {"1.5GB", 1_500_000_000, false},
		{"2 GiB", 2 << 30, false}, {"4MB", 4_000_000, false}, {"1TiB", 1 << 40, false},
		{"-1MB", 0, true}, {"MB", 0, true}, {"1XB", 0, true}, {"1e30GB", 0, true},
	} {
		got, err := duck.ParseBytes(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
