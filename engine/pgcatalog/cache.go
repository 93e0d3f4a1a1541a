package pgcatalog

import (
	"container/list"
	"sync"
)

// RewriteCache remembers RewriteStatement's answers by statement text:
// clients prepare the same statements again and again, and the rewrite
// (parse, walk, deparse) costs more than DuckDB's own prepare of a small
// query (docs/BENCHMARKS.md). An answer that depends on the session
// (current_setting, set_config) is not kept. It holds at most max
// statements, the least recently used leaving first, and none longer
// than maxCachedText. Safe for concurrent use.
type RewriteCache struct {
	mu  sync.Mutex
	max int
	ll  *list.List // of *cached, most recent first
	m   map[string]*list.Element
}

// maxCachedText bounds the text of a cached statement (both its forms).
const maxCachedText = 16 << 10

type cached struct {
	sql, out string
	changed  bool
}

// NewRewriteCache returns a cache of at most max statements; max <= 0
// caches nothing.
func NewRewriteCache(max int) *RewriteCache {
	return &RewriteCache{max: max, ll: list.New(), m: map[string]*list.Element{}}
}

// Rewrite is RewriteStatement, answered from the cache when it can be.
// A nil cache caches nothing.
func (c *RewriteCache) Rewrite(sql string, opt Options) (out string, changed bool, sets []SetConfig, err error) {
	if c == nil || c.max <= 0 || len(sql) > maxCachedText {
		return RewriteStatement(sql, opt)
	}
	c.mu.Lock()
	if e, ok := c.m[sql]; ok {
		c.ll.MoveToFront(e)
		v := e.Value.(*cached)
		c.mu.Unlock()
		return v.out, v.changed, nil, nil
	}
	c.mu.Unlock()
	r, out, changed := rewrite(sql, opt)
	if r != nil && (r.session || r.err != nil || len(r.sets) > 0) {
		return out, changed, r.sets, r.err
	}
	if len(out) <= maxCachedText {
		c.mu.Lock()
		if _, ok := c.m[sql]; !ok {
			c.m[sql] = c.ll.PushFront(&cached{sql: sql, out: out, changed: changed})
			for c.ll.Len() > c.max {
				last := c.ll.Back()
				c.ll.Remove(last)
				delete(c.m, last.Value.(*cached).sql)
			}
		}
		c.mu.Unlock()
	}
	return out, changed, nil, nil
}

// Len is the number of statements cached.
func (c *RewriteCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
