package wire

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/store"
)

// typedSelect generates rows of every type a Gold or Silver dataset
// holds, as DuckDB writes them, from i in range(n): sorted keys of
// several types (with duplicates), NULLs, negative and wide decimals,
// lists with NULL elements, and one STRUCT the point index does not
// decode.
const typedSelect = `SELECT
	i::BIGINT AS id,
	TIMESTAMP '2025-01-02 09:30:00' + to_microseconds((i // 2) * 1500000 + (i %% 2)) AS ts,
	CAST(TIMESTAMP '2025-01-02 09:30:00' + to_microseconds(i * 250) AS TIMESTAMPTZ) AS tstz,
	CAST(TIMESTAMP '2025-01-02 09:30:00' + to_microseconds(i) AS TIMESTAMP_NS) AS tsns,
	DATE '2025-01-01' + CAST(i // 40 AS INTEGER) AS d,
	lpad(CAST(i // 3 AS VARCHAR), 6, '0') || CASE WHEN (i // 3) %% 5 = 0 THEN 'é' ELSE '' END AS sym,
	CAST(i %% 97 AS INTEGER) AS small,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE CAST((i %% 9999) / 100.0 - 50 AS DECIMAL(4,2)) END AS dec4,
	CAST(i * 1.125 - 3000 AS DECIMAL(9,3)) AS dec9,
	CASE WHEN i %% 11 = 0 THEN NULL ELSE CAST(i * 12345.6789 - 9e9 AS DECIMAL(18,4)) END AS dec18,
	CAST(CAST(i AS HUGEINT) * 100000000000000000000 - 7 AS DECIMAL(38,2)) AS dec38,
	CASE WHEN i %% 13 = 0 THEN NULL ELSE 'name ' || i || repeat('x', CAST(i %% 17 AS INTEGER)) END AS name,
	i %% 3 = 0 AS flag,
	CAST(i / 7.0 AS FLOAT) AS f,
	CASE WHEN i %% 4 = 0 THEN NULL ELSE 400 + (i %% 1000) / 4.0 END AS price,
	CASE WHEN i %% 6 = 0 THEN NULL WHEN i %% 6 = 1 THEN [] ELSE [i * 0.5, NULL, i / 3.0] END AS l_dbl,
	CASE WHEN i %% 5 = 2 THEN NULL ELSE ['a' || i, NULL, ''] END AS l_str,
	[CAST(i AS INTEGER), CAST(-i AS INTEGER)] AS l_int,
	[CAST(i AS DECIMAL(18,3))] AS l_dec,
	[TIMESTAMP '2025-01-02 00:00:00' + to_microseconds(i)] AS l_ts,
	CAST(('\x' || lpad(printf('%%x', i %% 256), 2, '0')) AS BLOB) AS raw,
	{'a': i} AS st
FROM range(%d, %d) t(i)`

// writeTyped writes typedSelect's rows [from, to) to path with DuckDB.
func writeTyped(t *testing.T, db *duck.DB, path string, from, to int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("COPY ("+typedSelect+" ORDER BY i) TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d)",
		from, to, duck.QuoteString(path), store.RowGroupRows)
	if _, err := db.SQL().ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// typedLake is a lake with gold.<name> of n typed rows per key, one
// copy per key column (a dataset has one point index), and a Silver
// version of three dates of the same rows, indexed by ts.
func typedLake(t *testing.T, n int, keys []string) store.Lake {
	t.Helper()
	ctx := context.Background()
	lake := newLake(t)
	db, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, k := range keys {
		writeTyped(t, db, filepath.Join(lake.GoldTrainingDir(), "t_"+k+".parquet"), 0, n)
		rep, err := point.WriteIndex(ctx, lake, point.Source{Schema: "gold", Name: "t_" + k}, k)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"st: Parquet group (STRUCT)"}; !slices.Equal(rep.Undecoded, want) {
			t.Fatalf("undecoded %q, want %q", rep.Undecoded, want)
		}
	}
	for i, date := range []string{"2025-01-02", "2025-01-03", "2025-01-06"} {
		writeTyped(t, db, lake.VersionDatePart("v9", date), i*n/3, (i+1)*n/3)
	}
	if _, err := point.WriteIndex(ctx, lake, point.Source{Schema: "silver", Name: "v9"}, "ts"); err != nil {
		t.Fatal(err)
	}
	return lake
}

// pgEpoch is PostgreSQL's epoch for binary dates and timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// TestPointReadTypesMatchDuckDB compares, byte for byte in text and
// binary results, keyed lookups answered from point indexes with the
// same lookups run in DuckDB: every column type, keys of type BIGINT,
// TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_NS, DATE and VARCHAR in text and
// binary parameters, and a Silver version with its date column.
func TestPointReadTypesMatchDuckDB(t *testing.T) {
	ctx := context.Background()
	const n = 6000
	lake := typedLake(t, n, []string{"id", "ts", "tstz", "tsns", "d", "sym"})
	fast := startServer(t, lake, Config{})
	slow := startServer(t, lake, Config{NoPointReads: true})
	connect := func(ts *testServer) *pgconn.PgConn {
		c, err := pgx.Connect(ctx, ts.connString("u"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		return c.PgConn()
	}
	fc, sc := connect(fast), connect(slow)
	run := func(c *pgconn.PgConn, sql string, p param, rfmt int16) []string {
		var oids []uint32
		if p.format == 1 {
			oids = []uint32{p.oid}
		}
		res := c.ExecParams(ctx, sql, [][]byte{p.value}, oids, []int16{p.format}, []int16{rfmt}).Read()
		if res.Err != nil {
			return []string{res.Err.Error()}
		}
		var out []string
		for _, row := range res.Rows {
			out = append(out, fmt.Sprintf("%q", row))
		}
		slices.Sort(out)
		return append(out, res.CommandTag.String())
	}
	base := time.Date(2025, 1, 2, 9, 30, 0, 0, time.UTC)
	tsParams := func(us int64) []param {
		ts := base.Add(time.Duration(us) * time.Microsecond)
		return []param{
			{format: 0, value: []byte(ts.Format("2006-01-02 15:04:05.000000")), point: true},
			{format: 0, value: []byte(ts.Format("2006-01-02T15:04:05.000000")), point: false}, // another spelling: DuckDB casts
			{format: 1, oid: oidTimestamp, value: binary.BigEndian.AppendUint64(nil, uint64(ts.Sub(pgEpoch).Microseconds())), point: true},
		}
	}
	const cols = "id, ts, tstz, tsns, d, sym, small, dec4, dec9, dec18, dec38, name, flag, f, price, l_dbl, l_str, l_int, l_dec, l_ts, raw"
	type lookup struct {
		sql    string
		params []param
		star   bool // SELECT * including the STRUCT: runs in DuckDB
	}
	var lookups []lookup
	for _, i := range []int64{0, 1, 2, 511, 512, 513, 2999, 3000, 5998, 5999, 6000, -1} {
		lookups = append(lookups,
			lookup{sql: "SELECT " + cols + " FROM gold.t_id WHERE id = $1", params: []param{
				{format: 0, value: fmt.Appendf(nil, "%d", i), point: true},
				{format: 1, oid: oidInt8, value: binary.BigEndian.AppendUint64(nil, uint64(i)), point: true}}},
			lookup{sql: "SELECT * FROM gold.t_id WHERE id = $1", star: true, params: []param{
				{format: 1, oid: oidInt8, value: binary.BigEndian.AppendUint64(nil, uint64(i))}}},
			lookup{sql: "SELECT " + cols + " FROM gold.t_ts WHERE ts = $1", params: tsParams((i/2)*1_500_000 + i%2)},
			lookup{sql: "SELECT " + cols + " FROM gold.t_ts WHERE ts = $1", params: tsParams((i / 2) * 1_500_000)},
			lookup{sql: "SELECT " + cols + " FROM gold.t_tsns WHERE tsns = $1", params: tsParams(i)},
			lookup{sql: "SELECT " + cols + " FROM gold.t_tstz WHERE tstz = $1", params: []param{
				{format: 1, oid: oidTimestampTZ, value: binary.BigEndian.AppendUint64(nil, uint64(base.Add(time.Duration(i*250)*time.Microsecond).Sub(pgEpoch).Microseconds())), point: true},
				{format: 0, value: []byte(base.Add(time.Duration(i*250) * time.Microsecond).Format("2006-01-02 15:04:05.000000+00")), point: false}}},
			lookup{sql: "SELECT " + cols + " FROM gold.t_d WHERE d = $1", params: []param{
				{format: 0, value: []byte(time.Date(2025, 1, 1+int(i/40), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)), point: true},
				{format: 1, oid: oidDate, value: binary.BigEndian.AppendUint32(nil, uint32(time.Date(2025, 1, 1+int(i/40), 0, 0, 0, 0, time.UTC).Sub(pgEpoch).Hours()/24)), point: true}}},
			lookup{sql: "SELECT " + cols + " FROM gold.t_sym WHERE sym = $1", params: []param{
				{format: 0, value: fmt.Appendf(nil, "%06d", i/3), point: true},
				{format: 0, value: fmt.Appendf(nil, "%06dé", i/3), point: true},
				{format: 1, oid: oidText, value: fmt.Appendf(nil, "%06d", i/3), point: true}}},
			lookup{sql: "SELECT * FROM silver.v9 WHERE ts = $1", params: tsParams((i/2)*1_500_000 + i%2), star: true},
			lookup{sql: `SELECT ` + cols + `, date FROM silver."v9" WHERE ts = $1`, params: tsParams((i/2)*1_500_000 + i%2)},
		)
	}
	pointReads := func() int64 { return fast.srv.pointReads.Load() }
	for _, l := range lookups {
		for _, p := range l.params {
			for _, rfmt := range []int16{0, 1} {
				before := pointReads()
				got, want := run(fc, l.sql, p, rfmt), run(sc, l.sql, p, rfmt)
				if !slices.Equal(got, want) {
					t.Fatalf("%s param %q (format %d) result format %d:\npoint  %q\nduckdb %q", l.sql, p.value, p.format, rfmt, got, want)
				}
				if used := pointReads() - before; used != 0 != (p.point && !l.star) {
					t.Errorf("%s param %q (format %d): %d point reads, want point read %v", l.sql, p.value, p.format, used, p.point && !l.star)
				}
			}
		}
	}
	if n := slow.srv.pointReads.Load(); n != 0 {
		t.Errorf("NoPointReads server made %d point reads", n)
	}
}

// param is one statement argument as a client sends it, and whether the
// point index answers it.
type param struct {
	format int16
	oid    uint32
	value  []byte
	point  bool
}
