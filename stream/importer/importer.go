package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/store"
)

// Kind names an importer, as the CLI spells it.
type Kind string

// The importers.
const (
	KindDBN            Kind = "dbn"
	KindPolygonStocks  Kind = "polygon-stocks"
	KindPolygonOptions Kind = "polygon-options"
)

// DefaultBatchRows is the default number of rows per write batch: two
// Parquet row groups, a few hundred MB of MBP-10 rows in memory at most.
const DefaultBatchRows = 2 * store.RowGroupRows

// ErrUnsupported is wrapped by errors about input this importer refuses on
// purpose, such as a DBN schema other than trades and mbp-10.
var ErrUnsupported = errors.New("unsupported input")

// Progress follows the write pass of each file. Start and Finish are called
// once per file that is written (not for skipped or failed files).
type Progress interface {
	Start(path string, records int64)
	Add(records int64)
	Finish()
}

// Config configures an Importer.
type Config struct {
	Lake   store.Lake
	Logger *slog.Logger // nil: discard
	// Progress, when set, follows the write pass of each file.
	Progress Progress
	// SymbolRoot, when set, is the symbol= partition of every DBN record
	// instead of the root derived from its raw symbol.
	SymbolRoot string
	// BatchRows is the number of rows per write batch (DefaultBatchRows
	// when 0).
	BatchRows int
}

// Importer imports raw files into one lake.
type Importer struct {
	cfg Config
	log *slog.Logger
}

// New checks cfg and fills its defaults.
func New(cfg Config) (*Importer, error) {
	if cfg.Lake.Root() == "" {
		return nil, errors.New("importer: no lake")
	}
	if cfg.BatchRows <= 0 {
		cfg.BatchRows = DefaultBatchRows
	}
	if cfg.SymbolRoot != "" {
		if err := checkKey(cfg.SymbolRoot); err != nil {
			return nil, fmt.Errorf("importer: symbol root: %w", err)
		}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Importer{cfg: cfg, log: log.With("subsystem", "import")}, nil
}

// FileResult is the outcome of one file's import.
type FileResult struct {
	Path    string
	Kind    Kind
	SHA256  string
	Table   string // Bronze table path, e.g. futures/trades
	Skipped bool   // already in the import ledger; nothing written
	Records int64
	// Files are the lake-relative Parquet files holding the rows;
	// Unchanged of them were already published with the same content (a
	// resumed import).
	Files      []string
	Unchanged  int
	Partitions []string // lake-relative partition directories
	Elapsed    time.Duration
	// WriteElapsed is the time spent in store.WriteBronze (sorting,
	// encoding, compressing and publishing Parquet).
	WriteElapsed time.Duration
}

// Summary totals the results of several files.
type Summary struct {
	Results    []FileResult
	Imported   int
	Skipped    int
	Records    int64
	Files      int
	Partitions int
}

// Import imports the files of one kind, one after another. A file that fails
// is reported in the joined error and the others still run, unless ctx is
// done.
func (im *Importer) Import(ctx context.Context, kind Kind, paths []string) (Summary, error) {
	var sum Summary
	var errs []error
	parts := map[string]bool{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		res, err := im.ImportFile(ctx, kind, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sum.Results = append(sum.Results, res)
		if res.Skipped {
			sum.Skipped++
			continue
		}
		sum.Imported++
		sum.Records += res.Records
		sum.Files += len(res.Files)
		for _, d := range res.Partitions {
			parts[d] = true
		}
	}
	sum.Partitions = len(parts)
	return sum, errors.Join(errs...)
}

// ImportFile imports one file of the given kind.
func (im *Importer) ImportFile(ctx context.Context, kind Kind, path string) (FileResult, error) {
	var (
		res FileResult
		err error
	)
	switch kind {
	case KindDBN:
		res, err = im.importDBN(ctx, path)
	case KindPolygonStocks:
		res, err = importFile(ctx, im, path, stocksSpec())
	case KindPolygonOptions:
		res, err = importFile(ctx, im, path, optionsSpec())
	default:
		return FileResult{}, fmt.Errorf("import %s: unknown kind %q", path, kind)
	}
	if err != nil {
		return res, fmt.Errorf("import %s %s: %w", kind, path, err)
	}
	return res, nil
}

// source yields the Bronze records of one raw file.
type source[T store.Record] interface {
	// Next decodes the next record into rec; io.EOF at the end.
	Next(rec *T) error
	Close() error
}

// spec describes one kind of raw file.
type spec[T store.Record] struct {
	kind   Kind
	vendor string
	table  store.Table
	open   func(r io.Reader) (source[T], error)
	// info is stored in the ledger entry (may be nil).
	info any
}

func importFile[T store.Record](ctx context.Context, im *Importer, path string, sp spec[T]) (FileResult, error) {
	start := time.Now()
	res := FileResult{Path: path, Kind: sp.kind, Table: sp.table.Path()}
	// Pass 1: validate and hash.
	n, sum, st, err := scan(ctx, path, sp)
	if err != nil {
		return res, err
	}
	res.SHA256, res.Records = sum, n
	entry, found, err := ReadLedger(im.cfg.Lake, sum)
	if err != nil {
		return res, err
	}
	opts := fmt.Sprintf("batch_rows=%d symbol_root=%s", im.cfg.BatchRows, im.cfg.SymbolRoot)
	if sp.kind != KindDBN {
		opts = fmt.Sprintf("batch_rows=%d", im.cfg.BatchRows)
	}
	if found && entry.Options != opts {
		return res, fmt.Errorf("%s was already imported with options %q; Bronze is append-only, so it is not imported again with %q", path, entry.Options, opts)
	}
	if found {
		res.Skipped = true
		res.Elapsed = time.Since(start)
		im.log.Info("skipped: already imported", "file", path, "sha256", sum,
			"as", entry.Kind, "records", entry.Records, "imported_at", entry.ImportedAt)
		return res, nil
	}
	// Pass 2: write.
	if err := beginImport(im.cfg.Lake, sum, path, opts); err != nil {
		return res, err
	}
	if im.cfg.Progress != nil {
		im.cfg.Progress.Start(path, n)
	}
	w := &batchWriter[T]{im: im, prefix: "import-" + sum[:16], res: &res, parts: map[string]bool{}}
	err = rescan(ctx, path, sp, im.cfg.BatchRows, st, n, func(batch []T) error { return w.write(ctx, batch) })
	if im.cfg.Progress != nil {
		im.cfg.Progress.Finish()
	}
	if err != nil {
		return res, err
	}
	res.Partitions = slices.Sorted(maps.Keys(w.parts))
	// Record: the ledger entry goes last, after every file is published.
	if err := writeLedger(im.cfg.Lake, LedgerEntry{
		SHA256: sum, Kind: sp.kind, Source: sp.vendor, File: path, Size: st.size, Table: sp.table.Path(),
		Records: n, Files: res.Files, Partitions: res.Partitions, Info: sp.info,
		Options: opts, ImportedAt: time.Now().UTC(),
	}); err != nil {
		return res, err
	}
	os.Remove(startMarker(im.cfg.Lake, sum))
	res.Elapsed = time.Since(start)
	im.log.Info("imported", "file", path, "table", res.Table, "records", n, "files", len(res.Files),
		"partitions", len(res.Partitions), "unchanged", res.Unchanged, "sha256", sum,
		"elapsed", res.Elapsed.Round(time.Millisecond), "records_per_s", int64(float64(n)/res.Elapsed.Seconds()))
	return res, nil
}

// batchWriter publishes batches and collects what was written.
type batchWriter[T store.Record] struct {
	im     *Importer
	prefix string
	next   int
	res    *FileResult
	parts  map[string]bool
}

func (w *batchWriter[T]) write(ctx context.Context, batch []T) error {
	if len(batch) == 0 {
		return nil
	}
	name := fmt.Sprintf("%s-%05d.parquet", w.prefix, w.next)
	w.next++
	t0 := time.Now()
	written, err := store.WriteBronze(ctx, w.im.cfg.Lake, batch, name)
	w.res.WriteElapsed += time.Since(t0)
	if err != nil {
		return fmt.Errorf("write batch %s: %w", name, err)
	}
	root := w.im.cfg.Lake.Root()
	for _, f := range written {
		rel, err := filepath.Rel(root, f.Path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		w.res.Files = append(w.res.Files, rel)
		w.parts[rel[:strings.LastIndexByte(rel, '/')]] = true
		if f.Unchanged {
			w.res.Unchanged++
		}
	}
	if w.im.cfg.Progress != nil {
		w.im.cfg.Progress.Add(int64(len(batch)))
	}
	return nil
}
