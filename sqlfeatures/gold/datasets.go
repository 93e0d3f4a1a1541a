package gold

import (
	"path/filepath"

	"github.com/spysql/spysql/engine/store"
)

// DatasetInfo summarizes one Gold training dataset.
type DatasetInfo struct {
	*Metadata
	// HistoryDepth is how many promotions and rollbacks it has had.
	HistoryDepth int `json:"history_depth"`
	// Problem says why the dataset's metadata cannot be read (spysql
	// validate); the other fields are then empty.
	Problem string `json:"problem,omitempty"`
}

// Datasets lists every promoted dataset with its current metadata; one
// whose metadata cannot be read is listed with the problem.
func Datasets(lake store.Lake) ([]DatasetInfo, error) {
	names, err := Names(lake)
	if err != nil {
		return nil, err
	}
	out := []DatasetInfo{}
	for _, n := range names {
		m, _, err := Current(lake, n)
		if err != nil {
			out = append(out, DatasetInfo{Metadata: &Metadata{Dataset: n}, Problem: err.Error()})
			continue
		}
		out = append(out, DatasetInfo{Metadata: m, HistoryDepth: m.Promotion})
	}
	return out, nil
}

func evalSymlinks(p string) (string, error) { return filepath.EvalSymlinks(p) }
