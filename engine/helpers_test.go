package engine

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// ns is the UTC nanosecond time of an RFC3339 instant.
func ns(t *testing.T, s string) int64 {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts.UnixNano()
}

func testLake(t *testing.T) Lake {
	t.Helper()
	l, err := OpenLake(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func openDB(t *testing.T, l Lake) *DB {
	t.Helper()
	db, err := Open(context.Background(), l, Config{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryStrings runs q and returns every row as strings.
func queryStrings(t *testing.T, db *DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.SQL().QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			if v == nil {
				rec[i] = "NULL"
			} else if tm, ok := v.(time.Time); ok {
				rec[i] = tm.UTC().Format(time.RFC3339Nano)
			} else {
				rec[i] = toString(v)
			}
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}
