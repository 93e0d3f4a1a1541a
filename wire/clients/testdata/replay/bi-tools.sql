-- Catalog statements BI tools send, written after what each tool's
-- source and logs show (not copied): Power BI (Npgsql), Grafana,
-- Metabase, DBeaver, Superset, Tableau. One per block, each block ending
-- with a line holding only ";". A header "-- tool compare" also compares
-- the rows with PostgreSQL 15's for like objects (gold.ds).

-- npgsql
SELECT version()
;

-- npgsql
SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid
FROM (
    SELECT typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind,
        elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,
        CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype
    FROM (
        SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,
            CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,
            CASE
                WHEN proc.proname='array_recv' THEN typ.typelem
                WHEN typ.typtype='r' THEN rngsubtype
                WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)
                WHEN typ.typtype='d' THEN typ.typbasetype
            END AS elemtypoid
        FROM pg_type AS typ
        LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
        LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive
        LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)
    ) AS typ
    LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid
    LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)
    LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive
) AS t
JOIN pg_namespace AS ns ON (ns.oid = typnamespace)
WHERE
    typtype IN ('b', 'r', 'm', 'e', 'd') OR
    (typtype = 'c' AND relkind='c') OR
    (typtype = 'p' AND typname IN ('record', 'void', 'unknown')) OR
    (typtype = 'a' AND (
        elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR
        (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR
        (elemtyptype = 'c' AND elemrelkind='c')
    ))
ORDER BY CASE
       WHEN typtype IN ('b', 'e', 'p') THEN 0
       WHEN typtype = 'r' THEN 1
       WHEN typtype = 'm' THEN 2
       WHEN typtype = 'c' THEN 3
       WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4
       WHEN typtype = 'a' THEN 5
       WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6
END
;

-- npgsql compare
SELECT t.typname, ns.nspname, elem.typname AS elem
FROM pg_type t JOIN pg_namespace ns ON ns.oid = t.typnamespace
LEFT JOIN pg_type elem ON elem.oid = t.typelem
JOIN pg_proc p ON p.oid = t.typreceive
WHERE p.proname = 'array_recv' AND elem.typname IN ('int4', 'int8', 'float8', 'text', 'numeric', 'timestamptz')
ORDER BY 1
;

-- npgsql compare
SELECT pg_is_in_recovery(), current_setting('server_version_num')::int >= 150000
;

-- powerbi compare
SELECT table_schema, table_name, table_type FROM information_schema.tables
WHERE table_schema = 'gold' ORDER BY table_schema, table_name
;

-- powerbi compare
SELECT column_name, ordinal_position, is_nullable, data_type, character_maximum_length, numeric_precision, numeric_scale, datetime_precision, udt_name
FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = 'ds' ORDER BY ordinal_position
;

-- grafana compare
SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS "table"
FROM information_schema.tables
WHERE quote_ident(table_schema) NOT IN ('information_schema', 'pg_catalog', '_timescaledb_cache', '_timescaledb_catalog', '_timescaledb_internal', '_timescaledb_config', 'timescaledb_information', 'timescaledb_experimental')
  AND table_type IN ('BASE TABLE', 'VIEW') AND table_schema = 'gold'
ORDER BY 1
;

-- grafana compare
SELECT column_name AS "column", data_type AS "type"
FROM information_schema.columns
WHERE table_schema = 'gold' AND table_name = 'ds'
ORDER BY column_name
;

-- grafana
SELECT current_setting('server_version_num')::int/100 AS version
;

-- grafana compare
SELECT CASE WHEN has_schema_privilege('gold', 'USAGE') THEN 'gold' END, to_regclass('gold.ds') IS NOT NULL, to_regclass('gold.nope') IS NULL
;

-- metabase compare
SELECT nspname AS "schema" FROM pg_catalog.pg_namespace
WHERE nspname NOT LIKE 'pg_%' AND nspname <> 'information_schema' AND nspname = 'gold'
ORDER BY 1
;

-- metabase compare
SELECT n.nspname AS schema, c.relname AS name,
       CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' END AS type,
       d.description AS description, stat.n_live_tup AS estimated_row_count
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid
LEFT JOIN pg_catalog.pg_description d ON c.oid = d.objoid AND d.objsubid = 0
LEFT JOIN pg_stat_user_tables stat ON n.nspname = stat.schemaname AND c.relname = stat.relname
WHERE c.relkind IN ('r', 'p', 'v', 'f', 'm') AND n.nspname = 'gold'
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY 1, 2
;

-- metabase compare
SELECT c.column_name AS name, c.udt_name AS "database-type", c.ordinal_position - 1 AS "database-position",
       pgd.description AS "field-comment", c.is_nullable = 'NO' AS "database-required"
FROM information_schema.columns c
JOIN pg_catalog.pg_class pc ON pc.relname = c.table_name
JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace AND pn.nspname = c.table_schema
LEFT JOIN pg_catalog.pg_description pgd ON pgd.objoid = pc.oid AND pgd.objsubid = c.ordinal_position
WHERE c.table_schema = 'gold' AND c.table_name = 'ds'
ORDER BY c.ordinal_position
;

-- dbeaver
SELECT db.oid, db.* FROM pg_catalog.pg_database db WHERE datallowconn AND NOT datistemplate ORDER BY db.datname
;

-- dbeaver
SELECT n.oid, n.*, d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid = n.oid AND d.objsubid = 0 AND d.classoid = 'pg_namespace'::regclass
ORDER BY nspname
;

-- dbeaver
SELECT c.oid, c.*, t.relname AS tabrelname, rt.relnamespace AS refnamespace, d.description,
       CASE WHEN c.relpartbound IS NOT NULL THEN pg_get_expr(c.relpartbound, c.oid, true) END AS partition_expr
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_class t ON c.reltoastrelid = t.oid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid = c.reltype
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 AND d.classoid = 'pg_class'::regclass
WHERE c.relnamespace = 'gold'::regnamespace AND c.relkind NOT IN ('i', 'I', 'c')
ORDER BY c.oid
;

-- dbeaver compare
SELECT c.relname, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod) AS fmt, a.attnotnull,
       pg_catalog.col_description(c.oid, a.attnum) AS description, t.typname, t.typcategory
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
WHERE c.relnamespace = 'gold'::regnamespace AND c.relname = 'ds' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
;

-- dbeaver
SELECT t.oid, t.*, c.relkind, format_type(nullif(t.typbasetype, 0), t.typtypmod) AS base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid = d.objoid
WHERE t.typname IS NOT NULL AND (c.relkind IS NULL OR c.relkind = 'c') AND t.typnamespace = 11
ORDER BY t.oid
;

-- dbeaver compare
SELECT string_agg(word, ',') FROM pg_catalog.pg_get_keywords() WHERE word IN ('select', 'from', 'window', 'abort')
;

-- dbeaver
SELECT e.oid, e.*, n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace ORDER BY e.oid
;

-- superset compare
SELECT pg_catalog.version() IS NOT NULL, current_schema() IS NULL
;

-- superset compare
SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'gold' AND c.relkind IN ('v', 'm') ORDER BY 1
;

-- tableau
SELECT current_database(), current_user, pg_backend_pid() IS NOT NULL
;

-- tableau compare
SELECT n.nspname, c.relname, a.attname, t.typname, a.atttypmod, a.attnum
FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c, pg_catalog.pg_attribute a, pg_catalog.pg_type t
WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid = c.oid AND a.atttypid = t.oid
  AND c.relnamespace = n.oid AND n.nspname LIKE 'gold' AND c.relname LIKE 'ds'
ORDER BY n.nspname, c.relname, a.attnum
;

-- tableau compare
SELECT typname, typlen, typtype, typcategory FROM pg_catalog.pg_type WHERE oid IN (16, 20, 23, 25, 701, 1043, 1082, 1114, 1184, 1700, 1007) ORDER BY oid
;

-- tableau
SELECT pg_database_size(current_database()) >= 0, pg_size_pretty(0::bigint)
;
