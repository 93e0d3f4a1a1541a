package pgcatalog

import "testing"

// BenchmarkRewrite is the cost of the rewrite every client statement
// goes through at Parse: a plain query (parsed, left unchanged), a
// catalog query (parsed, edited, deparsed), and DuckDB's own dialect
// (PostgreSQL's parser refuses it); each again through RewriteCache
// (the same text every time: a hit after the first).
func BenchmarkRewrite(b *testing.B) {
	setting := func(string) (string, bool) { return "x", true }
	for _, c := range []struct{ name, sql string }{
		{"plain", "SELECT ts_event_ns, price FROM gold.ds WHERE ts_event_ns = $1"},
		{"catalog", "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass"},
		{"duckdb", "SELECT [1, 2] AS l, {'a': 1} AS s FROM range(3)"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Rewrite(c.sql, Options{Setting: setting})
			}
		})
		b.Run(c.name+"/cached", func(b *testing.B) {
			cache := NewRewriteCache(1024)
			for b.Loop() {
				cache.Rewrite(c.sql, Options{Setting: setting})
			}
		})
	}
}
