package wire

import (
	"context"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/pgcatalog"
	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/watch"
	"github.com/spysql/spysql/wire/gate"
)

// DuckEngine serves one duck.DB: engine/session connections, point reads
// from engine/point, views kept current by engine/watch.
type DuckEngine struct {
	db      *duck.DB
	watcher *watch.Watcher
	points  *point.Reader
}

var _ Engine = (*DuckEngine)(nil)

// NewDuckEngine serves db; closing the engine leaves db open.
func NewDuckEngine(db *duck.DB) *DuckEngine {
	return &DuckEngine{db: db, watcher: watch.New(db), points: point.NewReader(db)}
}

// Open takes a new DuckDB connection of its own.
func (e *DuckEngine) Open(ctx context.Context) (EngineConn, error) {
	s, err := session.New(ctx, e.db)
	if err != nil {
		return nil, err
	}
	return duckConn{s}, nil
}

// PointRead answers from the dataset's point index.
func (e *DuckEngine) PointRead(ctx context.Context, q point.PointQuery, key session.Arg) (Result, error) {
	rows, err := e.points.Read(ctx, q, key)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// Sync refreshes the views if the lake changed.
func (e *DuckEngine) Sync(ctx context.Context) error {
	_, err := e.watcher.Check(ctx)
	return err
}

var _ statementObserver = (*DuckEngine)(nil)

// StatementStarted tells the database a statement holds a slot.
func (e *DuckEngine) StatementStarted(big bool) { e.db.StatementStarted(big) }

// StatementDone tells the database the statement gave its slot back.
func (e *DuckEngine) StatementDone(big bool) { e.db.StatementDone(big) }

// listSessions makes list the source of pg_stat_activity.
func (e *DuckEngine) listSessions(list func() []Activity) {
	e.db.SetSessions(func() []pgcatalog.Session {
		acts := list()
		out := make([]pgcatalog.Session, len(acts))
		for i, a := range acts {
			out[i] = pgcatalog.Session{
				PID: int32(a.PID), User: a.User, ApplicationName: a.ApplicationName,
				ClientAddr: a.ClientAddr, ClientPort: int32(a.ClientPort), BackendStart: a.BackendStart,
				State: a.State, StateChange: a.StateChange, Query: a.Query, QueryStart: a.QueryStart,
			}
		}
		return out
	})
}

// Close stops watching and releases the point indexes.
func (e *DuckEngine) Close() {
	e.watcher.Close()
	e.points.Close()
}

var _ ParseTreeEngine = (*DuckEngine)(nil)

// ParseTree is DuckDB's parse of sql as JSON, for the statement gate.
func (e *DuckEngine) ParseTree(ctx context.Context, sql string) ([]byte, error) {
	var tree string
	if err := e.db.SQL().QueryRowContext(ctx, gate.SerializeSQL, sql).Scan(&tree); err != nil {
		return nil, err
	}
	return []byte(tree), nil
}

type duckConn struct{ *session.Session }

func (c duckConn) Prepare(ctx context.Context, query string) (EngineStmt, error) {
	st, err := c.Session.Prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return duckStmt{st, c}, nil
}

type duckStmt struct {
	*session.Stmt
	conn duckConn
}

func (st duckStmt) Conn() EngineConn { return st.conn }

func (st duckStmt) Execute(ctx context.Context, args []session.Arg) (Result, error) {
	rows, err := st.Stmt.Execute(ctx, args)
	if err != nil {
		return nil, err
	}
	return rows, nil
}
