package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/store"
)

type indexRow struct {
	K int64  `parquet:"k"`
	V string `parquet:"v"`
}

func TestIndexCommand(t *testing.T) {
	dir := t.TempDir()
	lake, err := store.OpenLake(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(lake.GoldTrainingDir(), "ds.parquet")
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	rows := make([]indexRow, 10_000)
	for i := range rows {
		rows[i] = indexRow{K: int64(i), V: strings.Repeat("v", i%7)}
	}
	if err := parquet.WriteFile(src, rows); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(src)
	out, err := runCLI(t, "--lake", dir, "index", "ds")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "indexed gold.ds by k (BIGINT)") {
		t.Errorf("output %q", out)
	}
	type indexRecord struct {
		Key   int64  `parquet:"key"`
		Block []byte `parquet:"block,optional"`
	}
	got, err := parquet.ReadFile[indexRecord](lake.GoldPointIndexPath("ds"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, r := range got {
		if r.Block != nil {
			blocks++
		}
	}
	if len(got) != len(rows) || got[9999].Key != 9999 || blocks != (len(rows)+511)/512 {
		t.Fatalf("index has %d rows, %d blocks, last %+v", len(got), blocks, got[len(got)-1].Key)
	}
	if after, _ := os.ReadFile(src); string(after) != string(before) {
		t.Fatal("the dataset changed")
	}
	// Again: replaced, same content.
	if _, err := runCLI(t, "--lake", dir, "index", "ds"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, "--lake", dir, "index", "ds", "--key", "v"); err == nil {
		t.Error("index keyed by a VARCHAR column: no error")
	}
	for _, bad := range []string{"missing", "../ds", ".ds"} {
		if _, err := runCLI(t, "--lake", dir, "index", bad); err == nil {
			t.Errorf("index %q: no error", bad)
		}
	}
}

// runCLIStderr runs spysql in-process and returns stdout, stderr and the
// error.
func runCLIStderr(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

type nestedRow struct {
	K  int64   `parquet:"k"`
	TS int64   `parquet:"ts,timestamp(microsecond)"`
	L  []int32 `parquet:"l,list"`
	M  struct {
		A int32 `parquet:"a"`
	} `parquet:"m"`
}

// A column the index cannot answer is named (a warning, or with --strict
// an error); a Silver version is indexed by silver.VERSION.
func TestIndexCommandNamesUndecodedColumns(t *testing.T) {
	dir := t.TempDir()
	lake, err := store.OpenLake(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]nestedRow, 1000)
	for i := range rows {
		rows[i].K, rows[i].TS, rows[i].L, rows[i].M.A = int64(i), int64(i)*1000, []int32{int32(i)}, int32(i)
	}
	for _, p := range []string{filepath.Join(lake.GoldTrainingDir(), "nested.parquet"), lake.VersionDatePart("v1", "2025-01-02")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := parquet.WriteFile(p, rows); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, err := runCLIStderr(t, "--lake", dir, "index", "nested")
	if err != nil || !strings.Contains(out, "indexed gold.nested by k (BIGINT)") {
		t.Fatalf("index: %q, %v", out, err)
	}
	if !strings.Contains(stderr, `column "m"`) || strings.Contains(stderr, `column "l"`) || strings.Contains(stderr, `column "ts"`) {
		t.Errorf("stderr %q: want a warning naming m only", stderr)
	}
	if _, _, err := runCLIStderr(t, "--lake", dir, "index", "gold.nested", "--strict"); err == nil || !strings.Contains(err.Error(), `column "m"`) {
		t.Errorf("--strict: err = %v, want one naming m", err)
	}
	out, _, err = runCLIStderr(t, "--lake", dir, "index", "silver.v1", "--key", "ts")
	if err != nil || !strings.Contains(out, "indexed silver.v1 by ts (TIMESTAMPTZ)") {
		t.Fatalf("index silver.v1: %q, %v", out, err)
	}
	if _, err := os.Stat(lake.SilverPointIndexPath("v1")); err != nil {
		t.Fatal(err)
	}
}
