// Package session is one client's own DuckDB connection, as the wire
// server needs it: Prepare parses and binds one statement and reports its
// parameter and result types without running it; Execute binds typed
// arguments and streams the result chunk by chunk (DuckDB's streaming
// results, not database/sql's row-at-a-time copies); Chunk and Vector read
// DuckDB's vectors in place, so encoding a value costs no allocation.
// Interrupt stops a running statement from any goroutine; a context that
// ends interrupts it too.
//
// Errors are *Error with a Kind taken from DuckDB's error type, so the
// wire server maps them to SQLSTATEs without parsing text.
//
// duckdb-go does not export a connection's native handle, which the
// streaming and interrupt calls of the C API need; rawConnection reads
// it by reflection, and TestDriverPinned fails loudly when the driver
// version changes, so an upgrade re-checks it.
package session
