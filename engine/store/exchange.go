package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ExchangeDirs atomically swaps the directories a and b (on Linux with
// renameat2 RENAME_EXCHANGE), so a reader sees either the old or the new
// content under each name, never a missing one. When b does not exist, a is
// renamed to b. Where the exchange is unsupported it falls back to two
// renames, leaving b briefly absent but never partial. The parent
// directories are fsynced.
func ExchangeDirs(a, b string) error {
	if _, err := os.Lstat(b); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(a, b); err != nil {
			return fmt.Errorf("rename %s: %w", a, err)
		}
		return syncParents(a, b)
	}
	err := exchange(a, b)
	if errors.Is(err, errors.ErrUnsupported) {
		tmp := a + ".swap"
		if err := os.Rename(b, tmp); err != nil {
			return fmt.Errorf("exchange %s: %w", b, err)
		}
		if err := os.Rename(a, b); err != nil {
			return fmt.Errorf("exchange %s: %w", a, err)
		}
		err = os.Rename(tmp, a)
	}
	if err != nil {
		return fmt.Errorf("exchange %s and %s: %w", a, b, err)
	}
	return syncParents(a, b)
}

func syncParents(a, b string) error {
	if err := SyncDir(filepath.Dir(b)); err != nil {
		return err
	}
	if filepath.Dir(a) != filepath.Dir(b) {
		return SyncDir(filepath.Dir(a))
	}
	return nil
}
