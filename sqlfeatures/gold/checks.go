package gold

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// fileChecks are what promote gates on and validate re-checks, measured
// on a written dataset file.
type fileChecks struct {
	Rows     int64
	Columns  []Column
	Failures []string
}

// checkFile reads path with DuckDB and checks the key (unique, never
// NULL), regular hours (every row inside its date's RTH session) and the
// null-rate limits.
func checkFile(ctx context.Context, conn *sql.Conn, path string, key []string, limits map[string]float64) (*fileChecks, error) {
	src := fmt.Sprintf("read_parquet(%s, hive_partitioning = false)", sqlString(path))
	c := &fileChecks{}
	cols, err := describe(ctx, conn, "SELECT * FROM "+src)
	if err != nil {
		return nil, err
	}
	c.Columns = cols
	have := map[string]bool{}
	for _, col := range cols {
		have[col.Name] = true
	}
	fail := func(format string, args ...any) { c.Failures = append(c.Failures, fmt.Sprintf(format, args...)) }
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+src).Scan(&c.Rows); err != nil {
		return nil, fmt.Errorf("count rows: %s", duck.FirstLine(err))
	}
	var keyCols, nullKey []string
	for _, k := range key {
		if !have[k] {
			fail("key column %s is missing", k)
			continue
		}
		keyCols = append(keyCols, duck.QuoteIdent(k))
		nullKey = append(nullKey, duck.QuoteIdent(k)+" IS NULL")
	}
	if len(keyCols) > 0 {
		var dups, nulls int64
		q := "SELECT count(*) FROM (SELECT 1 FROM " + src + " GROUP BY " + strings.Join(keyCols, ", ") + " HAVING count(*) > 1)"
		if err := conn.QueryRowContext(ctx, q).Scan(&dups); err != nil {
			return nil, fmt.Errorf("key uniqueness: %s", duck.FirstLine(err))
		}
		q = "SELECT count(*) FROM " + src + " WHERE " + strings.Join(nullKey, " OR ")
		if err := conn.QueryRowContext(ctx, q).Scan(&nulls); err != nil {
			return nil, fmt.Errorf("null keys: %s", duck.FirstLine(err))
		}
		if dups > 0 {
			fail("key (%s) is not unique: %d key values occur more than once", strings.Join(key, ", "), dups)
		}
		if nulls > 0 {
			fail("%d rows have a NULL key column", nulls)
		}
	}
	if !have["ts_event_ns"] || !have["date"] {
		fail("columns ts_event_ns and date are needed to check regular hours")
	} else {
		var outside int64
		q := "SELECT count(*) FROM " + src + " g LEFT JOIN calendar.sessions s ON s.date = CAST(g.date AS DATE)" +
			" WHERE s.date IS NULL OR NOT coalesce(g.ts_event_ns >= s.rth_open_ns AND g.ts_event_ns < s.rth_close_ns, false)"
		if err := conn.QueryRowContext(ctx, q).Scan(&outside); err != nil {
			return nil, fmt.Errorf("regular hours: %s", duck.FirstLine(err))
		}
		if outside > 0 {
			fail("%d rows are outside their date's regular trading hours", outside)
		}
	}
	var limited []string
	for _, col := range cols {
		if _, ok := limits[col.Name]; ok {
			limited = append(limited, col.Name)
		}
	}
	for name := range limits {
		if !have[name] {
			fail("column %s (with a null-rate limit) is missing", name)
		}
	}
	if len(limited) > 0 && c.Rows > 0 {
		exprs := make([]string, len(limited))
		vals := make([]int64, len(limited))
		ptrs := make([]any, len(limited))
		for i, n := range limited {
			exprs[i] = "count(" + duck.QuoteIdent(n) + ")"
			ptrs[i] = &vals[i]
		}
		if err := conn.QueryRowContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+src).Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("null rates: %s", duck.FirstLine(err))
		}
		for i, n := range limited {
			rate := float64(c.Rows-vals[i]) / float64(c.Rows)
			if rate > limits[n] {
				fail("column %s null rate %.4f > %g", n, rate, limits[n])
			}
		}
	}
	return c, nil
}

// describe lists the columns of a query without running it.
func describe(ctx context.Context, conn *sql.Conn, query string) ([]Column, error) {
	rows, err := conn.QueryContext(ctx, "DESCRIBE "+query)
	if err != nil {
		return nil, fmt.Errorf("read schema: %s", duck.FirstLine(err))
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []Column
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, Column{Name: fmt.Sprint(vals[0]), Type: fmt.Sprint(vals[1])})
	}
	return out, rows.Err()
}

// openConn opens a DuckDB on the lake and one connection to it; done
// closes both.
func openConn(ctx context.Context, lake store.Lake, cfg duck.Config) (conn *sql.Conn, done func(), err error) {
	db, err := duck.Open(ctx, lake, cfg)
	if err != nil {
		return nil, nil, err
	}
	if conn, err = db.SQL().Conn(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return conn, func() {
		conn.Close()
		db.Close()
	}, nil
}

// hashFile is the sha256 and size of a file.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
