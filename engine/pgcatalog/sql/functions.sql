-- PostgreSQL's catalog functions, as DuckDB macros in __pg_catalog. The
-- rewriter (rewrite.go) sends pg_catalog.f and unqualified f here when
-- the macro exists. Statements are separated by a line holding only ";".

-- Macros are expanded in place, so a caller's column could bind to a
-- column of a table a macro reads: these views name theirs with a
-- leading underscore.
CREATE OR REPLACE VIEW __pg_catalog.spysql_rels AS
SELECT oid AS _oid, relname AS _relname, relnamespace AS _relnamespace, nspname AS _nspname,
       relkind AS _relkind, sql AS _sql
FROM __pg_catalog.spysql_relations
;
CREATE OR REPLACE VIEW __pg_catalog.spysql_descriptions AS
SELECT objoid AS _objoid, classoid AS _classoid, objsubid AS _objsubid, description AS _description
FROM __pg_catalog.pg_description
;
CREATE OR REPLACE VIEW __pg_catalog.spysql_types AS
SELECT oid AS _oid, typname AS _typname, typcategory AS _cat, typelem AS _elem FROM __pg_catalog.static_pg_type
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_format_scalar(typname, typmod) AS
CASE typname
  WHEN 'bool' THEN 'boolean'
  WHEN 'int2' THEN 'smallint'
  WHEN 'int4' THEN 'integer'
  WHEN 'int8' THEN 'bigint'
  WHEN 'float4' THEN 'real'
  WHEN 'float8' THEN 'double precision'
  WHEN 'char' THEN '"char"'
  WHEN 'numeric' THEN 'numeric' || CASE WHEN typmod >= 4
       THEN '(' || ((typmod - 4) // 65536) || ',' || ((typmod - 4) % 65536) || ')' ELSE '' END
  WHEN 'varchar' THEN 'character varying' || CASE WHEN typmod >= 4 THEN '(' || (typmod - 4) || ')' ELSE '' END
  WHEN 'bpchar' THEN 'character' || CASE WHEN typmod >= 4 THEN '(' || (typmod - 4) || ')' ELSE '' END
  WHEN 'time' THEN 'time' || CASE WHEN typmod >= 0 THEN '(' || typmod || ')' ELSE '' END || ' without time zone'
  WHEN 'timetz' THEN 'time' || CASE WHEN typmod >= 0 THEN '(' || typmod || ')' ELSE '' END || ' with time zone'
  WHEN 'timestamp' THEN 'timestamp' || CASE WHEN typmod >= 0 THEN '(' || typmod || ')' ELSE '' END || ' without time zone'
  WHEN 'timestamptz' THEN 'timestamp' || CASE WHEN typmod >= 0 THEN '(' || typmod || ')' ELSE '' END || ' with time zone'
  WHEN 'varbit' THEN 'bit varying' || CASE WHEN typmod >= 0 THEN '(' || typmod || ')' ELSE '' END
  WHEN 'bit' THEN 'bit' || CASE WHEN typmod >= 0 THEN '(' || typmod || ')' ELSE '' END
  ELSE typname
END
;
CREATE OR REPLACE MACRO __pg_catalog.format_type(type_oid, typmod) AS
CASE WHEN type_oid IS NULL THEN NULL ELSE coalesce((
  SELECT CASE WHEN _t._cat = 'A' AND _t._elem <> 0 AND _e._typname IS NOT NULL
              THEN __pg_catalog.spysql_format_scalar(_e._typname, coalesce(typmod, -1)) || '[]'
              ELSE __pg_catalog.spysql_format_scalar(_t._typname, coalesce(typmod, -1)) END
  FROM __pg_catalog.spysql_types _t
  LEFT JOIN __pg_catalog.spysql_types _e ON _e._oid = _t._elem
  WHERE _t._oid = type_oid), '???') END
;
CREATE OR REPLACE VIEW __pg_catalog.spysql_types_formatted AS
SELECT _oid, _typname, __pg_catalog.format_type(_oid, -1) AS _formatted FROM __pg_catalog.spysql_types
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_userbyid(role_oid) AS
CASE WHEN role_oid IS NULL THEN NULL WHEN role_oid = 10 THEN __pg_catalog.spysql_user()
     ELSE 'unknown (OID=' || role_oid || ')' END
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_expr(expr, relid) AS NULL::VARCHAR,
  (expr, relid, pretty) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_table_is_visible(rel_oid) AS
coalesce((SELECT _r._relnamespace = 11 OR list_contains(__pg_catalog.spysql_search_path(), _r._nspname)
          FROM __pg_catalog.spysql_rels _r WHERE _r._oid = rel_oid), false)
;
CREATE OR REPLACE MACRO __pg_catalog.pg_type_is_visible(type_oid) AS
EXISTS (SELECT 1 FROM __pg_catalog.spysql_types _t WHERE _t._oid = type_oid)
;
-- Functions are pg_catalog's (always visible), with PostgreSQL's own
-- answers exported beside them.
CREATE OR REPLACE VIEW __pg_catalog.spysql_procs AS
SELECT oid AS _oid, proname AS _proname, result AS _result, arguments AS _arguments,
       identity_arguments AS _identity, functiondef AS _def
FROM __pg_catalog.static_pg_proc
;
CREATE OR REPLACE MACRO __pg_catalog.pg_function_is_visible(fn_oid) AS
EXISTS (SELECT 1 FROM __pg_catalog.spysql_procs _p WHERE _p._oid = fn_oid)
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_function_result(fn_oid) AS
(SELECT _p._result FROM __pg_catalog.spysql_procs _p WHERE _p._oid = fn_oid)
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_function_arguments(fn_oid) AS
(SELECT _p._arguments FROM __pg_catalog.spysql_procs _p WHERE _p._oid = fn_oid)
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_function_identity_arguments(fn_oid) AS
(SELECT _p._identity FROM __pg_catalog.spysql_procs _p WHERE _p._oid = fn_oid)
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_function_sqlbody(fn_oid) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_functiondef(fn_oid) AS
(SELECT _p._def FROM __pg_catalog.spysql_procs _p WHERE _p._oid = fn_oid)
;
-- regprocedure: a function by name and argument types, abs(integer), as
-- pg_get_function_identity_arguments writes them.
CREATE OR REPLACE MACRO __pg_catalog.spysql_regprocedure_in(name) AS
CASE WHEN name IS NULL THEN NULL
     WHEN regexp_matches(CAST(name AS VARCHAR), '^\s*[0-9]+\s*$') THEN CAST(name AS UINTEGER)
     WHEN NOT contains(CAST(name AS VARCHAR), '(') THEN __pg_catalog.spysql_regproc_in(name)
     ELSE (SELECT _p._oid FROM __pg_catalog.spysql_procs _p
           WHERE _p._proname = lower(trim(regexp_replace(regexp_extract(CAST(name AS VARCHAR), '^([^(]*)\(', 1), '^\s*pg_catalog\.', '')))
             AND _p._identity = lower(regexp_replace(trim(regexp_extract(CAST(name AS VARCHAR), '\((.*)\)\s*$', 1)), '\s*,\s*', ', ', 'g'))
           ORDER BY _p._oid LIMIT 1) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regprocedure_out(fn) AS
CASE WHEN fn IS NULL THEN NULL WHEN fn = 0 THEN '-'
     ELSE coalesce((SELECT _p._proname || '(' || _p._identity || ')' FROM __pg_catalog.spysql_procs _p
                    WHERE _p._oid = fn), CAST(fn AS VARCHAR)) END
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_serial_sequence(tbl, col) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_indexdef(idx) AS NULL::VARCHAR,
  (idx, col, pretty) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_constraintdef(con) AS NULL::VARCHAR,
  (con, pretty) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_viewdef(rel) AS
(SELECT regexp_replace(_r._sql, '^CREATE (OR REPLACE )?VIEW .*? AS ', '') FROM __pg_catalog.spysql_rels _r WHERE _r._oid = rel AND _r._relkind = 'v')
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_viewdef(rel, pretty) AS
(SELECT regexp_replace(_r._sql, '^CREATE (OR REPLACE )?VIEW .*? AS ', '') FROM __pg_catalog.spysql_rels _r WHERE _r._oid = rel AND _r._relkind = 'v')
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_statisticsobjdef_columns(o) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_partkeydef(o) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_triggerdef(o) AS NULL::VARCHAR,
  (o, pretty) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_get_ruledef(o) AS NULL::VARCHAR,
  (o, pretty) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.pg_relation_is_publishable(o) AS false
;
CREATE OR REPLACE MACRO __pg_catalog.pg_encoding_to_char(e) AS CASE WHEN e = 6 THEN 'UTF8' ELSE '' END
;
CREATE OR REPLACE MACRO __pg_catalog.pg_char_to_encoding(e) AS CASE WHEN upper(e) IN ('UTF8', 'UTF-8', 'UNICODE') THEN 6 ELSE -1 END
;
CREATE OR REPLACE MACRO __pg_catalog.pg_backend_pid() AS coalesce(getvariable('spysql_pid'), 0)::INTEGER
;
CREATE OR REPLACE MACRO __pg_catalog.pg_is_in_recovery() AS false
;
CREATE OR REPLACE MACRO __pg_catalog.pg_database_size(d) AS 0::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.pg_relation_size(r) AS 0::BIGINT,
  (r, fork) AS 0::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.pg_total_relation_size(r) AS 0::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.pg_table_size(r) AS 0::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.pg_indexes_size(r) AS 0::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.pg_tablespace_location(t) AS ''
;
CREATE OR REPLACE MACRO __pg_catalog.pg_postmaster_start_time() AS getvariable('spysql_start')::TIMESTAMPTZ
;
CREATE OR REPLACE MACRO __pg_catalog.txid_current() AS 1::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.pg_current_xact_id() AS 1::BIGINT
;
CREATE OR REPLACE MACRO __pg_catalog.obj_description(o) AS
(SELECT _d._description FROM __pg_catalog.spysql_descriptions _d WHERE _d._objoid = o AND _d._objsubid = 0 LIMIT 1)
;
CREATE OR REPLACE MACRO __pg_catalog.obj_description(o, cat) AS
(SELECT _d._description FROM __pg_catalog.spysql_descriptions _d WHERE _d._objoid = o AND _d._objsubid = 0
   AND _d._classoid = CASE cat WHEN 'pg_class' THEN 1259 WHEN 'pg_proc' THEN 1255 WHEN 'pg_extension' THEN 3079
                              WHEN 'pg_language' THEN 2612 END LIMIT 1)
;
CREATE OR REPLACE MACRO __pg_catalog.col_description(rel, col) AS
(SELECT _d._description FROM __pg_catalog.spysql_descriptions _d WHERE _d._objoid = rel AND _d._objsubid = col LIMIT 1)
;
CREATE OR REPLACE MACRO __pg_catalog.shobj_description(o, cat) AS NULL::VARCHAR
;
CREATE OR REPLACE MACRO __pg_catalog.has_table_privilege(a, b) AS true,
  (a, b, c) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.has_schema_privilege(a, b) AS true,
  (a, b, c) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.has_database_privilege(a, b) AS true,
  (a, b, c) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.has_column_privilege(a, b, c) AS true,
  (a, b, c, d) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.has_any_column_privilege(a, b) AS true,
  (a, b, c) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.has_function_privilege(a, b) AS true,
  (a, b, c) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.has_sequence_privilege(a, b) AS false,
  (a, b, c) AS false
;
CREATE OR REPLACE MACRO __pg_catalog.pg_has_role(a, b) AS true,
  (a, b, c) AS true
;
CREATE OR REPLACE MACRO __pg_catalog.array_upper(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN len(a) END
;
CREATE OR REPLACE MACRO __pg_catalog.array_lower(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN 1 END
;
CREATE OR REPLACE MACRO __pg_catalog.array_ndims(a) AS CASE WHEN len(a) > 0 THEN 1 END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_expandarray(a) AS
unnest(list_transform(range(1, len(a) + 1), i -> {'x': a[i], 'n': i}))
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_current_schemas(implicit) AS
CASE WHEN implicit THEN list_concat(['pg_catalog'], __pg_catalog.spysql_search_path())
     ELSE __pg_catalog.spysql_search_path() END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_current_schema() AS __pg_catalog.spysql_search_path()[1]
;
-- A relation name, qualified or not, unquoted names folded to lower
-- case: the oid of the first match on the search path (pg_catalog first).
CREATE OR REPLACE MACRO __pg_catalog.spysql_name_parts(name) AS
list_transform(regexp_extract_all(name, '"((?:[^"]|"")*)"|([^."]+)', 0),
  p -> CASE WHEN p LIKE '"%' THEN replace(p[2:-2], '""', '"') ELSE lower(trim(p)) END)
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regclass_in(name) AS
CASE WHEN name IS NULL THEN NULL
     WHEN regexp_matches(CAST(name AS VARCHAR), '^\s*[0-9]+\s*$') THEN CAST(name AS UINTEGER)
     ELSE (SELECT _r._oid FROM __pg_catalog.spysql_rels _r,
                  (SELECT __pg_catalog.spysql_name_parts(CAST(name AS VARCHAR)) AS _p) _q
           WHERE (len(_q._p) = 2 AND _r._nspname = _q._p[1] AND _r._relname = _q._p[2])
              OR (len(_q._p) = 1 AND _r._relname = _q._p[1]
                  AND (_r._relnamespace = 11 OR list_contains(__pg_catalog.spysql_search_path(), _r._nspname)))
           ORDER BY _r._relnamespace <> 11, list_position(__pg_catalog.spysql_search_path(), _r._nspname)
           LIMIT 1) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regclass_out(rel_oid) AS
CASE WHEN rel_oid IS NULL THEN NULL ELSE coalesce(
  (SELECT CASE WHEN _r._relnamespace = 11 OR list_contains(__pg_catalog.spysql_search_path(), _r._nspname)
               THEN _r._relname ELSE _r._nspname || '.' || _r._relname END
   FROM __pg_catalog.spysql_rels _r WHERE _r._oid = rel_oid), CAST(rel_oid AS VARCHAR)) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regtype_in(name) AS
CASE WHEN name IS NULL THEN NULL
     WHEN regexp_matches(CAST(name AS VARCHAR), '^\s*[0-9]+\s*$') THEN CAST(name AS UINTEGER)
     ELSE (SELECT _t._oid FROM __pg_catalog.spysql_types_formatted _t
           WHERE _t._typname = lower(regexp_replace(CAST(name AS VARCHAR), '^pg_catalog\.', ''))
              OR _t._formatted = lower(regexp_replace(CAST(name AS VARCHAR), '^pg_catalog\.', ''))
           ORDER BY _t._oid LIMIT 1) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regtype_out(type_oid) AS
CASE WHEN type_oid IS NULL THEN NULL WHEN type_oid = 0 THEN '-' ELSE __pg_catalog.format_type(type_oid, NULL) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regnamespace_in(name) AS
CASE WHEN name IS NULL THEN NULL
     WHEN regexp_matches(CAST(name AS VARCHAR), '^\s*[0-9]+\s*$') THEN CAST(name AS UINTEGER)
     ELSE (SELECT _n._oid FROM (SELECT oid AS _oid, nspname AS _nspname FROM __pg_catalog.pg_namespace) _n
           WHERE _n._nspname = __pg_catalog.spysql_name_parts(CAST(name AS VARCHAR))[1]) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regnamespace_out(ns_oid) AS
CASE WHEN ns_oid IS NULL THEN NULL
     ELSE coalesce((SELECT _n._nspname FROM (SELECT oid AS _oid, nspname AS _nspname FROM __pg_catalog.pg_namespace) _n
                    WHERE _n._oid = ns_oid), CAST(ns_oid AS VARCHAR)) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regrole_in(name) AS
CASE WHEN name IS NULL THEN NULL WHEN CAST(name AS VARCHAR) = __pg_catalog.spysql_user() THEN 10::UINTEGER END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regrole_out(role_oid) AS __pg_catalog.pg_get_userbyid(role_oid)
;
-- regproc: a function's OID, by name (pg_catalog.array_in) or number.
CREATE OR REPLACE MACRO __pg_catalog.spysql_regproc_in(name) AS
CASE WHEN name IS NULL THEN NULL
     WHEN regexp_matches(CAST(name AS VARCHAR), '^\s*[0-9]+\s*$') THEN CAST(name AS UINTEGER)
     ELSE (SELECT _p._oid FROM (SELECT oid AS _oid, proname AS _proname FROM __pg_catalog.static_pg_proc) _p
           WHERE _p._proname = regexp_replace(CAST(name AS VARCHAR), '^pg_catalog\.', '') ORDER BY _p._oid LIMIT 1) END
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_regproc_out(fn) AS
CASE WHEN fn IS NULL THEN NULL WHEN fn = 0 THEN '-'
     ELSE coalesce((SELECT _p._proname FROM (SELECT oid AS _oid, proname AS _proname FROM __pg_catalog.static_pg_proc) _p
                    WHERE _p._oid = fn), CAST(fn AS VARCHAR)) END
;
CREATE OR REPLACE MACRO __pg_catalog.version() AS coalesce(getvariable('spysql_version_string'), 'PostgreSQL 15.0 (spysql)')
;
CREATE OR REPLACE MACRO __pg_catalog.set_config(name, value, is_local) AS value
;
CREATE OR REPLACE MACRO __pg_catalog.spysql_value(v) AS v
;
CREATE OR REPLACE MACRO __pg_catalog.to_regclass(name) AS __pg_catalog.spysql_regclass_in(name)
;
CREATE OR REPLACE MACRO __pg_catalog.to_regtype(name) AS __pg_catalog.spysql_regtype_in(name)
;
CREATE OR REPLACE MACRO __pg_catalog.to_regnamespace(name) AS __pg_catalog.spysql_regnamespace_in(name)
;
-- quote_ident: as PostgreSQL, quoted unless a lower-case identifier that
-- is not a reserved (or otherwise restricted) keyword.
CREATE OR REPLACE MACRO __pg_catalog.quote_ident(s) AS
CASE WHEN s IS NULL THEN NULL
     WHEN regexp_matches(s, '^[a-z_][a-z0-9_$]*$')
          AND NOT EXISTS (SELECT 1 FROM __pg_catalog.static_pg_keywords _k WHERE _k.word = s AND _k.catcode <> 'U')
     THEN s ELSE '"' || replace(s, '"', '""') || '"' END
;
CREATE OR REPLACE MACRO __pg_catalog.quote_literal(s) AS
CASE WHEN s IS NULL THEN NULL ELSE '''' || replace(CAST(s AS VARCHAR), '''', '''''') || '''' END
;
CREATE OR REPLACE MACRO __pg_catalog.quote_nullable(s) AS
CASE WHEN s IS NULL THEN 'NULL' ELSE '''' || replace(CAST(s AS VARCHAR), '''', '''''') || '''' END
;
CREATE OR REPLACE MACRO __pg_catalog.getdatabaseencoding() AS 'UTF8'
;
CREATE OR REPLACE MACRO __pg_catalog.pg_statistics_obj_is_visible(o) AS false
;
