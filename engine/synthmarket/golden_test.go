package synthmarket

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden_hashes.txt")

// TestGoldenHashes pins the sha256 of every file of one small generated day.
// Two runs on one machine agreeing (TestGenerateDeterministic) cannot catch
// output that drifts across Go versions, architectures or refactors; this
// can. After an intended change to the generator, rerun with -update.
func TestGoldenHashes(t *testing.T) {
	dir := t.TempDir()
	genLake(t, dir, Config{Start: mustDate(t, "2025-12-15"), End: mustDate(t, "2025-12-15"), Seed: 7, Scale: testScale})
	hashes := fileHashes(t, dir)
	lines := make([]string, 0, len(hashes))
	for rel, h := range hashes {
		lines = append(lines, h+"  "+rel)
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("testdata", "golden_hashes.txt")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("generated files differ from %s (rerun with -update after an intended change):\n%s", golden, got)
	}
}
