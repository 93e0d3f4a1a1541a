package sqlfeatures

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spysql/spysql/engine/calendar"
)

// maxDateSpan bounds one range of a date spec, against typos such as
// 2025..2052.
const maxDateSpan = 3700

// ParseDates parses a --dates value: comma-separated items, each a date
// (2025-12-15) or an inclusive range (2025-12-15..2025-12-19). Every
// calendar date is returned, sorted and without duplicates; the builder
// skips and reports the non-trading ones.
func ParseDates(spec string) ([]calendar.Date, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("--dates is empty: want YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or a comma-separated list")
	}
	seen := map[calendar.Date]bool{}
	var out []calendar.Date
	add := func(d calendar.Date) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		from, to, isRange := strings.Cut(item, "..")
		a, err := calendar.ParseDate(strings.TrimSpace(from))
		if err != nil {
			return nil, fmt.Errorf("--dates %q: %w", item, err)
		}
		if !isRange {
			add(a)
			continue
		}
		b, err := calendar.ParseDate(strings.TrimSpace(to))
		if err != nil {
			return nil, fmt.Errorf("--dates %q: %w", item, err)
		}
		if b.Before(a) {
			return nil, fmt.Errorf("--dates %q: the range ends before it starts", item)
		}
		n := 0
		for d := a; !d.After(b); d = d.AddDays(1) {
			if n++; n > maxDateSpan {
				return nil, fmt.Errorf("--dates %q: more than %d days", item, maxDateSpan)
			}
			add(d)
		}
	}
	slices.SortFunc(out, func(a, b calendar.Date) int { return strings.Compare(a.String(), b.String()) })
	return out, nil
}
