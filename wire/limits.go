package wire

import (
	"fmt"
	"net"
	"sync"

	"github.com/spysql/spysql/engine/session"
)

// maxFieldSize is PostgreSQL's limit on one value (1 GB - 1): a field
// beyond it cannot be sent, and its length would not fit the protocol's
// signed 32-bit field length once over 2 GiB.
const maxFieldSize = 1<<30 - 1

// largeValue is the size from which a value is accounted against
// Config.ValueMemory.
const largeValue = 1 << 20

// valueBudget accounts the bytes of large values being encoded and sent
// at once, server-wide. DuckDB materializes a value such as repeat('x',
// 200000000) in its vectors outside its memory limit, and encoding it
// copies it again; the budget turns "every client does this at once"
// into 53200 for the clients past it instead of the server's memory.
type valueBudget struct {
	mu    sync.Mutex
	limit int64
	used  int64
}

func (b *valueBudget) reserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

func (b *valueBudget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// checkValue checks a VARCHAR or BLOB value before it is encoded: over
// MaxFieldSize it is 54000; a large one reserves its bytes in the
// server's value budget (DuckDB's copy, and the encoded one unless it is
// sent verbatim from DuckDB's memory), or is 53200. It returns the bytes
// reserved and whether the value goes out verbatim (see streamRows).
func (c *conn) checkValue(v *session.Vector, i int, format int16) (reserved int64, verbatim bool, err error) {
	k := v.Type.Kind
	if k != session.KindVarchar && k != session.KindBlob {
		return 0, false, nil
	}
	raw := int64(len(v.Bytes(i)))
	size := raw
	if k == session.KindBlob && format == 0 {
		size = 2*raw + 2 // \x and two hex digits a byte
	}
	if size > int64(c.srv.cfg.MaxFieldSize) {
		return 0, false, fieldTooLong(int(min(size, 1<<62)), c.srv.cfg.MaxFieldSize)
	}
	if raw < largeValue {
		return 0, false, nil
	}
	verbatim = size == raw // VARCHAR, or BLOB in binary: the bytes as they are
	need := raw
	if !verbatim {
		need += size
	}
	if !c.srv.values.reserve(need) {
		return 0, false, &pgError{Code: CodeOutOfMemory, Message: "out of memory",
			Detail: fmt.Sprintf("a value of %d bytes does not fit in the server's memory for values in flight (%d bytes, shared by all sessions)", raw, c.srv.cfg.ValueMemory)}
	}
	return need, verbatim, nil
}

// splice is a large value written to the socket straight from DuckDB's
// memory, at offset at of the buffered messages.
type splice struct {
	at   int
	data []byte
}

// flushSplices writes the buffered messages with the spliced values in
// place (one writev), then empties the buffer.
func (c *conn) flushSplices(sp []splice) error {
	bufs := make(net.Buffers, 0, 2*len(sp)+1)
	prev := 0
	for _, s := range sp {
		bufs = append(bufs, c.out[prev:s.at], s.data)
		prev = s.at
	}
	bufs = append(bufs, c.out[prev:])
	_, err := bufs.WriteTo(c.nc)
	c.out = c.out[:0]
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// fieldTooLong is PostgreSQL's error for a value over its 1 GB limit
// (enlargeStringInfo: 54000, "out of memory").
func fieldTooLong(n, limit int) error {
	return &pgError{Code: CodeProgramLimitExceeded, Message: "out of memory",
		Detail: fmt.Sprintf("a result value of %d bytes exceeds the limit of %d bytes for one field", n, limit)}
}
