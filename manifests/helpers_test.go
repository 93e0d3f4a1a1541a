// Package manifests_test tests the shipped feature versions in this
// directory end to end on real DuckDB: hand-made Bronze fixtures whose
// levels, touches, features and labels are worked out by hand, a leakage
// test that truncates or rewrites Bronze after a decision time, and the
// synthetic week every version must build on.
package manifests_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// shipped lists the manifests the project ships.
var shipped = []string{"v0.1_demo.yaml", "v1.0_mechanics_only.yaml", "v2.0_full_ensemble.yaml"}

// sibling accepts any parent: the shipped parents are sibling manifests.
var sibling = sqlfeatures.DecodeOptions{ParentExists: func(string) bool { return true }}

// result is a bundle's output for one session: for every row its key
// (text), decision time and the text of its non-label columns.
type result struct {
	cols []string
	rows map[string]resultRow
}

type resultRow struct {
	decision int64
	text     string
	labels   string
}

// openBundle installs manifest's views on a connection of a fresh DuckDB
// over root, with Bronze scoped as the builder scopes date.
func openBundle(t testing.TB, root, manifest, date string) (*sql.Conn, *sqlfeatures.Bundle, calendar.Session) {
	t.Helper()
	ctx := context.Background()
	lake, err := store.OpenLake(root, false)
	if err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(ctx, lake, duck.Config{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	b, err := sqlfeatures.LoadBundle(ctx, conn, manifest, sibling)
	if err != nil {
		t.Fatal(err)
	}
	d, err := calendar.ParseDate(date)
	if err != nil {
		t.Fatal(err)
	}
	cal := db.Calendar()
	s, ok, err := cal.Session(d)
	if err != nil || !ok {
		t.Fatalf("%s is not a trading day (%v)", date, err)
	}
	scope := []calendar.Date{d}
	for i := 0; i < b.Manifest.Source.LookbackDays; i++ {
		p, err := cal.PrevTradingDay(scope[0])
		if err != nil {
			t.Fatal(err)
		}
		scope = append([]calendar.Date{p}, scope...)
	}
	if err := db.RegisterBronze(ctx, scope); err != nil {
		t.Fatal(err)
	}
	if err := sqlfeatures.Install(ctx, conn, b); err != nil {
		t.Fatal(err)
	}
	return conn, b, s
}

// runBundle runs the manifest's output view over the lake as the builder
// does for date (Bronze scoped to the date and its lookback days, only
// rows inside regular hours) and returns its rows keyed by the output key.
func runBundle(t testing.TB, root, manifest, date string) result {
	t.Helper()
	conn, b, s := openBundle(t, root, manifest, date)
	ctx := context.Background()
	m := b.Manifest
	cols := describe(t, conn, m.Output.View)
	isLabel := map[string]bool{}
	for _, l := range m.Output.Labels {
		isLabel[l] = true
	}
	decision := "ts_event_ns"
	var feat, lab []string
	for _, c := range cols {
		if c == "ts_recv_ns" {
			decision = "ts_recv_ns"
		}
		expr := fmt.Sprintf("coalesce(CAST(%s AS VARCHAR), 'NULL')", duck.QuoteIdent(c))
		if isLabel[c] {
			lab = append(lab, expr)
		} else {
			feat = append(feat, expr)
		}
	}
	key := make([]string, len(m.Output.Key))
	for i, k := range m.Output.Key {
		key[i] = fmt.Sprintf("CAST(%s AS VARCHAR)", duck.QuoteIdent(k))
	}
	if len(lab) == 0 {
		lab = []string{"''"}
	}
	q := fmt.Sprintf("SELECT concat_ws('|', %s), %s, concat_ws('|', %s), concat_ws('|', %s) FROM %s WHERE ts_event_ns >= %d AND ts_event_ns < %d",
		strings.Join(key, ", "), duck.QuoteIdent(decision), strings.Join(feat, ", "), strings.Join(lab, ", "),
		duck.QuoteIdent(m.Output.View), s.RTHOpen.UnixNano(), s.RTHClose.UnixNano())
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	defer rows.Close()
	res := result{cols: cols, rows: map[string]resultRow{}}
	for rows.Next() {
		var k string
		var r resultRow
		if err := rows.Scan(&k, &r.decision, &r.text, &r.labels); err != nil {
			t.Fatal(err)
		}
		if _, dup := res.rows[k]; dup {
			t.Fatalf("%s: duplicate key %s", manifest, k)
		}
		res.rows[k] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return res
}

// describe lists the columns of a view.
func describe(t testing.TB, conn *sql.Conn, view string) []string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), "SELECT column_name FROM (DESCRIBE "+duck.QuoteIdent(view)+")")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	return cols
}

// mustDate parses a YYYY-MM-DD date.
func mustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	if leakRoot != "" {
		os.RemoveAll(leakRoot)
		os.RemoveAll(leakRoot + "-cuts")
	}
	os.Exit(code)
}
