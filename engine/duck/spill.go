package duck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// spillDir is the directory DuckDB spills to: for a sandboxed database
// a private one (0700, under os.TempDir, never the working directory or
// the lake), created here and removed by Close; "" otherwise (DuckDB's
// default).
func spillDir(lakeRoot string, cfg Config) (string, error) {
	if !cfg.Sandbox {
		return "", nil
	}
	dir, err := os.MkdirTemp("", "spysql-spill-")
	if err != nil {
		return "", fmt.Errorf("spill directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.Remove(dir)
		return "", fmt.Errorf("spill directory: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err == nil && strings.HasPrefix(abs+"/", strings.TrimSuffix(lakeRoot, "/")+"/") {
		os.Remove(dir)
		return "", fmt.Errorf("spill directory %s would be inside the lake %s: set TMPDIR elsewhere", abs, lakeRoot)
	}
	return dir, nil
}

// SpillDir is the private directory DuckDB spills to ("" when the
// database is not sandboxed and DuckDB uses its default).
func (db *DB) SpillDir() string { return db.spill }
