package wire

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"

	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/session"
)

// fakeEngine is an Engine without a database: each query it knows has a
// canned result of BIGINT and VARCHAR columns, handed out in chunks of
// chunkRows rows built in DuckDB's vector layout. The query "SELECT block"
// runs until interrupted; unknown queries fail as DuckDB's catalog
// errors do. Protocol tests run the server against it.
type fakeEngine struct {
	results   map[string]fakeResult
	chunkRows int

	mu    sync.Mutex
	syncs int // Sync calls
}

type fakeResult struct {
	cols []session.ResultColumn
	rows [][]any // int64, string or nil
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{results: map[string]fakeResult{}, chunkRows: 2}
}

func (e *fakeEngine) add(query string, cols []session.ResultColumn, rows ...[]any) {
	e.results[query] = fakeResult{cols, rows}
}

func (e *fakeEngine) Open(context.Context) (EngineConn, error) { return &fakeConn{e: e}, nil }

func (e *fakeEngine) PointRead(context.Context, point.PointQuery, session.Arg) (Result, error) {
	return nil, point.ErrNotPointable
}

func (e *fakeEngine) Sync(context.Context) error {
	e.mu.Lock()
	e.syncs++
	e.mu.Unlock()
	return nil
}

func (e *fakeEngine) Close() {}

type fakeConn struct {
	e         *fakeEngine
	mu        sync.Mutex
	interrupt chan struct{}
	busy      *fakeRows
}

func (c *fakeConn) Prepare(_ context.Context, q string) (EngineStmt, error) {
	if q == "SELECT block" {
		return &fakeStmt{c: c, q: q, res: fakeResult{cols: []session.ResultColumn{{Name: "x", Type: session.SQLType{Kind: session.KindBigInt}}}}}, nil
	}
	r, ok := c.e.results[q]
	if !ok {
		return nil, &session.Error{Kind: session.ErrCatalog, Msg: fmt.Sprintf("Table with name %q does not exist!", q)}
	}
	return &fakeStmt{c: c, q: q, res: r}, nil
}

func (c *fakeConn) CheckSyntax(string) error                      { return nil }
func (c *fakeConn) SetSearchPath(context.Context, []string) error { return nil }
func (c *fakeConn) SetIdentity(context.Context, string, string, string, int32) error {
	return nil
}
func (c *fakeConn) Close() error { return nil }

func (c *fakeConn) Busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.busy != nil && !c.busy.done
}

func (c *fakeConn) Interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.interrupt != nil {
		close(c.interrupt)
		c.interrupt = nil
	}
}

type fakeStmt struct {
	c   *fakeConn
	q   string
	res fakeResult
}

func (s *fakeStmt) Conn() EngineConn                { return s.c }
func (s *fakeStmt) Kind() session.StatementKind     { return session.StmtSelect }
func (s *fakeStmt) Params() []session.SQLType       { return nil }
func (s *fakeStmt) Columns() []session.ResultColumn { return s.res.cols }
func (s *fakeStmt) Close()                          {}

func (s *fakeStmt) Execute(ctx context.Context, _ []session.Arg) (Result, error) {
	if s.q == "SELECT block" {
		stop := make(chan struct{})
		s.c.mu.Lock()
		s.c.interrupt = stop
		s.c.mu.Unlock()
		select {
		case <-stop:
		case <-ctx.Done():
		}
		return nil, session.Interrupted(ctx)
	}
	r := &fakeRows{res: s.res, per: s.c.e.chunkRows}
	s.c.mu.Lock()
	s.c.busy = r
	s.c.mu.Unlock()
	return r, nil
}

type fakeRows struct {
	res   fakeResult
	per   int
	pos   int
	done  bool
	chunk session.Chunk
}

func (r *fakeRows) Columns() []session.ResultColumn { return r.res.cols }

func (r *fakeRows) Next() (*session.Chunk, error) {
	r.chunk.Release()
	if r.pos >= len(r.res.rows) {
		r.done = true
		return nil, nil
	}
	n := min(r.per, len(r.res.rows)-r.pos)
	dc, err := buildChunk(r.res.cols, r.res.rows[r.pos:r.pos+n])
	if err != nil {
		return nil, err
	}
	r.pos += n
	r.chunk.Reset(dc, n, r.res.cols)
	return &r.chunk, nil
}

func (r *fakeRows) Close() {
	r.done = true
	r.chunk.Release()
}

// buildChunk writes rows into a new DuckDB data chunk of cols' types.
func buildChunk(cols []session.ResultColumn, rows [][]any) (bindings.DataChunk, error) {
	types := make([]bindings.LogicalType, len(cols))
	for i, c := range cols {
		switch c.Type.Kind {
		case session.KindBigInt:
			types[i] = bindings.CreateLogicalType(bindings.TypeBigInt)
		case session.KindVarchar:
			types[i] = bindings.CreateLogicalType(bindings.TypeVarchar)
		default:
			return bindings.DataChunk{}, errors.New("fake engine: BIGINT and VARCHAR only")
		}
	}
	dc := bindings.CreateDataChunk(types)
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	for j := range cols {
		vec := bindings.DataChunkGetVector(dc, bindings.IdxT(j))
		data := bindings.VectorGetData(vec)
		for i, row := range rows {
			switch v := row[j].(type) {
			case nil:
				bindings.VectorEnsureValidityWritable(vec)
				bindings.ValiditySetRowInvalid(bindings.VectorGetValidity(vec), bindings.IdxT(i))
			case int64:
				*(*int64)(unsafe.Add(data, 8*i)) = v
			case string:
				bindings.VectorAssignStringElement(vec, bindings.IdxT(i), v)
			}
		}
	}
	bindings.DataChunkSetSize(dc, bindings.IdxT(len(rows)))
	return dc, nil
}
