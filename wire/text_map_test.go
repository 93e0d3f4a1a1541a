package wire

import (
	"strings"
	"testing"
)

// TestTextMapBounds: a text over maxSQL is never kept, a full map starts
// over, and update sees what get would.
func TestTextMapBounds(t *testing.T) {
	m := textMap[int]{entries: 2, maxSQL: 8}
	add := func(old int, ok bool) int {
		if ok {
			return old + 1
		}
		return 1
	}
	m.update("a", add)
	m.update("a", add)
	if v, ok := m.get("a"); !ok || v != 2 {
		t.Fatalf("a = %d %v, want 2 true", v, ok)
	}
	m.update(strings.Repeat("x", 9), add)
	if _, ok := m.get(strings.Repeat("x", 9)); ok {
		t.Fatal("a text over maxSQL was kept")
	}
	m.update("b", add) // two entries: full
	m.update("c", add) // starts over
	for sql, want := range map[string]bool{"a": false, "b": false, "c": true} {
		if _, ok := m.get(sql); ok != want {
			t.Errorf("%s kept %v, want %v", sql, ok, want)
		}
	}
	m.update("c", add) // an existing text never starts over
	if v, _ := m.get("c"); v != 2 {
		t.Errorf("c = %d, want 2", v)
	}
}
