package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/store"
)

func TestSilverPaths(t *testing.T) {
	lake, err := store.OpenLake(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	root := lake.Root()
	v := filepath.Join(root, "silver", "features", "v1.0_x")
	cases := []struct{ got, want string }{
		{lake.VersionManifestFile("v1.0_x"), filepath.Join(v, "manifest.yaml")},
		{lake.VersionValidationFile("v1.0_x"), filepath.Join(v, "validation.json")},
		{lake.VersionLedgerFile("v1.0_x"), filepath.Join(v, "ledger.json")},
		{lake.VersionDatePart("v1.0_x", "2025-12-15"), filepath.Join(v, "date=2025-12-15", "part-0.parquet")},
		{lake.VersionDateMeta("v1.0_x", "2025-12-15"), filepath.Join(v, "date=2025-12-15", "_date.json")},
		{lake.VersionStagingDir("v1.0_x", "2025-12-15", "ab"), filepath.Join(v, ".staging-2025-12-15-ab")},
		{store.StagingPart("/s"), "/s/part-0.parquet"},
		{store.StagingMeta("/s"), "/s/_date.json"},
		{lake.VersionDir(store.ReplacementVersionID("v1.0_x", "ab")), filepath.Join(root, "silver", "features", ".replace-v1.0_x-ab")},
		{lake.VersionLockFile("v1.0_x"), filepath.Join(root, "silver", "features", ".locks", "v1.0_x.lock")},
		{lake.ExperimentsLockFile(), filepath.Join(root, "silver", "features", ".locks", "experiments.json.lock")},
		{lake.LakeRelative(filepath.Join(v, "ledger.json")), "silver/features/v1.0_x/ledger.json"},
		{lake.LakeRelative("/elsewhere/x"), "/elsewhere/x"},
	}
	for i, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("case %d: %s, want %s", i, tc.got, tc.want)
		}
	}
	if p, err := lake.VersionFile("v1.0_x", "sql/a.sql"); err != nil || p != filepath.Join(v, "sql", "a.sql") {
		t.Errorf("VersionFile: %s, %v", p, err)
	}
	if _, err := lake.VersionFile("v1.0_x", "../b/a.sql"); err == nil {
		t.Error("VersionFile accepted a path leaving the version")
	}
}

func TestVersionListing(t *testing.T) {
	lake, err := store.OpenLake(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	if ids, err := lake.VersionIDs(); err != nil || len(ids) != 0 {
		t.Fatalf("empty lake: %v, %v", ids, err)
	}
	mk := func(p string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk(lake.VersionDatePart("v1.0_a", "2025-12-16"))
	mk(lake.VersionDatePart("v1.0_a", "2025-12-15"))
	mk(filepath.Join(lake.VersionDateDir("v1.0_a", "2025-12-17"), "_date.json")) // no data: not a date
	mk(filepath.Join(lake.VersionStagingDir("v1.0_a", "2025-12-18", "x"), "part-0.parquet"))
	mk(lake.VersionManifestFile("v1.0_b"))
	mk(lake.VersionManifestFile(store.ReplacementVersionID("v1.0_a", "x")))
	mk(lake.VersionLockFile("v1.0_a"))

	ids, _ := lake.VersionIDs()
	if strings.Join(ids, ",") != "v1.0_a,v1.0_b" {
		t.Errorf("VersionIDs %v", ids)
	}
	dates, _ := lake.VersionDates("v1.0_a")
	if strings.Join(dates, ",") != "2025-12-15,2025-12-16" {
		t.Errorf("VersionDates %v", dates)
	}
	left, _ := lake.VersionLeftovers("v1.0_a")
	if len(left) != 1 || !strings.HasSuffix(left[0], ".staging-2025-12-18-x") {
		t.Errorf("VersionLeftovers %v", left)
	}
	rep, _ := lake.ReplacementLeftovers("v1.0_a")
	if len(rep) != 1 || filepath.Base(rep[0]) != ".replace-v1.0_a-x" {
		t.Errorf("ReplacementLeftovers %v", rep)
	}
	if m, _ := filepath.Glob(lake.VersionPartGlob("v1.0_a")); len(m) != 2 {
		t.Errorf("VersionPartGlob matches %v", m)
	}
}

func TestExchangeDirs(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	write := func(d, content string) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "f"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(d string) string {
		data, err := os.ReadFile(filepath.Join(d, "f"))
		if err != nil {
			return "missing"
		}
		return string(data)
	}
	write(a, "new")
	if err := store.ExchangeDirs(a, b); err != nil {
		t.Fatal(err)
	}
	if read(b) != "new" || read(a) != "missing" {
		t.Fatalf("rename: b=%s a=%s", read(b), read(a))
	}
	write(a, "newer")
	if err := store.ExchangeDirs(a, b); err != nil {
		t.Fatal(err)
	}
	if read(b) != "newer" || read(a) != "new" {
		t.Fatalf("exchange: b=%s a=%s", read(b), read(a))
	}
}
