// Package engine is the core of spysql, split by concern into the
// packages below it; this package itself holds no code. Each imports only
// packages listed before it:
//
//   - calendar: NYSE sessions 2015-2035 from embedded tzdata.
//   - pgcatalog: PostgreSQL 15's pg_catalog and information_schema as
//     DuckDB views and macros over DuckDB's catalog, and the rewrite (with
//     PostgreSQL's own parser) that sends clients' statements to them.
//   - store: the lake on disk, the only package that builds its paths;
//     the Bronze tables and record types, the Bronze writer and atomic
//     publishing (temp file, fsync, rename, fsync the directory).
//   - duck: one embedded DuckDB database with the lake registered as
//     views (bronze, silver, gold, calendar), sandboxed for serving.
//   - session: one client's own DuckDB connection: prepare, describe,
//     bind and stream a result chunk by chunk, read in place.
//   - point: keyed reads on Gold datasets answered from a point index,
//     a small storage engine of its own.
//   - watch: keeps a database's views current while a server runs.
//   - synthmarket: a deterministic synthetic market written to Bronze.
//
// docs/ARCHITECTURE.md tells how they fit together with sqlfeatures,
// wire, stream and the CLI.
package engine
