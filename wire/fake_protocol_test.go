package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/spysql/spysql/engine/session"
)

// Protocol tests against fakeEngine: the server's protocol state machine
// alone, no DuckDB database and no PostgreSQL.

func startFake(t *testing.T, eng *fakeEngine) string {
	t.Helper()
	srv, err := NewServer(eng, Config{Auth: AuthTrust})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	return fmt.Sprintf("host=%s port=%s user=fake dbname=lake sslmode=disable", host, port)
}

func fakeTrades() *fakeEngine {
	e := newFakeEngine()
	cols := []session.ResultColumn{
		{Name: "id", Type: session.SQLType{Kind: session.KindBigInt}},
		{Name: "sym", Type: session.SQLType{Kind: session.KindVarchar}},
	}
	e.add("SELECT id, sym FROM t", cols,
		[]any{int64(1), "SPY"}, []any{int64(2), nil}, []any{int64(-3), "ES"}, []any{int64(4), "a'b"}, []any{int64(5), "é"})
	return e
}

// TestFakeSimpleQuery: rows stream across chunks, NULLs and text come out
// as PostgreSQL's text format, the tag counts every row, and the views
// are synced before the statement.
func TestFakeSimpleQuery(t *testing.T) {
	eng := fakeTrades()
	c, err := pgconn.Connect(context.Background(), startFake(t, eng))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	res, err := c.Exec(context.Background(), "SELECT id, sym FROM t").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if got := string(r.FieldDescriptions[0].Name) + "," + string(r.FieldDescriptions[1].Name); got != "id,sym" {
		t.Errorf("fields %s", got)
	}
	if r.FieldDescriptions[0].DataTypeOID != 20 || r.FieldDescriptions[1].DataTypeOID != 25 && r.FieldDescriptions[1].DataTypeOID != 1043 {
		t.Errorf("oids %d %d", r.FieldDescriptions[0].DataTypeOID, r.FieldDescriptions[1].DataTypeOID)
	}
	want := [][2]any{{"1", "SPY"}, {"2", nil}, {"-3", "ES"}, {"4", "a'b"}, {"5", "é"}}
	if len(r.Rows) != len(want) {
		t.Fatalf("%d rows", len(r.Rows))
	}
	for i, row := range r.Rows {
		if string(row[0]) != want[i][0] {
			t.Errorf("row %d id %q", i, row[0])
		}
		if want[i][1] == nil && row[1] != nil || want[i][1] != nil && string(row[1]) != want[i][1] {
			t.Errorf("row %d sym %q", i, row[1])
		}
	}
	if r.CommandTag.String() != "SELECT 5" {
		t.Errorf("tag %q", r.CommandTag)
	}
	eng.mu.Lock()
	syncs := eng.syncs
	eng.mu.Unlock()
	if syncs == 0 {
		t.Error("the lake was not synced before the statement")
	}
}

// TestFakeExtendedBinary: Parse, Bind with a binary result format for
// one column, Execute across chunks; binary int8 is big-endian.
func TestFakeExtendedBinary(t *testing.T) {
	c, err := pgconn.Connect(context.Background(), startFake(t, fakeTrades()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	ctx := context.Background()
	if _, err := c.Prepare(ctx, "s", "SELECT id, sym FROM t", nil); err != nil {
		t.Fatal(err)
	}
	rr := c.ExecPrepared(ctx, "s", nil, nil, []int16{1, 0})
	var ids []int64
	for rr.NextRow() {
		v := rr.Values()[0]
		if len(v) != 8 {
			t.Fatalf("binary int8 of %d bytes", len(v))
		}
		var n int64
		for _, b := range v {
			n = n<<8 | int64(b)
		}
		ids = append(ids, n)
	}
	if _, err := rr.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids) != "[1 2 -3 4 5]" {
		t.Errorf("ids %v", ids)
	}
}

// TestFakeErrorsAndCancel: an engine error maps to its SQLSTATE, a
// cancel request interrupts a running statement with 57014, and the
// session goes on.
func TestFakeErrorsAndCancel(t *testing.T) {
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, startFake(t, fakeTrades()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var pgErr *pgconn.PgError
	_, err = c.Exec(ctx, "SELECT * FROM missing").ReadAll()
	if !errors.As(err, &pgErr) || pgErr.Code != CodeUndefinedTable.String() {
		t.Fatalf("missing table: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(ctx, "SELECT block").ReadAll()
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := c.CancelRequest(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if !errors.As(err, &pgErr) || pgErr.Code != CodeQueryCanceled.String() {
				t.Fatalf("cancelled statement: %v", err)
			}
			res, err := c.Exec(ctx, "SELECT id, sym FROM t").ReadAll()
			if err != nil || len(res[0].Rows) != 5 {
				t.Fatalf("after cancel: %v", err)
			}
			return
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("cancel never reached the statement")
		}
	}
}
