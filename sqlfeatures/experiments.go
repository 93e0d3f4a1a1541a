package sqlfeatures

import (
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// Experiment is one registered run against a Silver version.
type Experiment struct {
	VersionID    string             `json:"version"`
	ExpID        string             `json:"exp_id"`
	Status       string             `json:"status"`
	Metrics      map[string]float64 `json:"metrics"`
	Notes        string             `json:"notes"`
	ModelPath    string             `json:"model_path"`
	RegisteredAt time.Time          `json:"registered_at"`
}

// registryFile is the layout of experiments.json.
type registryFile struct {
	Experiments []Experiment `json:"experiments"`
}

var (
	expIDRe  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	statusRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// Register adds e to experiments.json, or replaces the entry with the same
// version and experiment id (so a run can move from "running" to
// "completed"). The version must exist in the lake. Writers are
// serialized by a lock file and the file is replaced atomically, so
// concurrent registrations, from goroutines or processes, never lose an
// entry. A zero RegisteredAt is set to now.
func Register(ctx context.Context, lake store.Lake, e Experiment) error {
	if err := checkExperiment(e); err != nil {
		return err
	}
	if _, err := os.Stat(lake.VersionManifestFile(e.VersionID)); err != nil {
		return fmt.Errorf("register %s: %w", e.VersionID, ErrVersionNotFound)
	}
	if e.RegisteredAt.IsZero() {
		e.RegisteredAt = time.Now()
	}
	e.RegisteredAt = e.RegisteredAt.UTC().Truncate(time.Millisecond)
	if e.Metrics == nil {
		e.Metrics = map[string]float64{}
	}
	lock, err := acquireLock(ctx, lake.ExperimentsLockFile(), nil)
	if err != nil {
		return fmt.Errorf("register %s/%s: %w", e.VersionID, e.ExpID, err)
	}
	defer lock.release()
	var reg registryFile
	if _, err := readJSONFile(lake.ExperimentsFile(), &reg); err != nil {
		return fmt.Errorf("register %s/%s: %w", e.VersionID, e.ExpID, err)
	}
	replaced := false
	for i, x := range reg.Experiments {
		if x.VersionID == e.VersionID && x.ExpID == e.ExpID {
			reg.Experiments[i] = e
			replaced = true
		}
	}
	if !replaced {
		reg.Experiments = append(reg.Experiments, e)
	}
	sortExperiments(reg.Experiments)
	if err := writeJSON(lake.ExperimentsFile(), reg); err != nil {
		return fmt.Errorf("register %s/%s: %w", e.VersionID, e.ExpID, err)
	}
	return nil
}

func checkExperiment(e Experiment) error {
	switch {
	case !ValidVersionID(e.VersionID):
		return fmt.Errorf("register: %q is not a version id (want vMAJOR.MINOR_name)", e.VersionID)
	case !expIDRe.MatchString(e.ExpID):
		return fmt.Errorf("register %s: experiment id %q must be letters, digits, '.', '_' or '-'", e.VersionID, e.ExpID)
	case !statusRe.MatchString(e.Status):
		return fmt.Errorf("register %s/%s: status %q must be a lowercase word such as running, completed or failed", e.VersionID, e.ExpID, e.Status)
	}
	for k, v := range e.Metrics {
		if k == "" {
			return fmt.Errorf("register %s/%s: a metric has no name", e.VersionID, e.ExpID)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("register %s/%s: metric %s is %v: want a finite number", e.VersionID, e.ExpID, k, v)
		}
	}
	return nil
}

func sortExperiments(es []Experiment) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].VersionID != es[j].VersionID {
			return es[i].VersionID < es[j].VersionID
		}
		return es[i].ExpID < es[j].ExpID
	})
}

// Experiments lists registered experiments, of one version when version
// is not "", sorted by version and experiment id.
func Experiments(lake store.Lake, version string) ([]Experiment, error) {
	var reg registryFile
	if _, err := readJSONFile(lake.ExperimentsFile(), &reg); err != nil {
		return nil, fmt.Errorf("experiments: %w", err)
	}
	out := []Experiment{}
	for _, e := range reg.Experiments {
		if version == "" || e.VersionID == version {
			out = append(out, e)
		}
	}
	sortExperiments(out)
	return out, nil
}
