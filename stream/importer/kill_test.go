package importer

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

// killEnv makes the test binary a child that imports one DBN file
// ("<lake>|<file>") and waits to be killed.
const killEnv = "SPYSQL_TEST_IMPORT_KILL"

const (
	killRecords = 200_000
	killBatch   = 1_000
)

func killChild() {
	lakeDir, file, _ := strings.Cut(os.Getenv(killEnv), "|")
	lake, err := store.OpenLake(lakeDir, false)
	if err != nil {
		panic(err)
	}
	im, err := New(Config{Lake: lake, BatchRows: killBatch})
	if err != nil {
		panic(err)
	}
	if _, err := im.ImportFile(context.Background(), KindDBN, file); err != nil {
		panic(err)
	}
}

// visibleParquet lists the Parquet files a reader's glob would see.
func visibleParquet(t *testing.T, lake store.Lake) []string {
	t.Helper()
	files, err := filepath.Glob(lake.BronzeGlob(store.FuturesTrades))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestKilledImportLeavesNoPartialFile SIGKILLs an import in a child process
// at several moments after its first file is published. Every visible file
// must be complete, there is no ledger entry, and importing again finishes
// the job with every row exactly once.
func TestKilledImportLeavesNoPartialFile(t *testing.T) {
	lake := testkit.NewLake(t)
	file := writeTemp(t, "trades.dbn", synthDBN(t, "test_data.trades.v3.dbn.zst", killRecords, 24))
	for round, delay := range []time.Duration{0, 7 * time.Millisecond, 23 * time.Millisecond} {
		var stderr bytes.Buffer
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killEnv+"="+lake.Root()+"|"+file)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		start := len(visibleParquet(t, lake))
		deadline := time.Now().Add(30 * time.Second)
		for len(visibleParquet(t, lake)) <= start && time.Now().Before(deadline) {
			time.Sleep(500 * time.Microsecond)
		}
		time.Sleep(delay)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		if cmd.ProcessState.Success() {
			t.Fatalf("round %d: the child finished before it was killed; make the import longer", round)
		}
		if !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: child failed on its own: %v\n%s", round, err, stderr.String())
		}
		entries, _ := os.ReadDir(lake.ImportLedgerDir())
		for _, e := range entries {
			// Hidden temp files and the start marker may remain; an
			// entry (<sha256>.json) may not.
			if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
				t.Fatalf("round %d: ledger entry %s after a killed import", round, e.Name())
			}
		}
		files := visibleParquet(t, lake)
		for _, f := range files {
			if !strings.HasPrefix(filepath.Base(f), "import-") || !strings.HasSuffix(f, ".parquet") {
				t.Fatalf("round %d: unexpected visible file %s", round, f)
			}
		}
		// DuckDB reads every visible file; a partial one would fail here.
		got := query(t, lake, "SELECT count(*), count(DISTINCT seq) FROM bronze.futures_trades")
		n, _ := strconv.Atoi(strings.Split(got[0], "|")[0])
		if n == 0 || n >= killRecords || got[0] != strconv.Itoa(n)+"|"+strconv.Itoa(n) {
			t.Fatalf("round %d: rows after kill %s (want 0 < n < %d, no duplicates)", round, got[0], killRecords)
		}
		t.Logf("round %d: killed after %d files, %d rows", round, len(files), n)
	}

	// Resume: the published batches are identical no-ops, the rest is new.
	before := len(visibleParquet(t, lake))
	im := newImporter(t, lake, Config{BatchRows: killBatch})
	res, err := im.ImportFile(context.Background(), KindDBN, file)
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped || res.Unchanged != before || res.Records != killRecords {
		t.Fatalf("resumed import: %d unchanged (want %d), %d records, skipped %v", res.Unchanged, before, res.Records, res.Skipped)
	}
	got := query(t, lake, "SELECT count(*), count(DISTINCT seq), count(DISTINCT hour) FROM bronze.futures_trades")
	if want := strconv.Itoa(killRecords) + "|" + strconv.Itoa(killRecords) + "|24"; got[0] != want {
		t.Fatalf("after resume: %s, want %s", got[0], want)
	}
	if _, ok, err := ReadLedger(lake, res.SHA256); !ok || err != nil {
		t.Fatalf("no ledger entry after the resumed import: %v", err)
	}
}
