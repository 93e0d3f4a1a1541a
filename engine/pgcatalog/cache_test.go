package pgcatalog

import "testing"

func TestRewriteCache(t *testing.T) {
	stmts := []string{
		"SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = $1",
		"SELECT count(*) FROM gold.ds",
		"SELECT [1, 2] AS l",
		"SELECT 'gold.ds'::regclass",
	}
	c := NewRewriteCache(2)
	for round := range 2 {
		for _, s := range stmts {
			wantOut, wantChanged, _, _ := RewriteStatement(s, Options{})
			out, changed, sets, err := c.Rewrite(s, Options{})
			if out != wantOut || changed != wantChanged || sets != nil || err != nil {
				t.Errorf("round %d %q: got (%q, %v, %v, %v), want (%q, %v)", round, s, out, changed, sets, err, wantOut, wantChanged)
			}
			if c.Len() > 2 {
				t.Fatalf("cache holds %d statements, max 2", c.Len())
			}
		}
	}
	// Least recently used leaves first.
	c = NewRewriteCache(2)
	c.Rewrite(stmts[0], Options{})
	c.Rewrite(stmts[1], Options{})
	c.Rewrite(stmts[0], Options{})
	c.Rewrite(stmts[2], Options{})
	if _, ok := c.m[stmts[1]]; ok {
		t.Errorf("least recently used statement still cached")
	}
	if _, ok := c.m[stmts[0]]; !ok {
		t.Errorf("recently used statement evicted")
	}
}

// TestRewriteCacheSession: answers that read the session's settings are
// never reused.
func TestRewriteCacheSession(t *testing.T) {
	c := NewRewriteCache(10)
	const q = "SELECT current_setting('application_name')"
	for _, v := range []string{"one", "two"} {
		opt := Options{Setting: func(string) (string, bool) { return v, true }}
		want, _, _, _ := RewriteStatement(q, opt)
		got, _, _, _ := c.Rewrite(q, opt)
		if got != want {
			t.Errorf("setting %s: got %q, want %q", v, got, want)
		}
	}
	setter := Options{SetConfig: func(sc SetConfig) (string, error) { return sc.Value, nil }}
	_, _, sets, _ := c.Rewrite("SELECT set_config('a.b', 'x', false)", setter)
	_, _, again, _ := c.Rewrite("SELECT set_config('a.b', 'x', false)", setter)
	if len(sets) != 1 || len(again) != 1 {
		t.Errorf("set_config calls: %v then %v, want one each time", sets, again)
	}
	if c.Len() != 0 {
		t.Errorf("cache holds %d session-dependent statements", c.Len())
	}
}
