// node-postgres against spysql: simple and extended queries, types,
// column names, an error. Exits non-zero on any mismatch. Connection
// from PGHOST, PGPORT, PGUSER, PGDATABASE.
const assert = require('assert');
const { Client } = require('pg');

(async () => {
  const c = new Client();
  await c.connect();
  let r = await c.query('select count(*), max(price) from gold.ds');
  assert.deepStrictEqual(r.fields.map((f) => f.name), ['count', 'max']);
  assert.strictEqual(r.rows[0].count, '1000');
  assert.strictEqual(r.rows[0].max, 350);
  r = await c.query('select $1::int + 1 as x, levels, symbol from gold.ds where ts_event_ns = $2', [41, 5]);
  assert.deepStrictEqual(r.rows[0], { x: 42, levels: [5, 6], symbol: 'SPY' });
  r = await c.query({ name: 'byKey', text: 'select ts from gold.ds where ts_event_ns = $1', values: [2] });
  assert.ok(r.rows[0].ts instanceof Date);
  r = await c.query({ name: 'byKey', text: 'select ts from gold.ds where ts_event_ns = $1', values: [3] });
  assert.strictEqual(r.rows.length, 1);
  await assert.rejects(c.query('select nope from gold.ds'), (e) => e.code === '42703');
  r = await c.query('select 2');
  assert.strictEqual(r.rows[0]['?column?'], 2);
  await c.end();
  console.log('node-postgres ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
