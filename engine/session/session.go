package session

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/duckdb/duckdb-go/v2"
	"github.com/spysql/spysql/engine/duck"

	"github.com/spysql/spysql/engine/pgcatalog"
)

// Session is one client's own DuckDB connection on the shared database,
// used by the wire server: prepare one statement at a time, read its
// parameter and column types without running it, bind typed arguments and
// stream the result chunk by chunk (DuckDB's streaming results, which do
// not materialize the whole result the way database/sql does).
//
// A Session is used by one goroutine at a time, except Interrupt, which
// may be called from any goroutine. DuckDB allows one open streaming
// result per connection: starting an execution invalidates the previous
// Rows of the same session, which then report ErrRowsSuperseded. A
// caller that keeps several results open at once (suspended portals)
// uses several sessions and asks Busy which one is free.
type Session struct {
	db   *duck.DB
	conn *sql.Conn
	raw  bindings.Connection

	mu      sync.Mutex // guards running, gen
	running bool       // a statement is being prepared, or between Execute and Rows.Close
	gen     uint64     // execution generation; Interrupt targets the current one
	active  *Rows
	closed  bool
}

// ErrRowsSuperseded is returned by Rows.Next when another execution on the
// same session has replaced the rows' streaming result.
var ErrRowsSuperseded = errors.New("result superseded by a later statement on the same session")

// New takes a dedicated DuckDB connection from db. The connection is
// discarded, never reused, when the session closes.
func New(ctx context.Context, db *duck.DB) (*Session, error) {
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	var raw bindings.Connection
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not *duckdb.Conn", dc)
		}
		r, err := rawConnection(c)
		raw = r
		return err
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("new session: %w", err)
	}
	return &Session{db: db, conn: conn, raw: raw}, nil
}

// rawConnection reads the native connection handle out of duckdb-go's
// Conn. duckdb-go does not export it; its type is checked so a driver
// upgrade that moves it fails here, loudly, instead of misbehaving.
func rawConnection(c *duckdb.Conn) (bindings.Connection, error) {
	f := reflect.ValueOf(c).Elem().FieldByName("conn")
	if !f.IsValid() || f.Type() != reflect.TypeOf(bindings.Connection{}) {
		return bindings.Connection{}, errors.New("duckdb-go Conn has no native connection field of the expected type")
	}
	raw := *(*bindings.Connection)(unsafe.Pointer(f.UnsafeAddr()))
	if raw.Ptr == nil {
		return bindings.Connection{}, errors.New("duckdb-go Conn is closed")
	}
	return raw, nil
}

// Close closes the session's rows and discards its connection.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	active := s.active
	s.mu.Unlock()
	if active != nil {
		active.Close()
	}
	// Returning ErrBadConn makes database/sql close the connection
	// instead of pooling one whose state a client shaped.
	_ = s.conn.Raw(func(any) error { return driver.ErrBadConn })
	if err := s.conn.Close(); err != nil && !errors.Is(err, sql.ErrConnDone) {
		return err
	}
	return nil
}

// Busy reports whether the session holds an open streaming result that
// is not yet exhausted: starting another execution, or preparing a
// statement, on a busy session would end that result.
func (s *Session) Busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active != nil && !s.active.done
}

// Interrupt stops the statement running on the session, if any; it
// returns an error of kind ErrInterrupt. Safe from any goroutine.
func (s *Session) Interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running && !s.closed {
		bindings.Interrupt(s.raw)
	}
}

// interruptGen interrupts only if execution gen is still running, so a
// late timer cannot hit the next statement.
func (s *Session) interruptGen(gen uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running && s.gen == gen && !s.closed {
		bindings.Interrupt(s.raw)
	}
}

// Stmt is one prepared statement of a session.
type Stmt struct {
	s      *Session
	ps     bindings.PreparedStatement
	kind   StatementKind
	params []SQLType
	cols   []ResultColumn
	closed bool
}

// Prepare prepares exactly one statement. Nothing runs: parameter and
// result types come from DuckDB's prepared metadata. Unresolved
// parameter types have Kind KindUnknown.
//
// The context bounds the preparation as it bounds an execution: when it
// ends, DuckDB is interrupted, and a context that ended before Prepare
// returns makes it fail with an ErrInterrupt error carrying the
// context's cause. DuckDB checks for interrupts little while it parses,
// binds and plans, so the call itself may run to its end; the session
// stays usable.
func (s *Session) Prepare(ctx context.Context, query string) (*Stmt, error) {
	if ctx.Err() != nil {
		return nil, Interrupted(ctx)
	}
	if s.closed {
		return nil, errors.New("prepare: session closed")
	}
	// DuckDB ends a connection's open result when it prepares.
	s.mu.Lock()
	prev := s.active
	s.mu.Unlock()
	if prev != nil {
		prev.supersede()
	}
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.running = true
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { s.interruptGen(gen) })
	var ps bindings.PreparedStatement
	state := bindings.Prepare(s.raw, query, &ps)
	stop()
	s.mu.Lock()
	if s.gen == gen {
		s.running = false
	}
	s.mu.Unlock()
	if state == bindings.StateError {
		msg := bindings.PrepareError(ps)
		bindings.DestroyPrepare(&ps)
		if ctx.Err() != nil {
			return nil, Interrupted(ctx)
		}
		return nil, newError(msg)
	}
	if ctx.Err() != nil {
		bindings.DestroyPrepare(&ps)
		return nil, Interrupted(ctx)
	}
	st := &Stmt{s: s, ps: ps, kind: statementKind(bindings.PreparedStatementType(ps))}
	n := int(bindings.NParams(ps))
	st.params = make([]SQLType, n)
	for i := range n {
		lt := bindings.ParamLogicalType(ps, bindings.IdxT(i+1))
		if lt.Ptr == nil {
			st.params[i] = SQLType{Kind: KindUnknown, Name: "UNKNOWN"}
			continue
		}
		st.params[i] = typeOf(lt)
		bindings.DestroyLogicalType(&lt)
	}
	nc := int(bindings.PreparedStatementColumnCount(ps))
	st.cols = make([]ResultColumn, nc)
	for i := range nc {
		lt := bindings.PreparedStatementColumnLogicalType(ps, bindings.IdxT(i))
		st.cols[i] = ResultColumn{Name: bindings.PreparedStatementColumnName(ps, bindings.IdxT(i)), Type: typeOf(lt)}
		bindings.DestroyLogicalType(&lt)
	}
	return st, nil
}

// Session is the session the statement was prepared on (and runs on).
func (st *Stmt) Session() *Session { return st.s }

// Kind is the statement's type as DuckDB parsed it.
func (st *Stmt) Kind() StatementKind { return st.kind }

// Params are the parameter types ($1 is Params()[0]).
func (st *Stmt) Params() []SQLType { return st.params }

// Columns are the result columns as prepared (empty for statements that
// return no rows).
func (st *Stmt) Columns() []ResultColumn { return st.cols }

// Close frees the prepared statement.
func (st *Stmt) Close() {
	if st.closed {
		return
	}
	st.closed = true
	bindings.DestroyPrepare(&st.ps)
}

// Execute binds args ($1 = args[0]) and starts a streaming execution.
// The context bounds the whole execution, including Rows.Next: when it
// ends, the statement is interrupted. The previous Rows of the session
// are closed first.
func (st *Stmt) Execute(ctx context.Context, args []Arg) (*Rows, error) {
	s := st.s
	if st.closed {
		return nil, errors.New("execute: statement closed")
	}
	if len(args) != len(st.params) {
		return nil, &Error{Kind: ErrInvalidInput, Msg: fmt.Sprintf("statement has %d parameters, %d given", len(st.params), len(args))}
	}
	s.mu.Lock()
	prev := s.active
	s.mu.Unlock()
	if prev != nil {
		prev.supersede()
	}
	if err := ctx.Err(); err != nil {
		return nil, Interrupted(ctx)
	}
	bindings.ClearBindings(st.ps)
	for i, a := range args {
		if err := a.bind(st.ps, bindings.IdxT(i+1)); err != nil {
			return nil, fmt.Errorf("bind $%d: %w", i+1, err)
		}
	}
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.running = true
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { s.interruptGen(gen) })
	r := &Rows{s: s, ctx: ctx, gen: gen, stop: stop}
	var pending bindings.PendingResult
	if bindings.PendingPreparedStreaming(st.ps, &pending) == bindings.StateError {
		msg := bindings.PendingError(pending)
		bindings.DestroyPending(&pending)
		r.finish()
		return nil, r.wrapErr(newError(msg))
	}
	state := bindings.ExecutePending(pending, &r.res)
	bindings.DestroyPending(&pending)
	if state == bindings.StateError {
		err := resultError(&r.res)
		bindings.DestroyResult(&r.res)
		r.finish()
		return nil, r.wrapErr(err)
	}
	r.open = true
	nc := int(bindings.ColumnCount(&r.res))
	r.cols = make([]ResultColumn, nc)
	for i := range nc {
		lt := bindings.ColumnLogicalType(&r.res, bindings.IdxT(i))
		r.cols[i] = ResultColumn{Name: bindings.ColumnName(&r.res, bindings.IdxT(i)), Type: typeOf(lt)}
		bindings.DestroyLogicalType(&lt)
	}
	r.returnsRows = bindings.ResultReturnType(r.res) == bindings.ResultTypeQueryResult
	if !r.returnsRows {
		r.changed = int64(bindings.RowsChanged(&r.res))
	}
	s.mu.Lock()
	s.active = r
	s.mu.Unlock()
	return r, nil
}

// Rows is a streaming result. Chunks returned by Next are valid until the
// next call to Next or Close.
type Rows struct {
	s           *Session
	ctx         context.Context
	gen         uint64
	stop        func() bool
	res         bindings.Result
	open        bool // res must be destroyed
	done        bool
	superseded  bool
	cols        []ResultColumn
	returnsRows bool
	changed     int64
	chunk       Chunk
}

// Columns are the result's columns and their types.
func (r *Rows) Columns() []ResultColumn { return r.cols }

// ReturnsRows reports whether the statement produced a result set.
func (r *Rows) ReturnsRows() bool { return r.returnsRows }

// RowsChanged is the affected row count of a statement without a result set.
func (r *Rows) RowsChanged() int64 { return r.changed }

// Next returns the next chunk, or nil at the end of the result. An error
// ends the result.
func (r *Rows) Next() (*Chunk, error) {
	r.chunk.Release()
	if r.superseded {
		return nil, ErrRowsSuperseded
	}
	if r.done || !r.open {
		return nil, nil
	}
	dc := bindings.FetchChunk(r.res)
	if dc.Ptr == nil {
		err := resultError(&r.res)
		r.finish()
		if err != nil {
			return nil, r.wrapErr(err)
		}
		return nil, nil
	}
	n := int(bindings.DataChunkGetSize(dc))
	if n == 0 {
		bindings.DestroyDataChunk(&dc)
		r.finish()
		return nil, nil
	}
	r.chunk.Reset(dc, n, r.cols)
	return &r.chunk, nil
}

// Close ends the result and frees it. Safe to call more than once.
func (r *Rows) Close() {
	r.chunk.Release()
	r.finish()
	if r.open {
		r.open = false
		bindings.DestroyResult(&r.res)
	}
	r.s.mu.Lock()
	if r.s.active == r {
		r.s.active = nil
	}
	r.s.mu.Unlock()
}

// supersede closes r because another execution is about to start.
func (r *Rows) supersede() {
	if !r.done {
		r.superseded = true
	}
	r.Close()
}

// finish marks the execution as no longer running on the connection.
func (r *Rows) finish() {
	if r.done {
		return
	}
	r.done = true
	r.stop()
	r.s.mu.Lock()
	if r.s.gen == r.gen {
		r.s.running = false
	}
	r.s.mu.Unlock()
}

// wrapErr attributes an interrupt to the context that caused it.
func (r *Rows) wrapErr(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Kind == ErrInterrupt && r.ctx.Err() != nil {
		return Interrupted(r.ctx)
	}
	return err
}

// interruptedBy is the interrupt error carrying the context's cause
// (deadline, cancel request).
// Interrupted is the error of a statement stopped because ctx ended:
// kind ErrInterrupt, with the context's cause.
func Interrupted(ctx context.Context) error {
	return &Error{Kind: ErrInterrupt, Msg: "canceling statement", Cause: context.Cause(ctx)}
}

func resultError(res *bindings.Result) error {
	msg := bindings.ResultError(res)
	if msg == "" {
		return nil
	}
	return typedError(bindings.ResultErrorType(res), msg)
}

// CheckSyntax parses query with DuckDB's parser without preparing or
// running anything; it returns an ErrParser error for invalid SQL.
func (s *Session) CheckSyntax(query string) error {
	var ext bindings.ExtractedStatements
	n := bindings.ExtractStatements(s.raw, query, &ext)
	defer bindings.DestroyExtracted(&ext)
	if n == 0 {
		e := newError(bindings.ExtractStatementsError(ext))
		if e.Kind == ErrOther {
			e.Kind = ErrParser
		}
		return e
	}
	return nil
}

// SetSearchPath sets the schemas that unqualified names resolve in, in
// order, on this session's connection only (DuckDB's search_path is a
// connection setting, and one of the two that its locked configuration
// still allows). Names that are not schemas of the database are left
// out, as PostgreSQL ignores missing schemas; none leaves DuckDB's
// default (main). The session must not hold an open result: setting
// the path runs a statement, which would end it.
func (s *Session) SetSearchPath(ctx context.Context, schemas []string) error {
	have, err := s.queryStrings(ctx, "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database()")
	if err != nil {
		return fmt.Errorf("search path: %w", err)
	}
	var path, names []string
	for _, n := range schemas {
		if slices.Contains(have, n) {
			path = append(path, duck.QuoteIdent(n))
			names = append(names, n)
		}
	}
	if _, err := s.queryStrings(ctx, pgcatalog.SearchPathStatement(names)); err != nil {
		return fmt.Errorf("search path: %w", err)
	}
	lit := "'" + strings.ReplaceAll(strings.Join(path, ","), "'", "''") + "'"
	if _, err := s.queryStrings(ctx, "SET search_path = "+lit); err != nil {
		return fmt.Errorf("search path: %w", err)
	}
	return nil
}

// queryStrings runs an internal statement and returns its first column
// as text.
func (s *Session) queryStrings(ctx context.Context, query string) ([]string, error) {
	st, err := s.Prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rows, err := st.Execute(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for {
		ch, err := rows.Next()
		if err != nil {
			return nil, err
		}
		if ch == nil {
			return out, nil
		}
		v := ch.Column(0)
		for i := range ch.Len() {
			out = append(out, string(v.Bytes(i)))
		}
	}
}
