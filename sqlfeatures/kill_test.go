package sqlfeatures

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

// killChild starts a child build and SIGKILLs it when it prints "PAUSED
// <point>" (pauseAt set) or after delay. It reports whether the child was
// still running when killed.
func killChild(t *testing.T, job childJob, delay time.Duration) bool {
	t.Helper()
	return testkit.KillChild(t, childCmd(t, job), job.PauseAt, delay)
}

// checkVisible asserts what a reader can see of a version is whole: every
// date directory holds its data file and a record whose hash matches, the
// manifest decodes, and the silver view reads.
func checkVisible(t *testing.T, lake store.Lake, id string) {
	t.Helper()
	entries, err := os.ReadDir(lake.VersionDir(id))
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	dates := 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
			continue // hidden staging, never read
		case strings.HasPrefix(name, "date="):
			dates++
			date := strings.TrimPrefix(name, "date=")
			rec, err := readDateRecord(lake, id, date)
			if err != nil {
				t.Fatalf("visible date %s has no record: %v", date, err)
			}
			data, err := os.ReadFile(lake.VersionDatePart(id, date))
			if err != nil {
				t.Fatalf("visible date %s has no data: %v", date, err)
			}
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) != rec.Ledger.Output.SHA256 {
				t.Fatalf("visible date %s: data does not match its record", date)
			}
		case strings.HasSuffix(name, ".tmp"):
			t.Fatalf("visible temp file %s", name)
		}
	}
	if _, err := os.Stat(lake.VersionManifestFile(id)); err == nil {
		if _, err := ReadManifest(lake.VersionManifestFile(id), DecodeOptions{}); err != nil {
			t.Fatalf("manifest.yaml: %v", err)
		}
	}
	if dates > 0 {
		db := openEngine(t, lake)
		var n int64
		if err := db.SQL().QueryRowContext(context.Background(), `SELECT count(*) FROM silver."`+id+`"`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("silver.%q: %d rows, %v", id, n, err)
		}
		db.Close()
	}
}

// TestKillAnyMoment kills child builds at every named point of the write,
// audit, publish sequence and at random moments; nothing partial is ever
// visible and the next run completes with the same bytes as an
// uninterrupted build.
func TestKillAnyMoment(t *testing.T) {
	manifest, _ := filepath.Abs(barsManifest)
	days := []string{"2025-12-15", "2025-12-16", "2025-12-17"}
	ref := freshLake(t)
	b := loadBundle(t, barsManifest)
	build(t, ref, b, BuildOptions{Dates: dates(t, days...)})
	want := versionFiles(t, ref, "v1.0_bars")

	lake := freshLake(t)
	job := childJob{Mode: "build", Lake: lake.Root(), Manifest: manifest, Dates: days, Threads: 2}
	for _, point := range []string{"locked", "manifest-written", "staged", "audited", "published", "staged", "audited"} {
		job.PauseAt = point
		killChild(t, job, 0)
		checkVisible(t, lake, "v1.0_bars")
	}
	job.PauseAt = ""
	r := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		killChild(t, job, time.Duration(100+r.IntN(900))*time.Millisecond)
		checkVisible(t, lake, "v1.0_bars")
	}
	build(t, lake, b, BuildOptions{Dates: dates(t, days...)})
	sameFiles(t, "after kills", versionFiles(t, lake, "v1.0_bars"), want)

	// A forced replacement killed before and after its exchange: readers
	// see the old or the new version whole, and the next build cleans up.
	changed := barsVariant(t, "v1.0_bars.yaml", [2]string{"HORIZON_BARS: 5", "HORIZON_BARS: 6"})
	for _, point := range []string{"audited", "swapped"} {
		killChild(t, childJob{Mode: "build", Lake: lake.Root(), Manifest: changed, Dates: days[:1], Force: true, PauseAt: point}, 0)
		checkVisible(t, lake, "v1.0_bars")
		fp, err := recordedFingerprint(lake, "v1.0_bars")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := lake.VersionDates("v1.0_bars")
		if point == "audited" && (fp != b.Fingerprint || len(got) != 3) {
			t.Fatalf("killed before the exchange: fingerprint %s, dates %v; want the old version", fp, got)
		}
		if point == "swapped" && (fp == b.Fingerprint || len(got) != 1) {
			t.Fatalf("killed after the exchange: fingerprint %s, dates %v; want the new version", fp, got)
		}
	}
	nb := loadBundle(t, changed)
	res := build(t, lake, nb, BuildOptions{Dates: dates(t, days[:1]...)})
	if len(res.Skipped) != 1 {
		t.Fatalf("after the replacement: %+v", res)
	}
	if left, _ := lake.ReplacementLeftovers("v1.0_bars"); len(left) != 0 {
		t.Fatalf("leftovers %v", left)
	}
	versionFiles(t, lake, "v1.0_bars")
}
