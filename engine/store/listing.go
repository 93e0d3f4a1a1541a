package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SilverVersions lists the version ids that have at least one published
// date, sorted.
func (l Lake) SilverVersions() ([]string, error) {
	entries, err := os.ReadDir(l.SilverFeaturesDir())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list silver versions: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		m, _ := filepath.Glob(filepath.Join(l.VersionDir(e.Name()), "date=*", "part-0.parquet"))
		if len(m) > 0 {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}

// GoldDatasets lists the promoted training datasets by name, sorted.
func (l Lake) GoldDatasets() ([]string, error) {
	m, err := filepath.Glob(filepath.Join(l.GoldTrainingDir(), "*.parquet"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range m {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".parquet"))
	}
	sort.Strings(names)
	return names, nil
}
