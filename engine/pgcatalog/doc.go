// Package pgcatalog makes DuckDB answer PostgreSQL 15's catalog queries,
// so that psql, JDBC, ODBC, SQLAlchemy and BI tools can introspect the
// lake as if spysql were PostgreSQL.
//
// DuckDB has a pg_catalog schema of its own, in its system catalog, and
// refuses a user schema of that name; its views there hold DuckDB's ids,
// not PostgreSQL's. So the catalog lives in two ordinary schemas of the
// database, __pg_catalog and __information_schema (Install), and every
// client statement is rewritten to use them (Rewrite) before DuckDB sees
// it.
//
// # The catalog
//
// Install creates, once per database, views and macros from the SQL in
// sql/: pg_namespace, pg_class, pg_attribute, pg_type, pg_database,
// pg_roles, pg_description, pg_index and the rest, information_schema's
// schemata, tables, views and columns, and the functions clients call
// (format_type, pg_get_userbyid, pg_table_is_visible, obj_description,
// ...). The views read DuckDB's own catalog functions (duckdb_schemas,
// duckdb_views, duckdb_tables, duckdb_columns) when queried, so they are
// always current: a view the engine registers when the lake changes is
// visible at once, and no refresh is needed. OIDs are PostgreSQL's for
// types and for pg_catalog (11); a lake schema, table or view gets a
// stable OID from a hash of its name. Column types map to PostgreSQL type
// OIDs and typmods exactly as the wire server's RowDescription does, and
// pg_type, pg_proc (every pg_catalog function, with PostgreSQL's own
// pg_get_function_result/arguments and comments beside it, for \df and
// driver metadata), pg_range, pg_am and pg_get_keywords() hold
// PostgreSQL 15's own rows (data/*.csv, written by
// scripts/pgcatalog-export.sh from a real PostgreSQL 15). Every column
// PostgreSQL types oid is UINTEGER, DuckDB's only unsigned 32-bit type,
// which the wire server reports as oid (lists of them as oid[]):
// asyncpg's type introspection decodes only oid[] and text[] before it
// has introspected anything. Comments on views and columns (COMMENT ON) are
// pg_description, so obj_description, col_description and psql's \d+
// show them.
//
// Per-connection values are DuckDB variables that the server sets on
// each of its connections (SessionStatements): spysql_user,
// spysql_database, spysql_search_path, spysql_version.
//
// # The rewrite
//
// Rewrite parses a statement with PostgreSQL's own parser (pg_query_go,
// libpg_query), edits the tree and deparses it: relations of pg_catalog
// and information_schema (qualified, or unqualified pg_catalog ones as
// PostgreSQL resolves them) go to the schemas above; pg_catalog.f and
// catalog functions go to the macros; casts to regclass, regtype,
// regnamespace, regrole and regproc become lookups by name (a literal or
// parameter) or names of an OID (anything else); OPERATOR(pg_catalog.~)
// and the regex operators become regexp_matches, COLLATE "default" is
// dropped, current_user and friends are the connection's, and result
// columns get the names PostgreSQL gives them (count, ?column?, max). A
// statement PostgreSQL's parser refuses is DuckDB's own dialect and is
// left as written, as is one the rewrite does not change.
//
// current_setting and set_config are answered with the session's
// settings through Options: set_config's value is checked at Parse and
// returned, and RewriteStatement hands the calls to the server, which
// applies them when the statement runs. RewriteCache keeps rewrites by
// statement text (those that read the session excepted): the parse and
// deparse cost about a third of a small query's prepare.
package pgcatalog
