package testkit

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// CachedLake is a benchmark lake in dir, generated once by generate and
// reused while the marker file (a name inside dir that says what was
// generated) exists.
func CachedLake(b *testing.B, dir, marker string, generate func(dir string) error) store.Lake {
	b.Helper()
	path := filepath.Join(dir, marker)
	if _, err := os.Stat(path); err != nil {
		b.Logf("generating %s into %s (once)", marker, dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := generate(dir); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	lake, err := store.OpenLake(dir, false)
	if err != nil {
		b.Fatal(err)
	}
	return lake
}

// ResetPeakRSS starts a new peak-RSS measurement (Linux: writing 5 to
// clear_refs resets VmHWM to the current RSS).
func ResetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o644) }

// PeakRSS is the process's VmHWM in MiB (0 where /proc is missing).
func PeakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// Side is one side of an A/B benchmark: its total wall time and largest
// peak RSS (MiB) over its runs.
type Side struct {
	Time    time.Duration
	PeakMiB float64
}

// Run runs f once, adding its time and peak RSS to the side.
func (s *Side) Run(f func()) {
	ResetPeakRSS()
	t0 := time.Now()
	f()
	s.Time += time.Since(t0)
	s.PeakMiB = max(s.PeakMiB, PeakRSS())
}

// Interleave runs a and b n times each in one process, swapping which
// goes first every other time so neither always finds the caches warm.
func Interleave(n int, a, b func()) {
	for i := range n {
		if i%2 == 0 {
			a()
			b()
		} else {
			b()
			a()
		}
	}
}

// DirectCopy is the baseline of the Silver build benchmarks: a feature
// bundle's output view for one session, run by a DuckDB of its own
// straight into a Parquet file, with the builder's scoping (the date and
// its lookback days), RTH filter, key order and writer settings.
type DirectCopy struct {
	Lake         store.Lake
	Threads      int // 0: DuckDB's default (all cores)
	LookbackDays int
	View         string
	Key          []string
	// Install defines the bundle's views and variables on conn for date.
	Install func(ctx context.Context, conn *sql.Conn, date calendar.Date) error
}

// Run writes session s's rows of the view to out.
func (d DirectCopy) Run(ctx context.Context, s calendar.Session, out string) error {
	db, err := duck.Open(ctx, d.Lake, duck.Config{Threads: d.Threads})
	if err != nil {
		return err
	}
	defer db.Close()
	scope := []calendar.Date{s.Date}
	for range d.LookbackDays {
		p, err := db.Calendar().PrevTradingDay(scope[0])
		if err != nil {
			return err
		}
		scope = append([]calendar.Date{p}, scope...)
	}
	if err := db.RegisterBronze(ctx, scope); err != nil {
		return err
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := d.Install(ctx, conn, s.Date); err != nil {
		return err
	}
	key := make([]string, len(d.Key))
	for i, k := range d.Key {
		key[i] = duck.QuoteIdent(k)
	}
	stmt := fmt.Sprintf(`COPY (SELECT * FROM %s WHERE ts_event_ns >= %d AND ts_event_ns < %d ORDER BY %s)
		TO '%s' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE %d)`,
		duck.QuoteIdent(d.View), s.RTHOpen.UnixNano(), s.RTHClose.UnixNano(),
		strings.Join(key, ", "), strings.ReplaceAll(out, "'", "''"), store.RowGroupRows)
	_, err = conn.ExecContext(ctx, stmt)
	return err
}
