package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// pointTables caches one open point index per Gold dataset, checked
// against the dataset file and reopened when either file is replaced.
// Opening one (hashing the dataset) runs outside every lock; statements
// arriving meanwhile run in DuckDB rather than wait.
type pointTables struct {
	mu      sync.Mutex
	names   map[string]string // lower-cased name -> dataset ("" if ambiguous)
	entries map[string]*pointEntry
}

// pointEntry is one dataset's index state, guarded by pointTables.mu.
type pointEntry struct {
	ds, idx fileID      // the files t (or the refusal) is for
	t       *pointTable // nil: none usable
	refused error       // why not, for ds and idx
	opening bool
}

// get returns the dataset's open index and a release func, or an error
// wrapping ErrNotPointable.
func (p *pointTables) get(ctx context.Context, lake Lake, dataset string) (*pointTable, func(), error) {
	dsPath := filepath.Join(lake.GoldTrainingDir(), dataset+".parquet")
	idxPath := lake.GoldPointIndexPath(dataset)
	ds, ok1 := regularFile(dsPath)
	idx, ok2 := regularFile(idxPath)
	p.mu.Lock()
	if p.entries == nil {
		p.entries = map[string]*pointEntry{}
	}
	e := p.entries[dataset]
	if !ok1 || !ok2 {
		if e != nil && !e.opening {
			p.retire(e)
			delete(p.entries, dataset)
		}
		p.mu.Unlock()
		return nil, nil, notPointable("dataset %q has no point index (spysql index %s)", dataset, dataset)
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
	case e.opening:
		p.mu.Unlock()
		return nil, nil, notPointable("the point index of %q is being opened", dataset)
	}
	e.opening = true
	p.mu.Unlock()

	t, err := openPointTable(ctx, dsPath, idxPath, idx)

	p.mu.Lock()
	defer p.mu.Unlock()
	e.opening = false
	p.retire(e)
	switch {
	case err == nil:
		e.ds, e.idx, e.t = ds, idx, t
		t.refs++
		return t, func() { p.release(t) }, nil
	case errors.Is(err, ErrNotPointable):
		// About the files' content: remembered until one is replaced.
		e.ds, e.idx, e.refused = ds, idx, err
		return nil, nil, err
	default:
		// Canceled, or a passing failure (file descriptors, memory):
		// tried again by the next statement.
		e.ds, e.idx = fileID{}, fileID{}
		return nil, nil, notPointable("open the point index of %q: %v", dataset, err)
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

func (p *pointTables) release(t *pointTable) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.refs--; t.refs == 0 && t.retired {
		t.close()
	}
}

// damaged stops using t, whose reads failed, until its files change.
func (p *pointTables) damaged(dataset string, t *pointTable) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.entries[dataset]; e != nil && e.t == t {
		ds, idx := e.ds, e.idx
		p.retire(e)
		e.ds, e.idx, e.refused = ds, idx, notPointable("the point index of %q is damaged", dataset)
	}
}

func (p *pointTables) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.entries {
		p.retire(e)
	}
	p.entries = nil
}

// regularFile is the identity of a regular file (not a symlink) at path.
func regularFile(path string) (fileID, bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return fileID{}, false
	}
	return fileIdentity(fi), true
}
