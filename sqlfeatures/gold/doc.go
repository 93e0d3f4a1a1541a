// Package gold is the Gold curator (DESIGN.md section 7): it promotes a
// Silver feature version into a training dataset under gold/training/,
// proves what is there, undoes it, screens versions' features, bootstraps
// the shipped versions into signals_production and archives old Silver
// versions.
//
// # A dataset on disk
//
// Every promotion, and every rollback, is an immutable directory
// gold/training/_history/<dataset>/NNNNNN/ holding <dataset>.parquet (the
// selected dates of the version, one file sorted by the key and the date,
// ZSTD 3, written by one DuckDB thread so the bytes are reproducible) and
// <dataset>_metadata.json (source version, fingerprint, dates, rows,
// columns and types, key, null-rate limits, the file's sha256, notes,
// promoted_at, recorded_at, forced gates). One symlink,
// <dataset>.current, names the current directory; the public names
// <dataset>.parquet and <dataset>_metadata.json are fixed symlinks through
// it. Publishing writes and fsyncs the directory under a hidden staging
// name, renames it to the next number, then renames a new pointer over
// the old one: that one rename is the only step a reader sees, so the file
// and its metadata always change together. Readers in this project resolve
// the pointer once (Current) and read both files from the same
// directory; the gold.<dataset> views and point reads name the resolved
// immutable file, so a statement reads the promotion its view named
// whatever is promoted meanwhile. A process killed at any step leaves the
// pointer on the previous promotion or on the new one, whole; directories
// beyond the pointer are leftovers the next promotion removes. Promotions
// and rollbacks of a dataset are serialized by a flock; promote and
// evaluate also hold the source version's build lock while they read it,
// as archive does while it moves it.
//
// # Gates
//
// Promote refuses, listing every failure, unless Force (then the failures
// are recorded as forced_gates): a version that is not consistent, a date
// that failed its Silver audit or whose file is not the one audited, a key
// that is not unique (or NULL) across the dates, a row outside its date's
// regular-hours session, a null rate above the manifest's limit. The same
// version, dates and bytes as the current promotion change nothing.
//
// # History and rollback
//
// History lists the entries up to the pointer. Rollback adds an entry
// that hard-links an earlier entry's file with its metadata (action
// rollback, restored_from), so undoing is itself recorded and undoable.
// Validate re-hashes the current file and re-checks it against its
// metadata and against the Silver version it came from: each promoted
// date's recorded fingerprint, rows and columns (also when archived).
//
// # Evaluation
//
// Evaluate is a univariate screen, not a trained model: for each numeric
// feature, the rank AUC of the positive outcome (BREAK) against the rest,
// by Mann-Whitney with ties at their average rank, in SQL, per date and
// over all the dates; gold/evaluation/backtest_D.parquet keeps each
// version's rows for the date. Bootstrap builds the shipped versions,
// evaluates and registers them, and promotes the one with the best
// registered metric (best feature AUC, then median AUC) with its reason.
//
// # Catalog
//
// Catalog gives the engine gold.backtests and the metadata tables
// lake.datasets, lake.dataset_history, lake.versions, lake.experiments and
// lake.experiment_metrics, refreshed whenever the lake watcher sees a
// change.
package gold
