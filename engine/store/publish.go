package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrExists reports that a published file already exists with other content.
// Published files are never overwritten.
var ErrExists = errors.New("file already exists with different content")

// TempFile creates a hidden temporary file in dir (created if missing) for a
// later Publish into the same directory, so the rename is atomic.
func TempFile(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return nil, fmt.Errorf("temp file in %s: %w", dir, err)
	}
	// CreateTemp makes it 0600; a published lake file is for every reader
	// (a server may run as another user), as files written by DuckDB are.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("temp file in %s: %w", dir, err)
	}
	return f, nil
}

// SyncDir fsyncs a directory so a rename inside it is durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}

// PublishResult says what Publish did.
type PublishResult int

// Publish outcomes.
const (
	Published PublishResult = iota // the file is new
	Unchanged                      // an identical file was already there
	Replaced                       // an existing file was replaced (replace=true)
)

// Publish fsyncs and closes tmp, then renames it to final. When final exists
// and replace is false, identical content is a no-op (Unchanged) and
// different content is ErrExists; tmp is removed in both cases and on error.
func Publish(tmp *os.File, final string, replace bool) (PublishResult, error) {
	tmpName := tmp.Name()
	fail := func(err error) (PublishResult, error) {
		tmp.Close()
		os.Remove(tmpName)
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("sync %s: %w", tmpName, err))
	}
	if err := tmp.Close(); err != nil {
		return fail(fmt.Errorf("close %s: %w", tmpName, err))
	}
	result := Published
	if _, err := os.Lstat(final); err == nil {
		if !replace {
			same, err := sameContent(tmpName, final)
			os.Remove(tmpName)
			if err != nil {
				return 0, err
			}
			if !same {
				return 0, fmt.Errorf("publish %s: %w", final, ErrExists)
			}
			removeStaleTemps(filepath.Dir(final), filepath.Base(final))
			return Unchanged, nil
		}
		result = Replaced
	}
	if !replace {
		// Link refuses to replace an existing name, closing the race between
		// the check above and the publish.
		if err := os.Link(tmpName, final); err != nil {
			defer os.Remove(tmpName)
			if errors.Is(err, os.ErrExist) {
				// Another writer published the name first.
				if same, cerr := sameContent(tmpName, final); cerr == nil && same {
					return Unchanged, nil
				}
				return 0, fmt.Errorf("publish %s: %w", final, ErrExists)
			}
			return 0, fmt.Errorf("publish %s: %w", final, err)
		}
		os.Remove(tmpName)
	} else if err := os.Rename(tmpName, final); err != nil {
		os.Remove(tmpName)
		return 0, fmt.Errorf("publish %s: %w", final, err)
	}
	if err := SyncDir(filepath.Dir(final)); err != nil {
		return 0, err
	}
	removeStaleTemps(filepath.Dir(final), filepath.Base(final))
	return result, nil
}

// WriteFileAtomic writes data to path through a temp file and rename,
// replacing any existing file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := TempFile(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = Publish(tmp, path, true)
	return err
}

func sameContent(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	sa, _ := fa.Stat()
	sb, _ := fb.Stat()
	if sa.Size() != sb.Size() {
		return false, nil
	}
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, errA := io.ReadFull(fa, bufA)
		nb, errB := io.ReadFull(fb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			return errB == io.EOF || errB == io.ErrUnexpectedEOF, nil
		}
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
	}
}
