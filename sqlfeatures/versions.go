package sqlfeatures

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spysql/spysql/engine/store"
)

// Version statuses reported by ListVersions.
const (
	StatusReady        = "ready"        // every published date is recorded and the rollups agree
	StatusEmpty        = "empty"        // the version has no published date yet
	StatusInconsistent = "inconsistent" // see VersionInfo.Problems; a rebuild repairs it
	StatusBuilding     = "building"     // a build holds the version's lock right now
)

// VersionInfo summarizes one materialized version.
type VersionInfo struct {
	ID          string   `json:"version"`
	Fingerprint string   `json:"fingerprint"`
	Parent      string   `json:"parent_version"`
	Description string   `json:"description"`
	Dates       []string `json:"dates"`
	Rows        int64    `json:"rows"`
	Status      string   `json:"status"`
	Problems    []string `json:"problems,omitempty"`
}

// VersionDetail is everything recorded about a version: its manifest and
// its rollups.
type VersionDetail struct {
	VersionInfo
	Manifest   *Manifest
	Validation ValidationReport
	Ledger     Ledger
}

// ListVersions summarizes every version directory of the lake, sorted by
// id.
func ListVersions(lake store.Lake) ([]VersionInfo, error) {
	ids, err := lake.VersionIDs()
	if err != nil {
		return nil, err
	}
	out := []VersionInfo{}
	for _, id := range ids {
		d, err := InspectVersion(lake, id)
		if err != nil {
			out = append(out, VersionInfo{ID: id, Status: StatusInconsistent, Problems: []string{err.Error()}, Dates: []string{}})
			continue
		}
		out = append(out, d.VersionInfo)
	}
	return out, nil
}

// InspectVersion reads a version's manifest, rollups and date records and
// checks that they agree. A missing version is ErrVersionNotFound.
func InspectVersion(lake store.Lake, id string) (*VersionDetail, error) {
	if !ValidVersionID(id) {
		return nil, fmt.Errorf("%q is not a version id (want vMAJOR.MINOR_name)", id)
	}
	data, err := os.ReadFile(lake.VersionManifestFile(id))
	if errors.Is(err, os.ErrNotExist) {
		if _, serr := os.Stat(lake.VersionDir(id)); serr != nil {
			return nil, fmt.Errorf("version %s: %w", id, ErrVersionNotFound)
		}
		return nil, fmt.Errorf("version %s has no manifest.yaml", id)
	}
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", id, err)
	}
	m, err := DecodeManifest(lake.VersionManifestFile(id), data, DecodeOptions{})
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", id, err)
	}
	d := &VersionDetail{Manifest: m}
	d.ID, d.Fingerprint, d.Parent, d.Description = id, m.Fingerprint, m.ParentVersion, m.Description
	if d.Dates, err = lake.VersionDates(id); err != nil {
		return nil, err
	}
	if _, err := readJSONFile(lake.VersionValidationFile(id), &d.Validation); err != nil {
		return nil, err
	}
	if _, err := readJSONFile(lake.VersionLedgerFile(id), &d.Ledger); err != nil {
		return nil, err
	}
	problem := func(format string, args ...any) { d.Problems = append(d.Problems, fmt.Sprintf(format, args...)) }
	if m.ID() != id {
		problem("manifest.yaml defines %s", m.ID())
	}
	for _, date := range d.Dates {
		rec, err := readDateRecord(lake, id, date)
		switch {
		case err != nil:
			problem("date %s has no readable record: %v", date, err)
		case rec.Ledger.Fingerprint != m.Fingerprint:
			problem("date %s was built with fingerprint %s", date, rec.Ledger.Fingerprint)
		default:
			d.Rows += rec.Validation.Rows
		}
		if _, ok := d.Validation.Dates[date]; !ok {
			problem("date %s is missing from validation.json", date)
		}
	}
	if len(d.Validation.Dates) != len(d.Dates) {
		problem("validation.json lists %d dates, %d are published", len(d.Validation.Dates), len(d.Dates))
	}
	if len(d.Dates) > 0 && d.Validation.Fingerprint != m.Fingerprint {
		problem("validation.json has fingerprint %q", d.Validation.Fingerprint)
	}
	sort.Strings(d.Problems)
	switch {
	case locked(lake.VersionLockFile(id)):
		d.Status = StatusBuilding
	case len(d.Problems) > 0:
		d.Status = StatusInconsistent
	case len(d.Dates) == 0:
		d.Status = StatusEmpty
	default:
		d.Status = StatusReady
	}
	if d.Dates == nil {
		d.Dates = []string{}
	}
	return d, nil
}

// ParentLookup is a DecodeOptions.ParentExists for a manifest at
// manifestPath: a parent exists when it is built in the lake or when a
// manifest <id>.yaml sits next to this one.
func ParentLookup(lake store.Lake, manifestPath string) func(id string) bool {
	return func(id string) bool {
		if _, err := os.Stat(lake.VersionManifestFile(id)); err == nil {
			return true
		}
		_, err := os.Stat(filepath.Join(filepath.Dir(manifestPath), id+".yaml"))
		return err == nil
	}
}
