#!/usr/bin/env bash
# Export the static parts of PostgreSQL 15's catalog (types, ranges, access
# methods, keywords) into engine/pgcatalog/data/*.csv, which the catalog
# embeds. Run as root on Debian with postgresql-15; re-run after a
# PostgreSQL upgrade. Output is sorted and deterministic.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=/usr/lib/postgresql/15/bin
OUT=engine/pgcatalog/data
dir=$(mktemp -d)
chown postgres "$dir"
trap 'runuser -u postgres -- $BIN/pg_ctl -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
runuser -u postgres -- $BIN/initdb -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
runuser -u postgres -- $BIN/pg_ctl -D "$dir/data" -o "-k $dir -p 5499 -h ''" -w start >/dev/null
q() { runuser -u postgres -- psql -h "$dir" -p 5499 -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 -c "$1"; }
# Each file's header names a column and its DuckDB type (UINTEGER for
# PostgreSQL's oid); \N is NULL.
q "\\copy (SELECT oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, typispreferred, typisdefined, typdelim, typrelid, typsubscript::oid, typelem, typarray, typinput::oid, typoutput::oid, typreceive::oid, typsend::oid, typmodin::oid, typmodout::oid, typanalyze::oid, typalign, typstorage, typnotnull, typbasetype, typtypmod, typndims, typcollation, typdefault FROM pg_type WHERE typnamespace = 11 AND (typrelid = 0 OR typname IN ('pg_type','pg_attribute','pg_proc','pg_class')) ORDER BY oid) TO '$dir/pg_type.csv' WITH (FORMAT csv, NULL '\\N')"
# Every function of pg_catalog, with what psql's \df and drivers read of
# it computed by PostgreSQL itself: result and argument lists, comment,
# definition (\sf).
# Arrays are JSON, which the catalog's view reads with from_json.
q "\\copy (SELECT p.oid, p.proname, p.pronamespace, p.proowner, p.prolang, p.procost, p.prorows, p.provariadic, p.prosupport::text, p.prokind, p.prosecdef, p.proleakproof, p.proisstrict, p.proretset, p.provolatile, p.proparallel, p.pronargs, p.pronargdefaults, p.prorettype, p.proargtypes::text, to_json(p.proallargtypes)::text, to_json(p.proargmodes)::text, to_json(p.proargnames)::text, p.prosrc, p.probin, pg_get_function_result(p.oid), pg_get_function_arguments(p.oid), pg_get_function_identity_arguments(p.oid), obj_description(p.oid, 'pg_proc'), CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END FROM pg_proc p WHERE p.pronamespace = 11 ORDER BY 1) TO '$dir/pg_proc.csv' WITH (FORMAT csv, NULL '\\N')"
q "\\copy (SELECT rngtypid, rngsubtype, rngmultitypid, rngcollation, rngsubopc, rngcanonical::text, rngsubdiff::text FROM pg_range ORDER BY 1) TO '$dir/pg_range.csv' WITH (FORMAT csv, NULL '\\N')"
q "\\copy (SELECT oid, amname, amhandler::text, amtype FROM pg_am ORDER BY 1) TO '$dir/pg_am.csv' WITH (FORMAT csv, NULL '\\N')"
q "\\copy (SELECT word, catcode, barelabel, catdesc, baredesc FROM pg_get_keywords() ORDER BY 1) TO '$dir/pg_keywords.csv' WITH (FORMAT csv, NULL '\\N')"
{ echo "oid:UINTEGER,typname:VARCHAR,typnamespace:UINTEGER,typowner:UINTEGER,typlen:SMALLINT,typbyval:BOOLEAN,typtype:VARCHAR,typcategory:VARCHAR,typispreferred:BOOLEAN,typisdefined:BOOLEAN,typdelim:VARCHAR,typrelid:UINTEGER,typsubscript:UINTEGER,typelem:UINTEGER,typarray:UINTEGER,typinput:UINTEGER,typoutput:UINTEGER,typreceive:UINTEGER,typsend:UINTEGER,typmodin:UINTEGER,typmodout:UINTEGER,typanalyze:UINTEGER,typalign:VARCHAR,typstorage:VARCHAR,typnotnull:BOOLEAN,typbasetype:UINTEGER,typtypmod:INTEGER,typndims:INTEGER,typcollation:UINTEGER,typdefault:VARCHAR"; cat "$dir/pg_type.csv"; } > $OUT/pg_type.csv
{ echo "oid:UINTEGER,proname:VARCHAR,pronamespace:UINTEGER,proowner:UINTEGER,prolang:UINTEGER,procost:FLOAT,prorows:FLOAT,provariadic:UINTEGER,prosupport:VARCHAR,prokind:VARCHAR,prosecdef:BOOLEAN,proleakproof:BOOLEAN,proisstrict:BOOLEAN,proretset:BOOLEAN,provolatile:VARCHAR,proparallel:VARCHAR,pronargs:SMALLINT,pronargdefaults:SMALLINT,prorettype:UINTEGER,proargtypes:VARCHAR,proallargtypes:VARCHAR,proargmodes:VARCHAR,proargnames:VARCHAR,prosrc:VARCHAR,probin:VARCHAR,result:VARCHAR,arguments:VARCHAR,identity_arguments:VARCHAR,description:VARCHAR,functiondef:VARCHAR"; cat "$dir/pg_proc.csv"; } > $OUT/pg_proc.csv
{ echo "rngtypid:UINTEGER,rngsubtype:UINTEGER,rngmultitypid:UINTEGER,rngcollation:UINTEGER,rngsubopc:UINTEGER,rngcanonical:VARCHAR,rngsubdiff:VARCHAR"; cat "$dir/pg_range.csv"; } > $OUT/pg_range.csv
{ echo "oid:UINTEGER,amname:VARCHAR,amhandler:VARCHAR,amtype:VARCHAR"; cat "$dir/pg_am.csv"; } > $OUT/pg_am.csv
{ echo "word:VARCHAR,catcode:VARCHAR,barelabel:BOOLEAN,catdesc:VARCHAR,baredesc:VARCHAR"; cat "$dir/pg_keywords.csv"; } > $OUT/pg_keywords.csv
wc -l $OUT/*.csv
