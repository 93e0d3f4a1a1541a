package main

import (
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
	if !strings.Contains(out, "indexed gold.ds by k:") {
		t.Errorf("output %q", out)
	}
	type indexRecord struct {
		Key int64  `parquet:"key"`
		Row []byte `parquet:"row"`
	}
	got, err := parquet.ReadFile[indexRecord](lake.GoldPointIndexPath("ds"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) || got[9999].Key != 9999 || !strings.HasSuffix(string(got[9999].Row), rows[9999].V) {
		t.Fatalf("index has %d rows, last %+v", len(got), got[len(got)-1])
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
