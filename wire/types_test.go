package wire

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// typeCases are literals whose answers must be byte-identical between
// spysql and PostgreSQL 15, in text and in binary: the same OID and
// typmod in RowDescription and the same bytes in DataRow.
var typeCases = []struct {
	name, duck, pg string // pg "" means the same SQL
}{
	{"bool", "SELECT true AS v, false AS w", ""},
	{"int2", "SELECT CAST(-12 AS SMALLINT) AS v", ""},
	{"tinyint", "SELECT CAST(-5 AS TINYINT) AS v", "SELECT CAST(-5 AS SMALLINT) AS v"},
	{"utinyint", "SELECT CAST(250 AS UTINYINT) AS v", "SELECT CAST(250 AS SMALLINT) AS v"},
	{"int4", "SELECT CAST(-2147483648 AS INTEGER) AS v", ""},
	{"usmallint", "SELECT CAST(65535 AS USMALLINT) AS v", "SELECT CAST(65535 AS INTEGER) AS v"},
	{"int8", "SELECT CAST(-9223372036854775807 AS BIGINT) AS v", ""},
	{"uinteger", "SELECT CAST(4294967295 AS UINTEGER) AS v, CAST(0 AS UINTEGER) AS w", "SELECT CAST(4294967295 AS OID) AS v, CAST(0 AS OID) AS w"},
	{"oid[]", "SELECT CAST([1, 4294967295, NULL] AS UINTEGER[]) AS a", "SELECT CAST(ARRAY[1, 4294967295, NULL] AS OID[]) AS a"},
	{"float4", "SELECT CAST(1.5 AS REAL) AS a, CAST(3.14159 AS REAL) AS b, CAST(1e10 AS REAL) AS c, CAST(0.0001 AS REAL) AS d, CAST(123456 AS REAL) AS e", ""},
	{"float8", "SELECT CAST(0.1 AS DOUBLE PRECISION) AS a, CAST(1e15 AS DOUBLE PRECISION) AS b, CAST(123456789.125 AS DOUBLE PRECISION) AS c, CAST(1e-5 AS DOUBLE PRECISION) AS d, CAST(100000000000000 AS DOUBLE PRECISION) AS e, CAST(-2.5e-300 AS DOUBLE PRECISION) AS f", ""},
	{"float8 special", "SELECT CAST('NaN' AS DOUBLE PRECISION) AS a, CAST('Infinity' AS DOUBLE PRECISION) AS b, CAST('-Infinity' AS DOUBLE PRECISION) AS c", ""},
	{"numeric", "SELECT CAST(1234.5 AS NUMERIC(10,2)) AS a, CAST(-0.05 AS NUMERIC(10,2)) AS b, CAST(0 AS NUMERIC(4,1)) AS c, CAST(12345678901234.5678 AS NUMERIC(18,4)) AS d", ""},
	{"numeric wide", "SELECT CAST('-12345678901234567890123.456789' AS NUMERIC(38,6)) AS a, CAST('0.000000000000000000000000000001' AS NUMERIC(38,30)) AS b", ""},
	{"hugeint", "SELECT CAST('170141183460469231731687303715884105727' AS HUGEINT) AS a, CAST('-170141183460469231731687303715884105727' AS HUGEINT) AS b", "SELECT CAST('170141183460469231731687303715884105727' AS NUMERIC) AS a, CAST('-170141183460469231731687303715884105727' AS NUMERIC) AS b"},
	{"ubigint", "SELECT CAST('18446744073709551615' AS UBIGINT) AS a", "SELECT CAST('18446744073709551615' AS NUMERIC) AS a"},
	{"text", "SELECT 'héllo wörld' AS a, '' AS b, 'tab\there' AS c", ""},
	{"varchar", "SELECT CAST('x' AS VARCHAR) AS a", "SELECT CAST('x' AS TEXT) AS a"},
	{"bytea", `SELECT CAST('\x00\x01\xFFab' AS BLOB) AS a`, `SELECT CAST('\x0001ff6162' AS BYTEA) AS a`},
	{"date", "SELECT DATE '2024-02-29' AS a, DATE '1970-01-01' AS b, DATE '1999-12-31' AS c, DATE '0001-01-01' AS d", ""},
	{"date infinity", "SELECT CAST('infinity' AS DATE) AS a, CAST('-infinity' AS DATE) AS b", ""},
	{"time", "SELECT TIME '12:34:56.789' AS a, TIME '00:00:00' AS b, TIME '23:59:59.999999' AS c", ""},
	{"timestamp", "SELECT TIMESTAMP '2024-01-02 03:04:05.123456' AS a, TIMESTAMP '1969-12-31 23:59:59.5' AS b, TIMESTAMP '2000-01-01 00:00:00' AS c", ""},
	{"timestamp infinity", "SELECT CAST('infinity' AS TIMESTAMP) AS a, CAST('-infinity' AS TIMESTAMP) AS b", ""},
	{"timestamp_ms", "SELECT CAST(TIMESTAMP '2024-01-02 03:04:05.123' AS TIMESTAMP_MS) AS a", "SELECT TIMESTAMP '2024-01-02 03:04:05.123' AS a"},
	{"timestamp_ns", "SELECT CAST(TIMESTAMP '2024-01-02 03:04:05.123456' AS TIMESTAMP_NS) AS a", "SELECT TIMESTAMP '2024-01-02 03:04:05.123456' AS a"},
	{"timestamptz", "SELECT TIMESTAMPTZ '2024-01-02 03:04:05.5+02' AS a, TIMESTAMPTZ '1960-06-01 00:00:00+00' AS b", ""},
	{"interval", "SELECT INTERVAL '1 year 2 months 3 days 04:05:06.789' AS a, INTERVAL '-3 days' AS b, INTERVAL '0 seconds' AS c, INTERVAL '1 day -01:00:00' AS d, INTERVAL '-1 year -2 months' AS e, INTERVAL '36 hours' AS f", ""},
	{"uuid", "SELECT CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS UUID) AS a, CAST('00000000-0000-0000-0000-000000000000' AS UUID) AS b, CAST('ffffffff-ffff-ffff-ffff-ffffffffffff' AS UUID) AS c", ""},
	{"json", `SELECT CAST('{"a":1}' AS JSON) AS a`, `SELECT CAST('{"a":1}' AS JSON) AS a`},
	{"int4[]", "SELECT CAST([1, 2, NULL] AS INTEGER[]) AS a, CAST([] AS INTEGER[]) AS b", "SELECT CAST(ARRAY[1, 2, NULL] AS INTEGER[]) AS a, CAST(ARRAY[] AS INTEGER[]) AS b"},
	{"int8[]", "SELECT CAST([9223372036854775807] AS BIGINT[]) AS a", "SELECT CAST(ARRAY[9223372036854775807] AS BIGINT[]) AS a"},
	{"text[]", `SELECT ['a', 'b c', '', NULL, 'NULL', 'q"u\o{t}e,'] AS a`, `SELECT ARRAY['a', 'b c', '', NULL, 'NULL', 'q"u\o{t}e,'] AS a`},
	{"float8[]", "SELECT CAST([0.5, -1e20] AS DOUBLE[]) AS a", "SELECT CAST(ARRAY[0.5, -1e20] AS DOUBLE PRECISION[]) AS a"},
	{"date[]", "SELECT [DATE '2024-01-02', NULL] AS a", "SELECT ARRAY[DATE '2024-01-02', NULL] AS a"},
	{"timestamp[]", "SELECT [TIMESTAMP '2024-01-02 03:04:05'] AS a", "SELECT ARRAY[TIMESTAMP '2024-01-02 03:04:05'] AS a"},
	{"bool[]", "SELECT [true, false, NULL] AS a", "SELECT ARRAY[true, false, NULL] AS a"},
	{"numeric[]", "SELECT CAST([1.5, NULL] AS DECIMAL(10,2)[]) AS a", "SELECT CAST(ARRAY[1.5, NULL] AS NUMERIC(10,2)[]) AS a"},
	{"null typed", "SELECT CAST(NULL AS INTEGER) AS a, CAST(NULL AS TEXT) AS b", ""},
}

// rawAnswer is one query's RowDescription types and DataRow bytes.
type rawAnswer struct {
	types [][2]int64 // OID, typmod
	rows  [][][]byte
}

func rawQuery(t *testing.T, c *pgconn.PgConn, sql string, format int16) rawAnswer {
	t.Helper()
	res := c.ExecParams(context.Background(), sql, nil, nil, nil, []int16{format}).Read()
	if res.Err != nil {
		t.Fatalf("%s: %v", sql, res.Err)
	}
	var a rawAnswer
	for _, f := range res.FieldDescriptions {
		a.types = append(a.types, [2]int64{int64(f.DataTypeOID), int64(f.TypeModifier)})
	}
	a.rows = res.Rows
	return a
}

func TestTypesMatchPostgres(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	sc, err := pgconn.Connect(ctx, ts.connString("types"))
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close(ctx)
	pc, err := pgconn.Connect(ctx, needPG(t).ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	for _, tc := range typeCases {
		pgSQL := tc.pg
		if pgSQL == "" {
			pgSQL = tc.duck
		}
		for _, format := range []int16{0, 1} {
			t.Run(fmt.Sprintf("%s/format=%d", tc.name, format), func(t *testing.T) {
				got := rawQuery(t, sc, tc.duck, format)
				want := rawQuery(t, pc, pgSQL, format)
				if !reflect.DeepEqual(got.types, want.types) {
					t.Errorf("types (oid, typmod): spysql %v, postgres %v", got.types, want.types)
				}
				if len(got.rows) != len(want.rows) {
					t.Fatalf("rows: spysql %d, postgres %d", len(got.rows), len(want.rows))
				}
				for r := range want.rows {
					for i := range want.rows[r] {
						g, w := got.rows[r][i], want.rows[r][i]
						if !bytes.Equal(g, w) || (g == nil) != (w == nil) {
							t.Errorf("column %d: spysql %q, postgres %q", i, g, w)
						}
					}
				}
			})
		}
	}
}

// TestTypesPGX scans every case with pgx in both modes and requires the
// same Go values as from PostgreSQL, and sends them back as parameters.
func TestTypesPGX(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	modes := map[string]pgx.QueryExecMode{"binary": pgx.QueryExecModeCacheStatement, "text": pgx.QueryExecModeSimpleProtocol}
	sc, err := pgx.Connect(ctx, ts.connString("types"))
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close(ctx)
	pc, err := pgx.Connect(ctx, needPG(t).ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	values := func(c *pgx.Conn, sql string, mode pgx.QueryExecMode, args ...any) []any {
		rows, err := c.Query(ctx, sql, append([]any{mode}, args...)...)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatalf("%s: no row (%v)", sql, rows.Err())
		}
		v, err := rows.Values()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return v
	}
	for _, tc := range typeCases {
		pgSQL := tc.pg
		if pgSQL == "" {
			pgSQL = tc.duck
		}
		for mname, mode := range modes {
			t.Run(tc.name+"/"+mname, func(t *testing.T) {
				got := values(sc, tc.duck, mode)
				want := values(pc, pgSQL, mode)
				if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
					t.Errorf("values:\nspysql   %#v\npostgres %#v", got, want)
				}
				if mname != "binary" {
					return
				}
				// Round trip: each value sent back as a typed parameter
				// (binary, extended protocol) comes back equal.
				rows, err := pc.Query(ctx, pgSQL)
				if err != nil {
					t.Fatal(err)
				}
				fds := rows.FieldDescriptions()
				rows.Close()
				for i, v := range want {
					cast, ok := duckTypeOf[fds[i].DataTypeOID]
					if !ok || v == nil {
						continue
					}
					back := values(sc, "SELECT CAST($1 AS "+cast+") AS v", mode, v)
					if fmt.Sprintf("%#v", back[0]) != fmt.Sprintf("%#v", v) {
						t.Errorf("param %d round trip as %s: sent %#v, got %#v", i, cast, v, back[0])
					}
				}
			})
		}
	}
}

// duckTypeOf names the DuckDB type of a PostgreSQL OID for round trips.
var duckTypeOf = map[uint32]string{
	oidBool: "BOOLEAN", oidInt2: "SMALLINT", oidInt4: "INTEGER", oidInt8: "BIGINT", oidFloat4: "REAL",
	oidFloat8: "DOUBLE", oidText: "VARCHAR", oidBytea: "BLOB", oidDate: "DATE", oidTime: "TIME",
	oidTimestamp: "TIMESTAMP", oidTimestampTZ: "TIMESTAMPTZ", oidInterval: "INTERVAL", oidUUID: "UUID",
	oidInt4Array: "INTEGER[]", oidTextArray: "VARCHAR[]",
}
