package gate

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzGate feeds the gate DuckDB's own function names (and whatever the
// fuzzer makes of them) at every nesting: whenever DuckDB parses the
// statement, a name that is not allowed must be refused, and Check must
// never panic.
func FuzzGate(f *testing.F) {
	db := openDuck(f)
	rows, err := db.Query("SELECT DISTINCT function_name FROM duckdb_functions() ORDER BY 1")
	if err != nil {
		f.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			f.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	for i, n := range names {
		f.Add(n, uint8(i%len(nestings)), uint8(i%3))
	}
	f.Fuzz(func(t *testing.T, name string, nest, form uint8) {
		if name == "" || strings.ContainsAny(name, "\x00") || !utf8.ValidString(name) {
			return
		}
		call := quoteFn(name) + "(1)"
		switch form % 3 {
		case 1:
			call = "(SELECT count(*) FROM " + quoteFn(name) + "())"
		case 2:
			call = "(SELECT count(*) FROM " + quoteFn(name) + "('x', a := 1))"
		}
		q := fmt.Sprintf(nestings[int(nest)%len(nestings)], call)
		var tree string
		if err := db.QueryRow(SerializeSQL, q).Scan(&tree); err != nil {
			t.Fatalf("serialize %q: %v", q, err)
		}
		err := Check([]byte(tree))
		allowed, _ := Classified(name)
		if err == nil && !allowed {
			t.Fatalf("%q is not allowed but the gate let %s through", name, q)
		}
	})
}
