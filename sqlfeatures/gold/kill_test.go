package gold

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

// killChild runs a child promotion and SIGKILLs it once it prints PAUSED
// (job.PauseAt set) or after delay; false if it finished first.
func killChild(t *testing.T, job childJob, delay time.Duration) bool {
	t.Helper()
	return testkit.KillChild(t, childCmd(t, job), job.PauseAt, delay)
}

// TestKillPromotion kills child promotions at every step and at random
// moments: the dataset is always the previous or the new promotion,
// whole and valid, and the next promotion cleans up after them.
func TestKillPromotion(t *testing.T) {
	lake := freshLake(t)
	old := promote(t, lake, "ds", fixtureDates[0]).Metadata
	job := childJob{Lake: lake.Root(), Dataset: "ds", Version: touchID, Dates: fixtureDates[:2]}
	var newSum string
	for _, point := range []string{"locked", "written", "staged", "renamed", "swapped", "linked", "indexed"} {
		job.PauseAt = point
		killChild(t, job, 0)
		r := validate(t, lake, "ds")
		if !r.OK {
			t.Fatalf("killed at %s: validate: %v", point, r.Failures)
		}
		afterSwap := point == "swapped" || point == "linked" || point == "indexed"
		switch {
		case !afterSwap && r.Metadata.SHA256 != old.SHA256:
			t.Fatalf("killed at %s before the swap: dataset is promotion %d", point, r.Metadata.Promotion)
		case afterSwap && r.Metadata.SHA256 == old.SHA256:
			t.Fatalf("killed at %s after the swap: dataset is still the old one", point)
		case afterSwap && newSum == "":
			newSum = r.Metadata.SHA256
		case afterSwap && r.Metadata.SHA256 != newSum:
			t.Fatalf("killed at %s: a third content", point)
		}
		if afterSwap {
			// Back to the old one for the next kill point.
			if _, err := Rollback(context.Background(), lake, RollbackOptions{Dataset: "ds"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	job.PauseAt = ""
	rng := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		killChild(t, job, time.Duration(50+rng.IntN(600))*time.Millisecond)
		if r := validate(t, lake, "ds"); !r.OK || (r.Metadata.SHA256 != old.SHA256 && r.Metadata.SHA256 != newSum) {
			t.Fatalf("killed at random: %+v", r)
		}
	}
	res := promote(t, lake, "ds", fixtureDates[:2]...)
	if got := res.Metadata.SHA256; got != newSum && !res.Unchanged {
		t.Fatalf("after the kills the promotion wrote %s, want %s", got, newSum)
	}
	// A rollback killed at every step: the current or the restored one.
	cur := res.Metadata.SHA256
	for _, point := range []string{"staged", "renamed", "swapped", "linked"} {
		killChild(t, childJob{Mode: "rollback", Lake: lake.Root(), Dataset: "ds", PauseAt: point}, 0)
		r := validate(t, lake, "ds")
		if !r.OK {
			t.Fatalf("rollback killed at %s: %v", point, r.Failures)
		}
		afterSwap := point == "swapped" || point == "linked"
		if afterSwap != (r.Metadata.SHA256 != cur) || (afterSwap && r.Metadata.Action != "rollback") {
			t.Fatalf("rollback killed at %s: dataset %s (%s), current was %s", point, r.Metadata.SHA256, r.Metadata.Action, cur)
		}
		cur = r.Metadata.SHA256
	}
	// A first promotion killed between the pointer and the public links:
	// promoting again writes nothing and makes the links.
	killChild(t, childJob{Lake: lake.Root(), Dataset: "fresh", Version: touchID, Dates: fixtureDates[:1], PauseAt: "swapped"}, 0)
	if again := promote(t, lake, "fresh", fixtureDates[0]); !again.Unchanged {
		t.Fatalf("after a first promotion killed at the links: %+v", again)
	}
	if r := validate(t, lake, "fresh"); !r.OK {
		t.Fatal(r.Failures)
	}
	h, err := History(lake, "ds")
	if err != nil {
		t.Fatal(err)
	}
	left, _ := historyEntries(lake, "ds")
	if left != len(h) {
		t.Fatalf("%d promotion directories, history has %d", left, len(h))
	}
}

// historyEntries counts the entries of a dataset's history directory,
// leftovers included (for tests and diagnostics).
func historyEntries(lake store.Lake, name string) (int, error) {
	entries, err := os.ReadDir(lake.GoldHistoryDir(name))
	return len(entries), err
}
