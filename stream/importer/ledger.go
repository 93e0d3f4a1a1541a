package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spysql/spysql/engine"
)

// LedgerEntry is the import ledger's record of one imported file, stored as
// <ImportLedgerDir>/<sha256>.json.
type LedgerEntry struct {
	SHA256     string    `json:"sha256"`
	Kind       Kind      `json:"kind"`
	Source     string    `json:"source"`
	File       string    `json:"file"` // the path as given to the import
	Size       int64     `json:"size"`
	Table      string    `json:"table"`
	Records    int64     `json:"records"`
	Files      []string  `json:"files"` // lake-relative Parquet files
	Partitions []string  `json:"partitions"`
	Info       any       `json:"info,omitempty"` // e.g. DBN metadata
	ImportedAt time.Time `json:"imported_at"`
}

func ledgerPath(lake engine.Lake, sum string) string {
	return filepath.Join(lake.ImportLedgerDir(), sum+".json")
}

// ReadLedger returns the ledger entry of the file with this sha256, if any.
func ReadLedger(lake engine.Lake, sum string) (LedgerEntry, bool, error) {
	var e LedgerEntry
	b, err := os.ReadFile(ledgerPath(lake, sum))
	if errors.Is(err, os.ErrNotExist) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("read import ledger: %w", err)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, false, fmt.Errorf("import ledger %s: %w", ledgerPath(lake, sum), err)
	}
	return e, true, nil
}

func writeLedger(lake engine.Lake, e LedgerEntry) error {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("encode ledger entry: %w", err)
	}
	if err := engine.WriteFileAtomic(ledgerPath(lake, e.SHA256), append(b, '\n')); err != nil {
		return fmt.Errorf("write import ledger: %w", err)
	}
	return nil
}

// checkKey rejects partition keys that are not safe as one path element.
func checkKey(key string) error {
	if key == "" || key == "." || key == ".." || strings.ContainsAny(key, "/\\=\x00") {
		return fmt.Errorf("%q is not usable as a partition value", key)
	}
	return nil
}
