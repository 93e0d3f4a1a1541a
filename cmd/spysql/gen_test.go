package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenCmd(t *testing.T) {
	lake := filepath.Join(t.TempDir(), "lake")
	out, err := runCLI(t, "gen", "--lake", lake, "--start", "2025-12-15", "--end", "2025-12-15", "--seed", "3")
	if err != nil {
		t.Fatalf("gen: %v", err)
	}
	for _, want := range []string{"generated 1 trading day(s) 2025-12-15..2025-12-15", "synthetic-s3-x0.01.parquet",
		"futures_trades", "futures_mbp10", "stocks_trades", "options_trades", "(0 already present)", "rows/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	files, err := filepath.Glob(filepath.Join(lake, "bronze", "*", "*", "*", "date=2025-12-15", "hour=*", "synthetic-s3-x0.01.parquet"))
	if err != nil || len(files) < 40 {
		t.Fatalf("%d files for 2025-12-15 (%v)", len(files), err)
	}
	// The same command again publishes nothing new.
	out, err = runCLI(t, "gen", "--lake", lake, "--start", "2025-12-15", "--end", "2025-12-15", "--seed", "3")
	if err != nil || strings.Contains(out, "(0 already present)") {
		t.Errorf("rerun: %v\n%s", err, out)
	}
}

func TestGenCmdBadInput(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unparsable start", []string{"--start", "2025-13-01", "--end", "2025-12-19"}, "--start"},
		{"unparsable end", []string{"--start", "2025-12-15", "--end", "tomorrow"}, "--end"},
		{"end before start", []string{"--start", "2025-12-19", "--end", "2025-12-15"}, "before start"},
		{"before the calendar", []string{"--start", "2010-01-04", "--end", "2010-01-08"}, "outside"},
		{"after the calendar", []string{"--start", "2035-12-20", "--end", "2036-01-08"}, "outside"},
		{"missing end", []string{"--start", "2025-12-15"}, "end"},
		{"negative scale", []string{"--start", "2025-12-15", "--end", "2025-12-15", "--scale", "-1"}, "scale"},
		{"lake is a file", []string{"--lake", notDir, "--start", "2025-12-15", "--end", "2025-12-15"}, "not a directory"},
	} {
		lake := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		args := append([]string{"gen", "--lake", lake}, tc.args...)
		_, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line naming %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(lake); !os.IsNotExist(err) {
			t.Errorf("%s: the lake %s was created", tc.name, lake)
		}
	}
	if b, err := os.ReadFile(notDir); err != nil || string(b) != "x" {
		t.Errorf("the file given as lake changed: %q, %v", b, err)
	}
}

func TestGenCmdNoTradingDays(t *testing.T) {
	lake := filepath.Join(t.TempDir(), "lake")
	out, err := runCLI(t, "gen", "--lake", lake, "--start", "2025-12-25", "--end", "2025-12-25")
	if err != nil || !strings.Contains(out, "no trading days in 2025-12-25..2025-12-25; nothing written") {
		t.Fatalf("gen on Christmas: %v\n%s", err, out)
	}
	if _, err := os.Stat(lake); !os.IsNotExist(err) {
		t.Errorf("the lake was created for a range without trading days")
	}
}
