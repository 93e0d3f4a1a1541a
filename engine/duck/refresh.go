package duck

import (
	"context"
	"database/sql"
	"fmt"
)

// Refresh re-registers every view over the lake (see refresh) and, with
// Config.CacheMemory, binds the hot ones to in-memory copies (hot.go).
// It runs as one DuckDB transaction: a statement binds either every view
// as it was or every view as it is now, never a mix, and a statement
// still reading the old copies keeps reading them (DuckDB's MVCC) after
// they are dropped here. Concurrent calls run one after the other.
func (db *DB) Refresh(ctx context.Context) error {
	db.refreshMu.Lock()
	defer db.refreshMu.Unlock()
	// Loading the hot copies is big work: it gets the fan-out.
	db.StatementStarted(true)
	defer db.StatementDone(true)
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	var comments []string
	ctx = context.WithValue(ctx, txKey{}, tx)
	ctx = context.WithValue(ctx, commentsKey{}, &comments)
	if err := db.refresh(ctx); err != nil {
		tx.Rollback()
		return err
	}
	if err := db.hot.apply(ctx, db, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		db.hot.rollback()
		return fmt.Errorf("refresh: commit: %w", err)
	}
	db.hot.commit()
	for _, c := range comments {
		db.sql.ExecContext(ctx, c) //nolint:errcheck // best effort: comments only
	}
	return nil
}

type (
	txKey       struct{}
	commentsKey struct{}
)

// comment runs a best-effort COMMENT ON statement: after the refresh's
// transaction commits when ctx carries one (a failed statement would
// abort the transaction, and the views it names exist only inside it),
// else at once.
func (db *DB) comment(ctx context.Context, stmt string) {
	if p, ok := ctx.Value(commentsKey{}).(*[]string); ok {
		*p = append(*p, stmt)
		return
	}
	db.sql.ExecContext(ctx, stmt) //nolint:errcheck // best effort: comments only
}

// execer runs a statement of a view registration: in the refresh's
// transaction when ctx carries one, else on any pooled connection.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (db *DB) execer(ctx context.Context) execer {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return db.sql
}
