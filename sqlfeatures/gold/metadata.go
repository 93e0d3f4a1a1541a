package gold

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// Column is one column of a dataset and its DuckDB type.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Metadata is <dataset>_metadata.json: what a promotion (or rollback)
// published, written once into its promotion directory.
type Metadata struct {
	Dataset string `json:"dataset"`
	// Promotion is this entry's place in the dataset's history (1, 2, ...).
	Promotion int `json:"promotion"`
	// Action is "promote" or "rollback".
	Action string `json:"action"`
	// RestoredFrom is the promotion a rollback restored.
	RestoredFrom  int      `json:"restored_from,omitempty"`
	SourceVersion string   `json:"source_version"`
	Fingerprint   string   `json:"fingerprint"`
	Dates         []string `json:"dates"`
	Rows          int64    `json:"rows"`
	Key           []string `json:"key"`
	Labels        []string `json:"labels"`
	Columns       []Column `json:"columns"`
	// NullLimits are the manifest's null-rate limits per column.
	NullLimits map[string]float64 `json:"null_limits"`
	File       string             `json:"file"`
	SHA256     string             `json:"sha256"`
	Bytes      int64              `json:"bytes"`
	Notes      string             `json:"notes"`
	// PromotedAt is when the data was promoted (kept by a rollback);
	// RecordedAt is when this history entry was made.
	PromotedAt time.Time `json:"promoted_at"`
	RecordedAt time.Time `json:"recorded_at"`
	// ForcedGates are the gates that failed and were overridden (--force).
	ForcedGates []string `json:"forced_gates"`
}

// Typed errors callers branch on.
var (
	ErrDatasetNotFound = errors.New("no such Gold dataset")
	ErrBadName         = errors.New("not a dataset name")
)

var nameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)

// reserved names are Gold views that are not training datasets.
var reserved = map[string]bool{"backtests": true}

// CheckName refuses a dataset name that is not a plain identifier
// (letters, digits, underscores, starting with a letter).
func CheckName(name string) error {
	if !nameRe.MatchString(name) || reserved[strings.ToLower(name)] {
		return fmt.Errorf("%q: %w (want a plain identifier such as signals_production)", name, ErrBadName)
	}
	return nil
}

// current is the promotion number the dataset's pointer names, 0 when the
// dataset was never promoted.
func current(lake store.Lake, name string) (int, error) {
	target, err := os.Readlink(lake.GoldCurrentLink(name))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("dataset %s: %w", name, err)
	}
	n, err := store.ParseGoldCurrentTarget(name, target)
	if err != nil {
		return 0, fmt.Errorf("dataset %s: pointer %s: %w", name, lake.GoldCurrentLink(name), err)
	}
	return n, nil
}

// metadataPath and dataPath are the files of promotion n.
func metadataPath(lake store.Lake, name string, n int) string {
	return lake.GoldPromotionMetadata(name, n)
}

func dataPath(lake store.Lake, name string, n int) string {
	return lake.GoldPromotionData(name, n)
}

// readMetadata reads and checks promotion n's metadata.
func readMetadata(lake store.Lake, name string, n int) (*Metadata, error) {
	p := metadataPath(lake, name, n)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("dataset %s promotion %d: %w", name, n, err)
	}
	var m Metadata
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("dataset %s: corrupted metadata %s: %v", name, p, err)
	}
	switch {
	case m.Dataset != name:
		return nil, fmt.Errorf("dataset %s: corrupted metadata %s: it is for dataset %q", name, p, m.Dataset)
	case m.Promotion != n:
		return nil, fmt.Errorf("dataset %s: corrupted metadata %s: it says promotion %d", name, p, m.Promotion)
	case len(m.SHA256) != 64 || m.File != name+".parquet":
		return nil, fmt.Errorf("dataset %s: corrupted metadata %s: no file hash", name, p)
	}
	return &m, nil
}

// Current reads a dataset's current metadata and the path of its data
// file, resolved once through the pointer so the two always agree.
func Current(lake store.Lake, name string) (*Metadata, string, error) {
	if err := CheckName(name); err != nil {
		return nil, "", err
	}
	n, err := current(lake, name)
	if err != nil {
		return nil, "", err
	}
	if n == 0 {
		return nil, "", fmt.Errorf("dataset %s: %w", name, ErrDatasetNotFound)
	}
	m, err := readMetadata(lake, name, n)
	if err != nil {
		return nil, "", err
	}
	return m, dataPath(lake, name, n), nil
}

// History lists a dataset's promotions and rollbacks, oldest first: the
// entries up to the current one (later directories are leftovers of an
// interrupted promotion and never count).
func History(lake store.Lake, name string) ([]*Metadata, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	n, err := current(lake, name)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("dataset %s: %w", name, ErrDatasetNotFound)
	}
	out := make([]*Metadata, 0, n)
	for i := 1; i <= n; i++ {
		m, err := readMetadata(lake, name, i)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Names lists the promoted datasets, sorted.
func Names(lake store.Lake) ([]string, error) {
	m, err := lake.GoldPointerNames()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range m {
		if CheckName(n) == nil {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// encodeMetadata is the canonical JSON of m.
func encodeMetadata(m *Metadata) ([]byte, error) {
	if m.Dates == nil {
		m.Dates = []string{}
	}
	if m.ForcedGates == nil {
		m.ForcedGates = []string{}
	}
	if m.Labels == nil {
		m.Labels = []string{}
	}
	if m.NullLimits == nil {
		m.NullLimits = map[string]float64{}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
