package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// DefaultLakeDir is the lake root used when neither --lake nor SPYSQL_LAKE
// is given.
const DefaultLakeDir = "./data/lake"

// Lake is the on-disk layout of one lake (docs/ARCHITECTURE.md, "The lake"). It is the
// only place that builds lake paths; a zero Lake is not usable, make one
// with OpenLake.
type Lake struct {
	root string
}

// OpenLake checks root (creating it when create is set) and returns its
// layout. A root that exists but is not a directory is an error.
func OpenLake(root string, create bool) (Lake, error) {
	if root == "" {
		return Lake{}, errors.New("lake path is empty")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return Lake{}, fmt.Errorf("lake %s: %w", root, err)
	}
	st, err := os.Stat(abs)
	switch {
	case err == nil && !st.IsDir():
		return Lake{}, fmt.Errorf("lake %s is not a directory", root)
	case errors.Is(err, os.ErrNotExist) && create:
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return Lake{}, fmt.Errorf("create lake %s: %w", root, err)
		}
	case errors.Is(err, os.ErrNotExist):
		return Lake{}, fmt.Errorf("lake %s does not exist", root)
	case err != nil:
		return Lake{}, fmt.Errorf("lake %s: %w", root, err)
	}
	return Lake{root: abs}, nil
}

// Root is the absolute lake root.
func (l Lake) Root() string { return l.root }

// BronzeDir is the directory of one Bronze table.
func (l Lake) BronzeDir(t Table) string {
	return filepath.Join(l.root, "bronze", filepath.FromSlash(t.Path()))
}

// BronzeGlob matches every Parquet file of a Bronze table.
func (l Lake) BronzeGlob(t Table) string {
	return filepath.Join(l.BronzeDir(t), "*=*", "date=*", "hour=*", "*.parquet")
}

// PartitionDir is the directory of one Hive partition of a Bronze table.
func (l Lake) PartitionDir(t Table, key, date, hour string) string {
	return filepath.Join(l.BronzeDir(t), t.KeyColumn()+"="+key, "date="+date, "hour="+hour)
}

// PartitionFiles lists the Parquet files of the given partitions, sorted,
// skipping partitions that do not exist.
func (l Lake) PartitionFiles(t Table, dateHours [][2]string) ([]string, error) {
	var files []string
	for _, dh := range dateHours {
		pattern := filepath.Join(l.BronzeDir(t), "*=*", "date="+dh[0], "hour="+dh[1], "*.parquet")
		m, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", pattern, err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	return files, nil
}

// ImportLedgerDir holds one record per imported raw file, by fingerprint.
func (l Lake) ImportLedgerDir() string { return filepath.Join(l.root, "bronze", "_imports") }

// SilverFeaturesDir holds every Silver feature version.
func (l Lake) SilverFeaturesDir() string { return filepath.Join(l.root, "silver", "features") }

// VersionDir is the directory of one Silver version.
func (l Lake) VersionDir(versionID string) string {
	return filepath.Join(l.SilverFeaturesDir(), versionID)
}

// VersionDateDir is the date=D partition of a Silver version.
func (l Lake) VersionDateDir(versionID, date string) string {
	return filepath.Join(l.VersionDir(versionID), "date="+date)
}

// ExperimentsFile is the experiment registry.
func (l Lake) ExperimentsFile() string {
	return filepath.Join(l.SilverFeaturesDir(), "experiments.json")
}

// GoldTrainingDir holds promoted training datasets.
func (l Lake) GoldTrainingDir() string { return filepath.Join(l.root, "gold", "training") }

// GoldPointIndexPath is the point-read index of a Gold training dataset
// (see WritePointIndex): the same rows in small pages, in a directory
// that dataset listing skips.
func (l Lake) GoldPointIndexPath(dataset string) string {
	return filepath.Join(l.GoldTrainingDir(), "_points", dataset+".parquet")
}

// SilverPointIndexPath is the point-read index of a Silver version (see
// point.WriteIndex), beside the versions in a directory that version
// listing skips.
func (l Lake) SilverPointIndexPath(versionID string) string {
	return filepath.Join(l.SilverFeaturesDir(), "_points", versionID+".parquet")
}

// GoldEvaluationDir holds backtest evaluations.
func (l Lake) GoldEvaluationDir() string { return filepath.Join(l.root, "gold", "evaluation") }

// GoldSignalsDir holds streamed signals, partitioned like Bronze.
func (l Lake) GoldSignalsDir() string {
	return filepath.Join(l.root, "gold", "streaming", "signals")
}

// BronzeDates lists the UTC dates that have a partition of a Bronze
// table, sorted and without duplicates.
func (l Lake) BronzeDates(t Table) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(l.BronzeDir(t), "*=*", "date=*"))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range m {
		d := filepath.Base(p)[len("date="):]
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out, nil
}

// GoldSignalsPartitionDir is one underlying=U/date=D/hour=H partition of the
// streamed signals.
func (l Lake) GoldSignalsPartitionDir(underlying, date, hour string) string {
	return filepath.Join(l.GoldSignalsDir(), "underlying="+underlying, "date="+date, "hour="+hour)
}

// GoldSignalsGlob matches every file of the streamed signals.
func (l Lake) GoldSignalsGlob() string {
	return filepath.Join(l.GoldSignalsDir(), "underlying=*", "date=*", "hour=*", "*.parquet")
}
