package ingest

import (
	"slices"
	"testing"
)

// TestRuns: a runs buffer holds what a plain slice fed the same pushes,
// filters and resets holds, in runs that are all full but the last.
func TestRuns(t *testing.T) {
	type op struct {
		push  int              // rows to push (numbered on from the last)
		keep  func(v int) bool // then filter by value, when set
		reset bool
	}
	odd := func(v int) bool { return v%2 == 1 }
	none := func(int) bool { return false }
	notFirst := func(v int) bool { return v != 0 }
	tests := []struct {
		name string
		ops  []op
	}{
		{"empty", nil},
		{"one", []op{{push: 1}}},
		{"first run exactly", []op{{push: runRows}}},
		{"into a second run", []op{{push: runRows + 1}}},
		{"several runs", []op{{push: 3*runRows + 17}}},
		{"filter odd across runs", []op{{push: 2*runRows + 5, keep: odd}, {push: runRows}}},
		{"filter none then push", []op{{push: runRows + 3, keep: none}, {push: 5}}},
		{"drop the first", []op{{push: 2 * runRows, keep: notFirst}, {push: 2}}},
		{"reset keeps working", []op{{push: 2*runRows + 1}, {reset: true}, {push: runRows + 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b runs[int]
			var want []int
			next := 0
			for _, o := range tc.ops {
				if o.reset {
					b.reset()
					want = want[:0]
				}
				for range o.push {
					b.push(&next)
					want = append(want, next)
					next++
				}
				if o.keep != nil {
					all := slices.Concat(b.runs...)
					b.filter(func(i int) bool { return o.keep(all[i]) })
					want = slices.DeleteFunc(want, func(v int) bool { return !o.keep(v) })
				}
			}
			if got := slices.Concat(b.runs...); !slices.Equal(got, want) || b.len() != len(want) {
				t.Fatalf("holds %d rows (len %d), want %d: %v...", len(got), b.len(), len(want), got[:min(len(got), 8)])
			}
			for i, r := range b.runs {
				if i < len(b.runs)-1 && len(r) != runRows {
					t.Fatalf("run %d of %d holds %d rows, want %d", i, len(b.runs), len(r), runRows)
				}
			}
		})
	}
}
