package gold

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/engine/watch"
	"github.com/spysql/spysql/internal/testkit"
	"github.com/spysql/spysql/sqlfeatures"
)

// The tests share one lake with Bronze and the test version v1.0_touch
// built for three dates; each test copies it.
var (
	fixtureRoot  string
	fixtureDates = []string{"2025-12-15", "2025-12-16", "2025-12-17"}
)

const (
	touchManifest = "testdata/touch/v1.0_touch.yaml"
	touchID       = "v1.0_touch"
	childEnv      = "SPYSQL_GOLD_CHILD"
)

// childJob is what a re-executed test binary does (kill tests).
type childJob struct {
	Mode    string   `json:"mode"` // "promote" (default) or "rollback"
	Lake    string   `json:"lake"`
	Dataset string   `json:"dataset"`
	Version string   `json:"version"`
	Dates   []string `json:"dates"`
	PauseAt string   `json:"pause_at"`
}

func TestMain(m *testing.M) {
	os.Exit(testkit.RunMain(m, childEnv, "gold-fixture-", runChild, func(dir string) error {
		fixtureRoot = dir
		return writeFixture(dir)
	}))
}

func runChild(spec string) int {
	var job childJob
	if err := json.Unmarshal([]byte(spec), &job); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	lake, err := store.OpenLake(job.Lake, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	pause := testkit.Pauser(job.PauseAt)
	if job.Mode == "rollback" {
		if _, err := Rollback(context.Background(), lake, RollbackOptions{Dataset: job.Dataset, pause: pause}); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		return 0
	}
	opts := PromoteOptions{Version: job.Version, Dataset: job.Dataset, Dates: mustDates(job.Dates), Notes: "child", pause: pause}
	if _, err := Promote(context.Background(), lake, opts); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

func mustDates(ss []string) []calendar.Date {
	var out []calendar.Date
	for _, s := range ss {
		d, err := calendar.ParseDate(s)
		if err != nil {
			panic(err)
		}
		out = append(out, d)
	}
	return out
}

// writeFixture writes SPY trades every 1-7 s from 04:00 to 20:00 New York
// time for each fixture date and builds v1.0_touch over them.
func writeFixture(root string) error {
	ctx := context.Background()
	lake, err := store.OpenLake(root, true)
	if err != nil {
		return err
	}
	cal, err := calendar.New()
	if err != nil {
		return err
	}
	for _, ds := range fixtureDates {
		d, _ := calendar.ParseDate(ds)
		s, ok, err := cal.Session(d)
		if err != nil || !ok {
			return fmt.Errorf("%s is not a trading day", ds)
		}
		r := rand.New(rand.NewPCG(uint64(d.Days()), 3))
		px := 680.0 + float64(d.Day)/10
		var spy []store.StockTrade
		var seq int64
		for ts := s.PMOpen.UnixNano(); ts < s.PostClose.UnixNano(); ts += int64(1e9 + r.Int64N(6e9)) {
			px += r.NormFloat64() * 0.03
			seq++
			spy = append(spy, store.StockTrade{
				TsEventNS: ts, TsRecvNS: ts + 2000, Source: "synthetic", Price: math.Round(px*100) / 100,
				Size: int64(1 + r.IntN(500)), Exchange: int32(1 + r.IntN(12)), TradeID: fmt.Sprint(seq), Seq: seq,
				Tape: 2, Symbol: "SPY",
			})
		}
		if _, err := store.WriteBronze(ctx, lake, spy, "fixture-"+ds); err != nil {
			return err
		}
	}
	return buildVersion(ctx, lake, touchManifest, fixtureDates)
}

func buildVersion(ctx context.Context, lake store.Lake, manifest string, dates []string) error {
	db, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
	if err != nil {
		return err
	}
	b, err := sqlfeatures.LoadBundle(ctx, db.SQL(), manifest, sqlfeatures.DecodeOptions{})
	db.Close()
	if err != nil {
		return err
	}
	_, err = sqlfeatures.Build(ctx, lake, b, sqlfeatures.BuildOptions{Dates: mustDates(dates), Engine: duck.Config{Threads: 2}})
	return err
}

// freshLake copies the fixture lake for one test.
func freshLake(t testing.TB) store.Lake {
	t.Helper()
	return testkit.CopyLake(t, fixtureRoot)
}

// childCmd re-executes the test binary to run job.
func childCmd(t testing.TB, job childJob) *exec.Cmd {
	t.Helper()
	return testkit.ChildCommand(t, childEnv, job)
}

// openDB opens an engine on lake with the Gold catalog.
func openDB(t testing.TB, lake store.Lake) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), lake, duck.Config{Threads: 2, Catalog: Catalog})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// silverCount is what DuckDB counts in silver."v1.0_touch" for dates.
func silverAgg(t testing.TB, db *duck.DB, dates []string) (int64, int64) {
	t.Helper()
	in := ""
	for i, d := range dates {
		if i > 0 {
			in += ","
		}
		in += "'" + d + "'"
	}
	var n, s int64
	q := `SELECT count(*), sum(volume) FROM silver."v1.0_touch" WHERE date IN (` + in + `)`
	if err := db.SQL().QueryRow(q).Scan(&n, &s); err != nil {
		t.Fatal(err)
	}
	return n, s
}

func newWatcher(db *duck.DB) *watch.Watcher {
	w := watch.New(db)
	w.Check(context.Background())
	return w
}
