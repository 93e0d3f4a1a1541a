package pgtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Script is a protocol conversation as data, in the spirit of
// CockroachDB's testdata/pgtest: messages to send and the backend
// messages expected until a number of ReadyForQuery messages.
//
//	{"steps": [
//	  {"send": [{"Type": "Query", "String": "SELECT 1 AS a"}]},
//	  {"until": 1, "expect": [{"Type": "RowDescription", ...}, ...]}
//	]}
//
// Expected messages are PostgreSQL 15's answers, normalized (see
// Normalize) so that what differs between servers for no protocol reason
// (ParameterStatus, key data, error texts, table OIDs) does not count.
// spysql must give the same answers, except for the SQLSTATEs listed in
// Codes, each a documented difference.
type Script struct {
	Description string `json:"description,omitempty"`
	// Postgres false marks a script that only runs against spysql
	// (DuckDB-only SQL); its expectations are written by hand.
	Postgres *bool `json:"postgres,omitempty"`
	// PostgresSetup is SQL run on PostgreSQL as its superuser before the
	// script: roles and tables the conversation needs there.
	PostgresSetup string `json:"postgresSetup,omitempty"`
	// PostgresUser is the user the script logs in as on PostgreSQL
	// (default postgres, a superuser).
	PostgresUser string `json:"postgresUser,omitempty"`
	// Codes maps a SQLSTATE PostgreSQL answers to the one spysql answers
	// instead, for a reason the Description gives.
	Codes map[string]string `json:"codes,omitempty"`
	Steps []Step            `json:"steps"`
}

// Step sends messages, or receives until Until ReadyForQuery messages.
type Step struct {
	Send   []json.RawMessage `json:"send,omitempty"`
	Until  int               `json:"until,omitempty"`
	Expect []json.RawMessage `json:"expect,omitempty"`
}

// RunsOnPostgres says whether the script is compared with PostgreSQL.
func (s *Script) RunsOnPostgres() bool { return s.Postgres == nil || *s.Postgres }

// ForSpysql is PostgreSQL's expected messages with the error codes
// mapped through s.Codes: what spysql must answer.
func (s *Script) ForSpysql(expect []json.RawMessage) ([]json.RawMessage, error) {
	if len(s.Codes) == 0 {
		return expect, nil
	}
	out := make([]json.RawMessage, len(expect))
	for i, raw := range expect {
		out[i] = raw
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil || m["Type"] != "ErrorResponse" && m["Type"] != "NoticeResponse" {
			continue
		}
		to, ok := s.Codes[m["Code"]]
		if !ok {
			continue
		}
		m["Code"] = to
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// LoadScript reads a script file.
func LoadScript(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Script
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

var frontendTypes = map[string]func() pgproto3.FrontendMessage{
	"Query":     func() pgproto3.FrontendMessage { return &pgproto3.Query{} },
	"Parse":     func() pgproto3.FrontendMessage { return &pgproto3.Parse{} },
	"Bind":      func() pgproto3.FrontendMessage { return &pgproto3.Bind{} },
	"Describe":  func() pgproto3.FrontendMessage { return &pgproto3.Describe{} },
	"Execute":   func() pgproto3.FrontendMessage { return &pgproto3.Execute{} },
	"Close":     func() pgproto3.FrontendMessage { return &pgproto3.Close{} },
	"Sync":      func() pgproto3.FrontendMessage { return &pgproto3.Sync{} },
	"Flush":     func() pgproto3.FrontendMessage { return &pgproto3.Flush{} },
	"Terminate": func() pgproto3.FrontendMessage { return &pgproto3.Terminate{} },
}

// DecodeFrontend turns {"Type": ..., fields} into a frontend message.
func DecodeFrontend(raw json.RawMessage) (pgproto3.FrontendMessage, error) {
	var head struct{ Type string }
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	mk, ok := frontendTypes[head.Type]
	if !ok {
		return nil, fmt.Errorf("unknown frontend message type %q", head.Type)
	}
	m := mk()
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, fmt.Errorf("%s: %w", head.Type, err)
	}
	return m, nil
}

// Conn is a raw protocol connection, authenticated with trust.
type Conn struct {
	nc net.Conn
	fe *pgproto3.Frontend
}

// Dial connects to addr and completes startup for user; the greeting
// up to the first ReadyForQuery is consumed.
func Dial(addr, user string) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c := &Conn{nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	c.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters: map[string]string{"user": user, "database": "postgres"}})
	if err := c.fe.Flush(); err != nil {
		nc.Close()
		return nil, err
	}
	if _, err := c.Receive(1); err != nil {
		nc.Close()
		return nil, fmt.Errorf("startup: %w", err)
	}
	return c, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// Send sends messages and flushes.
func (c *Conn) Send(msgs ...pgproto3.FrontendMessage) error {
	for _, m := range msgs {
		c.fe.Send(m)
	}
	return c.fe.Flush()
}

// Receive reads messages until n ReadyForQuery have arrived and returns
// them normalized.
func (c *Conn) Receive(n int) ([]json.RawMessage, error) {
	var out []json.RawMessage
	c.nc.SetReadDeadline(time.Now().Add(30 * time.Second))
	defer c.nc.SetReadDeadline(time.Time{})
	for seen := 0; seen < n; {
		m, err := c.fe.Receive()
		if err != nil {
			return out, err
		}
		if _, ok := m.(*pgproto3.ReadyForQuery); ok {
			seen++
		}
		if e, ok := m.(*pgproto3.ErrorResponse); ok && e.Severity == "FATAL" {
			return out, errors.New("FATAL: " + e.Message)
		}
		raw, keep, err := Normalize(m)
		if err != nil {
			return out, err
		}
		if keep {
			out = append(out, raw)
		}
	}
	return out, nil
}

// Normalize is a backend message as JSON without what legitimately
// differs between servers; keep is false for messages that never count
// (ParameterStatus, BackendKeyData).
func Normalize(m pgproto3.BackendMessage) (raw json.RawMessage, keep bool, err error) {
	switch m := m.(type) {
	case *pgproto3.ParameterStatus, *pgproto3.BackendKeyData:
		return nil, false, nil
	case *pgproto3.ErrorResponse:
		raw, err = json.Marshal(map[string]string{"Type": "ErrorResponse", "Code": m.Code})
		return raw, true, err
	case *pgproto3.NoticeResponse:
		raw, err = json.Marshal(map[string]string{"Type": "NoticeResponse", "Code": m.Code})
		return raw, true, err
	case *pgproto3.RowDescription:
		type field struct {
			Name         string
			DataTypeOID  uint32
			DataTypeSize int16
			TypeModifier int32
			Format       int16
		}
		fs := make([]field, len(m.Fields))
		for i, f := range m.Fields {
			fs[i] = field{string(f.Name), f.DataTypeOID, f.DataTypeSize, f.TypeModifier, f.Format}
		}
		raw, err = json.Marshal(struct {
			Type   string
			Fields []field
		}{"RowDescription", fs})
		return raw, true, err
	}
	raw, err = json.Marshal(m)
	return raw, true, err
}
