-- PostgreSQL 15's pg_catalog over DuckDB's own catalog. Every view is
-- live: it reads duckdb_schemas(), duckdb_views(), duckdb_tables() and
-- duckdb_columns(), so a view registered or dropped when the lake changes
-- shows at once. Static rows (types, ranges, access methods, keywords)
-- come from PostgreSQL 15 itself, exported by scripts/pgcatalog-export.sh
-- into the tables __pg_catalog.static_*. Per-connection values (user,
-- database, search path) are DuckDB variables the server sets on each
-- connection: spysql_user, spysql_database, spysql_search_path.
-- Statements are separated by a line holding only ";".

CREATE OR REPLACE MACRO __pg_catalog.spysql_oid(s) AS (16384 + hash(s) % 2000000000)::UINTEGER
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_user() AS coalesce(getvariable('spysql_user'), 'spysql')
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_database() AS coalesce(getvariable('spysql_database'), 'lake')
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_search_path() AS coalesce(getvariable('spysql_search_path'), []::VARCHAR[])
;
-- The lake's schemas: everything but DuckDB's main and the catalog's own.
CREATE OR REPLACE VIEW __pg_catalog.spysql_schemas AS
SELECT schema_name AS nspname,
       CASE schema_name WHEN '__pg_catalog' THEN 11::UINTEGER WHEN '__information_schema' THEN 13000::UINTEGER
            ELSE __pg_catalog.spysql_oid('n:' || schema_name) END AS oid,
       CASE schema_name WHEN '__pg_catalog' THEN 'pg_catalog' WHEN '__information_schema' THEN 'information_schema'
            ELSE schema_name END AS name
FROM duckdb_schemas()
WHERE database_name = current_database() AND schema_name <> 'main'
;
-- Relations: DuckDB tables are tables ('r'), views are views ('v').
CREATE OR REPLACE VIEW __pg_catalog.spysql_relations AS
SELECT CASE WHEN s.oid = 11 THEN coalesce(f.fixed::UINTEGER, __pg_catalog.spysql_oid('r:pg_catalog.' || r.name))
            ELSE __pg_catalog.spysql_oid('r:' || s.name || '.' || r.name) END AS oid,
       r.name AS relname, s.oid AS relnamespace, s.name AS nspname, r.schema AS duck_schema,
       r.kind AS relkind, r.comment, r.ncols, r.sql
FROM (SELECT schema_name AS schema, view_name AS name, 'v' AS kind, comment, column_count AS ncols, sql
      FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
      UNION ALL
      SELECT schema_name, table_name, 'r', comment, column_count, sql
      FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal) r
JOIN __pg_catalog.spysql_schemas s ON s.nspname = r.schema
LEFT JOIN (VALUES ('pg_type', 1247), ('pg_attribute', 1249), ('pg_proc', 1255), ('pg_class', 1259),
                  ('pg_namespace', 2615), ('pg_database', 1262), ('pg_description', 2609),
                  ('pg_constraint', 2606), ('pg_index', 2610), ('pg_am', 2601), ('pg_range', 3541),
                  ('pg_roles', 12000), ('pg_settings', 12104), ('pg_attrdef', 2604), ('pg_auth_members', 1261),
                  ('pg_authid', 1260), ('pg_cast', 2605), ('pg_collation', 3456), ('pg_conversion', 2607),
                  ('pg_db_role_setting', 2964), ('pg_default_acl', 826), ('pg_depend', 2608), ('pg_enum', 3501),
                  ('pg_event_trigger', 3466), ('pg_extension', 3079), ('pg_foreign_data_wrapper', 2328),
                  ('pg_foreign_server', 1417), ('pg_inherits', 2611), ('pg_language', 2612),
                  ('pg_largeobject_metadata', 2995), ('pg_opclass', 2616), ('pg_operator', 2617),
                  ('pg_opfamily', 2753), ('pg_policy', 3256), ('pg_publication', 6104), ('pg_rewrite', 2618),
                  ('pg_sequence', 2224), ('pg_shdescription', 2396), ('pg_statistic_ext', 3381),
                  ('pg_subscription', 6100), ('pg_tablespace', 1213), ('pg_trigger', 2620), ('pg_ts_config', 3602),
                  ('pg_ts_dict', 3600), ('pg_ts_parser', 3601), ('pg_ts_template', 3764), ('pg_user', 12014),
                  ('pg_tables', 12033), ('pg_views', 12028), ('pg_stat_activity', 12222)) f(name, fixed)
       ON s.oid = 11 AND f.name = r.name
;
CREATE OR REPLACE VIEW __pg_catalog.pg_namespace AS
SELECT *, 2615::UINTEGER AS tableoid FROM (
SELECT oid, name AS nspname, 10::UINTEGER AS nspowner, NULL::VARCHAR[] AS nspacl
FROM __pg_catalog.spysql_schemas
UNION ALL SELECT 99::UINTEGER, 'pg_toast', 10::UINTEGER, NULL::VARCHAR[]
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_type AS
SELECT *, 1247::UINTEGER AS tableoid FROM (
SELECT * FROM __pg_catalog.static_pg_type
)
;
-- DuckDB column types as PostgreSQL types: the same map as the wire
-- server's RowDescription (wire/types.go).
CREATE OR REPLACE MACRO __pg_catalog.spysql_scalar_oid(t) AS
CASE
  WHEN t = 'BOOLEAN' THEN 16
  WHEN t IN ('TINYINT', 'SMALLINT', 'UTINYINT') THEN 21
  WHEN t IN ('INTEGER', 'USMALLINT') THEN 23
  WHEN t IN ('BIGINT', 'UINTEGER') THEN 20
  WHEN t IN ('UBIGINT', 'HUGEINT', 'UHUGEINT') OR t LIKE 'DECIMAL(%' THEN 1700
  WHEN t = 'FLOAT' THEN 700
  WHEN t = 'DOUBLE' THEN 701
  WHEN t = 'BLOB' THEN 17
  WHEN t = 'DATE' THEN 1082
  WHEN t = 'TIME' THEN 1083
  WHEN t IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS') THEN 1114
  WHEN t = 'TIMESTAMP WITH TIME ZONE' THEN 1184
  WHEN t = 'INTERVAL' THEN 1186
  WHEN t = 'UUID' THEN 2950
  WHEN t = 'JSON' OR t LIKE 'STRUCT(%' OR t LIKE 'MAP(%' OR t LIKE 'UNION(%' THEN 114
  ELSE 25
END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_is_array(t) AS
  (t LIKE '%[]' OR regexp_matches(t, '\[[0-9]+\]$')) AND NOT regexp_matches(t, '(\[[0-9]*\]){2}$')
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_elem(t) AS regexp_replace(t, '\[[0-9]*\]$', '')
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_type_oid(t) AS
CASE
  WHEN __pg_catalog.spysql_is_array(t) THEN
    (SELECT typarray FROM __pg_catalog.static_pg_type WHERE oid = __pg_catalog.spysql_scalar_oid(__pg_catalog.spysql_elem(t)))
  WHEN regexp_matches(t, '\]$') THEN 114
  ELSE __pg_catalog.spysql_scalar_oid(t)
END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_typmod(t) AS
CASE WHEN regexp_matches(t, '^DECIMAL\(\d+,\d+\)(\[[0-9]*\])?$')
     THEN (CAST(regexp_extract(t, '^DECIMAL\((\d+),(\d+)\)', 1) AS INTEGER) * 65536
           + CAST(regexp_extract(t, '^DECIMAL\((\d+),(\d+)\)', 2) AS INTEGER) + 4)
     ELSE -1 END
;
CREATE OR REPLACE VIEW __pg_catalog.spysql_columns AS
SELECT r.oid AS attrelid, c.column_name AS attname, c.column_index AS attnum,
       __pg_catalog.spysql_type_oid(c.data_type)::UINTEGER AS atttypid,
       __pg_catalog.spysql_typmod(c.data_type) AS atttypmod,
       NOT c.is_nullable AS attnotnull, c.comment, c.data_type AS duck_type,
       r.relname, r.nspname, r.relkind, r.relnamespace, c.column_default
FROM duckdb_columns() c
JOIN __pg_catalog.spysql_relations r ON r.duck_schema = c.schema_name AND r.relname = c.table_name
WHERE c.database_name = current_database()
;
CREATE OR REPLACE VIEW __pg_catalog.pg_attribute AS
SELECT c.attrelid, c.attname, c.atttypid, -1 AS attstattarget, t.typlen AS attlen,
       c.attnum::SMALLINT AS attnum,
       CASE WHEN t.typcategory = 'A' THEN 1 ELSE 0 END AS attndims, -1 AS attcacheoff,
       c.atttypmod, t.typbyval AS attbyval, t.typalign AS attalign, t.typstorage AS attstorage,
       '' AS attcompression, c.attnotnull, false AS atthasdef, false AS atthasmissing,
       '' AS attidentity, '' AS attgenerated, false AS attisdropped, true AS attislocal,
       0 AS attinhcount, (CASE WHEN t.typcollation <> 0 THEN 100 ELSE 0 END)::UINTEGER AS attcollation,
       NULL::VARCHAR[] AS attacl, NULL::VARCHAR[] AS attoptions, NULL::VARCHAR[] AS attfdwoptions,
       NULL::VARCHAR AS attmissingval
FROM __pg_catalog.spysql_columns c
LEFT JOIN __pg_catalog.static_pg_type t ON t.oid = c.atttypid
;
CREATE OR REPLACE VIEW __pg_catalog.pg_class AS
SELECT *, 1259::UINTEGER AS tableoid FROM (
SELECT r.oid, r.relname, r.relnamespace, 0::UINTEGER AS reltype, 0::UINTEGER AS reloftype, 10::UINTEGER AS relowner,
       (CASE WHEN r.relkind = 'r' THEN 2 ELSE 0 END)::UINTEGER AS relam, 0::UINTEGER AS relfilenode, 0::UINTEGER AS reltablespace,
       0 AS relpages, -1::FLOAT AS reltuples, 0 AS relallvisible, 0::UINTEGER AS reltoastrelid,
       false AS relhasindex, false AS relisshared, 'p' AS relpersistence, r.relkind,
       r.ncols::SMALLINT AS relnatts, 0::SMALLINT AS relchecks, r.relkind = 'v' AS relhasrules,
       false AS relhastriggers, false AS relhassubclass, false AS relrowsecurity,
       false AS relforcerowsecurity, true AS relispopulated, 'n' AS relreplident,
       false AS relispartition, 0::UINTEGER AS relrewrite, 0 AS relfrozenxid, 0 AS relminmxid,
       NULL::VARCHAR[] AS relacl, NULL::VARCHAR[] AS reloptions, NULL::VARCHAR AS relpartbound
FROM __pg_catalog.spysql_relations r
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_database AS
SELECT *, 1262::UINTEGER AS tableoid FROM (
SELECT 16384::UINTEGER AS oid, __pg_catalog.spysql_database() AS datname, 10::UINTEGER AS datdba, 6 AS encoding,
       'c' AS datlocprovider, false AS datistemplate, true AS datallowconn, -1 AS datconnlimit,
       0 AS datfrozenxid, 1 AS datminmxid, 1663::UINTEGER AS dattablespace, 'C' AS datcollate, 'C' AS datctype,
       NULL::VARCHAR AS daticulocale, NULL::VARCHAR AS datcollversion, NULL::VARCHAR[] AS datacl
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_roles AS
SELECT __pg_catalog.spysql_user() AS rolname, false AS rolsuper, true AS rolinherit,
       false AS rolcreaterole, false AS rolcreatedb, true AS rolcanlogin, false AS rolreplication,
       -1 AS rolconnlimit, '********' AS rolpassword, NULL::TIMESTAMPTZ AS rolvaliduntil,
       false AS rolbypassrls, NULL::VARCHAR[] AS rolconfig, 10::UINTEGER AS oid
;
CREATE OR REPLACE VIEW __pg_catalog.pg_authid AS
SELECT *, 1260::UINTEGER AS tableoid FROM (
SELECT 10::UINTEGER AS oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
       rolreplication, rolbypassrls, rolconnlimit, NULL::VARCHAR AS rolpassword, rolvaliduntil
FROM __pg_catalog.pg_roles
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_user AS
SELECT __pg_catalog.spysql_user() AS usename, 10::UINTEGER AS usesysid, false AS usecreatedb, false AS usesuper,
       false AS userepl, false AS usebypassrls, '********' AS passwd, NULL::TIMESTAMPTZ AS valuntil,
       NULL::VARCHAR[] AS useconfig
;
CREATE OR REPLACE VIEW __pg_catalog.pg_auth_members AS
SELECT 0 AS roleid, 0 AS member, 0 AS grantor, false AS admin_option WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_description AS
SELECT oid AS objoid, 1259::UINTEGER AS classoid, 0 AS objsubid, comment AS description
FROM __pg_catalog.spysql_relations WHERE comment IS NOT NULL AND comment <> ''
UNION ALL
SELECT attrelid, 1259::UINTEGER, attnum, comment
FROM __pg_catalog.spysql_columns WHERE comment IS NOT NULL AND comment <> ''
UNION ALL
SELECT oid, 1255::UINTEGER, 0, description FROM __pg_catalog.static_pg_proc WHERE description IS NOT NULL
UNION ALL
SELECT * FROM (VALUES (13559::UINTEGER, 3079::UINTEGER, 0, 'PL/pgSQL procedural language'),
                      (13563::UINTEGER, 2612::UINTEGER, 0, 'PL/pgSQL procedural language'))
;
CREATE OR REPLACE VIEW __pg_catalog.pg_shdescription AS
SELECT 0 AS objoid, 0 AS classoid, NULL::VARCHAR AS description WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_range AS SELECT * FROM __pg_catalog.static_pg_range
;
CREATE OR REPLACE VIEW __pg_catalog.pg_am AS SELECT *, 2601::UINTEGER AS tableoid FROM (
SELECT * FROM __pg_catalog.static_pg_am
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_extension AS
SELECT *, 3079::UINTEGER AS tableoid FROM (
SELECT 13559::UINTEGER AS oid, 'plpgsql' AS extname, 10::UINTEGER AS extowner, 11::UINTEGER AS extnamespace, false AS extrelocatable,
       '1.0' AS extversion, NULL::INTEGER[] AS extconfig, NULL::VARCHAR[] AS extcondition
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_tablespace AS
SELECT *, 1213::UINTEGER AS tableoid FROM (
SELECT * FROM (VALUES (1663::UINTEGER, 'pg_default', 10::UINTEGER, NULL::VARCHAR[], NULL::VARCHAR[]),
                      (1664::UINTEGER, 'pg_global', 10::UINTEGER, NULL::VARCHAR[], NULL::VARCHAR[]))
  t(oid, spcname, spcowner, spcacl, spcoptions)
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_collation AS
SELECT *, 3456::UINTEGER AS tableoid FROM (
SELECT * FROM (VALUES (100::UINTEGER, 'default', 11::UINTEGER, 10::UINTEGER, 'd', true, -1, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR),
                      (950::UINTEGER, 'C', 11::UINTEGER, 10::UINTEGER, 'c', true, -1, 'C', 'C', NULL, NULL),
                      (951::UINTEGER, 'POSIX', 11::UINTEGER, 10::UINTEGER, 'c', true, -1, 'POSIX', 'POSIX', NULL, NULL))
  t(oid, collname, collnamespace, collowner, collprovider, collisdeterministic, collencoding,
    collcollate, collctype, colliculocale, collversion)
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_index AS
SELECT 0::UINTEGER AS indexrelid, 0::UINTEGER AS indrelid, 0::SMALLINT AS indnatts, 0::SMALLINT AS indnkeyatts,
       false AS indisunique, false AS indnullsnotdistinct, false AS indisprimary,
       false AS indisexclusion, false AS indimmediate, false AS indisclustered, false AS indisvalid,
       false AS indcheckxmin, false AS indisready, false AS indislive, false AS indisreplident,
       []::SMALLINT[] AS indkey, []::INTEGER[] AS indcollation, []::INTEGER[] AS indclass,
       []::SMALLINT[] AS indoption, NULL::VARCHAR AS indexprs, NULL::VARCHAR AS indpred
WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_constraint AS
SELECT *, 2606::UINTEGER AS tableoid FROM (
SELECT 0::UINTEGER AS oid, '' AS conname, 0::UINTEGER AS connamespace, '' AS contype, false AS condeferrable,
       false AS condeferred, true AS convalidated, 0::UINTEGER AS conrelid, 0::UINTEGER AS contypid, 0::UINTEGER AS conindid,
       0::UINTEGER AS conparentid, 0::UINTEGER AS confrelid, '' AS confupdtype, '' AS confdeltype, '' AS confmatchtype,
       true AS conislocal, 0 AS coninhcount, false AS connoinherit, []::SMALLINT[] AS conkey,
       []::SMALLINT[] AS confkey, []::INTEGER[] AS conpfeqop, []::INTEGER[] AS conppeqop,
       []::INTEGER[] AS conffeqop, []::SMALLINT[] AS confdelsetcols, []::INTEGER[] AS conexclop,
       NULL::VARCHAR AS conbin
WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_attrdef AS
SELECT *, 2604::UINTEGER AS tableoid FROM (
SELECT 0::UINTEGER AS oid, 0::UINTEGER AS adrelid, 0::SMALLINT AS adnum, NULL::VARCHAR AS adbin WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_inherits AS
SELECT 0::UINTEGER AS inhrelid, 0::UINTEGER AS inhparent, 0 AS inhseqno, false AS inhdetachpending WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_policy AS
SELECT *, 3256::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS polname, 0 AS polrelid, '' AS polcmd, true AS polpermissive,
       []::INTEGER[] AS polroles, NULL::VARCHAR AS polqual, NULL::VARCHAR AS polwithcheck WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_statistic_ext AS
SELECT *, 3381::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, 0 AS stxrelid, '' AS stxname, 0 AS stxnamespace, 10 AS stxowner,
       -1 AS stxstattarget, []::SMALLINT[] AS stxkeys, []::VARCHAR[] AS stxkind, NULL::VARCHAR AS stxexprs
WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_publication AS
SELECT *, 6104::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS pubname, 10 AS pubowner, false AS puballtables, false AS pubinsert,
       false AS pubupdate, false AS pubdelete, false AS pubtruncate, false AS pubviaroot WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_publication_rel AS
SELECT 0 AS oid, 0 AS prpubid, 0 AS prrelid, NULL::VARCHAR AS prqual, NULL::SMALLINT[] AS prattrs WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_publication_namespace AS
SELECT 0 AS oid, 0 AS pnpubid, 0 AS pnnspid WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_trigger AS
SELECT *, 2620::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, 0 AS tgrelid, 0 AS tgparentid, '' AS tgname, 0 AS tgfoid, 0::SMALLINT AS tgtype,
       'O' AS tgenabled, false AS tgisinternal, 0 AS tgconstrrelid, 0 AS tgconstrindid,
       0 AS tgconstraint, false AS tgdeferrable, false AS tginitdeferred, 0::SMALLINT AS tgnargs,
       []::SMALLINT[] AS tgattr, NULL::BLOB AS tgargs, NULL::VARCHAR AS tgqual WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_rewrite AS
SELECT *, 2618::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS rulename, 0 AS ev_class, '' AS ev_type, 'O' AS ev_enabled, false AS is_instead,
       NULL::VARCHAR AS ev_qual, NULL::VARCHAR AS ev_action WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_depend AS
SELECT 0::UINTEGER AS classid, 0::UINTEGER AS objid, 0 AS objsubid, 0::UINTEGER AS refclassid, 0::UINTEGER AS refobjid, 0 AS refobjsubid,
       '' AS deptype WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_enum AS
SELECT *, 3501::UINTEGER AS tableoid FROM (
SELECT 0::UINTEGER AS oid, 0::UINTEGER AS enumtypid, 0::FLOAT AS enumsortorder, '' AS enumlabel WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_sequence AS
SELECT 0 AS seqrelid, 0 AS seqtypid, 0::BIGINT AS seqstart, 0::BIGINT AS seqincrement,
       0::BIGINT AS seqmax, 0::BIGINT AS seqmin, 0::BIGINT AS seqcache, false AS seqcycle WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_foreign_table AS
SELECT 0 AS ftrelid, 0 AS ftserver, NULL::VARCHAR[] AS ftoptions WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_partitioned_table AS
SELECT 0 AS partrelid, '' AS partstrat, 0::SMALLINT AS partnatts, 0 AS partdefid,
       []::SMALLINT[] AS partattrs WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_event_trigger AS
SELECT *, 3466::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS evtname, '' AS evtevent, 10 AS evtowner, 0 AS evtfoid, 'O' AS evtenabled,
       NULL::VARCHAR[] AS evttags WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_language AS
SELECT *, 2612::UINTEGER AS tableoid FROM (
SELECT * FROM (VALUES (12::UINTEGER, 'internal', 10::UINTEGER, false, false, 0::UINTEGER, 0::UINTEGER, 2246::UINTEGER),
                      (13::UINTEGER, 'c', 10::UINTEGER, false, false, 0::UINTEGER, 0::UINTEGER, 2247::UINTEGER),
                      (14::UINTEGER, 'sql', 10::UINTEGER, false, true, 0::UINTEGER, 0::UINTEGER, 2248::UINTEGER),
                      (13563::UINTEGER, 'plpgsql', 10::UINTEGER, true, true, 13560::UINTEGER, 13561::UINTEGER, 13562::UINTEGER))
  t(oid, lanname, lanowner, lanispl, lanpltrusted, lanplcallfoid, laninline, lanvalidator)
  CROSS JOIN (SELECT NULL::VARCHAR[] AS lanacl)
)
;
-- Functions: the lake has none of its own; pg_catalog's are PostgreSQL
-- 15's, exported with their argument and result lists (pg_proc.csv).
CREATE OR REPLACE VIEW __pg_catalog.pg_proc AS
SELECT *, 1255::UINTEGER AS tableoid FROM (
SELECT oid, proname, pronamespace, proowner, prolang, procost, prorows, provariadic, prosupport,
       prokind, prosecdef, proleakproof, proisstrict, proretset, provolatile, proparallel, pronargs,
       pronargdefaults, prorettype, proargtypes,
       from_json(proallargtypes, '["UINTEGER"]') AS proallargtypes,
       from_json(proargmodes, '["VARCHAR"]') AS proargmodes,
       from_json(proargnames, '["VARCHAR"]') AS proargnames, NULL::VARCHAR AS proargdefaults,
       NULL::UINTEGER[] AS protrftypes, prosrc, probin, NULL::VARCHAR AS prosqlbody,
       NULL::VARCHAR[] AS proconfig, NULL::VARCHAR[] AS proacl
FROM __pg_catalog.static_pg_proc
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_operator AS
SELECT *, 2617::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS oprname, 11 AS oprnamespace, 10 AS oprowner, 'b' AS oprkind, false AS oprcanmerge,
       false AS oprcanhash, 0 AS oprleft, 0 AS oprright, 0 AS oprresult, 0 AS oprcom, 0 AS oprnegate,
       '-' AS oprcode WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_cast AS
SELECT *, 2605::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, 0 AS castsource, 0 AS casttarget, 0 AS castfunc, 'i' AS castcontext, 'f' AS castmethod WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_opclass AS
SELECT *, 2616::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, 0 AS opcmethod, '' AS opcname, 11 AS opcnamespace, 10 AS opcowner, 0 AS opcfamily,
       0 AS opcintype, false AS opcdefault, 0 AS opckeytype WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_conversion AS
SELECT *, 2607::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS conname, 11 AS connamespace, 10 AS conowner, 0 AS conforencoding,
       0 AS contoencoding, '-' AS conproc, false AS condefault WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_foreign_server AS
SELECT *, 1417::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS srvname, 10 AS srvowner, 0 AS srvfdw, NULL::VARCHAR AS srvtype,
       NULL::VARCHAR AS srvversion, NULL::VARCHAR[] AS srvacl, NULL::VARCHAR[] AS srvoptions WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_foreign_data_wrapper AS
SELECT *, 2328::UINTEGER AS tableoid FROM (
SELECT 0 AS oid, '' AS fdwname, 10 AS fdwowner, 0 AS fdwhandler, 0 AS fdwvalidator,
       NULL::VARCHAR[] AS fdwacl, NULL::VARCHAR[] AS fdwoptions WHERE false
)
;
CREATE OR REPLACE VIEW __pg_catalog.pg_matviews AS
SELECT '' AS schemaname, '' AS matviewname, '' AS matviewowner, NULL::VARCHAR AS tablespace,
       false AS hasindexes, true AS ispopulated, '' AS definition WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_indexes AS
SELECT '' AS schemaname, '' AS tablename, '' AS indexname, NULL::VARCHAR AS tablespace, '' AS indexdef WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_sequences AS
SELECT '' AS schemaname, '' AS sequencename, '' AS sequenceowner, 'bigint' AS data_type,
       0::BIGINT AS start_value, 0::BIGINT AS min_value, 0::BIGINT AS max_value,
       0::BIGINT AS increment_by, false AS cycle, 0::BIGINT AS cache_size, NULL::BIGINT AS last_value WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_tables AS
SELECT nspname AS schemaname, relname AS tablename, __pg_catalog.spysql_user() AS tableowner,
       NULL::VARCHAR AS tablespace, false AS hasindexes, false AS hasrules, false AS hastriggers,
       false AS rowsecurity
FROM __pg_catalog.spysql_relations WHERE relkind = 'r'
;
CREATE OR REPLACE VIEW __pg_catalog.pg_views AS
SELECT nspname AS schemaname, relname AS viewname, __pg_catalog.spysql_user() AS viewowner,
       sql AS definition
FROM __pg_catalog.spysql_relations WHERE relkind = 'v'
;
CREATE OR REPLACE VIEW __pg_catalog.pg_stat_activity AS
SELECT 16384::UINTEGER AS datid, __pg_catalog.spysql_database() AS datname, s.pid, NULL::INTEGER AS leader_pid,
       10::UINTEGER AS usesysid, s.usename, s.application_name,
       s.client_addr, NULL::VARCHAR AS client_hostname, s.client_port,
       s.backend_start, NULL::TIMESTAMPTZ AS xact_start, s.query_start,
       s.state_change, NULL::VARCHAR AS wait_event_type, NULL::VARCHAR AS wait_event,
       s.state, NULL::INTEGER AS backend_xid, NULL::INTEGER AS backend_xmin,
       NULL::BIGINT AS query_id, s.query, 'client backend' AS backend_type
FROM spysql_sessions() s
;
CREATE OR REPLACE VIEW __pg_catalog.pg_stat_all_tables AS
SELECT oid AS relid, nspname AS schemaname, relname, 0::BIGINT AS seq_scan, 0::BIGINT AS seq_tup_read,
       0::BIGINT AS idx_scan, 0::BIGINT AS idx_tup_fetch, 0::BIGINT AS n_tup_ins, 0::BIGINT AS n_tup_upd,
       0::BIGINT AS n_tup_del, 0::BIGINT AS n_tup_hot_upd, 0::BIGINT AS n_live_tup, 0::BIGINT AS n_dead_tup,
       0::BIGINT AS n_mod_since_analyze, 0::BIGINT AS n_ins_since_vacuum,
       NULL::TIMESTAMPTZ AS last_vacuum, NULL::TIMESTAMPTZ AS last_autovacuum,
       NULL::TIMESTAMPTZ AS last_analyze, NULL::TIMESTAMPTZ AS last_autoanalyze,
       0::BIGINT AS vacuum_count, 0::BIGINT AS autovacuum_count, 0::BIGINT AS analyze_count,
       0::BIGINT AS autoanalyze_count
FROM __pg_catalog.spysql_relations WHERE relkind = 'r' AND false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_stat_user_tables AS SELECT * FROM __pg_catalog.pg_stat_all_tables
;
CREATE OR REPLACE VIEW __pg_catalog.pg_statio_user_tables AS
SELECT relid, schemaname, relname, 0::BIGINT AS heap_blks_read, 0::BIGINT AS heap_blks_hit
FROM __pg_catalog.pg_stat_all_tables
;
CREATE OR REPLACE VIEW __pg_catalog.pg_stat_user_indexes AS
SELECT 0 AS relid, 0 AS indexrelid, '' AS schemaname, '' AS relname, '' AS indexrelname,
       0::BIGINT AS idx_scan, 0::BIGINT AS idx_tup_read, 0::BIGINT AS idx_tup_fetch WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_stat_database AS
SELECT 16384 AS datid, __pg_catalog.spysql_database() AS datname, 0 AS numbackends,
       0::BIGINT AS xact_commit, 0::BIGINT AS xact_rollback, 0::BIGINT AS blks_read, 0::BIGINT AS blks_hit
WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_locks AS
SELECT '' AS locktype, NULL::INTEGER AS database, NULL::INTEGER AS relation, NULL::INTEGER AS pid,
       '' AS mode, false AS granted WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_prepared_xacts AS
SELECT 0 AS transaction, '' AS gid, NULL::TIMESTAMPTZ AS prepared, '' AS owner, '' AS database WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_timezone_names AS
SELECT 'UTC' AS name, 'UTC' AS abbrev, INTERVAL 0 SECOND AS utc_offset, false AS is_dst
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_keywords() AS TABLE
SELECT * FROM __pg_catalog.static_pg_keywords
;
-- PostgreSQL 15's fixed settings that clients read from pg_settings
-- (pgjdbc: max_index_keys); the session's own are SHOW and
-- current_setting, answered by the server.
CREATE OR REPLACE VIEW __pg_catalog.pg_settings AS
SELECT name, setting, unit, category, short_desc, NULL::VARCHAR AS extra_desc, context, vartype,
       'default' AS source, NULL::VARCHAR AS min_val, NULL::VARCHAR AS max_val, NULL::VARCHAR[] AS enumvals,
       setting AS boot_val, setting AS reset_val, NULL::VARCHAR AS sourcefile, NULL::INTEGER AS sourceline,
       false AS pending_restart
FROM (VALUES
  ('block_size', '8192', NULL, 'Preset Options', 'Shows the size of a disk block.', 'internal', 'integer'),
  ('integer_datetimes', 'on', NULL, 'Preset Options', 'Shows whether datetimes are integer based.', 'internal', 'bool'),
  ('max_connections', '100', NULL, 'Connections and Authentication', 'Sets the maximum number of concurrent connections.', 'postmaster', 'integer'),
  ('max_function_args', '100', NULL, 'Preset Options', 'Shows the maximum number of function arguments.', 'internal', 'integer'),
  ('max_identifier_length', '63', NULL, 'Preset Options', 'Shows the maximum identifier length.', 'internal', 'integer'),
  ('max_index_keys', '32', NULL, 'Preset Options', 'Shows the maximum number of index keys.', 'internal', 'integer'),
  ('server_encoding', 'UTF8', NULL, 'Preset Options', 'Shows the server (database) character set encoding.', 'internal', 'string'),
  ('server_version', '15.0', NULL, 'Preset Options', 'Shows the server version.', 'internal', 'string'),
  ('server_version_num', '150000', NULL, 'Preset Options', 'Shows the server version as an integer.', 'internal', 'integer'),
  ('standard_conforming_strings', 'on', NULL, 'Version and Platform Compatibility', 'Causes ''...'' strings to treat backslashes literally.', 'user', 'bool'))
  s(name, setting, unit, category, short_desc, context, vartype)
;
-- Catalogs psql's less common describing commands read; the lake has
-- none of these objects.
CREATE OR REPLACE VIEW __pg_catalog.pg_default_acl AS
SELECT 0::UINTEGER AS oid, 0::UINTEGER AS defaclrole, 0::UINTEGER AS defaclnamespace, '' AS defaclobjtype,
       []::VARCHAR[] AS defaclacl WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_ts_config AS
SELECT 0::UINTEGER AS oid, '' AS cfgname, 0::UINTEGER AS cfgnamespace, 0::UINTEGER AS cfgowner,
       0::UINTEGER AS cfgparser WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_ts_dict AS
SELECT 0::UINTEGER AS oid, '' AS dictname, 0::UINTEGER AS dictnamespace, 0::UINTEGER AS dictowner,
       0::UINTEGER AS dicttemplate, NULL::VARCHAR AS dictinitoption WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_ts_parser AS
SELECT 0::UINTEGER AS oid, '' AS prsname, 0::UINTEGER AS prsnamespace, 0::UINTEGER AS prsstart,
       0::UINTEGER AS prstoken, 0::UINTEGER AS prsend, 0::UINTEGER AS prsheadline, 0::UINTEGER AS prslextype WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_ts_template AS
SELECT 0::UINTEGER AS oid, '' AS tmplname, 0::UINTEGER AS tmplnamespace, 0::UINTEGER AS tmplinit,
       0::UINTEGER AS tmpllexize WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_largeobject_metadata AS
SELECT 0::UINTEGER AS oid, 0::UINTEGER AS lomowner, NULL::VARCHAR[] AS lomacl WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_subscription AS
SELECT 0::UINTEGER AS oid, 0::UINTEGER AS subdbid, 0::BIGINT AS subskiplsn, '' AS subname,
       0::UINTEGER AS subowner, false AS subenabled, false AS subbinary, '' AS substream,
       '' AS subtwophasestate, false AS subdisableonerr, '' AS subconninfo, NULL::VARCHAR AS subslotname,
       '' AS subsynccommit, []::VARCHAR[] AS subpublications WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_db_role_setting AS
SELECT 0::UINTEGER AS setdatabase, 0::UINTEGER AS setrole, []::VARCHAR[] AS setconfig WHERE false
;
CREATE OR REPLACE VIEW __pg_catalog.pg_opfamily AS
SELECT 0::UINTEGER AS oid, 0::UINTEGER AS opfmethod, '' AS opfname, 11::UINTEGER AS opfnamespace,
       10::UINTEGER AS opfowner, 2753::UINTEGER AS tableoid WHERE false
;
