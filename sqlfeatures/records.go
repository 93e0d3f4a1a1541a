package sqlfeatures

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spysql/spysql/engine"
)

// InputFile is one Bronze file a date read.
type InputFile struct {
	Path  string `json:"path"` // relative to the lake root
	Bytes int64  `json:"bytes"`
}

// OutputFile is the Silver file of a date.
type OutputFile struct {
	Path   string `json:"path"` // relative to the lake root
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Rows   int64  `json:"rows"`
}

// LedgerEntry records how one date was built.
type LedgerEntry struct {
	Fingerprint string `json:"fingerprint"`
	// BronzeDates are the trading dates whose Bronze partitions were
	// visible: the date and its lookback days.
	BronzeDates []string    `json:"bronze_dates"`
	Bronze      []InputFile `json:"bronze"`
	Output      OutputFile  `json:"output"`
}

// DateRecord is published with each date as date=D/_date.json, in the
// same rename as its data, so the data and its record never disagree.
// ledger.json and validation.json are rebuilt from these records.
type DateRecord struct {
	Date       string      `json:"date"`
	Ledger     LedgerEntry `json:"ledger"`
	Validation Stats       `json:"validation"`
}

// Ledger is ledger.json: per date, the fingerprint, Bronze files read and
// the output file.
type Ledger struct {
	VersionID   string                 `json:"version_id"`
	Fingerprint string                 `json:"fingerprint"`
	Dates       map[string]LedgerEntry `json:"dates"`
}

// ValidationReport is validation.json: deterministic (sorted keys, no
// wall-clock times) statistics per date and in total.
type ValidationReport struct {
	VersionID   string           `json:"version_id"`
	Fingerprint string           `json:"fingerprint"`
	Rules       fpValidation     `json:"rules"`
	Columns     []ColumnSchema   `json:"columns"`
	Dates       map[string]Stats `json:"dates"`
	Total       TotalStats       `json:"total"`
}

// TotalStats are Stats over every published date of a version.
type TotalStats struct {
	Dates int `json:"dates"`
	Stats
}

// readDateRecord reads date=D/_date.json of a version.
func readDateRecord(lake engine.Lake, id, date string) (*DateRecord, error) {
	data, err := os.ReadFile(lake.VersionDateMeta(id, date))
	if err != nil {
		return nil, err
	}
	var r DateRecord
	if err := decodeJSON(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", lake.VersionDateMeta(id, date), err)
	}
	return &r, nil
}

func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// readJSONFile decodes a JSON file; a missing file is (false, nil).
func readJSONFile(path string, v any) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := decodeJSON(data, v); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

// rollup rewrites ledger.json and validation.json of version dir id from
// its published date records, with totals measured over all its files.
func rollup(ctx context.Context, db *engine.DB, id string, b *Bundle) error {
	lake := db.Lake()
	dates, err := lake.VersionDates(id)
	if err != nil {
		return err
	}
	m := b.Manifest
	ledger := Ledger{VersionID: m.ID(), Fingerprint: b.Fingerprint, Dates: map[string]LedgerEntry{}}
	report := ValidationReport{VersionID: m.ID(), Fingerprint: b.Fingerprint, Rules: rules(m),
		Columns: []ColumnSchema{}, Dates: map[string]Stats{}}
	for _, d := range dates {
		rec, err := readDateRecord(lake, id, d)
		if err != nil {
			return fmt.Errorf("rollup %s: %w", m.ID(), err)
		}
		ledger.Dates[d] = rec.Ledger
		report.Dates[d] = rec.Validation
	}
	report.Total.Dates = len(dates)
	report.Total.Columns = map[string]ColumnStats{}
	report.Total.KeyUnique, report.Total.RTHOK = true, true
	if len(dates) > 0 {
		conn, err := db.SQL().Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		src := fmt.Sprintf("read_parquet(%s, hive_partitioning = false) t", sqlString(lake.VersionPartGlob(id)))
		cols, err := describeColumns(ctx, conn, "SELECT * FROM "+src)
		if err != nil {
			return fmt.Errorf("rollup %s: %w", m.ID(), err)
		}
		// Each row is checked against its own date's session, the date taken
		// from the file name (Hive detection would also pick up any "k=v"
		// directory above the lake).
		src = fmt.Sprintf("read_parquet(%s, hive_partitioning = false, filename = true) t", sqlString(lake.VersionPartGlob(id)))
		rth := `EXISTS (SELECT 1 FROM calendar.sessions s WHERE s.date = CAST(regexp_extract(t.filename, 'date=([0-9]{4}-[0-9]{2}-[0-9]{2})/part-0\.parquet$', 1) AS DATE)
			AND t.ts_event_ns >= s.rth_open_ns AND t.ts_event_ns < s.rth_close_ns)`
		st, err := measure(ctx, conn, src, cols, m.Output.Key, rth)
		if err != nil {
			return fmt.Errorf("rollup %s: %w", m.ID(), err)
		}
		report.Columns = cols
		report.Total.Stats = *st
	}
	if err := writeJSON(lake.VersionLedgerFile(id), ledger); err != nil {
		return err
	}
	return writeJSON(lake.VersionValidationFile(id), report)
}

func rules(m *Manifest) fpValidation {
	r := fpValidation{MaxNullRateByColumn: m.Validation.MaxNullRateByColumn, AllowEmpty: m.Validation.AllowEmpty}
	if r.MaxNullRateByColumn == nil {
		r.MaxNullRateByColumn = map[string]float64{}
	}
	if m.Validation.HasMaxNullRate {
		v := m.Validation.MaxNullRate
		r.MaxNullRate = &v
	}
	return r
}

// writeJSON writes v as canonical indented JSON, atomically.
func writeJSON(path string, v any) error {
	data, err := canonicalIndent(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := engine.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// sqlString quotes a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
