package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldCLI promotes, validates, lists, tampers with, rolls back and
// archives through the CLI, and refuses bad input in one line.
func TestGoldCLI(t *testing.T) {
	lake := silverLake(t)
	if _, err := runCLI(t, "--lake", lake, "build", barsManifest, "--dates", "2025-12-15", "--threads", "2"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "--lake", lake, "promote", "v1.0_bars", "--dataset", "ds", "--notes", "first")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "promoted v1.0_bars to gold.ds (promotion 1): 390 rows") || !strings.Contains(out, "point index keyed by ts_event_ns") {
		t.Fatalf("promote: %s", out)
	}
	if out, err = runCLI(t, "--lake", lake, "promote", "v1.0_bars", "--dataset", "ds", "--notes", "again"); err != nil || !strings.HasPrefix(out, "unchanged:") {
		t.Fatalf("promote again: %q %v", out, err)
	}
	if out, err = runCLI(t, "--lake", lake, "validate", "--dataset", "ds"); err != nil || !strings.Contains(out, "ok (390 rows") {
		t.Fatalf("validate: %q %v", out, err)
	}
	out, err = runCLI(t, "--lake", lake, "datasets", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ds []struct {
		Dataset       string `json:"dataset"`
		SourceVersion string `json:"source_version"`
		Rows          int64  `json:"rows"`
		HistoryDepth  int    `json:"history_depth"`
	}
	if err := json.Unmarshal([]byte(out), &ds); err != nil || len(ds) != 1 || ds[0].Dataset != "ds" || ds[0].Rows != 390 || ds[0].HistoryDepth != 1 {
		t.Fatalf("datasets --json: %s (%v)", out, err)
	}
	if out, err = runCLI(t, "--lake", lake, "query", "--format", "csv", "SELECT dataset, rows, history_depth FROM lake.datasets"); err != nil || out != "dataset,rows,history_depth\nds,390,1\n" {
		t.Fatalf("lake.datasets: %q %v", out, err)
	}
	for _, bad := range [][]string{
		{"promote", "v1.0_bars", "--dataset", "../x"},
		{"promote", "v9.9_nope", "--dataset", "ds"},
		{"promote", "v1.0_bars", "--dataset", "ds", "--dates", "2025-12-16"},
		{"validate", "--dataset", "nope"},
		{"rollback", "--dataset", "ds"},
		{"evaluate", "v1.0_bars"},
		{"archive", "v1.0_bars"},
		{"restore", "v1.0_bars"},
	} {
		_, err := runCLI(t, append([]string{"--lake", lake}, bad...)...)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want a one-line error", bad, err)
		}
	}
	// Tamper with the file: validate fails and says why.
	p, err := filepath.EvalSymlinks(filepath.Join(lake, "gold", "training", "ds.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	data[len(data)/3] ^= 0x40
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, "--lake", lake, "validate", "--dataset", "ds")
	if err == nil || !strings.Contains(out, "FAIL sha256") {
		t.Fatalf("validate after tampering: %q %v", out, err)
	}
	if _, err := runCLI(t, "--lake", lake, "archive", "v1.0_bars", "--force"); err != nil {
		t.Fatal(err)
	}
	if out, _ := runCLI(t, "--lake", lake, "list"); strings.Contains(out, "v1.0_bars") {
		t.Fatalf("list after archive: %s", out)
	}
	if _, err := runCLI(t, "--lake", lake, "restore", "v1.0_bars"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"promote", "rollback", "validate", "datasets", "evaluate", "bootstrap", "archive", "restore"} {
		if out, err := runCLI(t, c, "--help"); err != nil || !strings.Contains(out, "Examples:") {
			t.Errorf("%s --help has no example: %v", c, err)
		}
	}
}

// TestBootstrapCLI bootstraps two test versions and evaluates one through
// the CLI.
func TestBootstrapCLI(t *testing.T) {
	lake := silverLake(t)
	const touch = "../../sqlfeatures/gold/testdata/touch/"
	out, err := runCLI(t, "--lake", lake, "bootstrap", "--dates", "2025-12-15", "--threads", "2",
		"--manifest", touch+"v1.0_touch.yaml", "--manifest", touch+"v1.1_touch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"compared on 1 (2025-12-15)", "v1.0_touch", "v1.1_touch", "chose v1.", "to gold.signals_production (promotion 1)"} {
		if !strings.Contains(out, want) {
			t.Fatalf("bootstrap output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "--lake", lake, "evaluate", "v1.0_touch", "--register", "again")
	if err != nil || !strings.Contains(out, "registered experiment again of v1.0_touch") || !strings.Contains(out, "wrote 1 file(s)") {
		t.Fatalf("evaluate: %q %v", out, err)
	}
	out, err = runCLI(t, "--lake", lake, "query", "--format", "csv", "SELECT count(*) FROM lake.experiments WHERE version = 'v1.0_touch'")
	if err != nil || out != "count_star()\n2\n" {
		t.Fatalf("lake.experiments: %q %v", out, err)
	}
}
