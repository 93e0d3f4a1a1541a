// Package gate decides whether a client's query may run, from DuckDB's
// own parse of it, before DuckDB binds or runs anything.
//
// A statement passing the wire server's "is it a query" checks can still
// call table functions with side effects (enable_logging writes files,
// query() runs SQL nobody checked, arrow_scan dereferences a pointer),
// and DuckDB's lock_configuration does not cover them. So the server asks
// DuckDB for the statement's parse tree (json_serialize_sql, SQL in,
// JSON out) and Check walks every node of it: every function, table
// function, macro and operator named at any depth (subqueries, CTEs,
// LATERAL, windows, casts' arguments, lambdas) must be on the allowlist
// in functions.go, and every table named must not be one of the system
// views that wrap a refused function (views.go). Anything not on a list
// is refused: deny by default. Names DuckDB does not know at all are
// reported as undefined functions, as DuckDB would.
//
// The lists are complete for the DuckDB version linked in: a test
// enumerates duckdb_functions() and duckdb_views() and fails for any name
// that is on neither list, so an upgrade that adds a function fails until
// the function is classified.
package gate
