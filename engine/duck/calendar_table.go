package duck

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/spysql/spysql/engine/calendar"
)

// loadCalendar fills calendar.sessions with every session of the
// calendar's range.
func (db *DB) loadCalendar(ctx context.Context) error {
	const ddl = `CREATE OR REPLACE TABLE calendar.sessions (
		date DATE, pm_open_ns BIGINT, rth_open_ns BIGINT, rth_close_ns BIGINT,
		post_close_ns BIGINT, early_close BOOLEAN)`
	if _, err := db.sql.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("create calendar.sessions: %w", err)
	}
	sessions, err := db.cal.Sessions(
		calendar.Date{Year: calendar.FirstYear, Month: time.January, Day: 1},
		calendar.Date{Year: calendar.LastYear, Month: time.December, Day: 31})
	if err != nil {
		return fmt.Errorf("calendar sessions: %w", err)
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "", "calendar", "sessions")
		if err != nil {
			return fmt.Errorf("append calendar.sessions: %w", err)
		}
		for _, s := range sessions {
			day := time.Date(s.Date.Year, s.Date.Month, s.Date.Day, 0, 0, 0, 0, time.UTC)
			if err := app.AppendRow(day, s.PMOpen.UnixNano(), s.RTHOpen.UnixNano(),
				s.RTHClose.UnixNano(), s.PostClose.UnixNano(), s.EarlyClose); err != nil {
				app.Close()
				return fmt.Errorf("append calendar.sessions: %w", err)
			}
		}
		return app.Close()
	})
}
