package pgcatalog

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Session is one live client session, a row of pg_stat_activity.
type Session struct {
	PID             int32
	User            string
	ApplicationName string
	ClientAddr      string // "" when unknown
	ClientPort      int32
	BackendStart    time.Time
	State           string // "active", "idle", "idle in transaction", ...
	StateChange     time.Time
	Query           string
	QueryStart      time.Time // zero before the first statement
}

// Sessions supplies pg_stat_activity: the server that owns the sessions
// sets the list with Set; until then, and for a nil *Sessions, the view
// is empty. Safe for concurrent use.
type Sessions struct {
	fn atomic.Pointer[func() []Session]
}

// Set makes fn the source of pg_stat_activity's rows; it is called once
// for each statement that reads the view.
func (s *Sessions) Set(fn func() []Session) { s.fn.Store(&fn) }

func (s *Sessions) list() []Session {
	if s == nil {
		return nil
	}
	if fn := s.fn.Load(); fn != nil {
		return (*fn)()
	}
	return nil
}

// sessionsFunction is the table function pg_stat_activity reads.
const sessionsFunction = "spysql_sessions"

// registerSessions registers spysql_sessions() over src in db's catalog.
func registerSessions(ctx context.Context, db *sql.DB, src *Sessions) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("pg catalog: %s: %w", sessionsFunction, err)
	}
	defer conn.Close()
	cols, err := sessionColumns()
	if err != nil {
		return fmt.Errorf("pg catalog: %s: %w", sessionsFunction, err)
	}
	err = duckdb.RegisterTableUDF(conn, sessionsFunction, duckdb.RowTableFunction{
		BindArguments: func(map[string]any, ...any) (duckdb.RowTableSource, error) {
			return &sessionRows{cols: cols, rows: src.list()}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("pg catalog: %s: %w", sessionsFunction, err)
	}
	return nil
}

func sessionColumns() ([]duckdb.ColumnInfo, error) {
	spec := []struct {
		name string
		t    duckdb.Type
	}{
		{"pid", duckdb.TYPE_INTEGER}, {"usename", duckdb.TYPE_VARCHAR}, {"application_name", duckdb.TYPE_VARCHAR},
		{"client_addr", duckdb.TYPE_VARCHAR}, {"client_port", duckdb.TYPE_INTEGER},
		{"backend_start", duckdb.TYPE_TIMESTAMP_TZ}, {"state", duckdb.TYPE_VARCHAR},
		{"state_change", duckdb.TYPE_TIMESTAMP_TZ}, {"query", duckdb.TYPE_VARCHAR},
		{"query_start", duckdb.TYPE_TIMESTAMP_TZ},
	}
	cols := make([]duckdb.ColumnInfo, len(spec))
	for i, c := range spec {
		ti, err := duckdb.NewTypeInfo(c.t)
		if err != nil {
			return nil, err
		}
		cols[i] = duckdb.ColumnInfo{Name: c.name, T: ti}
	}
	return cols, nil
}

// sessionRows is one statement's snapshot of the sessions.
type sessionRows struct {
	cols []duckdb.ColumnInfo
	rows []Session
	next int
}

func (r *sessionRows) ColumnInfos() []duckdb.ColumnInfo { return r.cols }

func (r *sessionRows) Cardinality() *duckdb.CardinalityInfo {
	return &duckdb.CardinalityInfo{Cardinality: uint(len(r.rows)), Exact: true}
}

func (r *sessionRows) Init() {}

func (r *sessionRows) FillRow(row duckdb.Row) (bool, error) {
	if r.next >= len(r.rows) {
		return false, nil
	}
	s := r.rows[r.next]
	r.next++
	ts := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	}
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	port := any(s.ClientPort)
	if s.ClientAddr == "" {
		port = nil
	}
	vals := []any{s.PID, s.User, s.ApplicationName, str(s.ClientAddr), port,
		ts(s.BackendStart), s.State, ts(s.StateChange), s.Query, ts(s.QueryStart)}
	for i, v := range vals {
		if err := row.SetRowValue(i, v); err != nil {
			return false, err
		}
	}
	return true, nil
}
