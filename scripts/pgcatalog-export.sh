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
# Each file's header names a column and its DuckDB type; \N is NULL.
q "\\copy (SELECT oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, typispreferred, typisdefined, typdelim, typrelid, typsubscript::oid, typelem, typarray, typinput::oid, typoutput::oid, typreceive::oid, typsend::oid, typmodin::oid, typmodout::oid, typanalyze::oid, typalign, typstorage, typnotnull, typbasetype, typtypmod, typndims, typcollation, typdefault FROM pg_type WHERE typnamespace = 11 AND (typrelid = 0 OR typname IN ('pg_type','pg_attribute','pg_proc','pg_class')) ORDER BY oid) TO '$dir/pg_type.csv' WITH (FORMAT csv, HEADER false)"
# The functions pg_type names (input, output, receive, ...): clients join
# pg_type to pg_proc to tell arrays by typreceive = array_recv.
q "\\copy (SELECT p.oid, p.proname, p.pronamespace, p.prorettype, p.pronargs FROM pg_proc p WHERE p.oid IN (SELECT unnest(ARRAY[typsubscript::oid, typinput::oid, typoutput::oid, typreceive::oid, typsend::oid, typmodin::oid, typmodout::oid, typanalyze::oid]) FROM pg_type WHERE typnamespace = 11) ORDER BY 1) TO '$dir/pg_proc.csv' WITH (FORMAT csv)"
q "\\copy (SELECT rngtypid, rngsubtype, rngmultitypid, rngcollation, rngsubopc, rngcanonical::text, rngsubdiff::text FROM pg_range ORDER BY 1) TO '$dir/pg_range.csv' WITH (FORMAT csv)"
q "\\copy (SELECT oid, amname, amhandler::text, amtype FROM pg_am ORDER BY 1) TO '$dir/pg_am.csv' WITH (FORMAT csv)"
q "\\copy (SELECT word, catcode, barelabel, catdesc, baredesc FROM pg_get_keywords() ORDER BY 1) TO '$dir/pg_keywords.csv' WITH (FORMAT csv)"
{ echo "oid:INTEGER,typname:VARCHAR,typnamespace:INTEGER,typowner:INTEGER,typlen:SMALLINT,typbyval:BOOLEAN,typtype:VARCHAR,typcategory:VARCHAR,typispreferred:BOOLEAN,typisdefined:BOOLEAN,typdelim:VARCHAR,typrelid:INTEGER,typsubscript:INTEGER,typelem:INTEGER,typarray:INTEGER,typinput:INTEGER,typoutput:INTEGER,typreceive:INTEGER,typsend:INTEGER,typmodin:INTEGER,typmodout:INTEGER,typanalyze:INTEGER,typalign:VARCHAR,typstorage:VARCHAR,typnotnull:BOOLEAN,typbasetype:INTEGER,typtypmod:INTEGER,typndims:INTEGER,typcollation:INTEGER,typdefault:VARCHAR"; cat "$dir/pg_type.csv"; } > $OUT/pg_type.csv
{ echo "oid:INTEGER,proname:VARCHAR,pronamespace:INTEGER,prorettype:INTEGER,pronargs:SMALLINT"; cat "$dir/pg_proc.csv"; } > $OUT/pg_proc.csv
{ echo "rngtypid:INTEGER,rngsubtype:INTEGER,rngmultitypid:INTEGER,rngcollation:INTEGER,rngsubopc:INTEGER,rngcanonical:VARCHAR,rngsubdiff:VARCHAR"; cat "$dir/pg_range.csv"; } > $OUT/pg_range.csv
{ echo "oid:INTEGER,amname:VARCHAR,amhandler:VARCHAR,amtype:VARCHAR"; cat "$dir/pg_am.csv"; } > $OUT/pg_am.csv
{ echo "word:VARCHAR,catcode:VARCHAR,barelabel:BOOLEAN,catdesc:VARCHAR,baredesc:VARCHAR"; cat "$dir/pg_keywords.csv"; } > $OUT/pg_keywords.csv
wc -l $OUT/*.csv
