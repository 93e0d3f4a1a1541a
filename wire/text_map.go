package wire

import "sync"

// textMap is a map keyed by statement text, safe for concurrent use and
// bounded: texts longer than maxSQL are not kept, and a map holding
// entries texts starts over. The statement gate's allowed texts and the
// statement sizes are kept in one.
type textMap[V any] struct {
	entries, maxSQL int

	mu sync.Mutex
	m  map[string]V
}

// get returns sql's value, if kept.
func (t *textMap[V]) get(sql string) (V, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[sql]
	return v, ok
}

// update keeps f(old, ok) for sql, where old and ok are what get would
// return; texts over maxSQL are left out.
func (t *textMap[V]) update(sql string, f func(old V, ok bool) V) {
	if len(sql) > t.maxSQL {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old, ok := t.m[sql]
	if !ok && (t.m == nil || len(t.m) >= t.entries) {
		t.m = map[string]V{}
	}
	t.m[sql] = f(old, ok)
}
