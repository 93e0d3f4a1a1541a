package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// TestLakeWatcher refreshes only when the lake changed, with inotify and
// with polling: a Gold dataset promoted, a Silver version built and a
// date added to it are each seen by the next Check.
func TestLakeWatcher(t *testing.T) {
	for _, poll := range []bool{false, true} {
		t.Run(map[bool]string{false: "watch", true: "poll"}[poll], func(t *testing.T) {
			ctx := context.Background()
			lake, _ := store.OpenLake(t.TempDir(), true)
			db, err := duck.Open(ctx, lake, duck.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			w := New(db)
			defer w.Close()
			if poll {
				w.Close()
			}
			check := func(what string, want bool) {
				t.Helper()
				if r, err := w.Check(ctx); err != nil || r != want {
					t.Fatalf("%s: refreshed %v (%v), want %v", what, r, err, want)
				}
			}
			check("first check", true)
			check("unchanged lake", false)
			if !poll && w.dw == nil {
				t.Fatal("inotify unavailable")
			}
			write := func(path string) {
				t.Helper()
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if _, err := db.SQL().ExecContext(ctx, "COPY (SELECT 1 AS x) TO '"+path+".tmp' (FORMAT parquet)"); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(path+".tmp", path); err != nil {
					t.Fatal(err)
				}
			}
			count := func(view string, want int) {
				t.Helper()
				var n int
				if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM "+view).Scan(&n); err != nil || n != want {
					t.Fatalf("%s: %d rows (%v), want %d", view, n, err, want)
				}
			}
			write(filepath.Join(lake.GoldTrainingDir(), "g.parquet"))
			check("gold promoted", true)
			count("gold.g", 1)
			check("unchanged after gold", false)
			write(filepath.Join(lake.VersionDateDir("v1", "2025-01-02"), "part-0.parquet"))
			check("silver version built", true)
			count(`silver."v1"`, 1)
			check("unchanged after silver", false)
			write(filepath.Join(lake.VersionDateDir("v1", "2025-01-03"), "part-0.parquet"))
			check("silver date added", true)
			count(`silver."v1"`, 2)
			os.Remove(filepath.Join(lake.GoldTrainingDir(), "g.parquet"))
			check("gold removed", true)
			check("unchanged after removal", false)
		})
	}
}

// brokenWatcher fails like inotify does when its watch limit is reached.
type brokenWatcher struct{}

func (brokenWatcher) changed() (bool, error)    { return false, errors.New("inotify: no space left") }
func (brokenWatcher) watch(dirs []string) error { return errors.New("inotify: no space left") }
func (brokenWatcher) close()                    {}

// TestLakeWatcherFallsBack checks that a failing inotify watcher falls
// back to polling inside Check instead of deadlocking on its own lock.
func TestLakeWatcherFallsBack(t *testing.T) {
	ctx := context.Background()
	lake, _ := store.OpenLake(t.TempDir(), true)
	db, err := duck.Open(ctx, lake, duck.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// No deferred Close: after a deadlock it would block the test too.
	w := New(db)
	w.mu.Lock()
	w.tried, w.dw = true, brokenWatcher{}
	w.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := w.Check(ctx)
		if err == nil {
			_, err = w.Check(ctx)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Check deadlocked after the watcher failed")
	}
	if w.dw != nil {
		t.Fatal("watcher not dropped after failing")
	}
	w.Close()
}
