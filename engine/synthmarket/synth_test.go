package synthmarket

import (
	"testing"

	"github.com/spysql/spysql/engine/calendar"
)

func mustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFrontContract(t *testing.T) {
	for _, tc := range []struct{ date, want, expiry string }{
		{"2025-12-15", "ESZ5", "2025-12-19"},
		{"2025-12-18", "ESZ5", "2025-12-19"},
		{"2025-12-19", "ESH6", "2026-03-20"},
		{"2026-01-05", "ESH6", "2026-03-20"},
		{"2026-03-20", "ESM6", "2026-06-19"},
		{"2026-04-01", "ESM6", "2026-06-19"},
		{"2029-12-31", "ESH0", "2030-03-15"},
		{"2015-01-02", "ESH5", "2015-03-20"},
	} {
		got, exp := frontContract(mustDate(t, tc.date))
		if got != tc.want || exp.String() != tc.expiry {
			t.Errorf("frontContract(%s) = %s %s, want %s %s", tc.date, got, exp, tc.want, tc.expiry)
		}
	}
}
