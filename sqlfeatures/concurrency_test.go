package sqlfeatures

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// pausedBuild starts Build in a goroutine that stops at point until
// release is closed. It returns when the build reached the point.
func pausedBuild(t *testing.T, lake store.Lake, b *Bundle, opts BuildOptions, point string, release <-chan struct{}) <-chan error {
	t.Helper()
	reached := make(chan struct{})
	var once sync.Once
	opts.pause = func(p string) {
		if p == point {
			once.Do(func() { close(reached) })
			<-release
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := Build(context.Background(), lake, b, opts)
		done <- err
	}()
	select {
	case <-reached:
	case err := <-done:
		t.Fatalf("build ended before %s: %v", point, err)
	case <-time.After(30 * time.Second):
		t.Fatalf("build never reached %s", point)
	}
	return done
}

// TestConcurrentBuilds: builds of one version wait for each other; a
// build of another version runs meanwhile.
func TestConcurrentBuilds(t *testing.T) {
	lake := freshLake(t)
	a := loadBundle(t, barsManifest)
	other := loadBundle(t, barsVariant(t, "v1.1_bars.yaml", [2]string{"version: v1.0", "version: v1.1"}))
	days := dates(t, "2025-12-15")
	release := make(chan struct{})
	first := pausedBuild(t, lake, a, BuildOptions{Dates: days}, "locked", release)

	// The second build of v1.0_bars reports that it found the lock busy
	// ("waiting"), and records whether it ever took the lock ("locked")
	// before the first released it.
	waiting := make(chan struct{})
	var waitOnce sync.Once
	var lockedEarly atomic.Bool
	secondOpts := BuildOptions{Dates: days, pause: func(p string) {
		switch p {
		case "waiting":
			waitOnce.Do(func() { close(waiting) })
		case "locked":
			select {
			case <-release:
			default:
				lockedEarly.Store(true)
			}
		}
	}}
	second := make(chan *BuildResult, 1)
	go func() {
		res, err := Build(context.Background(), lake, a, secondOpts)
		if err != nil {
			t.Error(err)
		}
		second <- res
	}()
	select {
	case <-waiting:
	case res := <-second:
		t.Fatalf("a second build of the same version ran while the first held the lock: %+v", res)
	case <-time.After(30 * time.Second):
		t.Fatal("the second build never found the lock busy")
	}
	// The other version builds to completion while v1.0_bars is locked.
	res, err := Build(context.Background(), lake, other, BuildOptions{Dates: days})
	if err != nil || len(res.Built) != 1 {
		t.Fatalf("other version: %+v, %v", res, err)
	}
	if d, err := InspectVersion(lake, "v1.1_bars"); err != nil || d.Status != StatusReady {
		t.Fatalf("v1.1_bars: %+v, %v", d, err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	select {
	case res := <-second:
		if lockedEarly.Load() {
			t.Fatal("the second build took the lock while the first held it")
		}
		if res == nil || len(res.Built) != 0 || len(res.Skipped) != 1 {
			t.Fatalf("second build of the same version: %+v (want the date skipped)", res)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second build never finished")
	}
}

// TestBuildingStatus: list reports a version whose lock is held.
func TestBuildingStatus(t *testing.T) {
	lake := freshLake(t)
	a := loadBundle(t, barsManifest)
	build(t, lake, a, BuildOptions{Dates: dates(t, "2025-12-15")})
	release := make(chan struct{})
	done := pausedBuild(t, lake, a, BuildOptions{Dates: dates(t, "2025-12-16")}, "manifest-written", release)
	d, err := InspectVersion(lake, "v1.0_bars")
	close(release)
	if err != nil || d.Status != StatusBuilding {
		t.Fatalf("status while building: %+v, %v", d, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d, _ := InspectVersion(lake, "v1.0_bars"); d.Status != StatusReady || len(d.Dates) != 2 {
		t.Fatalf("after: %+v", d)
	}
}

// TestLockCancel: waiting for a busy lock ends with the context.
func TestLockCancel(t *testing.T) {
	path := t.TempDir() + "/x.lock"
	l, err := acquireLock(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.release()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	waited := false
	_, err = acquireLock(ctx, path, func() { waited = true })
	if err == nil || !waited || ctx.Err() == nil {
		t.Fatalf("err %v, waited %v", err, waited)
	}
	if want := fmt.Sprintf("lock %s: context deadline exceeded", path); err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
}
