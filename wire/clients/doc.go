// Package clients holds the client matrix: tests that start a real
// spysql server over a small lake and drive it with the clients people
// use (psql, pgx, psycopg2, psycopg 3, asyncpg, SQLAlchemy, JDBC,
// node-postgres, psqlODBC) and with replays of the catalog queries BI
// tools send (testdata/replay), comparing answers with a real
// PostgreSQL 15 holding like objects where they should agree.
//
// The package has no code of its own: only tests and their scripts.
package clients
