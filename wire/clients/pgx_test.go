package clients

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// TestPgxUntypedParameters: parameters without a type are inferred as
// PostgreSQL does; a lone one is text.
func TestPgxUntypedParameters(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	for _, target := range []struct{ name, conn string }{{"spysql", s.connString("analyst")}, {"postgres", pgConnString("postgres")}} {
		t.Run(target.name, func(t *testing.T) {
			c, err := pgconn.Connect(ctx, target.conn)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			sd, err := c.Prepare(ctx, "", "select $1, $2", nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(sd.ParamOIDs) != 2 || len(sd.Fields) != 2 {
				t.Fatalf("params %v fields %v", sd.ParamOIDs, sd.Fields)
			}
			for i, f := range sd.Fields {
				if string(f.Name) != "?column?" || f.DataTypeOID != 25 || sd.ParamOIDs[i] != 25 {
					t.Errorf("column %d: %s oid %d, param oid %d; want ?column? text", i, f.Name, f.DataTypeOID, sd.ParamOIDs[i])
				}
			}
			res := c.ExecParams(ctx, "select $1, $2", [][]byte{[]byte("a"), []byte("7")}, nil, nil, nil).Read()
			if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != "a" || string(res.Rows[0][1]) != "7" {
				t.Errorf("rows %q err %v", res.Rows, res.Err)
			}
		})
	}
}

// TestClientEncodingSpellings: every spelling of UTF-8 PostgreSQL
// accepts connects; LATIN1 is refused as PostgreSQL 15 would not be
// asked to convert.
func TestClientEncodingSpellings(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	for _, enc := range []string{"utf-8", "UTF8", "unicode", "Utf_8"} {
		cfg, err := pgconn.ParseConfig(s.connString("analyst"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.RuntimeParams["client_encoding"] = enc
		c, err := pgconn.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("client_encoding %q: %v", enc, err)
			continue
		}
		if got := c.ParameterStatus("client_encoding"); got != "UTF8" {
			t.Errorf("client_encoding %q reported as %q", enc, got)
		}
		res := c.Exec(ctx, "SET client_encoding = '"+enc+"'")
		if _, err := res.ReadAll(); err != nil {
			t.Errorf("SET client_encoding %q: %v", enc, err)
		}
		c.Close(ctx)
	}
}

// TestParseErrorSentOnFlush: after a Parse that fails, Flush delivers the
// ErrorResponse without waiting for Sync (asyncpg waits for it).
func TestParseErrorSentOnFlush(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, s.connString("analyst"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	fe := c.Frontend()
	fe.Send(&pgproto3.Parse{Name: "bad", Query: "SELEC 1"})
	fe.Send(&pgproto3.Flush{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	c.Conn().SetReadDeadline(time.Now().Add(5 * time.Second))
	msg, err := fe.Receive()
	if err != nil {
		t.Fatalf("no message after Flush: %v", err)
	}
	er, ok := msg.(*pgproto3.ErrorResponse)
	if !ok || er.Code != "42601" {
		t.Fatalf("got %#v, want ErrorResponse 42601", msg)
	}
	fe.Send(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err = fe.Receive()
	if _, ok := msg.(*pgproto3.ReadyForQuery); !ok || err != nil {
		t.Fatalf("after Sync: %#v %v", msg, err)
	}
	c.Conn().SetReadDeadline(time.Time{})
}

// TestResultColumnNames: names as PostgreSQL gives them.
func TestResultColumnNames(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	q := `select count(*), max(price), 1 + 1, price * 2, ts_event_ns, sum(size) filter (where size > 2),
		case when true then 1 end, coalesce(null, 1), 'x'::text, cast(size as int), current_user, exists(select 1),
		array[1], (select max(size) from gold.ds), now() is not null from gold.ds group by price, ts_event_ns, size limit 1`
	names := func(conn string) []string {
		c, err := pgx.Connect(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		rows, err := c.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for _, f := range rows.FieldDescriptions() {
			out = append(out, f.Name)
		}
		return out
	}
	createLikeObjects(t)
	got, want := names(s.connString("analyst")), names(pgConnString("postgres"))
	if len(got) != len(want) {
		t.Fatalf("spysql %q, PostgreSQL %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("column %d: spysql %q, PostgreSQL %q", i, got[i], want[i])
		}
	}
}

// TestUndefinedTypeCode: a missing type is 42704, as PostgreSQL.
func TestUndefinedTypeCode(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.connString("analyst"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "select 1::nosuchtype")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42704" {
		t.Fatalf("got %v, want 42704", err)
	}
}
