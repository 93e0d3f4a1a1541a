package wire

import (
	"context"

	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/session"
)

// Engine is all the server needs of the database: a connection of its
// own per client (more while portals are suspended), keyed point reads,
// and views that match the lake. DuckEngine is the real one; protocol
// tests use a fake, and the comparisons with PostgreSQL use DuckEngine.
type Engine interface {
	// Open gives a client a new connection.
	Open(ctx context.Context) (EngineConn, error)
	// PointRead answers a keyed lookup on a Gold dataset or a Silver
	// version for the statement's one argument, or returns an error
	// wrapping point.ErrNotPointable when the statement must run through
	// a connection instead.
	PointRead(ctx context.Context, q point.PointQuery, key session.Arg) (Result, error)
	// Sync makes the views match the lake before a statement runs.
	Sync(ctx context.Context) error
	// Close releases what the engine holds for the server (not the
	// database).
	Close()
}

// EngineConn is one connection: one statement runs at a time, and
// starting an execution supersedes the previous result.
type EngineConn interface {
	// Prepare parses and binds one statement without running it.
	Prepare(ctx context.Context, query string) (EngineStmt, error)
	// CheckSyntax parses query; an error means it is not valid SQL.
	CheckSyntax(query string) error
	// SetSearchPath makes schemas the connection's search path.
	SetSearchPath(ctx context.Context, schemas []string) error
	// SetIdentity tells the connection its client's user, database,
	// spysql version and backend pid, which the PostgreSQL catalog
	// answers current_user, current_database() and version() with.
	SetIdentity(ctx context.Context, user, database, version string, pid int32) error
	// Busy reports an open result that is not yet exhausted.
	Busy() bool
	// Interrupt stops the running statement; safe from any goroutine.
	Interrupt()
	Close() error
}

// EngineStmt is a prepared statement of one connection.
type EngineStmt interface {
	Conn() EngineConn
	Kind() session.StatementKind
	Params() []session.SQLType
	Columns() []session.ResultColumn
	Execute(ctx context.Context, args []session.Arg) (Result, error)
	Close()
}

// Result is a statement's result, read chunk by chunk. A chunk is valid
// until the next call to Next or Close.
type Result interface {
	Columns() []session.ResultColumn
	Next() (*session.Chunk, error)
	Close()
}
