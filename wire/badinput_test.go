package wire

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestBadInputKeepsSession sends inputs that once panicked the server: each
// must get an ErrorResponse with its SQLSTATE, and the session goes on.
func TestBadInputKeepsSession(t *testing.T) {
	ts := startServer(t, newLake(t), Config{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.connString("bad"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	// A binary numeric with a base-10000 digit above 9999, and one with
	// an unknown sign.
	badDigit := []byte{0, 2, 0, 1, 0, 0, 0, 0, 0, 1, 0xff, 0xff}
	badSign := []byte{0, 1, 0, 0, 0x12, 0x34, 0, 0, 0, 1}
	tests := []struct {
		name  string
		run   func() error
		state string
	}{
		{"SET SESSION CHARACTERISTICS AS", func() error {
			_, err := c.Exec(ctx, "SET SESSION CHARACTERISTICS AS", pgx.QueryExecModeSimpleProtocol)
			return err
		}, "42601"},
		{"SET SESSION CHARACTERISTICS", func() error {
			_, err := c.Exec(ctx, "SET SESSION CHARACTERISTICS", pgx.QueryExecModeSimpleProtocol)
			return err
		}, "42601"},
		{"text array parameter {", func() error {
			return c.PgConn().ExecParams(ctx, "SELECT $1::INTEGER[]", [][]byte{[]byte("{")}, []uint32{1007}, []int16{0}, nil).Read().Err
		}, "22P02"},
		{"text array parameter without }", func() error {
			return c.PgConn().ExecParams(ctx, "SELECT $1::INTEGER[]", [][]byte{[]byte("{1,2")}, []uint32{1007}, []int16{0}, nil).Read().Err
		}, "22P02"},
		{"binary numeric digit 65535", func() error {
			return c.PgConn().ExecParams(ctx, "SELECT $1::DECIMAL(18,3)", [][]byte{badDigit}, []uint32{1700}, []int16{1}, nil).Read().Err
		}, "22P03"},
		{"binary numeric bad sign", func() error {
			return c.PgConn().ExecParams(ctx, "SELECT $1::DECIMAL(18,3)", [][]byte{badSign}, []uint32{1700}, []int16{1}, nil).Read().Err
		}, "22P03"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != tc.state {
				t.Fatalf("err = %v, want SQLSTATE %s", err, tc.state)
			}
			var one int
			if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("session unusable after the error: %v", err)
			}
		})
	}
}
