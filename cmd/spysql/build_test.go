package main

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

const barsManifest = "../../sqlfeatures/testdata/bundles/bars/v1.0_bars.yaml"

// silverLake writes SPY trades every 2 s and an ES book every 5 s for
// 2025-12-15, 04:00 to 20:00 New York time.
func silverLake(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	lake, err := store.OpenLake(root, false)
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.New()
	s, _, _ := cal.Session(calendar.Date{Year: 2025, Month: 12, Day: 15})
	var spy []store.StockTrade
	var book []store.MBP10
	for i, ts := 0, s.PMOpen.UnixNano(); ts < s.PostClose.UnixNano(); i, ts = i+1, ts+2e9 {
		px := 680 + math.Sin(float64(i)/300)
		spy = append(spy, store.StockTrade{TsEventNS: ts, TsRecvNS: ts, Source: "synthetic", Price: px, Size: int64(1 + i%100), Seq: int64(i), Symbol: "SPY"})
		if i%5 == 0 {
			book = append(book, store.MBP10{TsEventNS: ts, TsRecvNS: ts, Source: "synthetic", Instrument: "ESZ5", Action: "A", Side: "B",
				BidPx00: px * 10, AskPx00: px*10 + 0.25, BidSz00: int64(1 + i%7), AskSz00: int64(1 + i%5), Seq: int64(i), Symbol: "ES"})
		}
	}
	if _, err := store.WriteBronze(context.Background(), lake, spy, "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteBronze(context.Background(), lake, book, "t"); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestSilverCLI runs build, list, query, query --manifest, register,
// experiments and compare against one lake.
func TestSilverCLI(t *testing.T) {
	lake := silverLake(t)
	out, err := runCLI(t, "--lake", lake, "build", barsManifest, "--dates", "2025-12-13..2025-12-16", "--threads", "2")
	if err == nil {
		t.Fatalf("a failing date must fail the command:\n%s", out)
	}
	wantErr := "build v1.0_bars: 1 date(s) failed:\n  date 2025-12-16: audit failed: no rows"
	if !strings.HasPrefix(err.Error(), wantErr) {
		t.Fatalf("error %q, want it to start with %q", err, wantErr)
	}
	for _, want := range []string{"built    2025-12-15       390 rows", "FAILED   2025-12-16", "not trading days: 2025-12-13, 2025-12-14",
		"1 built (390 rows), 0 skipped, 1 failed, 2 not trading days"} {
		if !strings.Contains(out, want) {
			t.Errorf("build output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "--lake", lake, "build", barsManifest, "--dates", "2025-12-15")
	if err != nil || !strings.Contains(out, "skipped  2025-12-15") {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}

	out, err = runCLI(t, "--lake", lake, "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct {
		Version string   `json:"version"`
		Dates   []string `json:"dates"`
		Rows    int64    `json:"rows"`
		Status  string   `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &vs); err != nil || len(vs) != 1 || vs[0].Version != "v1.0_bars" ||
		vs[0].Rows != 390 || vs[0].Status != "ready" || strings.Join(vs[0].Dates, ",") != "2025-12-15" {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "--lake", lake, "list"); err != nil || !strings.Contains(out, "v1.0_bars  1 (2025-12-15)  390") {
		t.Fatalf("list: %v\n%s", err, out)
	}

	queries := []struct {
		args []string
		want string
	}{
		{[]string{"query", "--format", "csv", `SELECT date, count(*) AS n FROM silver."v1.0_bars" GROUP BY date`}, "date,n\n2025-12-15,390\n"},
		// Unmaterialized and unscoped: the pre- and post-market bars are there too.
		{[]string{"query", "--format", "csv", "--manifest", barsManifest, "SELECT count(*) AS n, getvariable('HORIZON_BARS') AS h FROM bars_book"}, "n,h\n960,5\n"},
	}
	for _, q := range queries {
		out, err := runCLI(t, append([]string{"--lake", lake}, q.args...)...)
		if err != nil || out != q.want {
			t.Errorf("%v: %v\n%q, want %q", q.args, err, out, q.want)
		}
	}

	if _, err := runCLI(t, "--lake", lake, "register", "v1.0_bars", "--exp", "e1", "--status", "completed",
		"--metric", "auc=0.72", "--metric", "precision=0.68", "--notes", "first", "--model-path", "m/e1"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, "--lake", lake, "register", "v1.0_bars", "--exp", "e2", "--status", "done", "--metric", "auc"); err == nil ||
		err.Error() != `--metric "auc": want NAME=VALUE, e.g. auc=0.72` {
		t.Fatalf("bad metric: %v", err)
	}
	out, err = runCLI(t, "--lake", lake, "experiments", "--version", "v1.0_bars")
	if err != nil || !strings.Contains(out, "auc=0.72,precision=0.68") || !strings.Contains(out, "(1 experiments)") {
		t.Fatalf("experiments: %v\n%s", err, out)
	}

	out, err = runCLI(t, "--lake", lake, "compare", "v1.0_bars", "v1.0_bars")
	if err != nil || !strings.Contains(out, "differences: schema 0/13, parameters 0/3, feature groups 0/3, dates 0/1, column stats 0/13") {
		t.Fatalf("compare: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "--lake", lake, "compare", "v1.0_bars", "v2.0_none"); err == nil || !strings.Contains(err.Error(), "version not found") {
		t.Fatalf("compare with a missing version: %v", err)
	}
}
