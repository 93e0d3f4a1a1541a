package gold

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// RollbackOptions say which promotion to restore.
type RollbackOptions struct {
	Dataset string
	// To is the history entry to restore; 0 means the one before the
	// current entry.
	To int
	// Now is the clock; nil means time.Now.
	Now   func() time.Time
	pause func(string)
}

// Rollback makes an earlier history entry current again. It is itself
// recorded in the history, as a new entry holding the same file (a hard
// link) and that entry's metadata, so a rollback can be rolled back.
func Rollback(ctx context.Context, lake store.Lake, opts RollbackOptions) (*Metadata, error) {
	name := opts.Dataset
	if err := CheckName(name); err != nil {
		return nil, err
	}
	now, pause := hooks(opts.Now, opts.pause)
	lk, err := lock(ctx, lake.GoldLockFile(name))
	if err != nil {
		return nil, err
	}
	defer lk.release()
	cur, err := current(lake, name)
	if err != nil {
		return nil, err
	}
	if cur == 0 {
		return nil, fmt.Errorf("rollback: dataset %s: %w", name, ErrDatasetNotFound)
	}
	to := opts.To
	if to == 0 {
		to = cur - 1
	}
	switch {
	case cur == 1 && opts.To == 0:
		return nil, fmt.Errorf("rollback %s: there is no earlier promotion", name)
	case to < 1 || to > cur:
		return nil, fmt.Errorf("rollback %s: no promotion %d (history has 1..%d)", name, to, cur)
	case to == cur:
		return nil, fmt.Errorf("rollback %s: promotion %d is already current", name, to)
	}
	if _, err := readMetadata(lake, name, cur); err != nil {
		return nil, err
	}
	src, err := readMetadata(lake, name, to)
	if err != nil {
		return nil, err
	}
	if err := cleanLeftovers(lake, name, cur); err != nil {
		return nil, err
	}
	st, err := stage(lake, name, cur+1)
	if err != nil {
		return nil, err
	}
	defer st.discard()
	data := st.data()
	if err := linkOrCopy(dataPath(lake, name, to), data); err != nil {
		return nil, fmt.Errorf("rollback %s: %w", name, err)
	}
	sum, _, err := hashFile(data)
	if err != nil {
		return nil, err
	}
	if sum != src.SHA256 {
		return nil, fmt.Errorf("rollback %s: the file of promotion %d does not match its metadata (spysql validate)", name, to)
	}
	m := *src
	m.Promotion, m.Action, m.RestoredFrom = cur+1, "rollback", to
	if src.Action == "rollback" {
		m.RestoredFrom = src.RestoredFrom
	}
	m.RecordedAt = now().UTC().Truncate(time.Millisecond)
	if err := st.publish(&m, pause); err != nil {
		return nil, err
	}
	writeIndex(ctx, lake, &m)
	return &m, nil
}

// linkOrCopy hard-links src to dst, copying where links are refused.
func linkOrCopy(src, dst string) error {
	err := os.Link(src, dst)
	if err == nil || !errors.Is(err, errors.ErrUnsupported) && !os.IsPermission(err) {
		return err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return store.WriteSynced(dst, data)
}
