"""SQLAlchemy 1.4 (psycopg2), Superset's path: connect, the inspector's
schemas, tables, views, columns with their types, keys and indexes, and
pandas.read_sql. Exits non-zero on any mismatch."""
import os

import pandas
import sqlalchemy
from sqlalchemy import inspect, types

url = "postgresql+psycopg2://%s@%s:%s/%s" % (os.environ["PGUSER"], os.environ["PGHOST"], os.environ["PGPORT"], os.environ["PGDATABASE"])
engine = sqlalchemy.create_engine(url)
insp = inspect(engine)
schemas = insp.get_schema_names()
for s in ("bronze", "calendar", "gold", "lake", "silver"):
    assert s in schemas, schemas
assert "sessions" in insp.get_table_names(schema="calendar"), insp.get_table_names(schema="calendar")
assert insp.get_view_names(schema="gold") == ["ds", "vec"], insp.get_view_names(schema="gold")
cols = {c["name"]: c for c in insp.get_columns("ds", schema="gold")}
assert list(cols) == ["ts_event_ns", "price", "size", "symbol", "fwd_return_bps", "levels", "ts"], list(cols)
assert isinstance(cols["ts_event_ns"]["type"], types.BIGINT), cols["ts_event_ns"]["type"]
assert isinstance(cols["price"]["type"], types.Float), cols["price"]["type"]
assert isinstance(cols["fwd_return_bps"]["type"], types.NUMERIC) and cols["fwd_return_bps"]["type"].scale == 2
assert isinstance(cols["levels"]["type"], types.ARRAY), cols["levels"]["type"]
assert isinstance(cols["ts"]["type"], types.TIMESTAMP) and cols["ts"]["type"].timezone
assert cols["ts_event_ns"]["comment"] == "key of ds", cols["ts_event_ns"]
assert insp.get_pk_constraint("ds", schema="gold")["constrained_columns"] == []
assert insp.get_indexes("ds", schema="gold") == []
assert insp.get_foreign_keys("ds", schema="gold") == []
assert insp.get_table_comment("ds", schema="gold")["text"] == "Demo training set"
df = pandas.read_sql("select ts_event_ns, price, symbol from gold.ds order by 1", engine)
assert df.shape == (1000, 3) and df["price"].iloc[0] == 100.25, df.head()
with engine.connect() as c:
    assert c.execute(sqlalchemy.text("select count(*) from gold.ds where size = :s"), {"s": 1}).scalar() == 143
print("sqlalchemy ok")
