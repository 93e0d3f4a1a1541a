package duck

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
)

// refresh re-registers every view over the lake: the unscoped Bronze
// tables, each materialized Silver version as silver."<version_id>", and
// each Gold training dataset as gold."<name>". Call Refresh after the
// lake changes; views of things that disappeared are dropped.
func (db *DB) refresh(ctx context.Context) error {
	if err := db.RegisterBronze(ctx, nil); err != nil {
		return err
	}
	if err := db.registerSilver(ctx); err != nil {
		return err
	}
	extra, err := db.catalogViews(ctx)
	if err != nil {
		return err
	}
	if err := db.registerGold(ctx, extra["gold"]); err != nil {
		return err
	}
	return db.syncViews(ctx, "lake", extra["lake"])
}

// CatalogView is a view a Config.Catalog adds to the gold or lake schema.
type CatalogView struct {
	Schema, Name, SQL string
}

// catalogViews asks Config.Catalog for its views, by schema and name.
func (db *DB) catalogViews(ctx context.Context) (map[string]map[string]string, error) {
	out := map[string]map[string]string{"gold": {}, "lake": {}}
	if db.catalog == nil {
		return out, nil
	}
	views, err := db.catalog(ctx, db.lake)
	if err != nil {
		return nil, fmt.Errorf("catalog views: %w", err)
	}
	for _, v := range views {
		m, ok := out[v.Schema]
		if !ok {
			return nil, fmt.Errorf("catalog view %s.%s: schema must be gold or lake", v.Schema, v.Name)
		}
		m[v.Name] = v.SQL
	}
	return out, nil
}

// RegisterBronze (re)creates the views bronze.futures_trades,
// bronze.futures_mbp10, bronze.stocks_trades and bronze.options_trades.
// With dates, each view reads only the partitions of those trading dates:
// the UTC hours covering 04:00-20:00 ET of each date, which can spill into
// the next UTC date. Without dates it reads the whole tier. An empty tier
// gives an empty view with the right columns.
func (db *DB) RegisterBronze(ctx context.Context, dates []calendar.Date) error {
	for _, t := range store.BronzeTables() {
		src, err := db.bronzeSource(t, dates)
		if err != nil {
			return err
		}
		stmt := fmt.Sprintf("CREATE OR REPLACE VIEW bronze.%s AS %s", t.Name(), bronzeSelect(t, src))
		if _, err := db.execer(ctx).ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("register bronze.%s: %w", t.Name(), err)
		}
	}
	return nil
}

// BronzeFiles lists the Parquet files that RegisterBronze reads for table t
// and dates (every file of the tier when dates is empty).
func (db *DB) BronzeFiles(t store.Table, dates []calendar.Date) ([]string, error) {
	if len(dates) == 0 {
		files, err := filepath.Glob(db.lake.BronzeGlob(t))
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", t.Name(), err)
		}
		sort.Strings(files)
		return files, nil
	}
	seen := map[[2]string]bool{}
	var hours [][2]string
	for _, d := range dates {
		s, ok, err := db.cal.Session(d)
		if err != nil {
			return nil, fmt.Errorf("scope %s: %w", d, err)
		}
		if !ok {
			continue
		}
		for _, h := range db.cal.BronzeHours(s) {
			k := [2]string{h.Date, h.Hour}
			if !seen[k] {
				seen[k] = true
				hours = append(hours, k)
			}
		}
	}
	return db.lake.PartitionFiles(t, hours)
}

// bronzeSource is the FROM clause for a table, or "" for an empty tier.
func (db *DB) bronzeSource(t store.Table, dates []calendar.Date) (string, error) {
	files, err := db.BronzeFiles(t, dates)
	if err != nil || len(files) == 0 {
		return "", err
	}
	var list string
	if len(dates) == 0 {
		// A glob, so files appended later are read without re-registering.
		list = QuoteString(db.lake.BronzeGlob(t))
	} else {
		quoted := make([]string, len(files))
		for i, f := range files {
			quoted[i] = QuoteString(f)
		}
		list = "[" + strings.Join(quoted, ", ") + "]"
	}
	return fmt.Sprintf("read_parquet(%s, hive_partitioning = true, hive_types = {%s: 'VARCHAR', 'date': 'VARCHAR', 'hour': 'VARCHAR'})",
		list, QuoteString(t.KeyColumn())), nil
}

// bronzeSelect selects the table's columns, then its partition columns,
// from src; an empty src gives typed NULLs and no rows.
func bronzeSelect(t store.Table, src string) string {
	cols := append(t.Columns(), t.PartitionColumns()...)
	parts := make([]string, len(cols))
	for i, c := range cols {
		if src == "" {
			parts[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", c.Type, c.Name)
		} else {
			parts[i] = c.Name
		}
	}
	if src == "" {
		return "SELECT " + strings.Join(parts, ", ") + " WHERE false"
	}
	return "SELECT " + strings.Join(parts, ", ") + " FROM " + src
}

func (db *DB) registerSilver(ctx context.Context) error {
	ids, err := db.lake.SilverVersions()
	if err != nil {
		return err
	}
	want := map[string]string{}
	for _, id := range ids {
		// Bound to the files that exist, so no statement globs: a date
		// published later changes the version's directory, which the
		// watcher sees, and the next refresh lists it.
		files, err := filepath.Glob(db.lake.VersionPartGlob(id))
		if err != nil || len(files) == 0 {
			continue
		}
		quoted := make([]string, len(files))
		for i, f := range files {
			quoted[i] = QuoteString(f)
		}
		want[id] = fmt.Sprintf("SELECT * FROM read_parquet([%s], hive_partitioning = true, hive_types = {'date': 'VARCHAR'})", strings.Join(quoted, ", "))
	}
	if err := db.syncViews(ctx, "silver", want); err != nil {
		return err
	}
	db.commentSilver(ctx, ids)
	return nil
}

func (db *DB) registerGold(ctx context.Context, extra map[string]string) error {
	names, err := db.lake.GoldDatasets()
	if err != nil {
		return err
	}
	want := map[string]string{}
	for n, q := range extra {
		want[n] = q
	}
	for _, n := range names {
		// The immutable file of the current promotion: a statement reads
		// the promotion its view named, whatever is promoted meanwhile.
		want[n] = fmt.Sprintf("SELECT * FROM read_parquet(%s)", QuoteString(db.lake.GoldDatasetResolved(n)))
	}
	// Streamed signals (spysql ingest) as gold.streaming_signals, once any
	// file exists.
	if m, err := filepath.Glob(db.lake.GoldSignalsGlob()); err == nil && len(m) > 0 {
		want["streaming_signals"] = fmt.Sprintf("SELECT * FROM read_parquet(%s, hive_partitioning = true, hive_types = {'underlying': 'VARCHAR', 'date': 'VARCHAR', 'hour': 'VARCHAR'})", QuoteString(db.lake.GoldSignalsGlob()))
	}
	db.setGold(names)
	if err := db.syncViews(ctx, "gold", want); err != nil {
		return err
	}
	db.commentGold(ctx, names)
	return nil
}

// syncViews makes the views of schema exactly want (name -> SELECT).
func (db *DB) syncViews(ctx context.Context, schema string, want map[string]string) error {
	db.hot.note(schema, want)
	rows, err := db.execer(ctx).QueryContext(ctx, "SELECT view_name FROM duckdb_views() WHERE schema_name = ? AND NOT internal", schema)
	if err != nil {
		return fmt.Errorf("list %s views: %w", schema, err)
	}
	var have []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		have = append(have, n)
	}
	rows.Close()
	for _, n := range have {
		if _, ok := want[n]; !ok {
			if _, err := db.execer(ctx).ExecContext(ctx, fmt.Sprintf("DROP VIEW IF EXISTS %s.%s", schema, QuoteIdent(n))); err != nil {
				return fmt.Errorf("drop %s.%s: %w", schema, n, err)
			}
		}
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		stmt := fmt.Sprintf("CREATE OR REPLACE VIEW %s.%s AS %s", schema, QuoteIdent(n), want[n])
		if _, err := db.execer(ctx).ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("register %s.%s: %w", schema, n, err)
		}
	}
	return nil
}

// QuoteIdent quotes a SQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// QuoteString quotes a SQL string literal.
func QuoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
