"""psycopg 3 against spysql: untyped parameters (select %s, %s),
server-side cursors, DEALLOCATE ALL on reset. Exits non-zero on any
mismatch."""
import psycopg

with psycopg.connect("") as conn:
    cur = conn.execute("select %s, %s", ("a", 7))
    row = cur.fetchone()
    assert row == ("a", 7), row
    assert [d.name for d in cur.description] == ["?column?", "?column?"], cur.description
    cur = conn.execute("select %s", ("lone",))
    row = cur.fetchone()
    assert row == ("lone",) and cur.description[0].type_code == 25, (row, cur.description)
    cur = conn.execute("select count(*) from gold.ds where size > %s", (3,))
    assert cur.fetchone()[0] == 429, "typed parameter"
    # Prepared statements (psycopg prepares after 5 executions) and a reset.
    for i in range(8):
        assert conn.execute("select ts_event_ns from gold.ds where ts_event_ns = %s", (i + 1,)).fetchone() == (i + 1,)
    conn.execute("DEALLOCATE ALL")
    with conn.transaction():
        with conn.cursor(name="srv") as sc:
            sc.execute("select ts_event_ns, price from gold.ds order by 1")
            rows = 0
            while True:
                batch = sc.fetchmany(300)
                if not batch:
                    break
                rows += len(batch)
            assert rows == 1000, rows
print("psycopg3 ok")
