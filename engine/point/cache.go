package point

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spysql/spysql/engine/session"
	"github.com/spysql/spysql/engine/store"
)

// pointTables caches one open point index per Gold dataset, checked
// against the dataset file and reopened when either file is replaced.
// Opening one (hashing the dataset) and verifying a key column run in the
// background, bound to the database's life, not to the statement that
// asked: a statement waits for them at most pointWait (half its time
// left, if it has a deadline) and otherwise runs in DuckDB.
type pointTables struct {
	mu      sync.Mutex
	entries map[string]*pointEntry
	life    context.Context // canceled by closeAll
	stop    context.CancelFunc
	closed  bool
}

// pointWait bounds how long a statement waits for an index to open or a
// key column to be verified before running in DuckDB instead.
const pointWait = time.Second

// pointEntry is one dataset's index state, guarded by pointTables.mu.
type pointEntry struct {
	ds, idx fileID      // the files t (or the refusal) is for
	t       *pointTable // nil: none usable
	refused error       // why not, for ds and idx
	opening chan struct{}
}

// get returns the dataset's open index and a release func, or an error
// wrapping ErrNotPointable, or an interrupt when ctx ends first.
func (p *pointTables) get(ctx context.Context, lake store.Lake, src Source) (*pointTable, func(), error) {
	// The dataset's identity: its file (Gold: the current promotion's,
	// as gold.<name> reads it), or its version directory, whose entries a
	// Silver build renames (a date published, a version exchanged).
	if t, release, ok := p.cachedGold(lake, src); ok {
		return t, release, nil
	}
	dsPath, dsKind := lake.GoldDatasetResolved(src.Name), fs.FileMode(0)
	if src.Schema == "silver" {
		dsPath, dsKind = lake.VersionDir(src.Name), fs.ModeDir
	}
	idxPath := src.IndexPath(lake)
	dataset := src.String()
	for attempt := 0; ; attempt++ {
		ds, ok1 := statID(dsPath, dsKind)
		idx, ok2 := regularFile(idxPath)
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, nil, notPointable("database closed")
		}
		if p.entries == nil {
			p.entries = map[string]*pointEntry{}
			p.life, p.stop = context.WithCancel(context.Background())
		}
		e := p.entries[dataset]
		if !ok1 || !ok2 {
			if e != nil && e.opening == nil {
				p.retire(e)
				delete(p.entries, dataset)
			}
			p.mu.Unlock()
			return nil, nil, notPointable("%s has no point index (spysql index)", dataset)
		}
		if e == nil {
			e = &pointEntry{}
			p.entries[dataset] = e
		}
		switch {
		case e.ds == ds && e.idx == idx && e.t != nil:
			t := e.t
			t.refs++
			p.mu.Unlock()
			return t, func() { p.release(t) }, nil
		case e.ds == ds && e.idx == idx && e.refused != nil:
			err := e.refused
			p.mu.Unlock()
			return nil, nil, err
		case e.opening == nil:
			e.opening = make(chan struct{})
			go p.open(e, dataset, stamper(lake, src), idxPath, ds, idx)
		}
		ch := e.opening
		p.mu.Unlock()
		if attempt > 0 {
			return nil, nil, notPointable("the point index of %q is being opened", dataset)
		}
		if err := awaitBackground(ctx, ch); err != nil {
			return nil, nil, err
		}
	}
}

// cachedGold is the open index of a Gold dataset when the public path
// still leads to the very file it was opened for (one stat following the
// symlinks, not resolving them one by one: a promotion leads it to
// another file), and the index file is the same.
func (p *pointTables) cachedGold(lake store.Lake, src Source) (*pointTable, func(), bool) {
	if src.Schema != "gold" {
		return nil, nil, false
	}
	fi, err := os.Stat(lake.GoldDatasetFile(src.Name))
	if err != nil || !fi.Mode().IsRegular() {
		return nil, nil, false
	}
	ds := fileIdentity(fi)
	idx, ok := regularFile(src.IndexPath(lake))
	if !ok {
		return nil, nil, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.entries[src.String()]
	if p.closed || e == nil || e.t == nil || e.ds != ds || e.idx != idx {
		return nil, nil, false
	}
	t := e.t
	t.refs++
	return t, func() { p.release(t) }, true
}

// open opens the dataset's index in the background and records the
// outcome in e.
func (p *pointTables) open(e *pointEntry, dataset string, stamp func(context.Context) (string, error), idxPath string, ds, idx fileID) {
	p.mu.Lock()
	life := p.life
	p.mu.Unlock()
	t, err := openPointTable(life, stamp, idxPath)
	p.mu.Lock()
	defer p.mu.Unlock()
	defer close(e.opening)
	e.opening = nil
	if p.closed || p.entries[dataset] != e {
		if t != nil {
			t.close()
		}
		return
	}
	p.retire(e)
	switch {
	case err == nil:
		t.dataset, t.cache = dataset, p
		e.ds, e.idx, e.t = ds, idx, t
	case errors.Is(err, ErrNotPointable):
		// About the files' content: remembered until one is replaced.
		e.ds, e.idx, e.refused = ds, idx, err
	default:
		// A passing failure (file descriptors, memory, closing): tried
		// again by the next statement.
		e.ds, e.idx = fileID{}, fileID{}
	}
}

// awaitBackground waits for done up to pointWait (half of ctx's time
// left, if less): nil once done, ErrNotPointable if the wait is over,
// an interrupt if ctx ended.
func awaitBackground(ctx context.Context, done <-chan struct{}) error {
	wait := pointWait
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(dl)/2)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return session.Interrupted(ctx)
	case <-timer.C:
		return notPointable("the point index is being opened or verified")
	}
}

// retire drops e's table; it is closed once no lookup uses it. p.mu held.
func (p *pointTables) retire(e *pointEntry) {
	if e.t != nil {
		e.t.retired = true
		if e.t.refs == 0 {
			e.t.close()
		}
	}
	e.t, e.refused = nil, nil
}

// acquire takes a reference on t for background work.
func (p *pointTables) acquire(t *pointTable) {
	p.mu.Lock()
	t.refs++
	p.mu.Unlock()
}

// lifetime is the context of background work, ended by closeAll.
func (p *pointTables) lifetime() context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.life
}

func (p *pointTables) release(t *pointTable) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.refs--; t.refs == 0 && t.retired {
		t.close()
	}
}

// damaged stops using t, whose reads failed, until its files change.
func (p *pointTables) damaged(t *pointTable) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.entries[t.dataset]; e != nil && e.t == t {
		ds, idx := e.ds, e.idx
		p.retire(e)
		e.ds, e.idx, e.refused = ds, idx, notPointable("the point index of %q is damaged", t.dataset)
	}
}

// closeAll closes every index (each once its lookups end) and stops the
// background work; later lookups run in DuckDB.
func (p *pointTables) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.stop != nil {
		p.stop()
	}
	for _, e := range p.entries {
		p.retire(e)
	}
	p.entries = nil
}

// regularFile is the identity of a regular file (not a symlink) at path.
func regularFile(path string) (fileID, bool) { return statID(path, 0) }

// statID is the identity of a file of the given type (0: regular, or
// fs.ModeDir) at path, not a symlink.
func statID(path string, kind fs.FileMode) (fileID, bool) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode().Type() != kind {
		return fileID{}, false
	}
	return fileIdentity(fi), true
}

// stamper computes the stamp of src's files as they are now; for a
// Silver version it also refuses a name another version's differs from
// only in case (DuckDB would read either under it).
func stamper(lake store.Lake, src Source) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if src.Schema == "silver" {
			ids, err := lake.SilverVersions()
			if err != nil {
				return "", err
			}
			for _, id := range ids {
				if id != src.Name && strings.EqualFold(id, src.Name) {
					return "", notPointable("Silver versions %q and %q differ only in case", id, src.Name)
				}
			}
		}
		paths, _, err := src.files(lake)
		if err != nil {
			return "", notPointable("%v", err)
		}
		sums := make([]string, len(paths))
		for i, path := range paths {
			if sums[i], err = fileSHA256(ctx, path); err != nil {
				return "", err
			}
		}
		return sourceStamp(lake, paths, sums), nil
	}
}
