package sqlfeatures

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// registryLake is a lake with version v1.0_bars built for one date.
func registryLake(t *testing.T) store.Lake {
	t.Helper()
	lake := freshLake(t)
	build(t, lake, loadBundle(t, barsManifest), BuildOptions{Dates: dates(t, "2025-12-15")})
	return lake
}

// TestRegisterConcurrent registers from goroutines and from child
// processes at the same time; no entry may be lost.
func TestRegisterConcurrent(t *testing.T) {
	lake := registryLake(t)
	const goroutines, procs, perProc = 16, 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, goroutines+procs)
	for p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := childCmd(t, childJob{Mode: "register", Lake: lake.Root(), Exp: fmt.Sprintf("proc%d", p), Count: perProc})
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("child %d: %v: %s", p, err, out)
			}
		}()
	}
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := Experiment{VersionID: "v1.0_bars", ExpID: fmt.Sprintf("g%02d", g), Status: "running",
				Metrics: map[string]float64{"auc": float64(g) / 100}, Notes: "goroutine"}
			if err := Register(context.Background(), lake, e); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	es, err := Experiments(lake, "v1.0_bars")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != goroutines+procs*perProc {
		t.Fatalf("%d experiments registered, want %d", len(es), goroutines+procs*perProc)
	}
	for i := 1; i < len(es); i++ {
		if es[i-1].ExpID >= es[i].ExpID {
			t.Fatalf("not sorted: %s before %s", es[i-1].ExpID, es[i].ExpID)
		}
	}
}

// TestRegister covers replacement of an entry, the filter and bad input.
func TestRegister(t *testing.T) {
	lake := registryLake(t)
	ctx := context.Background()
	at := time.Date(2025, 12, 24, 12, 0, 0, 0, time.UTC)
	e := Experiment{VersionID: "v1.0_bars", ExpID: "e1", Status: "running", RegisteredAt: at}
	if err := Register(ctx, lake, e); err != nil {
		t.Fatal(err)
	}
	e.Status, e.Metrics, e.ModelPath, e.Notes = "completed", map[string]float64{"auc": 0.72, "precision": 0.68}, "models/e1.onnx", "done"
	if err := Register(ctx, lake, e); err != nil {
		t.Fatal(err)
	}
	es, err := Experiments(lake, "")
	if err != nil || len(es) != 1 {
		t.Fatalf("%+v, %v", es, err)
	}
	got := es[0]
	if got.Status != "completed" || got.Metrics["precision"] != 0.68 || got.ModelPath != "models/e1.onnx" || !got.RegisteredAt.Equal(at) {
		t.Fatalf("entry %+v", got)
	}
	if es, _ := Experiments(lake, "v2.0_other"); len(es) != 0 {
		t.Fatalf("filter: %+v", es)
	}
	data, _ := os.ReadFile(lake.ExperimentsFile())
	want := `{
  "experiments": [
    {
      "exp_id": "e1",
      "metrics": {
        "auc": 0.72,
        "precision": 0.68
      },
      "model_path": "models/e1.onnx",
      "notes": "done",
      "registered_at": "2025-12-24T12:00:00Z",
      "status": "completed",
      "version": "v1.0_bars"
    }
  ]
}
`
	if string(data) != want {
		t.Fatalf("experiments.json:\n%s\nwant:\n%s", data, want)
	}

	bad := []struct {
		name string
		e    Experiment
		want string
	}{
		{"unknown version", Experiment{VersionID: "v9.9_none", ExpID: "x", Status: "running"}, "register v9.9_none: version not found"},
		{"bad version id", Experiment{VersionID: "bars", ExpID: "x", Status: "running"}, `register: "bars" is not a version id (want vMAJOR.MINOR_name)`},
		{"bad exp id", Experiment{VersionID: "v1.0_bars", ExpID: "a b", Status: "running"}, `register v1.0_bars: experiment id "a b" must be letters, digits, '.', '_' or '-'`},
		{"bad status", Experiment{VersionID: "v1.0_bars", ExpID: "x", Status: "Done!"}, `register v1.0_bars/x: status "Done!" must be a lowercase word such as running, completed or failed`},
		{"NaN metric", Experiment{VersionID: "v1.0_bars", ExpID: "x", Status: "done", Metrics: map[string]float64{"auc": math.NaN()}}, "register v1.0_bars/x: metric auc is NaN: want a finite number"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := Register(ctx, lake, tc.e)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err %v, want %s", err, tc.want)
			}
		})
	}
	if err := Register(ctx, lake, bad[0].e); !errors.Is(err, ErrVersionNotFound) {
		t.Fatalf("errors.Is ErrVersionNotFound: %v", err)
	}
}
