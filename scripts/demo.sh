#!/usr/bin/env bash
# The main job on embedded defaults: a synthetic lake, queries over it, Silver
# builds, bootstrap (build, screen, promote to Gold), then the lake served
# over the Postgres wire protocol.
set -euo pipefail
BIN=${BIN:-bin/spysql}
LAKE=${LAKE:-./data/lake}
START=${START:-2025-12-15}
END=${END:-2025-12-19}
export SPYSQL_LAKE=$LAKE

step() { printf '\n== %s\n' "$*"; }

step "generate a synthetic lake in $LAKE ($START..$END)"
"$BIN" gen --start "$START" --end "$END" --seed 1

step "Bronze summary"
"$BIN" query "
  SELECT 'futures_trades' AS tbl, count(*) AS rows, count(DISTINCT date) AS utc_dates, min(price) AS min_price, max(price) AS max_price FROM bronze.futures_trades
  UNION ALL SELECT 'futures_mbp10', count(*), count(DISTINCT date), min(price), max(price) FROM bronze.futures_mbp10
  UNION ALL SELECT 'stocks_trades', count(*), count(DISTINCT date), min(price), max(price) FROM bronze.stocks_trades
  UNION ALL SELECT 'options_trades', count(*), count(DISTINCT date), min(price), max(price) FROM bronze.options_trades
  ORDER BY tbl"

step "SPY regular-hours sessions"
"$BIN" query "
  SELECT s.date, count(*) AS trades, round(first(t.price ORDER BY t.ts_event_ns), 2) AS open,
         round(max(t.price), 2) AS high, round(min(t.price), 2) AS low,
         round(last(t.price ORDER BY t.ts_event_ns), 2) AS close
  FROM bronze.stocks_trades t
  JOIN calendar.sessions s ON t.ts_event_ns >= s.rth_open_ns AND t.ts_event_ns < s.rth_close_ns
  GROUP BY s.date ORDER BY s.date"

NATS_LAKE=${NATS_LAKE:-$LAKE-nats}
step "replay $START through NATS JetStream (embedded nats-server) into $NATS_LAKE"
URL_FILE="$NATS_LAKE.url"
mkdir -p "$NATS_LAKE" && rm -f "$URL_FILE"
"$BIN" ingest --lake "$NATS_LAKE" --embedded --url-file "$URL_FILE" --idle-exit 2s &
INGEST=$!
trap 'kill "$INGEST" 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ -s "$URL_FILE" ] && break; sleep 0.1; done
"$BIN" replay --nats "$(cat "$URL_FILE")" --dates "$START" --max
wait "$INGEST"
trap - EXIT
rm -f "$URL_FILE"
"$BIN" query --lake "$NATS_LAKE" "
  SELECT 'futures_trades' AS tbl, count(*) AS rows FROM bronze.futures_trades
  UNION ALL SELECT 'futures_mbp10', count(*) FROM bronze.futures_mbp10
  UNION ALL SELECT 'stocks_trades', count(*) FROM bronze.stocks_trades
  UNION ALL SELECT 'options_trades', count(*) FROM bronze.options_trades
  ORDER BY tbl"

step "build Silver version v0.1_demo"
"$BIN" build manifests/v0.1_demo.yaml --dates "$START..$END"
"$BIN" list

step "bootstrap: build v1.0_mechanics_only and v2.0_full_ensemble, screen both, promote the better to gold.signals_production"
"$BIN" bootstrap --dates "$START..$END"

step "level touches by kind and outcome (v2.0_full_ensemble)"
"$BIN" query "
  SELECT level_kind, count(*) AS touches,
         count(*) FILTER (WHERE outcome = 'BREAK') AS break,
         count(*) FILTER (WHERE outcome = 'BOUNCE') AS bounce,
         count(*) FILTER (WHERE outcome = 'CHOP') AS chop,
         round(avg(barrier_size_now)) AS avg_barrier, round(avg(ta_rsi14), 1) AS avg_rsi
  FROM silver.\"v2.0_full_ensemble\" GROUP BY level_kind ORDER BY touches DESC"

step "Gold: validate and list"
"$BIN" validate --dataset signals_production
"$BIN" datasets
"$BIN" query "SELECT dataset, source_version, rows, history_depth FROM lake.datasets"

# The end of the chain: a Postgres client browsing Gold over the wire.
# psql comes with PostgreSQL's client package; as root on Debian the demo
# installs it, elsewhere it says how.
if ! command -v psql >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  step "installing psql (postgresql-client)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null
fi
if [ "${DEMO_SERVE:-1}" != "0" ]; then LISTEN=${LISTEN:-127.0.0.1:5433}; else LISTEN=${LISTEN:-127.0.0.1:0}; fi
SERVE_LOG=$(mktemp)
"$BIN" serve --listen "$LISTEN" --auth trust 2>"$SERVE_LOG" &
SERVE=$!
trap 'kill "$SERVE" 2>/dev/null || true; rm -f "$SERVE_LOG"' EXIT
ADDR=
for _ in $(seq 600); do
  ADDR=$(grep -o 'spysql ready.* addr=[^ ]*' "$SERVE_LOG" | sed 's/.*addr=//' || true)
  [ -n "$ADDR" ] && break
  kill -0 "$SERVE" 2>/dev/null || { cat "$SERVE_LOG" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "demo: spysql serve did not start" >&2; cat "$SERVE_LOG" >&2; exit 1; }
CONN="host=${ADDR%:*} port=${ADDR##*:} user=demo dbname=lake sslmode=disable"
if command -v psql >/dev/null 2>&1; then
  step "psql browses gold.signals_production over the Postgres wire protocol ($ADDR)"
  psql "$CONN" -X -v ON_ERROR_STOP=1 -P pager=off \
    -c '\dn' -c '\dv gold.*' -c '\d gold.signals_production' \
    -c 'SELECT date, level_kind, count(*) AS touches, round(avg(spot)::numeric, 2) AS avg_spot FROM gold.signals_production GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 12'
else
  step "psql is not installed (apt-get install postgresql-client); skipping the psql browse"
fi

if [ "${DEMO_SERVE:-1}" != "0" ]; then
  step "serving $LAKE on $ADDR (Ctrl-C to stop)"
  echo "connect with:  psql '$CONN'"
  echo "DBeaver etc.:  README.md, section \"Connect your tool\""
  wait "$SERVE"
fi
