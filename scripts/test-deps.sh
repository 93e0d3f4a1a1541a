#!/usr/bin/env bash
# Installs what the tests run, if missing: PostgreSQL 15 (server and psql),
# Debian's Python drivers, pgjdbc and a JDK, psqlODBC and unixODBC,
# Node.js with node-postgres. `make test` runs this; so does CI (.ci/run,
# as root on Debian). Without root or apt-get it only reports what is
# missing, and the tests that need it fail.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
py=/usr/bin/python3
for m in psycopg2:python3-psycopg2 psycopg:python3-psycopg asyncpg:python3-asyncpg \
         sqlalchemy:python3-sqlalchemy pandas:python3-pandas; do
  "$py" -c "import ${m%%:*}" >/dev/null 2>&1 || need+=("${m#*:}")
done
[ -f /usr/share/java/postgresql.jar ] || need+=(libpostgresql-jdbc-java)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
ls /usr/lib/*/odbc/psqlodbcw.so >/dev/null 2>&1 || need+=(odbc-postgresql)
command -v isql >/dev/null 2>&1 || need+=(unixodbc)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client-15)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
  else
    echo "test-deps: missing ${need[*]} (install them, or run as root on Debian)" >&2
  fi
fi

node_dir=wire/clients/testdata/node
if [ ! -d "$node_dir/node_modules/pg" ] && command -v npm >/dev/null 2>&1; then
  (cd "$node_dir" && npm install --no-audit --no-fund --silent)
fi
