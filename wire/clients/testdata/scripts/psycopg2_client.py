"""psycopg2 against spysql: connect, query Gold, a named (server-side)
cursor over a large result, catalog calls. Exits non-zero on any
mismatch. Connection from PGHOST, PGPORT, PGUSER, PGDATABASE."""
import decimal
import psycopg2

conn = psycopg2.connect("")
cur = conn.cursor()
cur.execute("select count(*), max(price), min(fwd_return_bps) from gold.ds")
n, mx, mn = cur.fetchone()
assert [d.name for d in cur.description] == ["count", "max", "min"], cur.description
assert n == 1000 and mx == 350.0 and mn == decimal.Decimal("0.33"), (n, mx, mn)
cur.execute("select levels, ts, symbol from gold.ds where ts_event_ns = %s", (7,))
levels, ts, sym = cur.fetchone()
assert levels == [7, 8] and sym == "SPY" and ts.tzinfo is not None, (levels, ts, sym)

# A named cursor: DECLARE ... FETCH FORWARD itersize over 200,000 rows.
named = conn.cursor(name="big")
named.itersize = 5000
named.execute("select a.ts_event_ns * 1000 + b.ts_event_ns as k from gold.ds a, gold.ds b where b.ts_event_ns <= 200 order by 1")
total, last = 0, None
for (k,) in named:
    assert last is None or k > last, (last, k)
    last = k
    total += 1
assert total == 200000, total
named.close()
conn.commit()

cur.execute("select current_database(), current_user, version()")
db, user, version = cur.fetchone()
assert db == "lake" and user == conn.info.user and version.startswith("PostgreSQL 15.0 (spysql "), (db, user, version)
assert conn.server_version == 150000, conn.server_version
print("psycopg2 ok", total)
