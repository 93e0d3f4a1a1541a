package session

import (
	"context"
	"fmt"

	"github.com/spysql/spysql/engine/pgcatalog"
)

// SetIdentity gives this session's connection its client's user,
// database name, spysql version and backend process id, which the
// PostgreSQL catalog (engine/pgcatalog) answers current_user,
// current_database(), version() and pg_backend_pid() with. It also
// starts the catalog's search path empty, as the wire default
// ("$user", public) names no schema of the lake.
func (s *Session) SetIdentity(ctx context.Context, user, database, version string, pid int32) error {
	stmts := append(pgcatalog.SessionStatements(user, database, version, pid), pgcatalog.SearchPathStatement(nil))
	for _, q := range stmts {
		if _, err := s.queryStrings(ctx, q); err != nil {
			return fmt.Errorf("session identity: %w", err)
		}
	}
	return nil
}
