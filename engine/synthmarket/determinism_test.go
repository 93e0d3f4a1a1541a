package synthmarket

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// TestGenerateDeterministic: the same configuration gives byte-identical
// files at the same paths, a rerun is a no-op, another seed writes other
// content under another name.
func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	cfg := Config{Start: mustDate(t, "2025-12-12"), End: mustDate(t, "2025-12-15"), Scale: testScale}
	dirA, dirB := t.TempDir(), t.TempDir()
	lakeA, stA := genLake(t, dirA, cfg)
	_, stB := genLake(t, dirB, cfg)
	hashA, hashB := fileHashes(t, dirA), fileHashes(t, dirB)
	if stA != stB {
		t.Errorf("stats differ: %+v vs %+v", stA, stB)
	}
	if stA.Days != 2 || stA.Files == 0 || stA.Files != len(hashA) || stA.Unchanged != 0 {
		t.Fatalf("stats %+v with %d files on disk, want 2 days (Fri, Mon)", stA, len(hashA))
	}
	if len(hashA) != len(hashB) {
		t.Fatalf("%d files vs %d", len(hashA), len(hashB))
	}
	for rel, h := range hashA {
		if hashB[rel] != h {
			t.Errorf("%s: sha256 %s vs %s", rel, h, hashB[rel])
		}
		if path.Base(rel) != "synthetic-s1-x0.01.parquet" {
			t.Errorf("%s: unexpected file name", rel)
		}
	}

	// A rerun finds every file identical and changes nothing.
	st, err := Generate(context.Background(), lakeA, newCalendar(t), cfg, nil)
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if st.Files != stA.Files || st.Unchanged != st.Files || st.Rows() != stA.Rows() {
		t.Errorf("rerun stats %+v, want all %d files unchanged", st, stA.Files)
	}
	if again := fileHashes(t, dirA); len(again) != len(hashA) {
		t.Errorf("rerun changed the lake: %d files, had %d", len(again), len(hashA))
	}

	// Another seed: other content in files of another name, so it sits
	// beside the first in the same lake.
	cfg2 := cfg
	cfg2.Seed = 2
	if _, err := Generate(context.Background(), lakeA, newCalendar(t), cfg2, nil); err != nil {
		t.Fatalf("seed 2 into the seed 1 lake: %v", err)
	}
	both := fileHashes(t, dirA)
	seed2, same := 0, 0
	for rel, h := range both {
		if path.Base(rel) != "synthetic-s2-x0.01.parquet" {
			continue
		}
		seed2++
		if hashA[path.Join(path.Dir(rel), "synthetic-s1-x0.01.parquet")] == h {
			same++
		}
	}
	if seed2 == 0 || same != 0 || len(both) != len(hashA)+seed2 {
		t.Errorf("seed 2 wrote %d files, %d identical to seed 1's; lake has %d files, seed 1 had %d", seed2, same, len(both), len(hashA))
	}
}

// TestSingleDateMatchesRange: a date generated alone gives the same files
// as the same date generated inside a range.
func TestSingleDateMatchesRange(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t)
	rng := Config{Start: mustDate(t, "2025-12-15"), End: mustDate(t, "2025-12-17"), Seed: 7, Scale: testScale}
	one := rng
	one.Start, one.End = mustDate(t, "2025-12-16"), mustDate(t, "2025-12-16")
	dirR, dirO := t.TempDir(), t.TempDir()
	genLake(t, dirR, rng)
	genLake(t, dirO, one)
	hashR, hashO := fileHashes(t, dirR), fileHashes(t, dirO)

	s, _, err := cal.Session(one.Start)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, h := range cal.BronzeHours(s) {
		want["date="+h.Date+"/hour="+h.Hour] = true
	}
	inDay := 0
	for rel, h := range hashR {
		part := path.Join(strings.Split(rel, "/")[4:6]...)
		if !want[part] {
			continue
		}
		inDay++
		if hashO[rel] != h {
			t.Errorf("%s: alone %q, in range %q", rel, hashO[rel], h)
		}
	}
	if inDay != len(hashO) || inDay == 0 {
		t.Errorf("range has %d files of 2025-12-16, alone %d", inDay, len(hashO))
	}
}

// TestGenerateRefusesOtherContent: a published file of the same name with
// other content is never overwritten.
func TestGenerateRefusesOtherContent(t *testing.T) {
	cfg := Config{Start: mustDate(t, "2025-12-15"), End: mustDate(t, "2025-12-15"), Scale: testScale}
	dir := t.TempDir()
	lake, _ := genLake(t, dir, cfg)
	victim := filepath.Join(lake.PartitionDir(store.FuturesTrades, "ES", "2025-12-15", "15"), cfg.FileName())
	if err := os.WriteFile(victim, []byte("not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Generate(context.Background(), lake, newCalendar(t), cfg, nil)
	if !errors.Is(err, store.ErrExists) || !strings.Contains(err.Error(), "2025-12-15") {
		t.Fatalf("err = %v, want ErrExists naming the date", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "not parquet" {
		t.Error("the existing file was overwritten")
	}
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	lake, err := store.OpenLake(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDate(t, "2025-12-15")
	if _, err := Generate(ctx, lake, newCalendar(t), Config{Start: d, End: d}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(fileHashes(t, dir)); n != 0 {
		t.Errorf("%d files written after cancel", n)
	}
}

func TestConfig(t *testing.T) {
	cal := newCalendar(t)
	d := mustDate(t, "2025-12-15")
	if got := (Config{}).FileName(); got != "synthetic-s1-x0.01.parquet" {
		t.Errorf("default FileName = %q", got)
	}
	if got := (Config{Seed: -3, Scale: 1}).FileName(); got != "synthetic-s-3-x1.parquet" {
		t.Errorf("FileName = %q", got)
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		want error
	}{
		{"end before start", Config{Start: d, End: d.AddDays(-1)}, ErrConfig},
		{"no dates", Config{}, ErrConfig},
		{"negative scale", Config{Start: d, End: d, Scale: -1}, ErrConfig},
		{"huge scale", Config{Start: d, End: d, Scale: MaxScale * 2}, ErrConfig},
		{"before calendar", Config{Start: mustDate(t, "2014-12-31"), End: d}, calendar.ErrOutOfRange},
		{"after calendar", Config{Start: d, End: mustDate(t, "2036-01-02")}, calendar.ErrOutOfRange},
	} {
		if _, err := Sessions(cal, tc.cfg); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	ss, err := Sessions(cal, Config{Start: mustDate(t, "2025-12-25"), End: mustDate(t, "2025-12-28")})
	if err != nil || len(ss) != 1 || ss[0].Date.String() != "2025-12-26" {
		t.Errorf("Sessions(Christmas..Sunday) = %v, %v; want only 2025-12-26", ss, err)
	}
	ss, err = Sessions(cal, Config{Start: mustDate(t, "2025-12-27"), End: mustDate(t, "2025-12-28")})
	if err != nil || len(ss) != 0 {
		t.Errorf("Sessions(weekend) = %v, %v; want none", ss, err)
	}
}
