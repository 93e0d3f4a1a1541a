package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/stream/natsutil"
)

// replay then ingest --idle-exit through a real nats-server: every
// replayed message lands as a row.
func TestReplayIngestCLI(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	if _, err := runCLI(t, "gen", "--lake", src, "--start", "2025-12-15", "--end", "2025-12-15", "--scale", "0.002"); err != nil {
		t.Fatal(err)
	}
	s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	out, err := runCLI(t, "replay", "--lake", src, "--nats", s.ClientURL(), "--dates", "2025-12-15..2025-12-15", "--max", "--json")
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	var rep struct{ Messages, Hours int64 }
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Messages == 0 || rep.Hours != 16 {
		t.Fatalf("replay output %q: %v", out, err)
	}
	dst := filepath.Join(t.TempDir(), "dst")
	out, err = runCLI(t, "ingest", "--lake", dst, "--nats", s.ClientURL(), "--idle-exit", "1s", "--max-age", "200ms",
		"--metrics-addr", "127.0.0.1:0", "--json")
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	var ing struct{ Messages, Rows, Files, DeadLetters int64 }
	if err := json.Unmarshal([]byte(out), &ing); err != nil {
		t.Fatalf("ingest output %q: %v", out, err)
	}
	if ing.Rows != rep.Messages || ing.Messages != rep.Messages || ing.DeadLetters != 0 || ing.Files == 0 {
		t.Errorf("ingest %+v after replaying %d messages", ing, rep.Messages)
	}
	out, err = runCLI(t, "query", "--lake", dst, "--format", "csv", "SELECT (SELECT count(*) FROM bronze.futures_trades) + (SELECT count(*) FROM bronze.futures_mbp10) + (SELECT count(*) FROM bronze.stocks_trades) + (SELECT count(*) FROM bronze.options_trades) AS n")
	if err != nil || !strings.Contains(out, "\n"+itoa(rep.Messages)+"\n") {
		t.Errorf("bronze rows in the ingested lake: %q %v, want %d", out, err, rep.Messages)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestIngestReplayBadFlags(t *testing.T) {
	lake := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "--lake", lake, "--dates", "2025-13-01", "--nats", "nats://127.0.0.1:1"}, "--dates"},
		{[]string{"replay", "--lake", lake, "--dates", "2025-12-15", "--speed", "2", "--max"}, "exclude"},
		{[]string{"replay", "--lake", lake, "--dates", "2025-12-15", "--speed", "-1"}, "negative"},
		{[]string{"ingest", "--lake", lake, "--embedded", "--max-age", "20s", "--ack-wait", "30s"}, "third of the ack wait"},
		{[]string{"ingest", "--lake", lake, "--nats", "nats://127.0.0.1:1"}, "connect"},
	} {
		_, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want %q", c.args, err, c.want)
		}
	}
}
