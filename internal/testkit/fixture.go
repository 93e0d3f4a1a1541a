package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/spysql/spysql/engine/store"
)

// RunMain is a TestMain body for packages whose tests share one fixture
// lake and re-execute the test binary as children. With childEnv set it
// runs child on its value and returns the child's exit code; otherwise
// it makes a temporary directory (named from prefix), fills it with
// fixture, runs the tests and removes the directory. Pass the result to
// os.Exit.
func RunMain(m *testing.M, childEnv, prefix string, child func(spec string) int, fixture func(dir string) error) int {
	if spec := os.Getenv(childEnv); spec != "" {
		return child(spec)
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := fixture(dir); err != nil {
		fmt.Fprintln(os.Stderr, "fixture:", err)
		return 1
	}
	return m.Run()
}

// MainTB lets TestMain use helpers written for tests: a failure prints
// and exits 1.
type MainTB struct{ testing.TB }

func (MainTB) Helper() {}

func (MainTB) Fatal(args ...any) {
	fmt.Fprintln(os.Stderr, args...)
	os.Exit(1)
}

func (MainTB) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// CopyLake copies the fixture lake at src (only its top-level
// directories dirs, when named) into a new lake in the test's temporary
// directory and opens it.
func CopyLake(t testing.TB, src string, dirs ...string) store.Lake {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "lake")
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	for _, d := range dirs {
		if err := CopyTree(filepath.Join(src, d), filepath.Join(dst, d)); err != nil {
			t.Fatal(err)
		}
	}
	lake, err := store.OpenLake(dst, false)
	if err != nil {
		t.Fatal(err)
	}
	return lake
}

// CopyTree copies the tree at src to dst: directories, regular files (as
// copies: hard links would do, but a test that breaks one must not break
// the others) and symlinks (as links with the same target).
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&os.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
