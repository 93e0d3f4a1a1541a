package wire

import (
	"fmt"
	"sync/atomic"

	"github.com/spysql/spysql/engine/session"
)

// Per-client memory. DuckDB 1.5 bounds memory only for the whole
// database (memory_limit, with a private spill directory capped by
// max_temp_directory_size; duckdb_settings() has no per-connection
// setting that bounds memory), so a statement's operators are bounded
// there, globally. What spysql itself holds for one session is bounded
// per session by Config.ClientMemory: the result chunk each portal holds
// (a suspended portal or cursor, WITH HOLD ones included, keeps its
// current chunk between fetches), the bound arguments of each portal,
// and each prepared statement (its text and parse, and an estimate of
// DuckDB's prepared plan). Past the limit the statement, Bind or Parse
// fails with 53200 and the session goes on: the failed statement's
// result is closed and its memory returned.

// defaultClientMemory is Config.ClientMemory's default.
const defaultClientMemory = 256 << 20

// preparedOverhead and portalOverhead estimate what a prepared statement
// (DuckDB's plan, spysql's descriptions) and a portal hold beyond the
// bytes counted exactly.
const (
	preparedOverhead = 16 << 10
	portalOverhead   = 1 << 10
)

// clientMemory accounts the bytes spysql holds for one session.
type clientMemory struct {
	limit int64 // < 0: no limit
	used  atomic.Int64
}

// charge accounts n more bytes held for what, or fails with 53200
// leaving the account as it was.
func (m *clientMemory) charge(n int64, what string) error {
	if n <= 0 {
		return nil
	}
	used := m.used.Add(n)
	if m.limit >= 0 && used > m.limit {
		m.used.Add(-n)
		return &pgError{Code: CodeOutOfMemory, Message: "out of memory",
			Detail: fmt.Sprintf("%s needs %d bytes; this session holds %d of its %d bytes (serve --client-memory)", what, n, used-n, m.limit),
			Hint:   "Fetch fewer rows at a time, close cursors and prepared statements no longer used, or select fewer or smaller columns."}
	}
	return nil
}

func (m *clientMemory) release(n int64) {
	if n > 0 {
		m.used.Add(-n)
	}
}

// holdChunk makes ch the chunk pt holds (nil: none), charging its bytes
// to the session in place of the previous chunk's.
func (c *conn) holdChunk(pt *portal, ch *session.Chunk, ncol int) error {
	pt.mem = &c.mem
	c.mem.release(pt.chunkBytes)
	pt.chunkBytes = 0
	if ch == nil {
		return nil
	}
	n := chunkBytes(ch, ncol)
	if err := c.mem.charge(n, fmt.Sprintf("a result chunk of %d rows", ch.Len())); err != nil {
		return err
	}
	pt.chunkBytes = n
	return nil
}

// chunkBytes estimates the memory of a chunk: 16 bytes an entry (the
// widest fixed layout, and a string's header) and the bytes of strings
// and blobs stored out of line, children included.
func chunkBytes(ch *session.Chunk, ncol int) int64 {
	var n int64
	for j := range ncol {
		n += vectorBytes(ch.Column(j))
	}
	return n
}

func vectorBytes(v *session.Vector) int64 {
	if v == nil {
		return 0
	}
	n := int64(16 * v.Len())
	switch v.Type.Kind {
	case session.KindVarchar, session.KindBlob:
		for i := range v.Len() {
			if v.Valid(i) {
				if b := v.Bytes(i); len(b) > 12 {
					n += int64(len(b))
				}
			}
		}
	case session.KindList:
		n += vectorBytes(v.Elem())
	}
	return n
}

// argBytes is the size of bound arguments.
func argBytes(args []session.Arg) int64 {
	n := int64(0)
	for _, a := range args {
		n += 32 + int64(len(a.S)) + int64(len(a.B))
	}
	return n
}
