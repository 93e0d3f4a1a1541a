-- PostgreSQL 15's information_schema over the views of pg_catalog.sql.
-- Statements are separated by a line holding only ";".

CREATE OR REPLACE VIEW __information_schema.schemata AS
SELECT __pg_catalog.spysql_database() AS catalog_name, nspname AS schema_name,
       __pg_catalog.spysql_user() AS schema_owner, NULL::VARCHAR AS default_character_set_catalog,
       NULL::VARCHAR AS default_character_set_schema, NULL::VARCHAR AS default_character_set_name,
       NULL::VARCHAR AS sql_path
FROM __pg_catalog.pg_namespace
;
CREATE OR REPLACE VIEW __information_schema.tables AS
SELECT __pg_catalog.spysql_database() AS table_catalog, nspname AS table_schema, relname AS table_name,
       CASE relkind WHEN 'r' THEN 'BASE TABLE' ELSE 'VIEW' END AS table_type,
       NULL::VARCHAR AS self_referencing_column_name, NULL::VARCHAR AS reference_generation,
       NULL::VARCHAR AS user_defined_type_catalog, NULL::VARCHAR AS user_defined_type_schema,
       NULL::VARCHAR AS user_defined_type_name, 'NO' AS is_insertable_into, 'NO' AS is_typed,
       NULL::VARCHAR AS commit_action
FROM __pg_catalog.spysql_relations
;
CREATE OR REPLACE VIEW __information_schema.views AS
SELECT __pg_catalog.spysql_database() AS table_catalog, nspname AS table_schema, relname AS table_name,
       sql AS view_definition, 'NONE' AS check_option, 'NO' AS is_updatable, 'NO' AS is_insertable_into,
       'NO' AS is_trigger_updatable, 'NO' AS is_trigger_deletable, 'NO' AS is_trigger_insertable_into
FROM __pg_catalog.spysql_relations WHERE relkind = 'v'
;
CREATE OR REPLACE VIEW __information_schema.columns AS
SELECT __pg_catalog.spysql_database() AS table_catalog, c.nspname AS table_schema, c.relname AS table_name,
       c.attname AS column_name, c.attnum AS ordinal_position, c.column_default,
       CASE WHEN c.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,
       CASE WHEN t.typcategory = 'A' THEN 'ARRAY'
            ELSE __pg_catalog.format_type(c.atttypid, NULL) END AS data_type,
       NULL::INTEGER AS character_maximum_length,
       CASE WHEN c.atttypid IN (25, 1043, 1042) THEN 1073741824 END AS character_octet_length,
       CASE c.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24 WHEN 701 THEN 53
            WHEN 1700 THEN CASE WHEN c.atttypmod >= 4 THEN (c.atttypmod - 4) // 65536 END END AS numeric_precision,
       CASE WHEN c.atttypid IN (21, 23, 20, 700, 701) THEN 2 WHEN c.atttypid = 1700 THEN 10 END AS numeric_precision_radix,
       CASE WHEN c.atttypid IN (21, 23, 20) THEN 0
            WHEN c.atttypid = 1700 AND c.atttypmod >= 4 THEN (c.atttypmod - 4) % 65536 END AS numeric_scale,
       CASE WHEN c.atttypid = 1082 THEN 0 WHEN c.atttypid IN (1083, 1114, 1184, 1186) THEN 6 END AS datetime_precision,
       NULL::VARCHAR AS interval_type, NULL::INTEGER AS interval_precision,
       NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema,
       NULL::VARCHAR AS character_set_name,
       NULL::VARCHAR AS collation_catalog, NULL::VARCHAR AS collation_schema, NULL::VARCHAR AS collation_name,
       NULL::VARCHAR AS domain_catalog, NULL::VARCHAR AS domain_schema, NULL::VARCHAR AS domain_name,
       __pg_catalog.spysql_database() AS udt_catalog, 'pg_catalog' AS udt_schema, t.typname AS udt_name,
       NULL::VARCHAR AS scope_catalog, NULL::VARCHAR AS scope_schema, NULL::VARCHAR AS scope_name,
       NULL::INTEGER AS maximum_cardinality, CAST(c.attnum AS VARCHAR) AS dtd_identifier,
       'NO' AS is_self_referencing, 'NO' AS is_identity, NULL::VARCHAR AS identity_generation,
       NULL::VARCHAR AS identity_start, NULL::VARCHAR AS identity_increment, NULL::VARCHAR AS identity_maximum,
       NULL::VARCHAR AS identity_minimum, 'NO' AS identity_cycle, 'NEVER' AS is_generated,
       NULL::VARCHAR AS generation_expression, 'NO' AS is_updatable
FROM __pg_catalog.spysql_columns c
LEFT JOIN __pg_catalog.static_pg_type t ON t.oid = c.atttypid
;
CREATE OR REPLACE VIEW __information_schema.table_constraints AS
SELECT '' AS constraint_catalog, '' AS constraint_schema, '' AS constraint_name, '' AS table_catalog,
       '' AS table_schema, '' AS table_name, '' AS constraint_type, 'NO' AS is_deferrable,
       'NO' AS initially_deferred, 'YES' AS enforced, NULL::VARCHAR AS nulls_distinct WHERE false
;
CREATE OR REPLACE VIEW __information_schema.key_column_usage AS
SELECT '' AS constraint_catalog, '' AS constraint_schema, '' AS constraint_name, '' AS table_catalog,
       '' AS table_schema, '' AS table_name, '' AS column_name, 0 AS ordinal_position,
       NULL::INTEGER AS position_in_unique_constraint WHERE false
;
CREATE OR REPLACE VIEW __information_schema.referential_constraints AS
SELECT '' AS constraint_catalog, '' AS constraint_schema, '' AS constraint_name,
       '' AS unique_constraint_catalog, '' AS unique_constraint_schema, '' AS unique_constraint_name,
       'NONE' AS match_option, 'NO ACTION' AS update_rule, 'NO ACTION' AS delete_rule WHERE false
;
CREATE OR REPLACE VIEW __information_schema.constraint_column_usage AS
SELECT '' AS table_catalog, '' AS table_schema, '' AS table_name, '' AS column_name,
       '' AS constraint_catalog, '' AS constraint_schema, '' AS constraint_name WHERE false
;
CREATE OR REPLACE VIEW __information_schema.routines AS
SELECT '' AS specific_catalog, '' AS specific_schema, '' AS specific_name, '' AS routine_catalog,
       '' AS routine_schema, '' AS routine_name, '' AS routine_type, '' AS data_type,
       '' AS routine_definition, '' AS external_language WHERE false
;
CREATE OR REPLACE VIEW __information_schema.parameters AS
SELECT '' AS specific_catalog, '' AS specific_schema, '' AS specific_name, 0 AS ordinal_position,
       '' AS parameter_mode, '' AS parameter_name, '' AS data_type WHERE false
;
CREATE OR REPLACE VIEW __information_schema.character_sets AS
SELECT NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema,
       'UTF8' AS character_set_name, 'UCS' AS character_repertoire, 'UTF8' AS form_of_use,
       __pg_catalog.spysql_database() AS default_collate_catalog, 'pg_catalog' AS default_collate_schema,
       'C' AS default_collate_name
;
CREATE OR REPLACE MACRO __information_schema._pg_expandarray(a) AS __pg_catalog.spysql_expandarray(a)
