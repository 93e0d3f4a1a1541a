package point

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/session"
)

// Keyed point reads on Gold training datasets and Silver versions: see
// doc.go. The rows land in a DuckDB data chunk of the prepared
// statement's types, which the wire server encodes as usual. The index is
// a cache: whatever it cannot answer, or answers with an error, runs in
// DuckDB.

// ErrNotPointable says a lookup is not answered from a point index this
// time (no index or a stale one, key not sorted, a column type the reader
// does not decode, too many matching rows, a damaged index, the index
// being opened by another statement): the caller runs the statement in
// DuckDB. Errors that wrap it carry the reason.
var ErrNotPointable = errors.New("not answerable by a point read")

// notPointable wraps ErrNotPointable with a reason.
func notPointable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotPointable, fmt.Sprintf(format, args...))
}

// maxPointRows bounds a point read's result to one DuckDB vector.
const maxPointRows = 2048

// PointQuery is a keyed lookup: SELECT Cols FROM Schema.Dataset WHERE
// Key = a value. Names are as the statement spells them; DuckDB resolves
// them without regard to case, and so does PointRead.
type PointQuery struct {
	// Schema is "gold" or "silver" as spelled (any case).
	Schema       string
	Dataset, Key string
	// Cols are the result columns as DuckDB prepared the statement, each
	// a plain reference to a column of the dataset (the caller checks the
	// statement's shape).
	Cols []session.ResultColumn
	// Star says Cols are the statement's SELECT *: they must then be the
	// dataset's columns, in order.
	Star bool
	// KeyType is the type DuckDB gave the key parameter: the key column
	// must be of that type (else DuckDB's cast decides what matches).
	KeyType session.SQLKind
}

// Reader answers point reads from the point indexes of one database's
// Gold datasets and Silver versions. It keeps each opened index until the dataset or index
// file changes; Close releases them all. Safe for concurrent use.
type Reader struct {
	db     *duck.DB
	points pointTables
}

// NewReader reads point indexes of db's lake; dataset names resolve as
// db resolves gold.<name>.
func NewReader(db *duck.DB) *Reader { return &Reader{db: db} }

// Close stops background opens and releases every open index.
func (r *Reader) Close() { r.points.closeAll() }

// Read answers q for the statement's argument key from the dataset's
// point index. An error wrapping ErrNotPointable means the statement
// must run in DuckDB; an interrupt means ctx ended.
func (r *Reader) Read(ctx context.Context, q PointQuery, key session.Arg) (*PointRows, error) {
	if err := ctx.Err(); err != nil {
		return nil, session.Interrupted(ctx)
	}
	var src Source
	switch {
	case q.Schema == "" || strings.EqualFold(q.Schema, "gold"):
		name, ok := r.db.GoldDataset(q.Dataset)
		if !ok {
			return nil, notPointable("no single Gold dataset named %q", q.Dataset)
		}
		src = Source{Schema: "gold", Name: name}
	case strings.EqualFold(q.Schema, "silver"):
		// Only the exact name: DuckDB also finds other spellings, which
		// then run in DuckDB.
		if q.Dataset == "" || q.Dataset != filepath.Base(q.Dataset) || strings.HasPrefix(q.Dataset, ".") || strings.HasPrefix(q.Dataset, "_") {
			return nil, notPointable("%q is not a Silver version name", q.Dataset)
		}
		src = Source{Schema: "silver", Name: q.Dataset}
	default:
		return nil, notPointable("schema %q has no point indexes", q.Schema)
	}
	t, release, err := r.points.get(ctx, r.db.Lake(), src)
	if err != nil {
		return nil, err
	}
	defer release()
	rows, err := t.lookup(ctx, q, key)
	if err != nil && !errors.Is(err, ErrNotPointable) && ctx.Err() == nil {
		// A read error: the index is damaged. Stop using it until it
		// is replaced; DuckDB answers from the dataset meanwhile.
		r.points.damaged(t)
		return nil, fmt.Errorf("%w: %v", ErrNotPointable, err)
	}
	if err != nil && ctx.Err() != nil {
		return nil, session.Interrupted(ctx)
	}
	return rows, err
}
