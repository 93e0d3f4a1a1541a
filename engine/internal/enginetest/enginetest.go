// Package enginetest holds the test helpers the engine packages share:
// a temporary lake, an opened database and a query that returns strings.
package enginetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// NS is the UTC nanosecond time of an RFC3339 instant.
func NS(t *testing.T, s string) int64 {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts.UnixNano()
}

// Lake is a new lake in a temporary directory.
func Lake(t *testing.T) store.Lake {
	t.Helper()
	l, err := store.OpenLake(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// OpenDB opens a two-thread database on l, closed with the test.
func OpenDB(t *testing.T, l store.Lake) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), l, duck.Config{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// QueryStrings runs q and returns every row as strings.
func QueryStrings(t *testing.T, db *duck.DB, q string, args ...any) [][]string {
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
