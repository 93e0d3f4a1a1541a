package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Paths inside a Silver version directory, and the helpers the Silver
// builder (package sqlfeatures) needs to stage and publish them. A version
// directory holds:
//
//	manifest.yaml          the manifest as given, plus its fingerprint
//	sql/...                copies of the bundle's SQL files
//	validation.json        per date and total statistics
//	ledger.json            per date inputs and outputs
//	date=D/part-0.parquet  one file per trading date
//	date=D/_date.json      that date's ledger and validation entry
//
// Hidden names (a leading dot) are never read as versions or dates:
// .staging-* directories inside a version, .replace-* versions next to it,
// and the .locks directory.

// silverPartFile is the single data file of one Silver date.
const silverPartFile = "part-0.parquet"

// VersionManifestFile is the manifest.yaml of a version.
func (l Lake) VersionManifestFile(versionID string) string {
	return filepath.Join(l.VersionDir(versionID), "manifest.yaml")
}

// VersionValidationFile is the validation.json of a version.
func (l Lake) VersionValidationFile(versionID string) string {
	return filepath.Join(l.VersionDir(versionID), "validation.json")
}

// VersionLedgerFile is the ledger.json of a version.
func (l Lake) VersionLedgerFile(versionID string) string {
	return filepath.Join(l.VersionDir(versionID), "ledger.json")
}

// VersionFile is a file of the version at a slash-separated path relative
// to its directory (the copied SQL files, e.g. "sql/bars.sql"). rel must be
// a clean relative path inside the directory.
func (l Lake) VersionFile(versionID, rel string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("version %s: path %q leaves the version directory", versionID, rel)
	}
	return filepath.Join(l.VersionDir(versionID), filepath.FromSlash(rel)), nil
}

// VersionDatePart is the Parquet file of one date of a version.
func (l Lake) VersionDatePart(versionID, date string) string {
	return filepath.Join(l.VersionDateDir(versionID, date), silverPartFile)
}

// VersionDateMeta is the per-date ledger and validation entry, published
// atomically with the data file in the same directory. The leading
// underscore keeps Hive readers (DuckDB, Spark) from treating it as data.
func (l Lake) VersionDateMeta(versionID, date string) string {
	return filepath.Join(l.VersionDateDir(versionID, date), "_date.json")
}

// VersionStagingDir is a hidden directory inside a version where one date
// is written and audited before it is renamed to date=D. tag makes it
// unique per attempt.
func (l Lake) VersionStagingDir(versionID, date, tag string) string {
	return filepath.Join(l.VersionDir(versionID), ".staging-"+date+"-"+tag)
}

// StagingPart is the data file inside a staging directory; renaming the
// staging directory to VersionDateDir makes it VersionDatePart.
func StagingPart(stagingDir string) string { return filepath.Join(stagingDir, silverPartFile) }

// StagingMeta is the per-date entry inside a staging directory; renaming
// the staging directory makes it VersionDateMeta.
func StagingMeta(stagingDir string) string { return filepath.Join(stagingDir, "_date.json") }

// VersionLeftovers lists the hidden staging directories inside a version
// that an interrupted build left behind.
func (l Lake) VersionLeftovers(versionID string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(l.VersionDir(versionID), ".staging-*"))
	if err != nil {
		return nil, fmt.Errorf("list staging of %s: %w", versionID, err)
	}
	return m, nil
}

// ReplacementVersionID is the hidden id under which a whole replacement of
// versionID is built before it is exchanged with the live directory.
func ReplacementVersionID(versionID, tag string) string { return ".replace-" + versionID + "-" + tag }

// ReplacementLeftovers lists hidden replacement directories of versionID
// that an interrupted build left behind (an unfinished replacement, or the
// old version after the exchange).
func (l Lake) ReplacementLeftovers(versionID string) ([]string, error) {
	m, err := filepath.Glob(l.VersionDir(ReplacementVersionID(versionID, "*")))
	if err != nil {
		return nil, fmt.Errorf("list leftovers of %s: %w", versionID, err)
	}
	sort.Strings(m)
	return m, nil
}

// VersionDates lists the dates of a version that have a published data
// file, sorted ("2006-01-02" strings).
func (l Lake) VersionDates(versionID string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(l.VersionDir(versionID), "date=*", silverPartFile))
	if err != nil {
		return nil, fmt.Errorf("list dates of %s: %w", versionID, err)
	}
	out := make([]string, 0, len(m))
	for _, f := range m {
		out = append(out, strings.TrimPrefix(filepath.Base(filepath.Dir(f)), "date="))
	}
	sort.Strings(out)
	return out, nil
}

// VersionPartGlob matches every published data file of a version.
func (l Lake) VersionPartGlob(versionID string) string {
	return filepath.Join(l.VersionDir(versionID), "date=*", silverPartFile)
}

// VersionLockFile is the lock file that serializes builds of one version.
// It lives outside the version directory, which a forced rebuild replaces.
func (l Lake) VersionLockFile(versionID string) string {
	return filepath.Join(l.SilverFeaturesDir(), ".locks", versionID+".lock")
}

// ExperimentsLockFile is the lock file that serializes writers of
// experiments.json.
func (l Lake) ExperimentsLockFile() string {
	return filepath.Join(l.SilverFeaturesDir(), ".locks", "experiments.json.lock")
}

// LakeRelative is path relative to the lake root with forward slashes, for
// ledgers that must not depend on where the lake is mounted. Paths outside
// the root are returned unchanged.
func (l Lake) LakeRelative(path string) string {
	rel, err := filepath.Rel(l.root, path)
	if err != nil || !filepath.IsLocal(rel) {
		return path
	}
	return filepath.ToSlash(rel)
}

// VersionIDs lists every Silver version directory, built dates or not,
// sorted; hidden names are skipped.
func (l Lake) VersionIDs() ([]string, error) {
	entries, err := os.ReadDir(l.SilverFeaturesDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list silver versions: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(e.Name(), "_") {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}
