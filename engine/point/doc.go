// Package point answers keyed lookups on Gold datasets without DuckDB's
// per-execution planning.
//
// DuckDB 1.5 binds and plans every execution of a prepared statement that
// reads a table (duckdb/duckdb#20885) and reads a whole Parquet row group
// for one row: about 5 ms a lookup. WritePointIndex writes, beside a Gold
// dataset, its key and each row encoded whole, in small ZSTD pages with a
// page index, stamped with the dataset file's sha256. Reader.Read then
// answers SELECT cols FROM gold.x WHERE key = $1 with a binary search over
// the key column's page bounds, one page of keys and one of rows, decoded
// into a DuckDB data chunk of the prepared statement's types (about
// 40 us). The index is a cache: a stale stamp, a type it does not decode,
// too many matches, damage, or an index still being opened and verified in
// the background make Read return ErrNotPointable, and the caller runs the
// statement in DuckDB.
package point
