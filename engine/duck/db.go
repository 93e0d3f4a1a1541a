package duck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/pgcatalog"
	"github.com/spysql/spysql/engine/store"
)

// Config says how to open DuckDB for spysql. The zero value of every field
// is a usable default.
type Config struct {
	// CacheMemory is the budget in bytes for hot views held in memory
	// (hot.go); 0 means none: every view reads Parquet.
	CacheMemory int64
	// Threads is DuckDB's worker thread count; 0 means all cores.
	Threads int
	// AdaptiveThreads makes DuckDB's threads follow the statements the
	// server reports running (StatementStarted, parallel.go): Threads (0:
	// all cores) from the start of a big statement, 1 once the server is
	// idle after a small one. With Sandbox the configuration is then not
	// locked, since threads must change while serving; the sandbox's own
	// settings stay fixed (see Sandbox).
	AdaptiveThreads bool
	// Logger receives the engine's warnings; nil discards them.
	Logger *slog.Logger
	// MemoryLimit is DuckDB's memory_limit, e.g. "4GB"; "" means DuckDB's
	// default (80% of RAM).
	MemoryLimit string
	// Sandbox limits DuckDB to reading the lake: external access off except
	// the lake directory, configuration locked (unless AdaptiveThreads:
	// DuckDB itself refuses to turn external access back on or widen the
	// allowed directories once external access is off), spilling to a
	// private directory (see spillDir). Used by the wire server.
	Sandbox bool
	// TempLimit caps the spill directory (DuckDB max_temp_directory_size,
	// e.g. "10GB"); "" means DuckDB's default (90% of the free disk).
	TempLimit string
	// Catalog, when set, lists views Refresh adds to the gold and lake
	// schemas (the Gold curator's metadata tables); nil adds none.
	Catalog func(ctx context.Context, lake store.Lake) ([]CatalogView, error)
}

// DB is one embedded DuckDB database with the lake's views registered. It
// is safe for concurrent use; each *sql.Conn is one DuckDB connection.
type DB struct {
	// hot holds hot views in memory; refreshMu serializes Refresh.
	hot       *hotCache
	refreshMu sync.Mutex
	lake      store.Lake
	cal       *calendar.Calendar
	connector *duckdb.Connector
	sql       *sql.DB
	// gold maps the lower-cased names of the registered gold views to
	// their file names ("" when two differ only in case).
	gold    atomic.Pointer[map[string]string]
	spill   string // private spill directory, removed by Close
	catalog func(ctx context.Context, lake store.Lake) ([]CatalogView, error)
	// sessions feeds pg_stat_activity (SetSessions).
	sessions pgcatalog.Sessions
	// par sizes threads to the running statements (AdaptiveThreads).
	par *parallelism
}

// Open starts an in-memory DuckDB for lake: TimeZone UTC, extension
// autoloading and installing off, the calendar loaded as calendar.sessions
// and the lake registered (see Refresh).
func Open(ctx context.Context, lake store.Lake, cfg Config) (*DB, error) {
	if lake.Root() == "" {
		return nil, errors.New("open engine: lake not opened")
	}
	cal, err := calendar.New()
	if err != nil {
		return nil, fmt.Errorf("open engine: %w", err)
	}
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	if cfg.Threads > 0 {
		q.Set("threads", strconv.Itoa(cfg.Threads))
	}
	if cfg.MemoryLimit != "" {
		q.Set("memory_limit", cfg.MemoryLimit)
	}
	if cfg.TempLimit != "" {
		q.Set("max_temp_directory_size", cfg.TempLimit)
	}
	spill, err := spillDir(lake.Root(), cfg)
	if err != nil {
		return nil, fmt.Errorf("open engine: %w", err)
	}
	if spill != "" {
		q.Set("temp_directory", spill)
	}
	connector, err := duckdb.NewConnector("?"+q.Encode(), nil)
	if err != nil {
		if spill != "" {
			os.RemoveAll(spill)
		}
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db := &DB{lake: lake, cal: cal, connector: connector, sql: sql.OpenDB(connector), spill: spill, catalog: cfg.Catalog}
	if err := db.init(ctx, cfg); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) init(ctx context.Context, cfg Config) error {
	db.hot = newHotCache(cfg.CacheMemory)
	if _, err := db.sql.ExecContext(ctx, "SET GLOBAL TimeZone = 'UTC'"); err != nil {
		return fmt.Errorf("set TimeZone (ICU): %w", err)
	}
	// Parquet footers are read once per file, not once per statement.
	if _, err := db.sql.ExecContext(ctx, "SET GLOBAL parquet_metadata_cache = true"); err != nil {
		return fmt.Errorf("parquet_metadata_cache: %w", err)
	}
	for _, s := range []string{"bronze", "silver", "gold", "lake", "calendar"} {
		if _, err := db.sql.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+s); err != nil {
			return fmt.Errorf("create schema %s: %w", s, err)
		}
	}
	if err := pgcatalog.Install(ctx, db.sql, &db.sessions); err != nil {
		return err
	}
	if err := db.loadCalendar(ctx); err != nil {
		return err
	}
	if err := db.Refresh(ctx); err != nil {
		return err
	}
	if cfg.Sandbox {
		stmts := []string{
			"SET GLOBAL allowed_directories = [" + QuoteString(db.lake.Root()+"/") + "]",
			"SET GLOBAL enable_external_access = false",
		}
		if !cfg.AdaptiveThreads {
			stmts = append(stmts, "SET GLOBAL lock_configuration = true")
		}
		for _, s := range stmts {
			if _, err := db.sql.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("sandbox: %s: %w", s, err)
			}
		}
	}
	if cfg.AdaptiveThreads {
		log := cfg.Logger
		if log == nil {
			log = slog.New(slog.DiscardHandler)
		}
		par, err := startParallelism(ctx, db.sql, log)
		if err != nil {
			return err
		}
		db.par = par
	}
	return nil
}

// SQL is the database/sql handle; each pooled connection is one DuckDB
// connection on the same database.
func (db *DB) SQL() *sql.DB { return db.sql }

// Lake is the layout this database reads.
func (db *DB) Lake() store.Lake { return db.lake }

// Calendar is the trading calendar loaded into calendar.sessions.
func (db *DB) Calendar() *calendar.Calendar { return db.cal }

// Close closes every connection and the database.
func (db *DB) Close() error {
	if db.par != nil {
		db.par.close()
	}
	err := db.sql.Close()
	if db.spill != "" {
		if rerr := os.RemoveAll(db.spill); rerr != nil && err == nil {
			err = fmt.Errorf("remove spill directory: %w", rerr)
		}
	}
	return err
}

// FirstLine is the first line of an error's message: DuckDB appends the
// query text and a caret on later lines, which one-line CLI errors drop.
func FirstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// SetSessions makes fn the source of pg_stat_activity's rows: the server
// that owns the client sessions lists them. Until then the view is empty.
func (db *DB) SetSessions(fn func() []pgcatalog.Session) { db.sessions.Set(fn) }
