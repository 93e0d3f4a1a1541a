package sqlfeatures

import (
	"strings"
	"testing"
)

func TestParseDates(t *testing.T) {
	cases := []struct{ spec, want, err string }{
		{spec: "2025-12-15", want: "2025-12-15"},
		{spec: "2025-12-15..2025-12-17", want: "2025-12-15,2025-12-16,2025-12-17"},
		{spec: "2025-12-19,2025-12-15..2025-12-16, 2025-12-15", want: "2025-12-15,2025-12-16,2025-12-19"},
		{spec: "2025-12-20..2025-12-21", want: "2025-12-20,2025-12-21"},
		{spec: "", err: "--dates is empty: want YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or a comma-separated list"},
		{spec: "2025-12-17..2025-12-15", err: `--dates "2025-12-17..2025-12-15": the range ends before it starts`},
		{spec: "2025-02-30", err: `--dates "2025-02-30": calendar: invalid date "2025-02-30"`},
		{spec: "2015-01-01..2030-01-01", err: `--dates "2015-01-01..2030-01-01": more than 3700 days`},
	}
	for _, tc := range cases {
		got, err := ParseDates(tc.spec)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("ParseDates(%q) err %v, want %s", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDates(%q): %v", tc.spec, err)
			continue
		}
		var s []string
		for _, d := range got {
			s = append(s, d.String())
		}
		if strings.Join(s, ",") != tc.want {
			t.Errorf("ParseDates(%q) = %v, want %s", tc.spec, s, tc.want)
		}
	}
}
