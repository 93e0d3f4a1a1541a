package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// LakeWatcher keeps a DB's views current while a server runs: Check
// compares a cheap signature of the lake (modification times of the
// directories that publishing renames into) with the one of the last
// refresh, and calls Refresh when it changed. A Silver date published, a
// version added or removed, a Gold dataset promoted or a Bronze table's
// first file all change it.
type LakeWatcher struct {
	db *DB

	mu   sync.Mutex
	last []stamp
	// hasFiles remembers Bronze tables seen with files; Bronze is
	// append-only, so they are never globbed again.
	hasFiles map[Table]bool
}

type stamp struct {
	path  string
	mtime int64
	files int // Bronze tables only: 1 once the table has files
}

// NewLakeWatcher watches db's lake. The first Check refreshes.
func NewLakeWatcher(db *DB) *LakeWatcher {
	return &LakeWatcher{db: db, hasFiles: map[Table]bool{}}
}

// Check refreshes the views if the lake changed since the last refresh.
// It is safe for concurrent use; concurrent callers wait for one refresh.
func (w *LakeWatcher) Check(ctx context.Context) (refreshed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sig := w.signature()
	if w.last != nil && slices.Equal(sig, w.last) {
		return false, nil
	}
	if err := w.db.Refresh(ctx); err != nil {
		return false, err
	}
	w.last = sig
	return true, nil
}

// signature stats the directories whose entries change when something is
// published: silver/features and each version in it, gold/training, each
// Bronze table directory (and, until a table has files, a glob of it).
func (w *LakeWatcher) signature() []stamp {
	l := w.db.lake
	var sig []stamp
	add := func(p string) {
		st, err := os.Stat(p)
		var m int64
		if err == nil {
			m = st.ModTime().UnixNano()
		}
		sig = append(sig, stamp{path: p, mtime: m})
	}
	add(l.SilverFeaturesDir())
	if entries, err := os.ReadDir(l.SilverFeaturesDir()); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				add(filepath.Join(l.SilverFeaturesDir(), e.Name()))
			}
		}
	}
	add(l.GoldTrainingDir())
	for _, t := range BronzeTables() {
		add(l.BronzeDir(t))
		s := &sig[len(sig)-1]
		if !w.hasFiles[t] && s.mtime != 0 {
			if m, _ := filepath.Glob(l.BronzeGlob(t)); len(m) > 0 {
				w.hasFiles[t] = true
			}
		}
		if w.hasFiles[t] {
			s.files = 1
		}
	}
	return sig
}
