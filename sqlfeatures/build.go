package sqlfeatures

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// BuildOptions say what to build. The zero value builds nothing; set
// Dates.
type BuildOptions struct {
	// Dates are the dates asked for; non-trading dates are skipped and
	// reported. Order does not matter: dates are built ascending.
	Dates []calendar.Date
	// Force rebuilds dates that are already built; when the version exists
	// with another fingerprint it replaces the whole version atomically.
	Force bool
	// Engine configures the build's own DuckDB (threads, memory limit).
	Engine duck.Config
	// Logger receives one line per date; nil discards.
	Logger *slog.Logger
	// Progress, when set, is called after each trading date.
	Progress func(Progress)

	// pause is a test hook called at named points of the build.
	pause func(point string)
}

// Progress reports a build's advance after each date.
type Progress struct {
	Date    string
	Status  string // "built", "skipped" or "failed"
	Done    int    // trading dates finished, of Total
	Total   int
	Rows    int64 // rows written so far in this run
	Elapsed time.Duration
}

// DateSummary is one date built by a run.
type DateSummary struct {
	Date    string
	Rows    int64
	SHA256  string
	Elapsed time.Duration
}

// BuildResult says what a build did.
type BuildResult struct {
	VersionID   string
	Fingerprint string
	// Replaced is set when the whole version was replaced (Force with a
	// new fingerprint).
	Replaced   bool
	Built      []DateSummary
	Skipped    []string // already built with this fingerprint
	NonTrading []string
	Failed     []*DateError
}

// builder is one Build run.
type builder struct {
	lake   store.Lake
	db     *duck.DB
	b      *Bundle
	opts   BuildOptions
	log    *slog.Logger
	target string // the version directory id being written (hidden when replacing)
}

// Build materializes bundle b for opts.Dates into lake, one Parquet file
// per trading date (write, audit, publish; see the package doc). Builds of
// one version are serialized by a lock; different versions may build at
// the same time. When some dates fail, the others are still built and the
// error is a *BuildError listing every failed date; the result is returned
// either way. A version that exists with another fingerprint is refused
// with a *FingerprintError unless opts.Force.
func Build(ctx context.Context, lake store.Lake, b *Bundle, opts BuildOptions) (*BuildResult, error) {
	m := b.Manifest
	id := m.ID()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = log.With("subsystem", "silver", "version", id)
	res := &BuildResult{VersionID: id, Fingerprint: b.Fingerprint}

	lock, err := acquireLock(ctx, lake.VersionLockFile(id), func() {
		log.Info("waiting for another build of this version")
		if opts.pause != nil {
			opts.pause("waiting")
		}
	})
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", id, err)
	}
	defer lock.release()
	bd := &builder{lake: lake, b: b, opts: opts, log: log, target: id}
	bd.hook("locked")
	if err := bd.cleanLeftovers(); err != nil {
		return nil, err
	}
	existing, err := recordedFingerprint(lake, id)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", id, err)
	}
	if existing != "" && existing != b.Fingerprint {
		if !opts.Force {
			return nil, &FingerprintError{VersionID: id, Existing: existing, New: b.Fingerprint}
		}
		res.Replaced = true
		bd.target = store.ReplacementVersionID(id, randomTag())
		log.Info("replacing the whole version", "old_fingerprint", existing, "new_fingerprint", b.Fingerprint)
	}

	// This database checks the bundle; every date gets a fresh one, so
	// nothing a date leaves in DuckDB carries over to the next.
	bd.db, err = duck.Open(ctx, lake, opts.Engine)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", id, err)
	}
	var sessions []calendar.Session
	if err = bd.preflight(ctx); err == nil {
		sessions, err = bd.sessions(res)
	}
	// Closed before the dates run, so only each date's own DuckDB holds
	// memory (a memory limit is per database).
	bd.db.Close()
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", id, err)
	}
	if err := bd.writeVersionFiles(existing == b.Fingerprint); err != nil {
		bd.discardReplacement(res)
		return nil, fmt.Errorf("build %s: %w", id, err)
	}
	bd.hook("manifest-written")

	start := time.Now()
	var rows int64
	for i, s := range sessions {
		date := s.Date.String()
		status := "built"
		if bd.alreadyBuilt(date) {
			res.Skipped = append(res.Skipped, date)
			status = "skipped"
			log.Info("already built with this fingerprint, skipped", "date", date)
		} else {
			t0 := time.Now()
			sum, err := bd.buildDate(ctx, s)
			releaseMemory()
			if err != nil {
				if ctx.Err() != nil {
					if !res.Replaced {
						// Dates this run published stay: keep ledger.json and
						// validation.json true to them.
						if err := rollup(bd.lake, bd.target, b); err != nil {
							log.Error("rollup after cancel", "err", err)
						}
					}
					bd.discardReplacement(res)
					return res, fmt.Errorf("build %s date %s: %w", id, date, context.Cause(ctx))
				}
				res.Failed = append(res.Failed, &DateError{Date: date, Err: err})
				status = "failed"
				log.Error("date failed", "date", date, "err", err)
			} else {
				sum.Elapsed = time.Since(t0)
				res.Built = append(res.Built, *sum)
				rows += sum.Rows
				log.Info("date built", "date", date, "rows", sum.Rows, "elapsed", sum.Elapsed.Round(time.Millisecond))
			}
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Date: date, Status: status, Done: i + 1, Total: len(sessions), Rows: rows, Elapsed: time.Since(start)})
		}
	}
	if res.Replaced && len(res.Failed) > 0 {
		bd.discardReplacement(res)
		return res, &BuildError{VersionID: id, Failed: res.Failed}
	}
	if err := rollup(bd.lake, bd.target, b); err != nil {
		bd.discardReplacement(res)
		return res, fmt.Errorf("build %s: %w", id, err)
	}
	if res.Replaced {
		if err := bd.swapIn(); err != nil {
			return res, fmt.Errorf("build %s: %w", id, err)
		}
	}
	if len(res.Failed) > 0 {
		return res, &BuildError{VersionID: id, Failed: res.Failed}
	}
	return res, nil
}

func (bd *builder) hook(point string) {
	if bd.opts.pause != nil {
		bd.opts.pause(point)
	}
}

// sessions resolves the requested dates to trading sessions, ascending,
// recording the others as non-trading.
func (bd *builder) sessions(res *BuildResult) ([]calendar.Session, error) {
	cal := bd.db.Calendar()
	seen := map[calendar.Date]bool{}
	var out []calendar.Session
	for _, d := range bd.opts.Dates {
		if seen[d] {
			continue
		}
		seen[d] = true
		s, ok, err := cal.Session(d)
		if err != nil {
			return nil, err
		}
		if !ok {
			res.NonTrading = append(res.NonTrading, d.String())
			continue
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	sort.Strings(res.NonTrading)
	return out, nil
}

// cleanLeftovers removes what an interrupted build of this version left:
// staging directories and hidden replacement or retired copies. The lock
// is held, so none of them belongs to a running build.
func (bd *builder) cleanLeftovers() error {
	id := bd.b.Manifest.ID()
	staging, err := bd.lake.VersionLeftovers(id)
	if err != nil {
		return err
	}
	others, err := bd.lake.ReplacementLeftovers(id)
	if err != nil {
		return err
	}
	for _, dir := range append(staging, others...) {
		bd.log.Info("removing leftover of an interrupted build", "path", dir)
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove leftover %s: %w", dir, err)
		}
	}
	return nil
}

// recordedFingerprint is the fingerprint in the version's manifest.yaml,
// or "" when the version has none yet.
func recordedFingerprint(lake store.Lake, id string) (string, error) {
	data, err := os.ReadFile(lake.VersionManifestFile(id))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	m, err := DecodeManifest(lake.VersionManifestFile(id), data, DecodeOptions{})
	if err != nil {
		return "", fmt.Errorf("recorded manifest: %w", err)
	}
	return m.Fingerprint, nil
}

// preflight binds the bundle once over the unscoped lake (nothing is
// scanned) and checks the output view has every declared column.
func (bd *builder) preflight(ctx context.Context) error {
	conn, err := bd.db.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := Install(ctx, conn, bd.b); err != nil {
		return err
	}
	defer Uninstall(context.WithoutCancel(ctx), conn, bd.b)
	cols, err := describeColumns(ctx, conn, "SELECT * FROM "+duck.QuoteIdent(bd.b.Manifest.Output.View))
	if err != nil {
		return fmt.Errorf("describe output view %s: %s", bd.b.Manifest.Output.View, duck.FirstLine(err))
	}
	have := map[string]bool{}
	for _, c := range cols {
		have[c.Name] = true
	}
	var missing []string
	for _, c := range declaredColumns(bd.b.Manifest) {
		if !have[c.name] {
			missing = append(missing, fmt.Sprintf("%s (%s)", c.name, c.role))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("output view %s lacks declared columns: %s", bd.b.Manifest.Output.View, strings.Join(missing, ", "))
	}
	return nil
}

// writeVersionFiles writes the SQL copies, then manifest.yaml with the
// fingerprint, unless the version already has them (same is set).
func (bd *builder) writeVersionFiles(same bool) error {
	if same {
		return nil
	}
	if err := os.MkdirAll(bd.lake.VersionDir(bd.target), 0o755); err != nil {
		return fmt.Errorf("create version directory: %w", err)
	}
	for _, v := range bd.b.Views {
		path, err := bd.lake.VersionFile(bd.target, v.File)
		if err != nil {
			return err
		}
		if err := store.WriteFileAtomic(path, []byte(v.Text)); err != nil {
			return fmt.Errorf("copy %s: %w", v.File, err)
		}
	}
	data, err := recordedManifest(bd.b)
	if err != nil {
		return err
	}
	if err := store.WriteFileAtomic(bd.lake.VersionManifestFile(bd.target), data); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return store.SyncDir(bd.lake.SilverFeaturesDir())
}

// alreadyBuilt reports whether date is published in the target with this
// fingerprint (and Force is off).
func (bd *builder) alreadyBuilt(date string) bool {
	if bd.opts.Force {
		return false
	}
	if _, err := os.Stat(bd.lake.VersionDatePart(bd.target, date)); err != nil {
		return false
	}
	rec, err := readDateRecord(bd.lake, bd.target, date)
	return err == nil && rec.Ledger.Fingerprint == bd.b.Fingerprint
}

// swapIn exchanges the finished replacement with the live version
// directory and deletes the old one.
func (bd *builder) swapIn() error {
	id := bd.b.Manifest.ID()
	live := bd.lake.VersionDir(id)
	if err := store.ExchangeDirs(bd.lake.VersionDir(bd.target), live); err != nil {
		return err
	}
	bd.hook("swapped")
	// The hidden name now holds the old version.
	if err := os.RemoveAll(bd.lake.VersionDir(bd.target)); err != nil {
		return fmt.Errorf("remove old %s: %w", id, err)
	}
	return nil
}

// discardReplacement deletes an unfinished replacement; the live version
// is untouched.
func (bd *builder) discardReplacement(res *BuildResult) {
	if res.Replaced {
		os.RemoveAll(bd.lake.VersionDir(bd.target))
	}
}

// randomTag makes hidden directory names unique.
func randomTag() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%x", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}
