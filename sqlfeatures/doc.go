// Package sqlfeatures turns SQL view bundles into Silver feature versions
// (docs/ARCHITECTURE.md, "Silver"): it decodes manifests, parses and orders their
// SQL with DuckDB's own parser, fingerprints them, builds them date by
// date into the lake with embedded DuckDB, and keeps the experiment
// registry.
//
// # A manifest and its bundle
//
// A manifest (manifests/<version_id>.yaml) names a version, the Bronze
// tables its SQL may read, the SQL files, the output view and its key,
// labels, feature groups, typed parameters and validation rules.
// DecodeManifest walks the YAML node tree rather than decoding into
// structs, so every error is a *ManifestError "FILE:LINE: KEY: message":
// unknown and duplicate keys, wrong types, a bad version string, a SQL file
// that does not exist, a parent_version that is neither built nor next to
// the manifest.
//
// Each SQL file holds one SELECT and defines the view named after the file
// (sql/touches.sql defines touches). LoadBundle parses every file with
// DuckDB's json_serialize_sql and reads the parse tree, never the text:
// table references give the dependencies (CTE names resolved away), so the
// views are created in dependency order whatever the file order, and a
// cycle or a reference to a view no file defines is an error naming both.
// A view may read bronze.<table> for the tables in source.schemas,
// calendar.sessions, the bundle's other views and the table functions
// range, generate_series and unnest; anything else (read_parquet, other
// schemas) is refused so a build reads exactly the Bronze its ledger lists.
// A second statement, a non-SELECT statement and a getvariable call of an
// undeclared parameter are errors at the SQL file's line. A getvariable in
// a comment or a string does not count: it is not in the parse tree.
//
// # Parameters
//
// Parameters are typed values bound with SET VARIABLE (as prepared-statement
// arguments: no text templating, so no injection) and read with
// getvariable('NAME'). A plain YAML scalar takes its YAML type:
//
//	parameters:
//	  HORIZON_BARS: 5          # int      -> BIGINT
//	  MONITOR_BAND: 0.25       # float    -> DOUBLE
//	  SYMBOL: SPY              # string   -> VARCHAR
//	  USE_BOOK: true           # bool     -> BOOLEAN
//	  W_b: {type: duration, value: 240s}  # duration -> INTERVAL
//
// The long form {type: T, value: V} works for every type and is the only
// way to write a duration: V is a number of seconds (240, 0.5) or a Go
// duration string ("240s", "4m", "1h30m"), in whole microseconds. SQL reads
// a duration as an INTERVAL; epoch_ns(getvariable('W_b')) is its length in
// nanoseconds, handy against the ts_*_ns columns. DuckDB variable names are
// case-insensitive, so two parameters differing only in case are an error.
//
// One variable is reserved and never declared: getvariable('BUILD_DATE')
// is the trading date being built (a DATE), bound by the builder for each
// date and NULL when the bundle runs unscoped (Install, `spysql query
// --manifest`). A view may use it to compute per-session work only for
// that date while the lookback days still feed it (the shipped touches do);
// it must give the same rows for the date bound or NULL.
//
// # Fingerprint
//
// A version's fingerprint is "sha256:" over canonical JSON holding the
// normalized manifest (version, name, parent, source with sorted schemas,
// output, feature groups, validation rules), the typed parameters as
// canonical text, each view's parse tree with every query_location removed
// (so comments and whitespace do not count), and the writer settings. The
// description and created_at are descriptive and left out, and so are the
// SQL paths and their order. A build copies the SQL into the version
// directory and keeps the manifest as given plus a trailing
// "fingerprint:" key; loading such a copy checks the recorded fingerprint.
//
// # Building a date: write, audit, publish
//
// Build takes the version's lock (flock on silver/features/.locks/<id>.lock:
// builds of one version are serialized, different versions run side by
// side, and the kernel drops the lock of a killed process), removes what an
// interrupted build left, and checks the bundle binds. For each trading
// date D, ascending, in a DuckDB of its own (nothing carries over between
// dates, and freed memory is returned to the OS after each):
//
//  1. bronze.* is re-registered scoped to the partitions of D and its
//     source.lookback_days earlier trading days (duck.DB.RegisterBronze);
//     the files are listed for the ledger before and after, and a change
//     fails the date.
//  2. On one connection the parameters and BUILD_DATE (D) are bound and
//     the views created as temporary views; the output view runs into a temporary table with
//     all threads, keeping only rows with rth_open <= ts_event_ns <
//     rth_close of D's session (so early closes end at 13:00 New York).
//  3. With threads set to 1, COPY (SELECT * ... ORDER BY key) writes
//     .staging-D-<random>/part-0.parquet inside the version directory:
//     ZSTD level 3, fixed ROW_GROUP_SIZE, key-value metadata holding only
//     the version id, fingerprint and date. The key is unique, so the order
//     is total and the bytes do not depend on threads, TZ or the order in
//     which dates are built.
//  4. The audit reads the staged file back: declared columns present, key
//     unique and never NULL, every row inside RTH, null rates under
//     max_null_rate (labels and keys exempt, max_null_rate_by_column
//     overrides), and at least one row unless allow_empty. A failing date
//     is not published; the reasons are in the error.
//  5. _date.json (the date's ledger entry and statistics) is written next
//     to the data, the file and directory are fsynced, and the staging
//     directory is renamed to date=D (exchanged atomically with an existing
//     date=D on --force). A date directory is therefore never partial.
//
// After the dates, ledger.json and validation.json are rebuilt from the
// _date.json records, as canonical JSON with sorted keys and no wall-clock
// times. Totals are combined from the per-date statistics (no data is read
// again, so the cost does not grow with the version); keys are audited per
// date, and a key holding ts_event_ns is unique across dates as well. A date that
// fails does not stop the others; Build returns a *BuildError listing
// every failed date and a rerun builds only what is missing. A date built
// with the same fingerprint is skipped unless Force. A version that exists
// with another fingerprint is refused with a *FingerprintError; with Force
// the whole version is built under a hidden .replace-<id>-<random> name and
// exchanged with the live directory in one renameat2(RENAME_EXCHANGE), only
// if every date succeeded.
//
// # Querying
//
// Install defines a bundle's parameters and views on one connection, over
// whatever bronze.* the database registered: `spysql query --manifest`
// uses it over the unscoped lake to try an experiment before it is
// materialized. Materialized versions are the engine's silver."<id>" views
// with their date partition column.
//
// # Experiments
//
// Register records a run (version, experiment id, status, metrics, notes,
// model path, time) in silver/features/experiments.json under a lock file,
// replacing the file atomically, so concurrent writers never lose an entry.
package sqlfeatures
