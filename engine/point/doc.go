// Package point answers keyed lookups on Gold datasets and Silver
// versions without DuckDB's per-execution planning.
//
// DuckDB 1.5 binds and plans every execution of a prepared statement that
// reads a table (duckdb/duckdb#20885) and reads a whole Parquet row group
// for one row: about 5 ms a lookup. WriteIndex writes, beside a Gold
// dataset or a Silver version (its dates' files in order, with the
// partition column date), its key and its rows in blocks of 512 (block.go:
// each column's values together, offset- or delta-coded, in row order or
// byte planes, the key left out), with per-segment dictionaries of the
// columns whose values repeat (dict.go: 32,768 rows, two-byte codes in the
// blocks), in small ZSTD pages with a page index, stamped with the dataset
// files' sha256. Reader.Read then answers SELECT cols FROM gold.x |
// silver."v" WHERE key = $1 with a binary search over the key column's
// page bounds, one page of keys and one block (and the segment's
// dictionaries, cached), decoded into a DuckDB data
// chunk of the prepared statement's types. Every type a dataset holds is
// decoded (types.go) except nested ones other than lists of flat values;
// CheckIndex names the columns DuckDB reads otherwise. The index is a
// cache: a stale stamp, a type it does not decode, an argument it does not
// read exactly as DuckDB would cast it (key.go), too many matches, damage,
// or an index still being opened and verified in the background make Read
// return ErrNotPointable, and the caller runs the statement in DuckDB.
package point
