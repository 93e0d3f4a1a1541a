// Package wire serves the lake over the PostgreSQL wire protocol (v3.0),
// so that psql, pgx, JDBC and BI tools can query bronze, silver, gold,
// lake and calendar as if spysql were a read-only PostgreSQL 15.
//
// # Layers
//
// The codec is pgx's pgproto3 (messages in, messages out); wire owns the
// protocol state machine; the engine owns DuckDB. wire never builds
// DuckDB settings or lake paths: it needs only the narrow Engine
// interface (engine.go): Open a connection (a client has one, and more
// while portals are suspended, see below), Prepare, Execute and read a
// Result chunk by chunk, Interrupt, PointRead, and Sync the views with
// the lake. DuckEngine (engine_duck.go) is the real one, over
// engine/session, engine/point and engine/watch; protocol tests also run
// against a fake engine with no database (fake_engine_test.go), while
// comparisons with PostgreSQL run against DuckEngine. Files hold
// one concern each: the engine seam (engine.go, engine_duck.go), startup
// and the message loop (conn.go), SCRAM and
// cancel keys (auth.go, users.go), the simple protocol (simple.go), the
// extended protocol (extended.go), statements and portals (prepare.go,
// portal.go), a client's DuckDB connections (sessions.go), transactions
// (txn.go), settings (settings.go, settings_txn.go, emulated.go),
// classification (lexer.go, classify.go), the type map (types.go) and
// the encoders and decoders (encode_*.go, numeric.go, datetime.go,
// decode.go), SQLSTATEs (pgcode.go) and the one function that maps
// errors to ErrorResponse (errors.go).
//
// # A connection's life
//
// Server.Serve accepts TCP connections; each runs serveConn in its own
// goroutine. Startup reads a bounded startup packet: SSLRequest is
// answered 'S' and the connection upgraded to TLS when a certificate is
// configured, else 'N'; GSSENCRequest gets 'N'; a CancelRequest is routed
// to the session with that key and the connection closed. Beyond
// MaxConnections a client gets 53300. Authentication is SCRAM-SHA-256
// against a users file of verifiers (no passwords on disk), or trust when
// configured explicitly; failures answer 28P01 and lock an address out
// after LoginFailures within LoginWindow. The greeting sends
// ParameterStatus as PostgreSQL does (server_version "15.0 (spysql X)",
// UTF8, DateStyle ISO, MDY, integer_datetimes, standard_conforming_strings,
// default_transaction_read_only on, ...) and a random BackendKeyData.
//
// Then the loop: Receive, dispatch, repeat. Writes are buffered and
// flushed at ReadyForQuery, on Flush, and every 64 KiB while rows stream.
//
// # Simple and extended query
//
// A Query message may hold several statements. The string is split at
// top-level semicolons (lexer.go knows quotes, dollar quotes and
// comments) and every statement is classified and prepared first, so a
// syntax error anywhere runs nothing, as in PostgreSQL; then each runs in
// turn with RowDescription, DataRows and CommandComplete, and the first
// error ends the message. An empty string gets EmptyQueryResponse.
//
// The extended protocol follows PostgreSQL exactly: Parse prepares one
// statement (several: 42601; a duplicate name: 42P05; the unnamed one is
// replaced), Describe never executes (parameter and column types come
// from DuckDB's prepared metadata; parameters DuckDB cannot type are
// text), Bind decodes parameters in text or binary by type OID, Execute
// with a row limit sends PortalSuspended and resumes later, and after an
// error every message up to Sync is skipped (a single ignoreUntilSync
// flag, as CockroachDB's). Portals live until their transaction ends.
//
// DuckDB streams one result per connection, so a suspended portal keeps
// its connection busy. As in PostgreSQL, a client may leave portal A
// suspended, run portal B or a simple query to completion and resume A
// (JDBC with fetchSize does): a statement that arrives while every
// connection of the client holds a suspended result is prepared and run
// on another connection, opened on demand, up to four per client. The
// connections carry no state of their own (the server applies the
// emulated settings), so any free one will do. A connection is free
// again when its result is exhausted or its portal closed (Close, Sync
// outside a block, end of the block). Beyond four, the least recently
// used suspended portal is superseded and answers 55000 if resumed.
//
// # Read-only by construction
//
// Two independent checks. First, classify looks at a statement's leading
// keywords: only queries (SELECT, WITH, VALUES, TABLE, FROM, EXPLAIN of a
// query, DESCRIBE, SHOW, SUMMARIZE), transaction control and the emulated
// settings pass; everything else gets 42501 naming the statement type.
// Second, once DuckDB has parsed a query, its statement type must be
// SELECT or EXPLAIN. Under both, engine's sandbox limits DuckDB to reading
// the lake (enable_external_access off, allowed_directories the lake,
// configuration locked, no extension install or autoload).
//
// Transactions never reach DuckDB: the server tracks BEGIN, COMMIT,
// ROLLBACK and savepoints, reports I, T or E in ReadyForQuery, answers
// 25P02 inside a failed block and reports COMMIT of a failed block as
// ROLLBACK. SET, SHOW, RESET and DISCARD of PostgreSQL's session settings
// are answered by the server; statement_timeout and TimeZone take effect.
// Settings are transactional as in PostgreSQL (settings_txn.go): SET in a
// transaction that rolls back (ROLLBACK, an error in the implicit block
// of a Query message or of a batch up to Sync, ROLLBACK TO SAVEPOINT) is
// undone, SET LOCAL lasts until the transaction ends (outside a block it
// warns 25P01, as PostgreSQL), and a reported setting that the end of a
// transaction changes is sent again as ParameterStatus. search_path is
// applied: DuckDB's locked configuration still lets a connection set its
// own search_path, so each of the client's connections gets the schemas
// of the client's value that exist in the lake (missing ones are
// ignored, as PostgreSQL does; "$user" and public name none) before it
// prepares or runs a statement, and SET search_path = silver, bronze
// makes futures_trades resolve.
//
// # PostgreSQL's dialect and catalog
//
// Before a query is gated and prepared, engine/pgcatalog rewrites it with
// PostgreSQL's own parser: pg_catalog and information_schema go to
// PostgreSQL 15-shaped views over the lake, regclass/regtype casts and
// OPERATOR(pg_catalog.~) become DuckDB, current_user and
// current_database() are the connection's (engine sessions carry the
// client's identity), and result columns get PostgreSQL's names. A
// parameter DuckDB cannot type is cast to the client's type or text, as
// PostgreSQL fixes it at Parse. Cursors (cursor.go) are named portals:
// DECLARE binds one, FETCH and MOVE run it, CLOSE drops it; DEALLOCATE
// drops prepared statements. COPY (query) TO STDOUT (copy.go) streams
// CopyData in text, CSV or binary. wire/clients tests all of it with real
// clients against PostgreSQL 15's answers.
//
// # Types and streaming
//
// types.go is the one map from DuckDB types to PostgreSQL OIDs, used by
// RowDescription, ParameterDescription and the encoders. Columns without
// a wire type (STRUCT, MAP, UNION, ENUM, nested lists, ...) are converted
// in SQL: the query is wrapped so they arrive as json or text. Results
// come from DuckDB's streaming API chunk by chunk; encoders read each
// vector in place and append DataRow bytes directly to the write buffer,
// so memory stays flat with result size and the first rows reach the
// client while DuckDB is still working.
//
// # Cancellation
//
// Each statement is prepared and runs under a context.WithCancelCause
// of the connection's context (Parse has its own; the prepare phase of a
// Query message is one). A CancelRequest with the right key, the
// statement_timeout timer and server shutdown cancel it with a cause; the
// engine session interrupts DuckDB, and the error maps to 57014 with the
// cause's message ("due to user request", "due to statement timeout").
// DuckDB rarely stops a preparation midway, so one cancelled while
// DuckDB prepares fails when DuckDB returns. The session stays usable.
// While a statement runs, the socket is checked every 100 ms for a
// client that went away (clientgone.go); the statement is then
// interrupted and the connection's slot freed.
//
// # Security
//
// Every query passes the statement gate before DuckDB prepares it
// (statement_gate.go): DuckDB parses it to JSON and package gate allows
// it only if every function and table it names, at any depth, is on the
// allowlist (deny by default). Limits are the server's (limits.go,
// admission.go): connections count from their first byte, the server's
// statement_timeout is a ceiling, idle sessions time out inside
// transactions too (25P03), one value is at most 1 GB (54000), large
// values share Config.ValueMemory (53200), and what the server holds for
// one session (result chunks of its portals and cursors, bound arguments,
// prepared statements) is bounded by Config.ClientMemory
// (client_memory.go: 53200, the session goes on).
//
// # Limits and the operator's view
//
// Beyond MaxConnections a client gets 53300 at startup. Queries and point
// reads also take one of MaxActiveStatements execution slots for each
// Execute (statement_ops.go, statement_queue.go); a statement arriving when all
// are taken waits in a bounded FIFO queue, cancel and statement_timeout
// applying, and with the queue full it fails at once with 53300 "too
// many statements", leaving the running and queued ones alone and the
// session usable. A suspended portal holds no slot. The engine hears of
// each statement taking and giving back a slot, with whether it is
// expected to be big (statement_size.go: never run, or first executions
// of 10 ms or more), and sizes DuckDB's threads to them (duck.Config.AdaptiveThreads). Server.Activity lists
// the live sessions with their state and running statement, the hook
// behind pg_stat_activity; Server.MetricsHandler serves Prometheus
// metrics (connections, statements by kind and outcome, latency
// histograms, the queue, the engine's hot cache); statements slower than
// SlowStatement are logged at Warn with their text.
//
// # The lake stays current
//
// Before a statement is prepared or executed, watch.Watcher checks
// whether the directories that publishing renames into changed and
// re-registers the views if so, so a Silver version built or a Gold
// dataset promoted while serving is visible to the next statement of
// every session. On Linux the directories are watched with inotify and
// the check is one non-blocking read of the event queue (the kernel
// queues the event before the publishing rename returns); elsewhere it
// compares directory modification times.
package wire
