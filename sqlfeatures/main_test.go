package sqlfeatures

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

// childEnv selects a child mode: the test binary re-executes itself to
// build or register from another process (kill and concurrency tests).
const childEnv = "SPYSQL_SQLFEATURES_CHILD"

// childJob is what a child process does, passed as JSON in childEnv.
type childJob struct {
	Mode     string   `json:"mode"` // "build" or "register"
	Lake     string   `json:"lake"`
	Manifest string   `json:"manifest,omitempty"`
	Dates    []string `json:"dates,omitempty"`
	Threads  int      `json:"threads,omitempty"`
	Force    bool     `json:"force,omitempty"`
	PauseAt  string   `json:"pause_at,omitempty"` // print "PAUSED <point>" and wait to be killed
	Exp      string   `json:"exp,omitempty"`
	Count    int      `json:"count,omitempty"`
}

func TestMain(m *testing.M) {
	os.Exit(testkit.RunMain(m, childEnv, "sqlfeatures-fixture-", runChild, func(dir string) error {
		fixtureRoot = dir
		writeFixtureLake(testkit.MainTB{}, dir, fixtureDates)
		return nil
	}))
}

// runChild runs one child job and returns the exit code: 0 ok, 3 when the
// build failed some dates, 1 otherwise.
func runChild(spec string) int {
	var job childJob
	if err := json.Unmarshal([]byte(spec), &job); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	ctx := context.Background()
	lake, err := store.OpenLake(job.Lake, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	switch job.Mode {
	case "register":
		for i := range job.Count {
			e := Experiment{VersionID: "v1.0_bars", ExpID: fmt.Sprintf("%s-%d", job.Exp, i), Status: "completed",
				Metrics: map[string]float64{"auc": 0.5 + float64(i)/1000}}
			if err := Register(ctx, lake, e); err != nil {
				fmt.Fprintln(os.Stderr, "child:", err)
				return 1
			}
		}
		return 0
	case "build":
		db, err := sql.Open("duckdb", "")
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		b, err := LoadBundle(ctx, db, job.Manifest, DecodeOptions{})
		db.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		var dates []calendar.Date
		for _, s := range job.Dates {
			d, _ := calendar.ParseDate(s)
			dates = append(dates, d)
		}
		opts := BuildOptions{Dates: dates, Force: job.Force, Engine: duck.Config{Threads: job.Threads}}
		if job.PauseAt != "" {
			opts.pause = testkit.Pauser(job.PauseAt)
		}
		if _, err := Build(ctx, lake, b, opts); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 3
		}
		return 0
	}
	fmt.Fprintln(os.Stderr, "child: unknown mode", job.Mode)
	return 1
}

// childCmd prepares a re-execution of the test binary running job.
func childCmd(t testing.TB, job childJob, env ...string) *exec.Cmd {
	t.Helper()
	return testkit.ChildCommand(t, childEnv, job, env...)
}
