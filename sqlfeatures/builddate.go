package sqlfeatures

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// outTable is the temporary table a date's rows are materialized into.
const outTable = "spysql_silver_out"

// buildDate writes, audits and publishes one trading date.
func (bd *builder) buildDate(ctx context.Context, s calendar.Session) (*DateSummary, error) {
	date := s.Date.String()
	db, err := duck.Open(ctx, bd.lake, bd.opts.Engine)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	scope, err := bd.scope(db, s.Date)
	if err != nil {
		return nil, err
	}
	before, err := bd.bronzeInputs(db, scope)
	if err != nil {
		return nil, err
	}
	if err := db.RegisterBronze(ctx, scope); err != nil {
		return nil, err
	}
	staging := bd.lake.VersionStagingDir(bd.target, date, randomTag())
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("create staging: %w", err)
	}
	published := false
	defer func() {
		if !published {
			os.RemoveAll(staging)
		}
	}()
	part := store.StagingPart(staging)
	stats, cols, staged, err := bd.writeDate(ctx, db, s, part)
	if err != nil {
		return nil, err
	}
	bd.hook("staged")
	if reasons := auditRules(bd.b.Manifest, cols, stats, staged); len(reasons) > 0 {
		return nil, &AuditError{Reasons: reasons}
	}
	sum, size, err := syncAndHash(part)
	if err != nil {
		return nil, err
	}
	after, err := bd.bronzeInputs(db, scope)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(before, after) {
		return nil, fmt.Errorf("the Bronze inputs changed while the date was built (%d files before, %d after): build it again", len(before), len(after))
	}
	bronzeDates := make([]string, len(scope))
	for i, d := range scope {
		bronzeDates[i] = d.String()
	}
	rec := DateRecord{
		Date:    date,
		Columns: cols,
		Ledger: LedgerEntry{
			Fingerprint: bd.b.Fingerprint,
			BronzeDates: bronzeDates,
			Bronze:      before,
			Output: OutputFile{
				Path:   bd.lake.LakeRelative(bd.lake.VersionDatePart(bd.b.Manifest.ID(), date)),
				SHA256: sum, Bytes: size, Rows: stats.Rows,
			},
		},
		Validation: *stats,
	}
	data, err := canonicalIndent(rec)
	if err != nil {
		return nil, err
	}
	if err := store.WriteSynced(store.StagingMeta(staging), data); err != nil {
		return nil, err
	}
	if err := store.SyncDir(staging); err != nil {
		return nil, err
	}
	bd.hook("audited")
	if err := store.ExchangeDirs(staging, bd.lake.VersionDateDir(bd.target, date)); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	published = true
	bd.hook("published")
	// After an exchange the staging name holds the previous build.
	if err := os.RemoveAll(staging); err != nil {
		return nil, fmt.Errorf("remove previous build: %w", err)
	}
	return &DateSummary{Date: date, Rows: stats.Rows, SHA256: sum}, nil
}

// scope is the date and its lookback trading days, ascending.
func (bd *builder) scope(db *duck.DB, d calendar.Date) ([]calendar.Date, error) {
	cal := db.Calendar()
	out := []calendar.Date{d}
	for i := 0; i < bd.b.Manifest.Source.LookbackDays; i++ {
		p, err := cal.PrevTradingDay(out[0])
		if err != nil {
			return nil, fmt.Errorf("lookback: %w", err)
		}
		out = append([]calendar.Date{p}, out...)
	}
	return out, nil
}

// bronzeInputs lists the Bronze files the date reads, with sizes.
func (bd *builder) bronzeInputs(db *duck.DB, scope []calendar.Date) ([]InputFile, error) {
	var out []InputFile
	for _, t := range bd.b.Manifest.Source.Tables {
		files, err := db.BronzeFiles(t, scope)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			st, err := os.Stat(f)
			if err != nil {
				return nil, fmt.Errorf("bronze input: %w", err)
			}
			out = append(out, InputFile{Path: bd.lake.LakeRelative(f), Bytes: st.Size()})
		}
	}
	slices.SortFunc(out, func(a, b InputFile) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// writeDate runs the output view for one session into a temp table with
// all threads, writes it sorted by key through one thread, and measures
// the written file. It returns the file's stats and columns and the row
// count of the temp table.
func (bd *builder) writeDate(ctx context.Context, db *duck.DB, s calendar.Session, part string) (*Stats, []ColumnSchema, int64, error) {
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	defer conn.Close()
	b := bd.b
	if err := Install(ctx, conn, b); err != nil {
		return nil, nil, 0, err
	}
	cleanup := context.WithoutCancel(ctx)
	defer Uninstall(cleanup, conn, b)
	if err := BindBuildDate(ctx, conn, s.Date.String()); err != nil {
		return nil, nil, 0, err
	}
	defer conn.ExecContext(cleanup, "DROP TABLE IF EXISTS temp."+outTable)

	rthOpen, rthClose := s.RTHOpen.UnixNano(), s.RTHClose.UnixNano()
	create := fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT * FROM %s WHERE ts_event_ns >= %d AND ts_event_ns < %d",
		outTable, duck.QuoteIdent(b.Manifest.Output.View), rthOpen, rthClose)
	if _, err := conn.ExecContext(ctx, create); err != nil {
		return nil, nil, 0, fmt.Errorf("run %s: %s", b.Manifest.Output.View, duck.FirstLine(err))
	}
	var staged int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM temp."+outTable).Scan(&staged); err != nil {
		return nil, nil, 0, err
	}
	if err := bd.copyOut(ctx, conn, s.Date.String(), part); err != nil {
		return nil, nil, 0, err
	}
	// No Hive detection: a lake path with "=" in it must not add columns.
	src := fmt.Sprintf("read_parquet(%s, hive_partitioning = false)", sqlString(part))
	cols, err := describeColumns(ctx, conn, "SELECT * FROM "+src)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("read back: %w", err)
	}
	rth := fmt.Sprintf("ts_event_ns >= %d AND ts_event_ns < %d", rthOpen, rthClose)
	st, err := measure(ctx, conn, src, cols, b.Manifest.Output.Key, rth)
	if err != nil {
		return nil, nil, 0, err
	}
	return st, cols, staged, nil
}

// copyOut writes the temp table to part, ordered by the key, with one
// thread so row groups and bytes never depend on scheduling.
func (bd *builder) copyOut(ctx context.Context, conn *sql.Conn, date, part string) error {
	m := bd.b.Manifest
	key := make([]string, len(m.Output.Key))
	for i, k := range m.Output.Key {
		key[i] = duck.QuoteIdent(k)
	}
	copyStmt := fmt.Sprintf(`COPY (SELECT * FROM temp.%s ORDER BY %s) TO %s (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE %d, KV_METADATA {spysql_version_id: %s, spysql_fingerprint: %s, spysql_date: %s})`,
		outTable, strings.Join(key, ", "), sqlString(part), store.RowGroupRows,
		sqlString(m.ID()), sqlString(bd.b.Fingerprint), sqlString(date))
	return duck.SingleThreaded(ctx, conn, func() error {
		if _, err := conn.ExecContext(ctx, copyStmt); err != nil {
			return fmt.Errorf("write %s: %s", part, duck.FirstLine(err))
		}
		return nil
	})
}

// syncAndHash fsyncs a file and returns its sha256 and size.
func syncAndHash(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return "", 0, fmt.Errorf("sync %s: %w", path, err)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// recordedManifest is the manifest as given plus its fingerprint, as kept
// in the version directory. A block-style manifest keeps its text and gets
// one key appended; a flow-style one is re-emitted with the key added.
func recordedManifest(b *Bundle) ([]byte, error) {
	m := b.Manifest
	if m.Fingerprint != "" {
		return m.Raw, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(m.Raw, &doc); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	root := doc.Content[0]
	if root.Style&yaml.FlowStyle == 0 {
		out := append([]byte{}, m.Raw...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = append(out, "# Added by spysql build: the version's fingerprint.\nfingerprint: "+b.Fingerprint+"\n"...)
		return out, nil
	}
	root.Style = 0
	root.Content = append(root.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "fingerprint"},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: b.Fingerprint})
	return yaml.Marshal(&doc)
}
