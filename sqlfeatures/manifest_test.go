package sqlfeatures

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// baseManifest is a valid manifest; cases replace lines of it.
const baseManifest = `version: v1.0
name: demo
description: test
created_at: 2025-12-24T12:00:00Z
parent_version: null
source:
  layer: bronze
  schemas: [stocks/trades, futures/mbp10]
  lookback_days: 1
sql: [sql/a.sql, sql/b.sql]
output:
  view: b
  key: [ts_event_ns]
  labels: [y]
features:
  groups:
    - name: g
      columns: [x]
parameters:
  N: 5
  W: {type: duration, value: 240s}
validation: {max_null_rate: 0.05}
`

var baseSQL = map[string]string{
	"sql/a.sql": "SELECT ts_event_ns, price AS x FROM bronze.stocks_trades\n",
	"sql/b.sql": "-- b reads a\nSELECT ts_event_ns, x, x * getvariable('N') AS y\nFROM a\n",
}

// writeBundle writes a manifest and SQL files into a new directory and
// returns the manifest's path.
func writeBundle(t *testing.T, manifest string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "v1.0_demo.yaml")
	if err := os.WriteFile(p, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func withSQL(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range baseSQL {
		out[k] = v
	}
	for k, v := range extra {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func parser(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestManifestErrors checks the exact message of every manifest and bundle
// error. {M} is the manifest's path, {D} its directory.
func TestManifestErrors(t *testing.T) {
	cases := []struct {
		name    string
		replace [][2]string // old, new applied to baseManifest
		sql     map[string]string
		parent  bool // the parent lookup says every parent exists
		want    string
	}{
		{name: "unknown top-level key", replace: [][2]string{{"description: test", "descripton: test"}},
			want: "{M}:3: descripton: unknown key (want one of: created_at, description, features, fingerprint, name, output, parameters, parent_version, source, sql, validation, version)"},
		{name: "unknown nested key", replace: [][2]string{{"  lookback_days: 1", "  lookbak_days: 1"}},
			want: "{M}:9: source.lookbak_days: unknown key (want one of: layer, lookback_days, schemas)"},
		{name: "duplicate key", replace: [][2]string{{"name: demo\n", "name: demo\nname: demo2\n"}},
			want: "{M}:3: name: duplicate key"},
		{name: "required key missing", replace: [][2]string{{"  key: [ts_event_ns]\n", ""}},
			want: "{M}:12: output.key: required key is missing"},
		{name: "wrong type integer", replace: [][2]string{{"lookback_days: 1", "lookback_days: one"}},
			want: `{M}:9: source.lookback_days: want an integer, got "one"`},
		{name: "wrong type list", replace: [][2]string{{"schemas: [stocks/trades, futures/mbp10]", "schemas: stocks/trades"}},
			want: `{M}:8: source.schemas: want a list, got "stocks/trades"`},
		{name: "wrong type mapping", replace: [][2]string{{"validation: {max_null_rate: 0.05}", "validation: [0.05]"}},
			want: "{M}:22: validation: want a mapping, got a list"},
		{name: "version is a float", replace: [][2]string{{"version: v1.0", "version: 1.0"}},
			want: "{M}:1: version: want a string, got the float 1.0"},
		{name: "bad version string", replace: [][2]string{{"version: v1.0", "version: v1"}},
			want: `{M}:1: version: "v1" is not a version: want vMAJOR.MINOR, e.g. v1.0`},
		{name: "bad name", replace: [][2]string{{"name: demo", "name: Demo-1"}},
			want: `{M}:2: name: "Demo-1" is not a name: want lowercase letters, digits and _, starting with a letter`},
		{name: "unknown schema", replace: [][2]string{{"[stocks/trades, futures/mbp10]", "[stocks/trades, futures/quotes]"}},
			want: `{M}:8: source.schemas[1]: unknown Bronze schema "futures/quotes" (want futures/trades, futures/mbp10, stocks/trades or options/trades)`},
		{name: "missing sql file", replace: [][2]string{{"sql: [sql/a.sql, sql/b.sql]", "sql: [sql/a.sql, sql/b.sql, sql/c.sql]"}},
			want: "{M}:10: sql[2]: file sql/c.sql does not exist"},
		{name: "sql path escapes", replace: [][2]string{{"sql: [sql/a.sql, sql/b.sql]", "sql: [sql/a.sql, ../b.sql]"}},
			want: `{M}:10: sql[1]: "../b.sql" must be a clean relative path inside the manifest's directory`},
		{name: "bad parameter duration", replace: [][2]string{{"value: 240s}", "value: 4 minutes}"}},
			want: `{M}:21: parameters.W.value: want seconds (240) or a duration string ("240s", "4m", "1h30m"), got "4 minutes"`},
		{name: "unknown parameter type", replace: [][2]string{{"type: duration", "type: date"}},
			want: `{M}:21: parameters.W.type: unknown type "date" (want int, float, string, bool or duration)`},
		{name: "reserved parameter", replace: [][2]string{{"  N: 5\n", "  N: 5\n  build_date: 1\n"}},
			want: "{M}:21: parameters.build_date: BUILD_DATE is reserved: the builder binds it to the trading date being built"},
		{name: "parameter case clash", replace: [][2]string{{"  N: 5\n", "  N: 5\n  n: 6\n"}},
			want: "{M}:21: parameters.n: clashes with N: getvariable names are case-insensitive"},
		{name: "null rate out of range", replace: [][2]string{{"max_null_rate: 0.05", "max_null_rate: 5"}},
			want: "{M}:22: validation.max_null_rate: 5 is out of range 0..1"},
		{name: "parent does not exist", replace: [][2]string{{"parent_version: null", "parent_version: v0.9_base"}},
			want: "{M}:5: parent_version: version v0.9_base does not exist (not built in the lake and no manifest v0.9_base.yaml next to this one)"},
		{name: "parent not a version id", replace: [][2]string{{"parent_version: null", "parent_version: base"}}, parent: true,
			want: `{M}:5: parent_version: "base" is not a version id: want vMAJOR.MINOR_name, e.g. v1.0_mechanics_only`},
		{name: "yaml syntax", replace: [][2]string{{"  view: b\n", "  view: b\n   bad: [\n"}},
			want: "{M}:13: syntax: mapping values are not allowed in this context"},
		{name: "undeclared parameter", sql: map[string]string{"sql/b.sql": "-- getvariable('IN_COMMENT') does not count\nSELECT ts_event_ns, x, 'getvariable(''IN_STRING'')' AS s,\n       x * getvariable('N') + getvariable('W_x') AS y\nFROM a\n"},
			want: "{D}/sql/b.sql:3: getvariable('W_x'): parameter W_x is not declared in the parameters of {M} (declared: N, W)"},
		{name: "getvariable needs a constant", sql: map[string]string{"sql/b.sql": "SELECT ts_event_ns, x, getvariable(x) AS y FROM a"},
			want: "{D}/sql/b.sql:1: getvariable: the argument must be a parameter name in quotes, e.g. getvariable('W_b')"},
		{name: "second statement", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns, price AS x FROM bronze.stocks_trades;\n\nSELECT 1;\n"},
			want: "{D}/sql/a.sql:3: view a: a second statement: each file holds exactly one SELECT"},
		{name: "not a select", sql: map[string]string{"sql/a.sql": "CREATE TABLE a AS SELECT 1"},
			want: "{D}/sql/a.sql: view a: only a SELECT statement is allowed (DDL, DML, PIVOT and SET are not)"},
		{name: "sql syntax error", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns,\n  price AS x\nFORM bronze.stocks_trades"},
			want: `{D}/sql/a.sql:3: view a: syntax error at or near "FORM"`},
		{name: "empty sql", sql: map[string]string{"sql/a.sql": "-- nothing\n"},
			want: "{D}/sql/a.sql:1: view a: no SELECT statement"},
		{name: "missing view", sql: map[string]string{"sql/b.sql": "SELECT ts_event_ns, x, x AS y\nFROM a JOIN aa USING (ts_event_ns)"},
			want: "{D}/sql/b.sql:2: aa: view b reads view aa, which no SQL file of {M} defines (views: a, b)"},
		{name: "cycle", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns, price AS x FROM bronze.stocks_trades JOIN b USING (ts_event_ns)"},
			want: "{D}/sql/a.sql: view a: dependency cycle: a -> b -> a (sql/a.sql, sql/b.sql)"},
		{name: "bronze table not in source", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns, price AS x\nFROM bronze.options_trades"},
			want: "{D}/sql/a.sql:2: bronze.options_trades: options/trades is not in source.schemas of {M}"},
		{name: "other schema", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns, x FROM silver.old"},
			want: "{D}/sql/a.sql:1: silver.old: a view may read bronze.*, calendar.sessions and the bundle's views only"},
		{name: "file reading table function", sql: map[string]string{"sql/a.sql": "SELECT ts_event_ns, price AS x\nFROM read_parquet('/tmp/x.parquet')"},
			want: "{D}/sql/a.sql:2: read_parquet: table function read_parquet is not allowed: a view reads Bronze through bronze.* only"},
		{name: "output view not defined", replace: [][2]string{{"  view: b", "  view: c"}},
			want: "{M}:12: output.view: no SQL file defines view c (views: a, b)"},
	}
	ctx := context.Background()
	q := parser(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := baseManifest
			for _, r := range tc.replace {
				if !strings.Contains(text, r[0]) {
					t.Fatalf("case does not apply: %q", r[0])
				}
				text = strings.Replace(text, r[0], r[1], 1)
			}
			path := writeBundle(t, text, withSQL(tc.sql))
			opts := DecodeOptions{ParentExists: func(string) bool { return tc.parent }}
			_, err := LoadBundle(ctx, q, path, opts)
			want := strings.NewReplacer("{M}", path, "{D}", filepath.Dir(path)).Replace(tc.want)
			if err == nil {
				t.Fatalf("no error, want %s", want)
			}
			if err.Error() != want {
				t.Fatalf("error\n got: %s\nwant: %s", err, want)
			}
			var me *ManifestError
			if !errors.As(err, &me) {
				t.Fatalf("error %T is not a *ManifestError", err)
			}
		})
	}
}

// TestManifestDecode checks the decoded values of a valid manifest.
func TestManifestDecode(t *testing.T) {
	path := writeBundle(t, baseManifest+"  # trailing comment\n", baseSQL)
	m, err := ReadManifest(path, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID() != "v1.0_demo" || m.Source.LookbackDays != 1 || len(m.Source.Tables) != 2 || m.Output.View != "b" {
		t.Fatalf("decoded %+v", m)
	}
	if !m.CreatedAt.Equal(time.Date(2025, 12, 24, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("created_at %v", m.CreatedAt)
	}
	want := []Parameter{{Name: "N", Type: ParamInt, Value: int64(5), Line: 20},
		{Name: "W", Type: ParamDuration, Value: 240 * time.Second, Line: 21}}
	if len(m.Parameters) != len(want) {
		t.Fatalf("parameters %+v", m.Parameters)
	}
	for i, p := range m.Parameters {
		if p != want[i] {
			t.Fatalf("parameter %d = %+v, want %+v", i, p, want[i])
		}
	}
	if !m.Validation.HasMaxNullRate || m.Validation.MaxNullRate != 0.05 || m.Validation.AllowEmpty {
		t.Fatalf("validation %+v", m.Validation)
	}
}

// TestErrorsJoined checks several problems are reported together.
func TestErrorsJoined(t *testing.T) {
	text := strings.Replace(strings.Replace(baseManifest, "version: v1.0", "version: 1", 1), "layer: bronze", "layer: silver", 1)
	path := writeBundle(t, text, baseSQL)
	_, err := ReadManifest(path, DecodeOptions{})
	want := path + ":1: version: want a string, got the integer 1\n" +
		path + `:7: source.layer: "silver" is not supported: want bronze`
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got: %v\nwant: %s", err, want)
	}
}
