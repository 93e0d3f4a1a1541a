"""asyncpg against spysql: connect (client_encoding 'utf-8'), scalar
types in binary, and a statement that fails at Parse raising at once
instead of hanging. Arrays are left out: asyncpg introspects their types
with a query whose oid[] columns spysql reports as int4[]/int8[], which
asyncpg then introspects again (see the report of issue 13). Exits
non-zero on any mismatch."""
import asyncio
import decimal
import os

import asyncpg


async def main():
    conn = await asyncpg.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
                                 user=os.environ["PGUSER"], database=os.environ["PGDATABASE"], ssl=False)
    row = await conn.fetchrow("select fwd_return_bps, ts, symbol, price from gold.ds where ts_event_ns = $1", 3)
    assert row["fwd_return_bps"] == decimal.Decimal("1.00") and row["symbol"] == "SPY" and row["price"] == 100.75, row
    assert row["ts"].tzinfo is not None, row
    assert await conn.fetchval("select count(*) from gold.ds") == 1000
    try:
        await asyncio.wait_for(conn.fetch("selec 1"), timeout=10)
        raise AssertionError("syntax error not raised")
    except asyncpg.PostgresSyntaxError:
        pass
    assert await conn.fetchval("select 1 + 1") == 2
    await conn.close()
    print("asyncpg ok")


asyncio.run(main())
