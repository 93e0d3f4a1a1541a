package gold

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// PromoteOptions say what to promote. Version and Dataset are required.
type PromoteOptions struct {
	Version string
	Dataset string
	Notes   string
	// Dates are the dates to promote; nil means every date of the
	// version. Non-trading dates are skipped; a trading date the version
	// does not have is an error.
	Dates []calendar.Date
	// Force overrides failed gates; the overridden gates are recorded.
	Force bool
	// Engine configures the DuckDB the dataset is written with.
	Engine duck.Config
	// Logger receives progress lines; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// pause is a test hook called at named points.
	pause func(point string)
}

// PromoteResult says what Promote did.
type PromoteResult struct {
	Metadata *Metadata `json:"metadata"`
	// Unchanged: the same version, dates and bytes were already current;
	// nothing was written.
	Unchanged bool `json:"unchanged"`
	// Forced are the gates that failed and were overridden.
	Forced []string `json:"forced_gates"`
	// IndexKey is the point index's key column; IndexErr says why no
	// point index was written (keyed lookups then run in DuckDB).
	IndexKey string `json:"index_key"`
	IndexErr error  `json:"-"`
}

// MarshalJSON adds the index error as text.
func (r PromoteResult) MarshalJSON() ([]byte, error) {
	type plain PromoteResult
	var msg string
	if r.IndexErr != nil {
		msg = r.IndexErr.Error()
	}
	return json.Marshal(struct {
		plain
		IndexError string `json:"index_error,omitempty"`
	}{plain(r), msg})
}

// GateError lists the gates a promotion failed.
type GateError struct {
	Dataset, Version string
	Failures         []string
}

func (e *GateError) Error() string {
	return fmt.Sprintf("promote %s to %s: %d gate(s) failed (--force overrides and records them): %s",
		e.Version, e.Dataset, len(e.Failures), strings.Join(e.Failures, "; "))
}

// Promote writes a Silver version's dates as Gold training dataset
// opts.Dataset: one file sorted by the key, ZSTD 3, and its metadata,
// published together (see publish.go), then its point index. Gates: every
// date passed its audit, the key is unique across dates, every row is in
// regular hours, null rates within the manifest's limits.
func Promote(ctx context.Context, lake store.Lake, opts PromoteOptions) (*PromoteResult, error) {
	name := opts.Dataset
	if err := CheckName(name); err != nil {
		return nil, err
	}
	now, pause := hooks(opts.Now, opts.pause)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	v, vlock, err := inspectLocked(ctx, lake, "promote", opts.Version)
	if err != nil {
		return nil, err
	}
	defer vlock.release()
	dates, err := selectDates(v, opts.Dates)
	if err != nil {
		return nil, err
	}
	lk, err := lock(ctx, lake.GoldLockFile(name))
	if err != nil {
		return nil, err
	}
	defer lk.release()
	pause("locked")
	cur, err := current(lake, name)
	if err != nil {
		return nil, err
	}
	var prev *Metadata
	var repair []string
	if cur > 0 {
		if prev, err = readMetadata(lake, name, cur); err != nil {
			if !opts.Force {
				return nil, fmt.Errorf("%w (--force promotes over it)", err)
			}
			repair = append(repair, err.Error())
		}
	}
	if err := cleanLeftovers(lake, name, cur); err != nil {
		return nil, err
	}
	failures := auditGates(lake, v, dates)
	m := v.Manifest
	limits := nullLimits(m)

	st, err := stage(lake, name, cur+1)
	if err != nil {
		return nil, err
	}
	defer st.discard()
	file := st.data()
	conn, closeConn, err := openConn(ctx, lake, opts.Engine)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	log.Debug("writing", "dataset", name, "version", v.ID, "dates", len(dates))
	if err := writeDataset(ctx, conn, lake, v, dates, file); err != nil {
		return nil, fmt.Errorf("promote %s to %s: %w", v.ID, name, err)
	}
	pause("written")
	checks, err := checkFile(ctx, conn, file, m.Output.Key, limits)
	if err != nil {
		return nil, fmt.Errorf("promote %s to %s: %w", v.ID, name, err)
	}
	failures = append(append(failures, checks.Failures...), repair...)
	if len(failures) > 0 && !opts.Force {
		return nil, &GateError{Dataset: name, Version: v.ID, Failures: failures}
	}
	if err := syncFile(file); err != nil {
		return nil, err
	}
	sum, size, err := hashFile(file)
	if err != nil {
		return nil, err
	}
	if prev != nil && prev.SourceVersion == v.ID && prev.Fingerprint == v.Fingerprint &&
		slices.Equal(prev.Dates, dates) && prev.SHA256 == sum {
		// Nothing to write; links an interrupted first promotion did not
		// make yet are made (they change no content).
		if err := ensureLinks(lake, name); err != nil {
			return nil, err
		}
		return &PromoteResult{Metadata: prev, Unchanged: true}, nil
	}
	t := now().UTC().Truncate(time.Millisecond)
	meta := &Metadata{
		Dataset: name, Promotion: cur + 1, Action: "promote",
		SourceVersion: v.ID, Fingerprint: v.Fingerprint, Dates: dates,
		Rows: checks.Rows, Key: m.Output.Key, Labels: m.Output.Labels, Columns: checks.Columns,
		NullLimits: limits, File: name + ".parquet", SHA256: sum, Bytes: size,
		Notes: opts.Notes, PromotedAt: t, RecordedAt: t, ForcedGates: failures,
	}
	if err := st.publish(meta, pause); err != nil {
		return nil, err
	}
	res := &PromoteResult{Metadata: meta, Forced: failures}
	res.IndexKey, res.IndexErr = writeIndex(ctx, lake, meta)
	pause("indexed")
	return res, nil
}

// writeIndex writes the dataset's point index, keyed by the first key
// column; engine/point refuses a key type it cannot look up.
func writeIndex(ctx context.Context, lake store.Lake, m *Metadata) (string, error) {
	if len(m.Key) == 0 {
		return "", fmt.Errorf("no key column")
	}
	return point.WritePointIndex(ctx, lake, m.Dataset, m.Key[0])
}

// selectDates are the version's dates to promote, as strings, sorted.
func selectDates(v *sqlfeatures.VersionDetail, want []calendar.Date) ([]string, error) {
	return selectDatesFor("promote", v, want)
}

// selectDatesFor is selectDates with op naming the command in errors.
func selectDatesFor(op string, v *sqlfeatures.VersionDetail, want []calendar.Date) ([]string, error) {
	if want == nil {
		if len(v.Dates) == 0 {
			return nil, fmt.Errorf("%s: version %s has no built dates", op, v.ID)
		}
		return slices.Clone(v.Dates), nil
	}
	cal, err := calendar.New()
	if err != nil {
		return nil, err
	}
	var out, missing []string
	for _, d := range want {
		if _, ok, err := cal.Session(d); err != nil || !ok {
			continue
		}
		if !slices.Contains(v.Dates, d.String()) {
			missing = append(missing, d.String())
			continue
		}
		out = append(out, d.String())
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: version %s does not have date(s) %s (build them first)", op, v.ID, strings.Join(missing, ", "))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no trading dates selected", op)
	}
	slices.Sort(out)
	return out, nil
}

// auditGates checks the version's own records: a consistent version whose
// every selected date passed its audit and still has the file it audited.
func auditGates(lake store.Lake, v *sqlfeatures.VersionDetail, dates []string) []string {
	var out []string
	if v.Status != sqlfeatures.StatusReady {
		out = append(out, fmt.Sprintf("version %s is %s: %s", v.ID, v.Status, strings.Join(v.Problems, ", ")))
	}
	for _, d := range dates {
		st, ok := v.Validation.Dates[d]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("date %s has no audit record", d))
			continue
		case !st.KeyUnique || !st.RTHOK:
			out = append(out, fmt.Sprintf("date %s failed its audit (key unique %t, regular hours %t)", d, st.KeyUnique, st.RTHOK))
		}
		led, ok := v.Ledger.Dates[d]
		if !ok {
			out = append(out, fmt.Sprintf("date %s is not in the ledger", d))
			continue
		}
		sum, _, err := hashFile(lake.VersionDatePart(v.ID, d))
		if err != nil || sum != led.Output.SHA256 {
			out = append(out, fmt.Sprintf("date %s: the Silver file is not the one audited", d))
		}
	}
	return out
}

// nullLimits are the manifest's null-rate limits per declared column:
// the per-column override, else max_null_rate except for key and labels.
func nullLimits(m *sqlfeatures.Manifest) map[string]float64 {
	out := map[string]float64{}
	exempt := map[string]bool{}
	for _, k := range append(slices.Clone(m.Output.Key), m.Output.Labels...) {
		exempt[k] = true
	}
	if m.Validation.HasMaxNullRate {
		for _, g := range m.Features.Groups {
			for _, c := range g.Columns {
				if !exempt[c] {
					out[c] = m.Validation.MaxNullRate
				}
			}
		}
	}
	for c, r := range m.Validation.MaxNullRateByColumn {
		out[c] = r
	}
	return out
}

// writeDataset writes the selected dates of the version to file, sorted by
// the key, with one thread so the bytes never depend on scheduling. Each
// row gets its trading date as a DATE column, date.
func writeDataset(ctx context.Context, conn *sql.Conn, lake store.Lake, v *sqlfeatures.VersionDetail, dates []string, file string) error {
	parts := make([]string, len(dates))
	for i, d := range dates {
		parts[i] = fmt.Sprintf("SELECT *, DATE %s AS date FROM read_parquet(%s, hive_partitioning = false)",
			sqlString(d), sqlString(lake.VersionDatePart(v.ID, d)))
	}
	order := make([]string, 0, len(v.Manifest.Output.Key)+1)
	for _, k := range v.Manifest.Output.Key {
		order = append(order, duck.QuoteIdent(k))
	}
	order = append(order, "date")
	stmt := fmt.Sprintf(`COPY (SELECT * FROM (%s) ORDER BY %s) TO %s (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE %d, KV_METADATA {spysql_source_version: %s, spysql_fingerprint: %s})`,
		strings.Join(parts, " UNION ALL "), strings.Join(order, ", "), sqlString(file), store.RowGroupRows,
		sqlString(v.ID), sqlString(v.Fingerprint))
	return duck.SingleThreaded(ctx, conn, func() error {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("write %s: %s", file, duck.FirstLine(err))
		}
		return nil
	})
}

// inspectLocked reads a version and takes its build lock, so no build
// replaces its files while they are read; the version is read again
// under the lock.
func inspectLocked(ctx context.Context, lake store.Lake, op, id string) (*sqlfeatures.VersionDetail, *fileLock, error) {
	if _, err := sqlfeatures.InspectVersion(lake, id); errors.Is(err, sqlfeatures.ErrVersionNotFound) {
		return nil, nil, fmt.Errorf("%s: unknown version %s (see spysql list)", op, id)
	} else if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	lk, err := lock(ctx, lake.VersionLockFile(id))
	if err != nil {
		return nil, nil, err
	}
	v, err := sqlfeatures.InspectVersion(lake, id)
	if err != nil {
		lk.release()
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	// The lock it sees held is ours: no build is running.
	if v.Status == sqlfeatures.StatusBuilding {
		switch {
		case len(v.Problems) > 0:
			v.Status = sqlfeatures.StatusInconsistent
		case len(v.Dates) == 0:
			v.Status = sqlfeatures.StatusEmpty
		default:
			v.Status = sqlfeatures.StatusReady
		}
	}
	return v, lk, nil
}
