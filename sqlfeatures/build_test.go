package sqlfeatures

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
)

const barsManifest = "testdata/bundles/bars/v1.0_bars.yaml"

// loadBundle loads a manifest with a throwaway DuckDB as the parser.
func loadBundle(t testing.TB, path string) *Bundle {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := LoadBundle(context.Background(), db, path, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// barsVariant copies the bars bundle into a new directory with the
// manifest edited (old, new pairs) and returns the manifest's path.
func barsVariant(t testing.TB, name string, replace ...[2]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := testkit.CopyTree("testdata/bundles/bars", dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(barsManifest)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, r := range replace {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("variant does not apply: %q", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// openEngine opens an engine DB over lake for the test.
func openEngine(t testing.TB, lake store.Lake) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), lake, duck.Config{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func dates(t testing.TB, ss ...string) []calendar.Date {
	t.Helper()
	out := make([]calendar.Date, len(ss))
	for i, s := range ss {
		d, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = d
	}
	return out
}

func build(t testing.TB, lake store.Lake, b *Bundle, opts BuildOptions) *BuildResult {
	t.Helper()
	res, err := Build(context.Background(), lake, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// versionFiles hashes every file of a version directory except hidden
// ones, by path relative to it.
func versionFiles(t testing.TB, lake store.Lake, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := lake.VersionDir(id)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != root {
			t.Errorf("hidden leftover %s", p)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	names := sortedKeys(keys)
	for _, k := range names {
		if got[k] != want[k] {
			t.Errorf("%s: %s differs (%.12s vs %.12s)", what, k, got[k], want[k])
		}
	}
}

// TestBuildDeterministic builds the same dates with different thread
// counts, time zones (in child processes) and date orders, and requires
// every file of the version to be byte-identical.
func TestBuildDeterministic(t *testing.T) {
	b := loadBundle(t, barsManifest)
	days := []string{"2025-12-15", "2025-12-16", "2025-12-17"}

	ref := freshLake(t)
	build(t, ref, b, BuildOptions{Dates: dates(t, days...), Engine: duck.Config{Threads: 1}})
	want := versionFiles(t, ref, "v1.0_bars")
	if n := len(want); n != 3*2+3+3 { // parts and records, manifest and two rollups, three SQL copies
		t.Fatalf("version has %d files: %v", n, want)
	}

	t.Run("threads and date order", func(t *testing.T) {
		lake := freshLake(t)
		for _, d := range []string{"2025-12-17", "2025-12-15", "2025-12-16"} {
			build(t, lake, b, BuildOptions{Dates: dates(t, d), Engine: duck.Config{Threads: 2}})
		}
		sameFiles(t, "threads=2, one date per run, reversed", versionFiles(t, lake, "v1.0_bars"), want)
	})
	for _, tz := range []string{"Asia/Kolkata", "America/Los_Angeles"} {
		t.Run("TZ="+tz, func(t *testing.T) {
			lake := freshLake(t)
			manifest, _ := filepath.Abs(barsManifest)
			cmd := childCmd(t, childJob{Mode: "build", Lake: lake.Root(), Manifest: manifest, Dates: days, Threads: 2}, "TZ="+tz)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("child build: %v\n%s", err, out)
			}
			sameFiles(t, "TZ="+tz, versionFiles(t, lake, "v1.0_bars"), want)

		})
	}
}

// TestBuildOutput checks the content of a built version: RTH rows only
// (early close included), sorted ZSTD Parquet with only spysql metadata,
// the ledger's inputs and outputs, the rollups, and the silver view.
func TestBuildOutput(t *testing.T) {
	lake := freshLake(t)
	b := loadBundle(t, barsManifest)
	res := build(t, lake, b, BuildOptions{Dates: dates(t, "2025-11-28", "2025-12-15")})
	if len(res.Built) != 2 || len(res.Failed) != 0 {
		t.Fatalf("result %+v", res)
	}
	db := openEngine(t, lake)
	ctx := context.Background()
	q := func(query string, dest ...any) {
		t.Helper()
		if err := db.SQL().QueryRowContext(ctx, query).Scan(dest...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	// One bar per RTH minute: 390 on a full day, 210 on the 13:00 close.
	for _, tc := range []struct {
		date string
		rows int64
	}{{"2025-11-28", 210}, {"2025-12-15", 390}} {
		var rows, outside int64
		var typ string
		q(`SELECT count(*), count(*) FILTER (WHERE ts_event_ns < s.rth_open_ns OR ts_event_ns >= s.rth_close_ns), any_value(typeof(t.date))
		   FROM silver."v1.0_bars" t JOIN calendar.sessions s ON s.date = CAST(t.date AS DATE) WHERE t.date = '`+tc.date+`'`, &rows, &outside, &typ)
		if rows != tc.rows || outside != 0 || typ != "VARCHAR" {
			t.Errorf("%s: %d rows (want %d), %d outside RTH, date column %s", tc.date, rows, tc.rows, outside, typ)
		}
	}
	part := lake.VersionDatePart("v1.0_bars", "2025-12-15")
	var codecs, maxGroup int64
	q(`SELECT count(*) FILTER (WHERE compression <> 'ZSTD'), max(row_group_num_rows) FROM parquet_metadata('`+part+`')`, &codecs, &maxGroup)
	if codecs != 0 || maxGroup > store.RowGroupRows {
		t.Errorf("%d column chunks not ZSTD, row group of %d rows", codecs, maxGroup)
	}
	var keys string
	q(`SELECT string_agg(CAST(key AS VARCHAR) || '=' || CAST(value AS VARCHAR), ',' ORDER BY key) FROM parquet_kv_metadata('`+part+`')`, &keys)
	if want := "spysql_date=2025-12-15,spysql_fingerprint=" + b.Fingerprint + ",spysql_version_id=v1.0_bars"; keys != want {
		t.Errorf("key-value metadata %s, want %s", keys, want)
	}
	var unsorted int64
	q(`SELECT count(*) FROM (SELECT ts_event_ns, lag(ts_event_ns) OVER () AS prev FROM read_parquet('`+part+`')) WHERE prev >= ts_event_ns`, &unsorted)
	if unsorted != 0 {
		t.Errorf("%d rows out of key order", unsorted)
	}

	rec, err := readDateRecord(lake, "v1.0_bars", "2025-12-15")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rec.Ledger.BronzeDates, ",") != "2025-12-12,2025-12-15" {
		t.Errorf("bronze dates %v, want the date and one lookback day", rec.Ledger.BronzeDates)
	}
	seen := map[string]bool{}
	for _, f := range rec.Ledger.Bronze {
		parts := strings.Split(f.Path, "/")
		seen[parts[1]+"/"+parts[2]+" "+parts[4]] = true
		st, err := os.Stat(filepath.Join(lake.Root(), f.Path))
		if err != nil || st.Size() != f.Bytes {
			t.Errorf("ledger input %s: %v, size %d", f.Path, err, f.Bytes)
		}
	}
	// UTC partitions: in winter a session ends at 01:00 UTC the next day.
	wantSeen := []string{"futures/mbp10 date=2025-12-12", "futures/mbp10 date=2025-12-13", "futures/mbp10 date=2025-12-15", "futures/mbp10 date=2025-12-16",
		"stocks/trades date=2025-12-12", "stocks/trades date=2025-12-13", "stocks/trades date=2025-12-15", "stocks/trades date=2025-12-16"}
	if got := sortedKeys(seen); strings.Join(got, ";") != strings.Join(wantSeen, ";") {
		t.Errorf("ledger inputs cover %v, want %v", got, wantSeen)
	}
	data, _ := os.ReadFile(part)
	sum := sha256.Sum256(data)
	if rec.Ledger.Output.SHA256 != hex.EncodeToString(sum[:]) || rec.Ledger.Output.Rows != 390 ||
		rec.Ledger.Output.Path != "silver/features/v1.0_bars/date=2025-12-15/part-0.parquet" {
		t.Errorf("ledger output %+v", rec.Ledger.Output)
	}

	var report ValidationReport
	if _, err := readJSONFile(lake.VersionValidationFile("v1.0_bars"), &report); err != nil {
		t.Fatal(err)
	}
	tot := report.Total
	if tot.Dates != 2 || tot.Rows != 600 || !tot.KeyUnique || !tot.RTHOK || report.Fingerprint != b.Fingerprint {
		t.Errorf("validation total %+v", tot)
	}
	// The label looks 5 bars ahead, into the post-market bars the output
	// does not keep: never NULL inside RTH.
	if fwd := tot.Columns["fwd_return_bps"]; fwd.Nulls != 0 || fwd.Min == nil || fwd.Type != "DOUBLE" {
		t.Errorf("fwd_return_bps stats %+v", fwd)
	}
	// Totals combine the dates: the earliest minimum, the latest maximum.
	ts, first, last := tot.Columns["ts_event_ns"], report.Dates["2025-11-28"].Columns["ts_event_ns"], report.Dates["2025-12-15"].Columns["ts_event_ns"]
	if ts.Min != first.Min || ts.Max != last.Max || first.Min == nil {
		t.Errorf("total ts_event_ns %v..%v, want %v..%v", ts.Min, ts.Max, first.Min, last.Max)
	}
	if len(report.Columns) != 13 || report.Columns[0].Name != "ts_event_ns" {
		t.Errorf("columns %v", report.Columns)
	}
	var ledger Ledger
	if _, err := readJSONFile(lake.VersionLedgerFile("v1.0_bars"), &ledger); err != nil {
		t.Fatal(err)
	}
	if len(ledger.Dates) != 2 || ledger.Dates["2025-12-15"].Output.SHA256 != rec.Ledger.Output.SHA256 {
		t.Errorf("ledger.json %+v", ledger)
	}
}

// TestBuildSkipForceRefuse covers a rebuild of built dates, --force on the
// same fingerprint, refusal of a new fingerprint and the atomic
// replacement of the whole version.
func TestBuildSkipForceRefuse(t *testing.T) {
	lake := freshLake(t)
	b := loadBundle(t, barsManifest)
	days := dates(t, "2025-12-15", "2025-12-16")
	build(t, lake, b, BuildOptions{Dates: days})
	before := versionFiles(t, lake, "v1.0_bars")
	st0, _ := os.Stat(lake.VersionDatePart("v1.0_bars", "2025-12-15"))

	res := build(t, lake, b, BuildOptions{Dates: days})
	if len(res.Built) != 0 || strings.Join(res.Skipped, ",") != "2025-12-15,2025-12-16" {
		t.Fatalf("rebuild: %+v", res)
	}
	res = build(t, lake, b, BuildOptions{Dates: dates(t, "2025-12-15"), Force: true})
	if len(res.Built) != 1 {
		t.Fatalf("--force: %+v", res)
	}
	st1, _ := os.Stat(lake.VersionDatePart("v1.0_bars", "2025-12-15"))
	if os.SameFile(st0, st1) {
		t.Error("--force did not rewrite the date")
	}
	sameFiles(t, "after --force", versionFiles(t, lake, "v1.0_bars"), before)

	changed := loadBundle(t, barsVariant(t, "v1.0_bars.yaml", [2]string{"HORIZON_BARS: 5", "HORIZON_BARS: 6"}))
	_, err := Build(context.Background(), lake, changed, BuildOptions{Dates: days})
	var fe *FingerprintError
	if !errors.As(err, &fe) {
		t.Fatalf("new fingerprint: err %v, want a *FingerprintError", err)
	}
	want := "version v1.0_bars already exists with fingerprint " + b.Fingerprint + ", but this manifest has fingerprint " +
		changed.Fingerprint + ": bump the version in the manifest (a new version id) or pass --force to replace the whole version"
	if err.Error() != want {
		t.Fatalf("error\n got: %s\nwant: %s", err, want)
	}
	sameFiles(t, "after refusal", versionFiles(t, lake, "v1.0_bars"), before)

	res = build(t, lake, changed, BuildOptions{Dates: dates(t, "2025-12-17"), Force: true})
	if !res.Replaced || len(res.Built) != 1 {
		t.Fatalf("replace: %+v", res)
	}
	got, err := lake.VersionDates("v1.0_bars")
	if err != nil || strings.Join(got, ",") != "2025-12-17" {
		t.Fatalf("dates after replacement %v, %v", got, err)
	}
	if fp, _ := recordedFingerprint(lake, "v1.0_bars"); fp != changed.Fingerprint {
		t.Fatalf("recorded fingerprint %s, want %s", fp, changed.Fingerprint)
	}
	versionFiles(t, lake, "v1.0_bars") // no hidden leftovers
	if left, _ := lake.ReplacementLeftovers("v1.0_bars"); len(left) != 0 {
		t.Fatalf("leftovers %v", left)
	}
}

// TestBuildFailingDate: a date without Bronze fails its audit, the others
// are built, the error names it, and a rerun builds only that date.
func TestBuildFailingDate(t *testing.T) {
	lake := freshLake(t)
	b := loadBundle(t, barsManifest)
	days := dates(t, "2025-12-15", "2025-12-20", "2025-12-22")
	res, err := Build(context.Background(), lake, b, BuildOptions{Dates: days})
	var be *BuildError
	if !errors.As(err, &be) || len(be.Failed) != 1 || be.Failed[0].Date != "2025-12-22" {
		t.Fatalf("err %v, want a *BuildError for 2025-12-22", err)
	}
	want := "build v1.0_bars: 1 date(s) failed:\n  date 2025-12-22: audit failed: no rows (is Bronze missing for this date? set validation.allow_empty to publish empty dates)"
	if err.Error() != want {
		t.Fatalf("error\n got: %s\nwant: %s", err, want)
	}
	var ae *AuditError
	if !errors.As(err, &ae) {
		t.Fatal("the date's error is not an *AuditError")
	}
	if len(res.Built) != 1 || strings.Join(res.NonTrading, ",") != "2025-12-20" {
		t.Fatalf("result %+v", res)
	}
	if _, err := os.Stat(lake.VersionDateDir("v1.0_bars", "2025-12-22")); !os.IsNotExist(err) {
		t.Fatalf("failed date is visible: %v", err)
	}
	versionFiles(t, lake, "v1.0_bars") // no staging left behind

	writeFixtureLake(t, lake.Root(), []string{"2025-12-22"})
	res = build(t, lake, b, BuildOptions{Dates: days})
	if len(res.Built) != 1 || res.Built[0].Date != "2025-12-22" || strings.Join(res.Skipped, ",") != "2025-12-15" {
		t.Fatalf("rerun %+v", res)
	}
}

// TestAuditFailures: a date that breaks a validation rule is not
// published and the reason is in the error.
func TestAuditFailures(t *testing.T) {
	cases := []struct {
		name    string
		replace [][2]string
		want    string
	}{
		{"key not unique", [][2]string{{"key: [ts_event_ns]", "key: [trades]"}},
			"date 2025-12-15: audit failed: key (trades) is not unique: "},
		// 300 bars ahead leaves the last 60 RTH bars without a label: 60/390.
		{"null rate", [][2]string{{"HORIZON_BARS: 5", "HORIZON_BARS: 300"}, {"{z_close: 0.2}", "{z_close: 0.2, fwd_return_bps: 0.1}"}},
			"date 2025-12-15: audit failed: column fwd_return_bps null rate 0.1538 > 0.1"},
		{"declared column missing", [][2]string{{"columns: [z_close, vol_window]", "columns: [z_close, vol_window, nope]"}},
			"build v1.0_bars: output view bars_book lacks declared columns: nope (features group window)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lake := freshLake(t)
			b := loadBundle(t, barsVariant(t, "v1.0_bars.yaml", tc.replace...))
			_, err := Build(context.Background(), lake, b, BuildOptions{Dates: dates(t, "2025-12-15")})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want it to contain %q", err, tc.want)
			}
			if got, _ := lake.VersionDates("v1.0_bars"); len(got) != 0 {
				t.Fatalf("published %v", got)
			}
		})
	}
}

// TestListAndCompare builds two versions and checks list and compare.
func TestListAndCompare(t *testing.T) {
	lake := freshLake(t)
	a := loadBundle(t, barsManifest)
	build(t, lake, a, BuildOptions{Dates: dates(t, "2025-12-15", "2025-12-16")})
	bPath := barsVariant(t, "v1.1_bars.yaml", [2]string{"version: v1.0", "version: v1.1"},
		[2]string{"parent_version: null", "parent_version: v1.0_bars"},
		[2]string{"HORIZON_BARS: 5", "HORIZON_BARS: 10"},
		[2]string{"      columns: [z_close, vol_window]", "      columns: [z_close]"})
	if _, err := ReadManifest(bPath, DecodeOptions{ParentExists: ParentLookup(lake, bPath)}); err != nil {
		t.Fatalf("parent built in the lake: %v", err)
	}
	b := loadBundle(t, bPath)
	build(t, lake, b, BuildOptions{Dates: dates(t, "2025-12-16", "2025-12-17")})

	vs, err := ListVersions(lake)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].ID != "v1.0_bars" || vs[1].ID != "v1.1_bars" || vs[1].Parent != "v1.0_bars" {
		t.Fatalf("list %+v", vs)
	}
	for _, v := range vs {
		if v.Status != StatusReady || len(v.Dates) != 2 || v.Rows != 780 {
			t.Errorf("%s: status %s, dates %v, rows %d, problems %v", v.ID, v.Status, v.Dates, v.Rows, v.Problems)
		}
	}

	c, err := Compare(lake, "v1.0_bars", "v1.1_bars")
	if err != nil {
		t.Fatal(err)
	}
	differs := func(rows []string) string { sort.Strings(rows); return strings.Join(rows, ",") }
	var params, groups, dateRows, schema []string
	for _, r := range c.Parameters {
		if r.Differs {
			params = append(params, r.Name+":"+r.A+"/"+r.B)
		}
	}
	for _, r := range c.Groups {
		if r.Differs {
			groups = append(groups, r.Name)
		}
	}
	for _, r := range c.Rows {
		if r.Differs {
			dateRows = append(dateRows, r.Date)
		}
	}
	for _, r := range c.Schema {
		if r.Differs {
			schema = append(schema, r.Column)
		}
	}
	if got := differs(params); got != "HORIZON_BARS:int 5/int 10" {
		t.Errorf("parameters differing: %s", got)
	}
	if got := differs(groups); got != "window" {
		t.Errorf("groups differing: %s", got)
	}
	if got := differs(dateRows); got != "2025-12-15,2025-12-17" {
		t.Errorf("dates differing: %s", got)
	}
	if len(schema) != 0 || len(c.Schema) != 13 {
		t.Errorf("schema differs %v of %d", schema, len(c.Schema))
	}
	for _, r := range c.ColumnsStats {
		if r.Column == "open" && (r.A == nil || r.B == nil || !r.Differs) {
			t.Errorf("open stats %+v (different dates: should differ)", r)
		}
	}

	// A record removed behind the builder's back is reported.
	if err := os.Remove(lake.VersionDateMeta("v1.1_bars", "2025-12-16")); err != nil {
		t.Fatal(err)
	}
	d, err := InspectVersion(lake, "v1.1_bars")
	if err != nil || d.Status != StatusInconsistent || len(d.Problems) == 0 {
		t.Fatalf("inspect after damage: %+v, %v", d, err)
	}
	if _, err := InspectVersion(lake, "v9.9_none"); !errors.Is(err, ErrVersionNotFound) {
		t.Fatalf("missing version: %v", err)
	}
}

// TestShippedManifests loads every manifest in manifests/ and builds the
// demo version over the fixture lake.
func TestShippedManifests(t *testing.T) {
	paths, err := filepath.Glob("../manifests/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	lake := freshLake(t)
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b := loadBundle(t, p)
			if filepath.Base(p) != b.Manifest.ID()+".yaml" {
				t.Fatalf("%s defines version %s: name the file after it", p, b.Manifest.ID())
			}
			if b.Manifest.ID() == "v0.1_demo" {
				res := build(t, lake, b, BuildOptions{Dates: dates(t, "2025-12-15", "2025-12-16")})
				if len(res.Built) != 2 {
					t.Fatalf("demo build %+v", res)
				}
			}
		})
	}
}

func TestCompareStat(t *testing.T) {
	cases := []struct {
		a, b any
		want int
	}{
		{json.Number("1765809000000000001"), json.Number("1765809000000000000"), 1}, // beyond float64 precision
		{json.Number("-2"), json.Number("10"), -1},
		{json.Number("1.5"), json.Number("2"), -1},
		{json.Number("1e3"), json.Number("999.5"), 1},
		{json.Number("0.25"), json.Number("0.25"), 0},
		{"ESH6", "ESZ5", -1},
		{"2025-12-16", "2025-12-15", 1},
	}
	for _, tc := range cases {
		if got := compareStat(tc.a, tc.b); got != tc.want {
			t.Errorf("compareStat(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestRebuildFromVersionCopy: the version directory is self-contained; its
// manifest.yaml (with the recorded fingerprint) and SQL copies load to the
// same fingerprint, and an edit after the build is caught.
func TestRebuildFromVersionCopy(t *testing.T) {
	lake := freshLake(t)
	b := loadBundle(t, barsManifest)
	build(t, lake, b, BuildOptions{Dates: dates(t, "2025-12-15")})
	copyPath := lake.VersionManifestFile("v1.0_bars")
	c := loadBundle(t, copyPath)
	if c.Fingerprint != b.Fingerprint || c.Manifest.Fingerprint != b.Fingerprint {
		t.Fatalf("copy fingerprint %s (recorded %s), want %s", c.Fingerprint, c.Manifest.Fingerprint, b.Fingerprint)
	}
	if res := build(t, lake, c, BuildOptions{Dates: dates(t, "2025-12-15")}); len(res.Skipped) != 1 {
		t.Fatalf("rebuild from the copy: %+v", res)
	}
	sqlCopy, _ := lake.VersionFile("v1.0_bars", "sql/spy_bars.sql")
	data, _ := os.ReadFile(sqlCopy)
	if err := os.WriteFile(sqlCopy, []byte(strings.Replace(string(data), ">= getvariable('MIN_TRADES')", "> getvariable('MIN_TRADES')", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadBundle(context.Background(), parser(t), copyPath, DecodeOptions{})
	if err == nil || !strings.Contains(err.Error(), copyPath+": fingerprint: recorded "+b.Fingerprint+" but the manifest and SQL give sha256:") {
		t.Fatalf("edited copy: %v", err)
	}
}

// TestBuildCancelKeepsRollup: a build cancelled after its first date keeps
// that date, and ledger.json/validation.json still agree with it.
func TestBuildCancelKeepsRollup(t *testing.T) {
	lake := freshLake(t)
	b := loadBundle(t, barsManifest)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Build(ctx, lake, b, BuildOptions{
		Dates:    dates(t, "2025-12-15", "2025-12-16", "2025-12-17"),
		Progress: func(p Progress) { cancel() },
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	d, err := InspectVersion(lake, "v1.0_bars")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusReady || strings.Join(d.Dates, ",") != "2025-12-15" {
		t.Fatalf("after cancel: status %s, dates %v, problems %v", d.Status, d.Dates, d.Problems)
	}
}
