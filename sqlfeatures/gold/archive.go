package gold

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// Archive moves a Silver version out of silver/features into
// silver/archive/, so it leaves spysql list, the silver.* views and the
// wire catalog; Restore brings it back unchanged. Archiving the source of
// a current Gold dataset needs force. A build of the version in progress
// holds its lock and is waited for.
func Archive(ctx context.Context, lake store.Lake, id string, force bool) error {
	if !sqlfeatures.ValidVersionID(id) {
		return fmt.Errorf("archive: %q is not a version id (want vMAJOR.MINOR_name)", id)
	}
	lk, err := lock(ctx, lake.VersionLockFile(id))
	if err != nil {
		return err
	}
	defer lk.release()
	src, dst := lake.VersionDir(id), lake.ArchivedVersionDir(id)
	if _, err := os.Stat(src); err != nil {
		if _, aerr := os.Stat(dst); aerr == nil {
			return fmt.Errorf("archive: version %s is already archived", id)
		}
		return fmt.Errorf("archive: unknown version %s (see spysql list)", id)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("archive: %s already exists; restore or remove it first", dst)
	}
	if !force {
		names, err := Names(lake)
		if err != nil {
			return err
		}
		for _, n := range names {
			m, _, err := Current(lake, n)
			if err != nil {
				return fmt.Errorf("archive %s: %w", id, err)
			}
			if m.SourceVersion == id {
				return fmt.Errorf("archive: version %s is the source of gold.%s; pass --force to archive it anyway", id, n)
			}
		}
	}
	return move(src, dst)
}

// Restore moves an archived version back into silver/features.
func Restore(ctx context.Context, lake store.Lake, id string) error {
	if !sqlfeatures.ValidVersionID(id) {
		return fmt.Errorf("restore: %q is not a version id (want vMAJOR.MINOR_name)", id)
	}
	lk, err := lock(ctx, lake.VersionLockFile(id))
	if err != nil {
		return err
	}
	defer lk.release()
	src, dst := lake.ArchivedVersionDir(id), lake.VersionDir(id)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("restore: version %s is not archived", id)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("restore: version %s exists in silver/features; archive or remove it first", id)
	}
	return move(src, dst)
}

// move renames a directory (no replacement) and fsyncs both parents.
func move(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("move %s: %s exists", src, dst)
		}
		return fmt.Errorf("move %s: %w", src, err)
	}
	if err := store.SyncDir(filepath.Dir(dst)); err != nil {
		return err
	}
	return store.SyncDir(filepath.Dir(src))
}
