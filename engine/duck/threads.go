package duck

import (
	"context"
	"database/sql"
	"fmt"
)

// SingleThreaded runs f with conn set to one thread, for writes whose
// bytes must not depend on scheduling (the row groups of a COPY), then
// sets the connection's earlier thread count back, also when ctx was
// cancelled. It returns f's error, else the restore's.
func SingleThreaded(ctx context.Context, conn *sql.Conn, f func() error) (err error) {
	threads, err := currentThreads(ctx, conn)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SET threads = 1"); err != nil {
		return fmt.Errorf("set threads: %w", err)
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "SET threads = "+threads); rerr != nil && err == nil {
			err = fmt.Errorf("restore threads: %w", rerr)
		}
	}()
	return f()
}

// currentThreads is DuckDB's threads setting as conn sees it.
func currentThreads(ctx context.Context, conn *sql.Conn) (string, error) {
	var threads string
	if err := conn.QueryRowContext(ctx, "SELECT CAST(current_setting('threads') AS VARCHAR)").Scan(&threads); err != nil {
		return "", fmt.Errorf("threads: %w", err)
	}
	return threads, nil
}
