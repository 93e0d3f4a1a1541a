package gate

// allowedViews are DuckDB's internal views (information_schema,
// pg_catalog, DuckDB's catalog) that a query may read: catalog metadata
// of this in-memory database.
var allowedViews = words(`
character_sets check_constraints columns constraint_column_usage constraint_table_usage
key_column_usage referential_constraints schemata table_constraints tables views
duckdb_columns duckdb_constraints duckdb_databases duckdb_indexes duckdb_schemas
duckdb_tables duckdb_types duckdb_views pragma_database_list sqlite_master sqlite_schema
sqlite_temp_master sqlite_temp_schema
pg_am pg_attrdef pg_attribute pg_class pg_collation pg_constraint pg_database pg_depend
pg_description pg_enum pg_index pg_indexes pg_namespace pg_prepared_statements pg_proc
pg_sequence pg_sequences pg_tables pg_tablespace pg_type pg_views
`)

// refusedViews are DuckDB's internal views over refused functions, by
// name, unqualified or in one of DuckDB's schemas (see duckdbSchema;
// engine/pgcatalog's own pg_settings, fixed values, is allowed).
var refusedViews = refusals(map[string]string{
	"logging: shows other sessions' statements":         `duckdb_logs`,
	"settings: disclose server paths and configuration": `pg_settings`,
})
