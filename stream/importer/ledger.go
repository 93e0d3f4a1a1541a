package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// LedgerEntry is the import ledger's record of one imported file, stored as
// <ImportLedgerDir>/<sha256>.json.
type LedgerEntry struct {
	SHA256     string   `json:"sha256"`
	Kind       Kind     `json:"kind"`
	Source     string   `json:"source"`
	File       string   `json:"file"` // the path as given to the import
	Size       int64    `json:"size"`
	Table      string   `json:"table"`
	Records    int64    `json:"records"`
	Files      []string `json:"files"` // lake-relative Parquet files
	Partitions []string `json:"partitions"`
	Info       any      `json:"info,omitempty"` // e.g. DBN metadata
	// Options are the import settings that shape the written files
	// (batch size, symbol root); a file is only ever imported with one.
	Options    string    `json:"options"`
	ImportedAt time.Time `json:"imported_at"`
}

func ledgerPath(lake store.Lake, sum string) string {
	return filepath.Join(lake.ImportLedgerDir(), sum+".json")
}

// ReadLedger returns the ledger entry of the file with this sha256, if any.
func ReadLedger(lake store.Lake, sum string) (LedgerEntry, bool, error) {
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

func writeLedger(lake store.Lake, e LedgerEntry) error {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("encode ledger entry: %w", err)
	}
	if err := store.WriteFileAtomic(ledgerPath(lake, e.SHA256), append(b, '\n')); err != nil {
		return fmt.Errorf("write import ledger: %w", err)
	}
	return nil
}

// startMarker is written before a file's first batch and removed with the
// ledger entry: a resumed import must use the same options, or its batch
// files would hold other rows than the killed run's.
func startMarker(lake store.Lake, sum string) string {
	return filepath.Join(lake.ImportLedgerDir(), sum+".started")
}

// beginImport checks a killed run's options against opts and records them.
func beginImport(lake store.Lake, sum, path, opts string) error {
	b, err := os.ReadFile(startMarker(lake, sum))
	switch {
	case err == nil && string(b) != opts:
		return fmt.Errorf("%s: an interrupted import of this file used options %q; resume it with those, not %q", path, string(b), opts)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("read import marker: %w", err)
	}
	if err := store.WriteFileAtomic(startMarker(lake, sum), []byte(opts)); err != nil {
		return fmt.Errorf("write import marker: %w", err)
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
