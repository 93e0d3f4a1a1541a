package store

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseGoldCurrentTarget(t *testing.T) {
	cases := []struct {
		target string
		want   int
	}{
		{GoldCurrentTarget("ds", 1), 1},
		{GoldCurrentTarget("ds", 123456), 123456},
		{"_history/ds/1", 0},
		{"_history/other/000001", 0},
		{"_history/ds/000000", 0},
		{"_history/ds/-00001", 0},
		{"../_history/ds/000001", 0},
		{"/tmp/_history/ds/000001", 0},
		{"_history/ds/000001/..", 0},
	}
	for _, c := range cases {
		n, err := ParseGoldCurrentTarget("ds", c.target)
		if c.want == 0 && err == nil {
			t.Errorf("%q: promotion %d, want an error", c.target, n)
		}
		if c.want != 0 && (err != nil || n != c.want) {
			t.Errorf("%q: %d %v, want %d", c.target, n, err, c.want)
		}
	}
}

// TestGoldDatasetResolved: a link inside gold/training resolves to its
// file; one that leaves it is not followed.
func TestGoldDatasetResolved(t *testing.T) {
	lake, err := OpenLake(filepath.Join(t.TempDir(), "lake"), true)
	if err != nil {
		t.Fatal(err)
	}
	dir := lake.GoldPromotionDir("ds", 1)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lake.GoldPromotionData("ds", 1), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(GoldCurrentTarget("ds", 1), lake.GoldCurrentLink("ds")); err != nil {
		t.Fatal(err)
	}
	for path, target := range lake.GoldPublicLinks("ds") {
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := filepath.EvalSymlinks(lake.GoldPromotionData("ds", 1))
	if got := lake.GoldDatasetResolved("ds"); got != want {
		t.Fatalf("resolved %s, want %s", got, want)
	}
	outside := filepath.Join(t.TempDir(), "secret.parquet")
	os.WriteFile(outside, []byte("y"), 0o644)
	if err := os.Symlink(outside, lake.GoldDatasetFile("evil")); err != nil {
		t.Fatal(err)
	}
	if got := lake.GoldDatasetResolved("evil"); got != lake.GoldDatasetFile("evil") {
		t.Fatalf("a link out of the lake resolved to %s", got)
	}
	if names, err := lake.GoldPointerNames(); err != nil || len(names) != 1 || names[0] != "ds" {
		t.Fatalf("pointer names %v %v", names, err)
	}
}
