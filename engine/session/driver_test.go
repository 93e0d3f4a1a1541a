package session

import (
	"context"
	"os"
	"regexp"
	"testing"
)

// pinnedDriver is the duckdb-go version rawConnection was checked
// against: it reads the driver's unexported Conn.conn field, which the
// driver may move or retype in any release.
const pinnedDriver = "v2.10506.0"

// TestDriverPinned fails when go.mod moves duckdb-go off the version
// rawConnection was checked against: re-check the field (name, type,
// meaning) in the new driver's connection.go, run this package's tests,
// then move pinnedDriver.
func TestDriverPinned(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/duckdb/duckdb-go/v2 (\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/duckdb/duckdb-go/v2")
	}
	if got := string(m[1]); got != pinnedDriver {
		t.Fatalf("duckdb-go is %s; rawConnection was checked against %s: re-check it, then move pinnedDriver", got, pinnedDriver)
	}
}

// TestRawConnection: the handle read by reflection is the session's own
// live connection: an interrupt through it stops that session's statement.
func TestRawConnection(t *testing.T) {
	s := newTestSession(t)
	if s.raw.Ptr == nil {
		t.Fatal("no native connection")
	}
	st, err := s.Prepare(context.Background(), "SELECT 42::BIGINT")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Execute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	c, err := rows.Next()
	if err != nil || c == nil || Values[int64](c.Column(0))[0] != 42 {
		t.Fatalf("chunk %v, err %v", c, err)
	}
}
