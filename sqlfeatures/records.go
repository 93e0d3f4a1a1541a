package sqlfeatures

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/spysql/spysql/engine/store"
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
	Date       string         `json:"date"`
	Columns    []ColumnSchema `json:"columns"`
	Ledger     LedgerEntry    `json:"ledger"`
	Validation Stats          `json:"validation"`
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
func readDateRecord(lake store.Lake, id, date string) (*DateRecord, error) {
	return readDateRecordFile(lake.VersionDateMeta(id, date))
}

func readDateRecordFile(path string) (*DateRecord, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r DateRecord
	if err := decodeJSON(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// PublishedDateRecord reads the record a build published with one date
// of version id, from silver/features or, for an archived version, from
// silver/archive: what a Gold dataset promoted from that date is checked
// against. A version in neither place is ErrVersionNotFound.
func PublishedDateRecord(lake store.Lake, id, date string) (*DateRecord, error) {
	if !ValidVersionID(id) {
		return nil, fmt.Errorf("%q is not a version id (want vMAJOR.MINOR_name)", id)
	}
	path := lake.VersionDateMeta(id, date)
	if _, err := os.Stat(lake.VersionDir(id)); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(lake.ArchivedVersionDir(id)); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("version %s: %w", id, ErrVersionNotFound)
		}
		path = lake.ArchivedVersionDateMeta(id, date)
	}
	return readDateRecordFile(path)
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
// its published date records. Totals are combined from the per-date
// statistics, so a rollup reads no data and its cost and memory do not
// grow with the number of dates.
func rollup(lake store.Lake, id string, b *Bundle) error {
	dates, err := lake.VersionDates(id)
	if err != nil {
		return err
	}
	m := b.Manifest
	ledger := Ledger{VersionID: m.ID(), Fingerprint: b.Fingerprint, Dates: map[string]LedgerEntry{}}
	report := ValidationReport{VersionID: m.ID(), Fingerprint: b.Fingerprint, Rules: rules(m),
		Columns: []ColumnSchema{}, Dates: map[string]Stats{}}
	total := &report.Total
	total.Columns = map[string]ColumnStats{}
	for _, d := range dates {
		rec, err := readDateRecord(lake, id, d)
		if err != nil {
			return fmt.Errorf("rollup %s: %w", m.ID(), err)
		}
		ledger.Dates[d] = rec.Ledger
		report.Dates[d] = rec.Validation
		addStats(total, rec, &report.Columns)
	}
	total.Dates = len(dates)
	for name, cs := range total.Columns {
		if total.Rows > 0 {
			cs.NullRate = float64(cs.Nulls) / float64(total.Rows)
		}
		total.Columns[name] = cs
	}
	total.KeyUnique = total.DuplicateKeys == 0 && total.NullKeys == 0
	total.RTHOK = total.OutsideRTH == 0
	if err := writeJSON(lake.VersionLedgerFile(id), ledger); err != nil {
		return err
	}
	return writeJSON(lake.VersionValidationFile(id), report)
}

// addStats adds one date to the totals. Keys are unique per date; a key
// holding ts_event_ns is unique across dates too, as the dates' sessions
// do not overlap.
func addStats(total *TotalStats, rec *DateRecord, columns *[]ColumnSchema) {
	st := rec.Validation
	total.Rows += st.Rows
	total.DuplicateKeys += st.DuplicateKeys
	total.NullKeys += st.NullKeys
	total.OutsideRTH += st.OutsideRTH
	for _, c := range rec.Columns {
		cs, seen := total.Columns[c.Name]
		if !seen {
			*columns = append(*columns, c)
			cs.Type = c.Type
		}
		d := st.Columns[c.Name]
		cs.Nulls += d.Nulls
		if d.Min != nil && (cs.Min == nil || compareStat(d.Min, cs.Min) < 0) {
			cs.Min = d.Min
		}
		if d.Max != nil && (cs.Max == nil || compareStat(d.Max, cs.Max) > 0) {
			cs.Max = d.Max
		}
		total.Columns[c.Name] = cs
	}
}

// compareStat orders two mins or maxes of one column: numbers by value
// (exactly for integers), text as DuckDB orders VARCHAR (bytewise).
func compareStat(a, b any) int {
	na, aNum := a.(json.Number)
	nb, bNum := b.(json.Number)
	if aNum && bNum {
		if ia, err := na.Int64(); err == nil {
			if ib, err := nb.Int64(); err == nil {
				return cmp.Compare(ia, ib)
			}
		}
		fa, _ := new(big.Float).SetString(na.String())
		fb, _ := new(big.Float).SetString(nb.String())
		if fa != nil && fb != nil {
			return fa.Cmp(fb)
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
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
	if err := store.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// sqlString quotes a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
