package wire

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/wire/internal/pgtest"
)

func TestPointShape(t *testing.T) {
	for _, tc := range []struct {
		sql, dataset, key string
	}{
		{"SELECT * FROM gold.g WHERE ts_event_ns = $1", "g", "ts_event_ns"},
		{"select a, B , c from GOLD.Data where $1 = Key ;", "Data", "Key"},
		{`SELECT "a b", c FROM "gold"."my set" WHERE "k" = $1`, "my set", "k"},
		{"SELECT * /* c */ FROM gold.g -- x\n WHERE k = $1", "g", "k"},
		{"SELECT * FROM gold.g WHERE k = $2", "", ""},
		{"SELECT * FROM gold.g WHERE k = $1 AND j = 2", "", ""},
		{"SELECT * FROM gold.g WHERE k = $1 LIMIT 1", "", ""},
		{"SELECT k + 1 FROM gold.g WHERE k = $1", "", ""},
		{"SELECT k AS j FROM gold.g WHERE k = $1", "", ""},
		{"SELECT k j FROM gold.g WHERE k = $1", "", ""},
		{"SELECT DISTINCT k FROM gold.g WHERE k = $1", "", ""},
		{"SELECT *, k FROM gold.g WHERE k = $1", "", ""},
		{"SELECT g.* FROM gold.g WHERE k = $1", "", ""},
		{"SELECT * FROM gold.g t WHERE k = $1", "", ""},
		{"SELECT * FROM silver.g WHERE k = $1", "g", "k"},
		{`SELECT a FROM SILVER."v0.1_demo" WHERE "ts" = $1`, "v0.1_demo", "ts"},
		{"SELECT * FROM bronze.g WHERE k = $1", "", ""},
		{"SELECT * FROM g WHERE k = $1", "", ""},
		{"SELECT * FROM gold.g WHERE k >= $1", "", ""},
		{"SELECT * FROM gold.g WHERE k = $1::BIGINT", "", ""},
		{"SELECT * FROM gold.g WHERE k = $1; SELECT 1", "", ""},
		{"SELECT * FROM gold.g, gold.h WHERE k = $1", "", ""},
		// Past any token limit: the tail must still be seen.
		{"SELECT " + strings.Repeat("a, ", 120) + "a FROM gold.g WHERE k = $1 OR k > $1", "", ""},
		{"SELECT " + strings.Repeat("a, ", 120) + "a FROM gold.g WHERE k = $1", "g", "k"},
	} {
		q := pointShape(tc.sql)
		var got [2]string
		if q != nil {
			got = [2]string{q.dataset, q.key}
		}
		if got != [2]string{tc.dataset, tc.key} {
			t.Errorf("%q: got %q, want %q", tc.sql, got, [2]string{tc.dataset, tc.key})
		}
	}
}

// TestPointReadsMatchDuckDB runs keyed lookups on a server answering them
// from the page index and on one running them in DuckDB, in text and
// binary, and compares the bytes of every row.
func TestPointReadsMatchDuckDB(t *testing.T) {
	ctx := context.Background()
	lake := goldLake(t, "pt", 50_000)
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
	run := func(c *pgconn.PgConn, sql string, param []byte, pfmt, rfmt int16) []string {
		var oids []uint32
		if pfmt == 1 {
			oids = []uint32{oidInt8}
		}
		res := c.ExecParams(ctx, sql, [][]byte{param}, oids, []int16{pfmt}, []int16{rfmt}).Read()
		if res.Err != nil {
			return []string{res.Err.Error()}
		}
		var out []string
		for _, row := range res.Rows {
			out = append(out, fmt.Sprintf("%q", row))
		}
		slices.Sort(out)
		return append(out, string(res.CommandTag.String()))
	}
	type query struct {
		sql   string
		point bool // answered by a point read
	}
	queries := []query{
		{"SELECT * FROM gold.pt WHERE ts_event_ns = $1", true},
		{"select underlying, TS_EVENT_NS, session_date from GOLD.pt where $1 = ts_event_ns;", true},
		{`SELECT "touch_count", outcome, level_price, level_price FROM "gold"."pt" WHERE "ts_event_ns" = $1`, true},
		{"SELECT * FROM gold.pt WHERE touch_count = $1", false}, // INTEGER, not sorted
		{"SELECT ts_event_ns + 1 AS ts_event_ns FROM gold.pt WHERE ts_event_ns = $1", false},
	}
	keys := []int64{0, 1, 4095, 4096, 49_999, 50_000, -1, 1 << 62, 12_345, 31_337}
	for _, q := range queries {
		before := fast.srv.pointReads.Load()
		n := 0
		for _, k := range keys {
			params := map[int16][]byte{0: []byte(strconv.FormatInt(k, 10)), 1: binary.BigEndian.AppendUint64(nil, uint64(k))}
			for pfmt, param := range params {
				for _, rfmt := range []int16{0, 1} {
					got, want := run(fc, q.sql, param, pfmt, rfmt), run(sc, q.sql, param, pfmt, rfmt)
					if !slices.Equal(got, want) {
						t.Fatalf("%s key %d param format %d result format %d:\npoint  %q\nduckdb %q", q.sql, k, pfmt, rfmt, got, want)
					}
					n++
				}
			}
		}
		used := fast.srv.pointReads.Load() - before
		if q.point && used != int64(n) {
			t.Errorf("%s: %d of %d executions were point reads", q.sql, used, n)
		}
		if !q.point && used != 0 {
			t.Errorf("%s: %d point reads, want none", q.sql, used)
		}
	}
	if n := slow.srv.pointReads.Load(); n != 0 {
		t.Errorf("NoPointReads server made %d point reads", n)
	}
}

// A portal with a row limit suspends and resumes over a point read's rows
// as over DuckDB's, and a promotion replacing the file is seen at once.
func TestPointReadPortalAndPromotion(t *testing.T) {
	ctx := context.Background()
	lake := goldLake(t, "pt", 1000)
	fast := startServer(t, lake, Config{})
	slow := startServer(t, lake, Config{NoPointReads: true})
	conversation := func(ts *testServer) []answer {
		c, err := pgtest.Dial(ts.addr, "tester")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var out []answer
		out = append(out, exchange(t, c, &pgproto3.Parse{Query: "BEGIN"}, &pgproto3.Bind{}, &pgproto3.Execute{})...)
		out = append(out, exchange(t, c,
			&pgproto3.Parse{Name: "s", Query: "SELECT ts_event_ns, underlying FROM gold.pt WHERE ts_event_ns = $1"},
			&pgproto3.Bind{PreparedStatement: "s", DestinationPortal: "p", Parameters: [][]byte{[]byte("42")}},
			&pgproto3.Describe{ObjectType: 'P', Name: "p"},
			&pgproto3.Execute{Portal: "p", MaxRows: 1})...)
		out = append(out, exchange(t, c, &pgproto3.Execute{Portal: "p", MaxRows: 1})...)
		out = append(out, exchange(t, c, &pgproto3.Execute{Portal: "p"})...)
		return append(out, exchange(t, c, &pgproto3.Query{String: "COMMIT"})...)
	}
	got, want := conversation(fast), conversation(slow)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("point read conversation:\n%v\nDuckDB:\n%v", got, want)
	}
	if n := fast.srv.pointReads.Load(); n != 1 {
		t.Fatalf("%d point reads, want 1", n)
	}

	c, err := pgx.Connect(ctx, fast.connString("u"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)

	// Without its index the statement runs in DuckDB; once the index is
	// written, the same prepared statement is a point read again.
	if err := os.Remove(lake.GoldPointIndexPath("pt")); err != nil {
		t.Fatal(err)
	}
	const q = "SELECT ts_event_ns FROM gold.pt WHERE ts_event_ns = $1"
	var k int64
	if err := c.QueryRow(ctx, q, 7).Scan(&k); err != nil || k != 7 || fast.srv.pointReads.Load() != 1 {
		t.Fatalf("without index: %d, %v, %d point reads", k, err, fast.srv.pointReads.Load())
	}
	if _, err := point.WritePointIndex(ctx, lake, "pt", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRow(ctx, q, 7).Scan(&k); err != nil || k != 7 || fast.srv.pointReads.Load() != 2 {
		t.Fatalf("with index again: %d, %v, %d point reads", k, err, fast.srv.pointReads.Load())
	}

	if err := c.QueryRow(ctx, q, 1500).Scan(&k); err != pgx.ErrNoRows {
		t.Fatalf("before, key 1500: %d, %v", k, err)
	}
	writeGold(t, lake, "pt", 2000)
	if err := c.QueryRow(ctx, q, 1500).Scan(&k); err != nil || k != 1500 {
		t.Fatalf("after promotion: %d, %v", k, err)
	}
	if n := fast.srv.pointReads.Load(); n != 4 {
		t.Fatalf("%d point reads, want 4", n)
	}
}

// FuzzPointShape: the recognizer never panics, and what it accepts names
// a dataset and a key and is a single statement.
func FuzzPointShape(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM gold.g WHERE k = $1",
		`select "a""b", c from "gold"."x y" where $1 = "k";`,
		"SELECT a FROM gold.g WHERE k = $1 -- c",
		"SELECT * FROM gold.g WHERE k = $1; DROP TABLE t",
		"SELECT 'x' FROM gold.g WHERE k = $1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		q := pointShape(sql)
		if q == nil {
			return
		}
		if q.dataset == "" || q.key == "" {
			t.Fatalf("%q: empty name in %+v", sql, q)
		}
		if n := len(splitStatements(sql)); n != 1 {
			t.Fatalf("%q: accepted %d statements", sql, n)
		}
	})
}
