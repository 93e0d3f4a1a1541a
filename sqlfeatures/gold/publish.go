package gold

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// Publishing a promotion (the dataset's lock held):
//
//  1. the data file and its metadata are written and fsynced into a
//     hidden staging directory inside _history/<dataset>/;
//  2. the staging directory is renamed to the next number (000004);
//  3. a new symlink <dataset>.current -> _history/<dataset>/000004 is
//     renamed over the old one: the only step readers see, and one
//     rename, so the file and its metadata change together;
//  4. the fixed public symlinks <dataset>.parquet and
//     <dataset>_metadata.json are created if missing.
//
// A process killed before step 3 leaves a numbered directory beyond the
// pointer; it is not history and the next promotion removes it.

// staging is history entry n of a dataset being written (step 1): a
// hidden directory that publish makes entry n (steps 2-4) and discard
// removes if it was not published.
type staging struct {
	lake      store.Lake
	name, dir string
	n         int
	published bool
}

// stage makes a new hidden staging directory for entry n of name.
func stage(lake store.Lake, name string, n int) (*staging, error) {
	dir := lake.GoldStagingDir(name, randomTag())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	return &staging{lake: lake, name: name, dir: dir, n: n}, nil
}

// data is the staged data file, for the caller to fill.
func (s *staging) data() string { return store.GoldStagedData(s.dir, s.name) }

// publish writes m beside the filled data file and commits the entry.
func (s *staging) publish(m *Metadata, pause func(string)) error {
	enc, err := encodeMetadata(m)
	if err != nil {
		return err
	}
	if err := store.WriteSynced(store.GoldStagedMetadata(s.dir, s.name), enc); err != nil {
		return err
	}
	pause("staged")
	s.published = true
	return commit(s.lake, s.name, s.dir, s.n, pause)
}

// discard removes the staging directory unless it was published, and
// the history directory when that leaves it empty (a refused first
// promotion).
func (s *staging) discard() {
	if !s.published {
		os.RemoveAll(s.dir)
		os.Remove(s.lake.GoldHistoryDir(s.name))
	}
}

// hooks are a writer's clock and test pause points: time.Now and no
// pause unless set.
func hooks(now func() time.Time, pause func(string)) (func() time.Time, func(string)) {
	if now == nil {
		now = time.Now
	}
	if pause == nil {
		pause = func(string) {}
	}
	return now, pause
}

// cleanLeftovers removes what interrupted promotions left: staging
// directories, numbered directories beyond the pointer, temporary links.
func cleanLeftovers(lake store.Lake, name string, cur int) error {
	entries, err := lake.GoldHistoryEntries(name)
	if err != nil {
		return fmt.Errorf("dataset %s: %w", name, err)
	}
	for _, e := range entries {
		n, err := strconv.Atoi(e)
		stale := e[0] == '.' || (err == nil && n > cur)
		if stale {
			if err := os.RemoveAll(lake.GoldHistoryEntry(name, e)); err != nil {
				return fmt.Errorf("dataset %s: remove leftover: %w", name, err)
			}
		}
	}
	tmps, _ := lake.GoldLinkTemps(name)
	for _, t := range tmps {
		os.Remove(t)
	}
	return nil
}

// commit renames a filled staging directory to promotion n and points
// the dataset at it.
func commit(lake store.Lake, name, staging string, n int, pause func(string)) error {
	if err := store.SyncDir(staging); err != nil {
		return err
	}
	final := lake.GoldPromotionDir(name, n)
	if err := os.Rename(staging, final); err != nil {
		return fmt.Errorf("dataset %s: publish promotion %d: %w", name, n, err)
	}
	if err := store.SyncDir(lake.GoldHistoryDir(name)); err != nil {
		return err
	}
	pause("renamed")
	target := store.GoldCurrentTarget(name, n)
	if err := replaceSymlink(lake, name, target, lake.GoldCurrentLink(name)); err != nil {
		return err
	}
	pause("swapped")
	if err := ensureLinks(lake, name); err != nil {
		return err
	}
	pause("linked")
	return nil
}

// ensureLinks makes the public names point through the current link.
func ensureLinks(lake store.Lake, name string) error {
	for path, target := range lake.GoldPublicLinks(name) {
		if t, err := os.Readlink(path); err == nil && t == target {
			continue
		}
		if err := replaceSymlink(lake, name, target, path); err != nil {
			return err
		}
	}
	return nil
}

// replaceSymlink atomically makes path a symlink to target.
func replaceSymlink(lake store.Lake, name, target, path string) error {
	tmp := lake.GoldLinkTemp(name, randomTag())
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("dataset %s: link: %w", name, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("dataset %s: link %s: %w", name, path, err)
	}
	return store.SyncDir(filepath.Dir(path))
}

// syncFile fsyncs a file written by DuckDB.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func randomTag() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
