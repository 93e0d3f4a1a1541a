package main

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/spysql/spysql/stream/natsutil"
	"github.com/spysql/spysql/stream/replay"
)

// replay over dates without Bronze: a weekend publishes nothing and says
// so; trading dates without rows fail with ErrNoBronze, and --json names
// them.
func TestReplayCLINoRows(t *testing.T) {
	lake := t.TempDir()
	s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	out, err := runCLI(t, "replay", "--lake", lake, "--nats", s.ClientURL(), "--dates", "2025-12-20..2025-12-21")
	if err != nil || !strings.Contains(out, "no trading days in 2025-12-20..2025-12-21") {
		t.Errorf("weekend: %q, %v", out, err)
	}
	out, err = runCLI(t, "replay", "--lake", lake, "--nats", s.ClientURL(), "--dates", "2025-12-19..2025-12-22", "--json")
	if !errors.Is(err, replay.ErrNoBronze) {
		t.Fatalf("no rows: err %v", err)
	}
	var rep struct {
		Messages int64
		Dates    int
		Missing  []string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if rep.Messages != 0 || rep.Dates != 2 || !slices.Equal(rep.Missing, []string{"2025-12-19", "2025-12-22"}) {
		t.Errorf("no rows: %+v", rep)
	}
}
