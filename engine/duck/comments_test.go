package duck

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/spysql/spysql/engine/store"
)

// A Silver version's manifest describes its view and columns in the
// catalog: the description on the view, key, labels and feature groups
// on the columns, as pg_description shows them.
func TestSilverCommentsFromManifest(t *testing.T) {
	ctx := context.Background()
	lake, err := store.OpenLake(filepath.Join(t.TempDir(), "lake"), true)
	if err != nil {
		t.Fatal(err)
	}
	id := "v0.1_demo"
	part := filepath.Join(lake.VersionDateDir(id, "2025-12-15"), "part-0.parquet")
	if err := os.MkdirAll(filepath.Dir(part), 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "version: v0.1\nname: demo\ndescription: One-minute SPY bars\noutput:\n  view: bars\n  key: [ts_event_ns]\n  labels: [fwd_return_bps]\nfeatures:\n  groups:\n    - name: spy_bar\n      columns: [close, missing_col]\n"
	if err := os.WriteFile(lake.VersionManifestFile(id), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, lake, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL().ExecContext(ctx, "COPY (SELECT 1::BIGINT AS ts_event_ns, 2.0::DOUBLE AS close, 3.0::DOUBLE AS fwd_return_bps, 4 AS other) TO "+QuoteString(part)+" (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var viewComment string
	if err := db.SQL().QueryRowContext(ctx, "SELECT obj_description FROM (SELECT __pg_catalog.obj_description(oid, 'pg_class') AS obj_description FROM __pg_catalog.pg_class WHERE relname = ?)", id).Scan(&viewComment); err != nil {
		t.Fatal(err)
	}
	if viewComment != "One-minute SPY bars" {
		t.Errorf("view comment %q", viewComment)
	}
	rows, err := db.SQL().QueryContext(ctx, "SELECT column_name, coalesce(comment, '') FROM duckdb_columns() WHERE schema_name = 'silver' AND table_name = ? ORDER BY column_index", id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var n, c string
		if err := rows.Scan(&n, &c); err != nil {
			t.Fatal(err)
		}
		got[n] = c
	}
	want := map[string]string{"ts_event_ns": "key of v0.1_demo", "close": "feature group spy_bar", "fwd_return_bps": "label", "other": "", "date": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("column %s comment %q, want %q", k, got[k], v)
		}
	}
}
