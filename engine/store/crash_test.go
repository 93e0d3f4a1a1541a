package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/internal/enginetest"
	"github.com/spysql/spysql/engine/store"
)

const crashEnv = "SPYSQL_TEST_CRASH_WRITER"

// crashRows is the row count of every partition file the crash writer makes.
const crashRows = 20000

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashEnv); dir != "" {
		crashWriter(dir)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashWriter publishes batches of MBP-10 files until it is killed.
func crashWriter(root string) {
	lake, err := store.OpenLake(root, true)
	if err != nil {
		panic(err)
	}
	base := time.Date(2025, 12, 15, 14, 0, 0, 0, time.UTC).UnixNano()
	for i := 0; ; i++ {
		recs := make([]store.MBP10, 0, 4*crashRows)
		for h := 0; h < 4; h++ {
			for j := 0; j < crashRows; j++ {
				recs = append(recs, store.MBP10{
					TsEventNS: base + int64(h)*int64(time.Hour) + int64(j)*1000,
					Symbol:    "ES", Instrument: "ESZ5", Action: "A", Side: "B",
					Price: 6800 + float64(j%40)*0.25, Size: int64(j%7 + 1), Seq: int64(i*crashRows + j),
					BidPx00: 6800, AskPx00: 6800.25, BidSz00: 5, AskSz00: 6,
				})
			}
		}
		if _, err := store.WriteBronze(context.Background(), lake, recs, fmt.Sprintf("b%05d", i)); err != nil {
			panic(err)
		}
	}
}

// TestCrashLeavesNoPartialFile kills a writer process at several moments;
// every visible file must be complete.
func TestCrashLeavesNoPartialFile(t *testing.T) {
	lake := enginetest.Lake(t)
	for round, delay := range []time.Duration{0, 3 * time.Millisecond, 11 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+lake.Root())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Once the writer has published something and is writing a temp
		// file, kill it inside that write.
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			m, _ := filepath.Glob(lake.BronzeGlob(store.FuturesMBP10))
			if len(m) > round*4 && len(tempFiles(lake.Root())) > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(delay)
		cmd.Process.Kill()
		cmd.Wait()
	}
	if len(tempFiles(lake.Root())) == 0 {
		t.Fatal("no kill landed inside a write (no temp file left); the test proved nothing")
	}
	files, _ := filepath.Glob(lake.BronzeGlob(store.FuturesMBP10))
	if len(files) == 0 {
		t.Fatal("writer published nothing")
	}
	db := enginetest.OpenDB(t, lake)
	for _, f := range files {
		rows := enginetest.QueryStrings(t, db, "SELECT count(*) FROM read_parquet(?)", f)
		if rows[0][0] != strconv.Itoa(crashRows) {
			t.Errorf("%s: %s rows, want %d", f, rows[0][0], crashRows)
		}
	}
	// The whole view reads too, whatever temp files the kills left.
	total := enginetest.QueryStrings(t, db, "SELECT count(*) FROM bronze.futures_mbp10")
	if total[0][0] != strconv.Itoa(len(files)*crashRows) {
		t.Fatalf("view has %s rows, want %d", total[0][0], len(files)*crashRows)
	}
}

func tempFiles(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && filepath.Ext(p) == ".tmp" {
			out = append(out, p)
		}
		return nil
	})
	return out
}
