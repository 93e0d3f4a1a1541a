package wire

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// encodeFrontend concatenates encoded frontend messages (fuzz seeds).
func encodeFrontend(msgs ...pgproto3.FrontendMessage) []byte {
	var b []byte
	for _, m := range msgs {
		b, _ = m.Encode(b)
	}
	return b
}

// FuzzMessageLoop feeds arbitrary bytes to an authenticated session's
// message loop: the server must not panic, must not hang (the exchange
// ends within the deadline) and must not allocate without bound (messages
// are capped at MaxMessageSize), and it keeps serving other clients.
func FuzzMessageLoop(f *testing.F) {
	f.Add(encodeFrontend(&pgproto3.Query{String: "SELECT 1"}))
	f.Add(encodeFrontend(&pgproto3.Query{String: "BEGIN; SELECT * FROM nope; COMMIT"}))
	f.Add(encodeFrontend(&pgproto3.Parse{Name: "s", Query: "SELECT $1::int + 1"},
		&pgproto3.Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{0, 0, 0, 1}}, ResultFormatCodes: []int16{1}},
		&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Sync{}))
	f.Add(encodeFrontend(&pgproto3.Parse{Query: "SELECT i FROM range(10) t(i)"}, &pgproto3.Bind{DestinationPortal: "p"},
		&pgproto3.Execute{Portal: "p", MaxRows: 3}, &pgproto3.Execute{Portal: "p"}, &pgproto3.Close{ObjectType: 'P', Name: "p"}, &pgproto3.Sync{}))
	f.Add(encodeFrontend(&pgproto3.Bind{PreparedStatement: "missing"}, &pgproto3.Sync{}, &pgproto3.Query{String: "SET application_name = 'x'; SHOW ALL"}))
	f.Add([]byte{'Q', 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{'P', 0, 0, 0, 4, 'S', 0, 0, 0, 4})
	lake := newLake(f)
	ts := startServer(f, lake, Config{MaxMessageSize: 64 << 10, StatementTimeout: 2 * time.Second})
	f.Fuzz(func(t *testing.T, data []byte) {
		nc, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "fuzz"}})
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		nc.SetDeadline(time.Now().Add(10 * time.Second))
		for {
			m, err := fe.Receive()
			if err != nil {
				t.Fatalf("startup: %v", err)
			}
			if _, ok := m.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
		go func() {
			nc.Write(data)
			nc.Write(encodeFrontend(&pgproto3.Sync{}, &pgproto3.Terminate{}))
			// End of input: a server waiting for a partial message sees EOF.
			nc.(*net.TCPConn).CloseWrite()
		}()
		// Drain until the server closes the connection.
		if _, err := io.Copy(io.Discard, nc); err != nil {
			var ne net.Error
			if ok := errorAs(err, &ne); ok && ne.Timeout() {
				t.Fatalf("server did not finish the exchange within 10s")
			}
		}
		// The server still serves.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := pgconn.Connect(ctx, ts.connString("check"))
		if err != nil {
			t.Fatalf("server unusable after input: %v", err)
		}
		c.Close(ctx)
	})
}

func errorAs(err error, target *net.Error) bool {
	ne, ok := err.(net.Error)
	if ok {
		*target = ne
	}
	return ok
}
