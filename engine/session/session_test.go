package session

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

func newTestSession(t *testing.T) *Session {
	t.Helper()
	ctx := context.Background()
	lake, err := store.OpenLake(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSessionStreams: a large result arrives in many chunks, read in
// place, with the right values and types.
func TestSessionStreams(t *testing.T) {
	s := newTestSession(t)
	ctx := context.Background()
	st, err := s.Prepare(ctx, "SELECT i, CAST(i AS VARCHAR) || 'abcdefghijklmnop' AS s FROM range(1000000) t(i) WHERE i >= $1")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if p := st.Params(); len(p) != 1 || p[0].Kind != KindBigInt {
		t.Fatalf("params %v", p)
	}
	if c := st.Columns(); len(c) != 2 || c[0].Type.Kind != KindBigInt || c[1].Type.Kind != KindVarchar {
		t.Fatalf("columns %v", c)
	}
	rows, err := st.Execute(ctx, []Arg{{Kind: ArgInt64, I: 10}})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n, chunks int64
	for {
		ch, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		if ch == nil {
			break
		}
		chunks++
		ints := Values[int64](ch.Column(0))
		for i := range ch.Len() {
			if ints[i] != n+10 {
				t.Fatalf("row %d: %d", n, ints[i])
			}
			if i == 0 && string(ch.Column(1).Bytes(i)) == "" {
				t.Fatal("empty string")
			}
			n++
		}
	}
	if n != 999990 || chunks < 100 {
		t.Fatalf("%d rows in %d chunks", n, chunks)
	}
}

// TestSessionInterrupt: a context deadline interrupts a running
// statement with ErrInterrupt carrying the cause; the session goes on.
func TestSessionInterrupt(t *testing.T) {
	s := newTestSession(t)
	st, err := s.Prepare(context.Background(), "SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 1")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cause := errors.New("test deadline")
	ctx, cancel := context.WithTimeoutCause(context.Background(), 200*time.Millisecond, cause)
	defer cancel()
	rows, err := st.Execute(ctx, nil)
	if err == nil {
		_, err = rows.Next()
		rows.Close()
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrInterrupt || !errors.Is(err, cause) {
		t.Fatalf("got %v, want an interrupt caused by the deadline", err)
	}
	st2, err := s.Prepare(context.Background(), "SELECT 42")
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	rows, err = st2.Execute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ch, err := rows.Next()
	if err != nil || Values[int32](ch.Column(0))[0] != 42 {
		t.Fatalf("after interrupt: %v", err)
	}
}

// slowPrepareQuery takes DuckDB long to prepare (hundreds of
// milliseconds: parsing and binding a 200,000-element IN list) and no
// time to run.
func slowPrepareQuery() string {
	var b strings.Builder
	b.WriteString("SELECT 1 WHERE 1 IN (")
	for i := range 200000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i))
	}
	b.WriteString(")")
	return b.String()
}

// TestSessionPrepareInterrupt: a context that ends while DuckDB prepares
// fails the preparation with ErrInterrupt carrying the cause; the
// session goes on.
func TestSessionPrepareInterrupt(t *testing.T) {
	s := newTestSession(t)
	q := slowPrepareQuery()
	cause := errors.New("test deadline")
	ctx, cancel := context.WithTimeoutCause(context.Background(), 20*time.Millisecond, cause)
	defer cancel()
	st, err := s.Prepare(ctx, q)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrInterrupt || !errors.Is(err, cause) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("got %v, want an interrupt caused by the deadline", err)
	}
	// An ended context fails before DuckDB is asked.
	if _, err := s.Prepare(ctx, "SELECT 1"); !errors.As(err, &e) || e.Kind != ErrInterrupt {
		t.Fatalf("ended context: %v", err)
	}
	st2, err := s.Prepare(context.Background(), "SELECT 42")
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	rows, err := st2.Execute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ch, err := rows.Next()
	if err != nil || Values[int32](ch.Column(0))[0] != 42 {
		t.Fatalf("after interrupt: %v", err)
	}
}

// TestSessionErrors classifies DuckDB errors.
func TestSessionErrors(t *testing.T) {
	s := newTestSession(t)
	ctx := context.Background()
	for q, kind := range map[string]ErrorKind{
		"SELEC 1":                               ErrParser,
		"SELECT * FROM nope":                    ErrCatalog,
		"SELECT nope FROM range(1)":             ErrBinder,
		"SELECT * FROM read_csv('/etc/passwd')": ErrPermission,
	} {
		_, err := s.Prepare(ctx, q)
		var e *Error
		if !errors.As(err, &e) || (e.Kind != kind && !(kind == ErrPermission && (e.Kind == ErrIO || e.Kind == ErrInvalidInput))) {
			t.Errorf("%s: %v (kind %v), want kind %v", q, err, e, kind)
		}
	}
	if err := s.CheckSyntax("CREATE TABLE t (i INTEGER)"); err != nil {
		t.Errorf("CheckSyntax of valid DDL: %v", err)
	}
	if err := s.CheckSyntax("CREAT TABLE"); err == nil {
		t.Error("CheckSyntax accepted garbage")
	}
}
