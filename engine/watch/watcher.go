package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// Watcher keeps a DB's views current while a server runs: Check
// refreshes the views when the directories that publishing renames into
// changed since the last refresh. A Silver date published, a version
// added or removed, a Gold dataset promoted or a Bronze table's first
// file all change them.
//
// On Linux the directories are watched with inotify and Check drains the
// inotify queue with one non-blocking read: the kernel queues an event
// before the rename that publishes returns, so a statement checked after
// a publication sees it. Where inotify is unavailable (another OS, the
// watch limit reached) Check falls back to comparing a signature of
// directory modification times, which costs a stat per directory.
type Watcher struct {
	db *duck.DB

	mu sync.Mutex
	// dw is the inotify watch, nil when polling.
	dw      dirWatcher
	tried   bool // dw was attempted
	current bool // dw mode: the views match the lake as of the last drain
	// last is the polling signature of the last refresh.
	last []stamp
	// hasFiles remembers Bronze tables seen with files; Bronze is
	// append-only, so they are never globbed again.
	hasFiles map[store.Table]bool
	// pending are the Bronze tables with a directory and no files as of
	// the last refresh (dw mode).
	pending []store.Table
}

// dirWatcher reports changes to the entries of a set of directories.
type dirWatcher interface {
	// changed drains the queued events; true if any concerned the
	// watched directories (or events were lost).
	changed() (bool, error)
	// watch makes the watched set dirs; a missing directory is watched
	// through its nearest existing ancestor under the root.
	watch(dirs []string) error
	close()
}

type stamp struct {
	path  string
	mtime int64
	files int // Bronze tables only: 1 once the table has files
}

// New watches db's lake. The first Check refreshes.
func New(db *duck.DB) *Watcher {
	return &Watcher{db: db, hasFiles: map[store.Table]bool{}}
}

// Close releases the inotify watch; later Checks poll.
func (w *Watcher) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tried = true
	if w.dw != nil {
		w.dw.close()
		w.dw = nil
	}
}

// Check refreshes the views if the lake changed since the last refresh.
// It is safe for concurrent use; concurrent callers wait for one refresh.
func (w *Watcher) Check(ctx context.Context) (refreshed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.tried {
		w.tried = true
		if dw, err := newDirWatcher(w.db.Lake().Root()); err == nil {
			w.dw = dw
		}
	}
	if w.dw != nil {
		return w.checkWatched(ctx)
	}
	return w.checkPolled(ctx)
}

// checkPolled is Check by comparing directory signatures; w.mu is held.
func (w *Watcher) checkPolled(ctx context.Context) (bool, error) {
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

// checkWatched is Check with inotify: one non-blocking read when nothing
// changed (plus a glob per Bronze table that has a directory but no file
// yet, as polling does).
func (w *Watcher) checkWatched(ctx context.Context) (bool, error) {
	changed, err := w.dw.changed()
	if err != nil {
		w.fallBack()
		return w.checkPolled(ctx) // w.mu is held: not Check
	}
	if w.bronzeFirstFiles() {
		changed = true
	}
	if w.current && !changed {
		return false, nil
	}
	// Watch the directories as they are now before reading them, so
	// whatever changes after the refresh read them queues an event. The
	// versions are listed again once silver/features is watched: one
	// created in between queued no event but is in the second list.
	dirs := w.watchedDirs()
	err = w.dw.watch(dirs)
	if again := w.watchedDirs(); err == nil && !slices.Equal(again, dirs) {
		err = w.dw.watch(again)
	}
	if err != nil {
		w.fallBack()
		return w.checkPolled(ctx) // w.mu is held: not Check
	}
	w.findPending()
	w.current = false
	if err := w.db.Refresh(ctx); err != nil {
		return false, err
	}
	w.current = true
	return true, nil
}

func (w *Watcher) fallBack() {
	w.dw.close()
	w.dw = nil
	w.current = false
}

// watchedDirs are the directories whose entries change when something
// is published: silver/features and each version in it, gold/training,
// each Bronze table directory.
func (w *Watcher) watchedDirs() []string {
	l := w.db.Lake()
	dirs := []string{l.SilverFeaturesDir(), l.GoldTrainingDir(), l.GoldEvaluationDir()}
	if entries, err := os.ReadDir(l.SilverFeaturesDir()); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(l.SilverFeaturesDir(), e.Name()))
			}
		}
	}
	for _, t := range store.BronzeTables() {
		dirs = append(dirs, l.BronzeDir(t))
	}
	return dirs
}

// bronzeFirstFiles reports whether a Bronze table that had a directory
// but no files at the last refresh now has files. Files arrive deep under
// the table directory, where nothing is watched; once a table has files
// its view reads a glob and needs no refresh for later ones. A table
// without a directory needs no glob: creating it queues an event.
func (w *Watcher) bronzeFirstFiles() bool {
	found := false
	for i := 0; i < len(w.pending); i++ {
		t := w.pending[i]
		if m, _ := filepath.Glob(w.db.Lake().BronzeGlob(t)); len(m) > 0 {
			w.hasFiles[t] = true
			w.pending = slices.Delete(w.pending, i, i+1)
			i--
			found = true
		}
	}
	return found
}

// findPending lists the Bronze tables with a directory and no files.
func (w *Watcher) findPending() {
	w.pending = w.pending[:0]
	for _, t := range store.BronzeTables() {
		if w.hasFiles[t] {
			continue
		}
		if _, err := os.Stat(w.db.Lake().BronzeDir(t)); err != nil {
			continue
		}
		if m, _ := filepath.Glob(w.db.Lake().BronzeGlob(t)); len(m) > 0 {
			w.hasFiles[t] = true
			continue
		}
		w.pending = append(w.pending, t)
	}
}

// signature stats the directories whose entries change when something is
// published: silver/features and each version in it, gold/training, each
// Bronze table directory (and, until a table has files, a glob of it).
func (w *Watcher) signature() []stamp {
	l := w.db.Lake()
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
	add(l.GoldEvaluationDir())
	for _, t := range store.BronzeTables() {
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
