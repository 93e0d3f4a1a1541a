package store

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Gold training datasets are promoted as immutable promotion directories,
// one per promotion or rollback, under gold/training/_history/<dataset>/
// (000001, 000002, ...), each holding <dataset>.parquet and
// <dataset>_metadata.json. One symlink, <dataset>.current, points at the
// current one and is replaced by a single rename, so the file and its
// metadata change together. The public names <dataset>.parquet and
// <dataset>_metadata.json are fixed symlinks through it.

// GoldDatasetFile is the public path of a training dataset.
func (l Lake) GoldDatasetFile(dataset string) string {
	return filepath.Join(l.GoldTrainingDir(), dataset+".parquet")
}

// GoldMetadataFile is the public path of a training dataset's metadata.
func (l Lake) GoldMetadataFile(dataset string) string {
	return filepath.Join(l.GoldTrainingDir(), dataset+"_metadata.json")
}

// GoldCurrentLink is the symlink naming a dataset's current promotion.
func (l Lake) GoldCurrentLink(dataset string) string {
	return filepath.Join(l.GoldTrainingDir(), dataset+".current")
}

// GoldHistoryDir holds every promotion of a dataset.
func (l Lake) GoldHistoryDir(dataset string) string {
	return filepath.Join(l.GoldTrainingDir(), "_history", dataset)
}

// GoldPromotionName is the directory name of promotion n (000001...).
func GoldPromotionName(n int) string { return fmt.Sprintf("%06d", n) }

// GoldPromotionDir is promotion n of a dataset.
func (l Lake) GoldPromotionDir(dataset string, n int) string {
	return filepath.Join(l.GoldHistoryDir(dataset), GoldPromotionName(n))
}

// GoldLockFile serializes promotions and rollbacks of one dataset.
func (l Lake) GoldLockFile(dataset string) string {
	return filepath.Join(l.GoldTrainingDir(), "_history", ".locks", dataset+".lock")
}

// GoldDatasetResolved is the file gold.<dataset> reads now: the public
// path with its symlinks resolved when they stay inside gold/training
// (a promoted dataset's current immutable file), else the public path.
func (l Lake) GoldDatasetResolved(dataset string) string {
	p := l.GoldDatasetFile(dataset)
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return p
	}
	base, err := filepath.EvalSymlinks(l.GoldTrainingDir())
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(base, r); err != nil || !filepath.IsLocal(rel) {
		return p
	}
	return r
}

// GoldBacktestFile is the evaluation file of one trading date.
func (l Lake) GoldBacktestFile(date string) string {
	return filepath.Join(l.GoldEvaluationDir(), "backtest_"+date+".parquet")
}

// GoldBacktestGlob matches every evaluation file.
func (l Lake) GoldBacktestGlob() string {
	return filepath.Join(l.GoldEvaluationDir(), "backtest_*.parquet")
}

// GoldEvaluationLockFile serializes writers of evaluation files.
func (l Lake) GoldEvaluationLockFile() string {
	return filepath.Join(l.GoldEvaluationDir(), ".evaluation.lock")
}

// SilverArchiveDir holds archived Silver versions, out of every listing.
func (l Lake) SilverArchiveDir() string { return filepath.Join(l.root, "silver", "archive") }

// ArchivedVersionDir is an archived Silver version.
func (l Lake) ArchivedVersionDir(versionID string) string {
	return filepath.Join(l.SilverArchiveDir(), versionID)
}

// ArchivedVersionDateMeta is VersionDateMeta of an archived version.
func (l Lake) ArchivedVersionDateMeta(versionID, date string) string {
	return filepath.Join(l.ArchivedVersionDir(versionID), "date="+date, "_date.json")
}

// GoldPromotionData is the data file of promotion n.
func (l Lake) GoldPromotionData(dataset string, n int) string {
	return filepath.Join(l.GoldPromotionDir(dataset, n), dataset+".parquet")
}

// GoldPromotionMetadata is the metadata file of promotion n.
func (l Lake) GoldPromotionMetadata(dataset string, n int) string {
	return filepath.Join(l.GoldPromotionDir(dataset, n), dataset+"_metadata.json")
}

// GoldStagingDir is a hidden directory in the dataset's history where a
// promotion is written before it is renamed to its number.
func (l Lake) GoldStagingDir(dataset, tag string) string {
	return filepath.Join(l.GoldHistoryDir(dataset), ".staging-"+tag)
}

// GoldStagedData and GoldStagedMetadata are the files inside a staging
// directory; renaming it to GoldPromotionDir makes them the promotion's.
func GoldStagedData(staging, dataset string) string {
	return filepath.Join(staging, dataset+".parquet")
}

// GoldStagedMetadata: see GoldStagedData.
func GoldStagedMetadata(staging, dataset string) string {
	return filepath.Join(staging, dataset+"_metadata.json")
}

// GoldHistoryEntries lists the names in a dataset's history directory:
// numbered promotions and the leftovers of interrupted ones.
func (l Lake) GoldHistoryEntries(dataset string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(l.GoldHistoryDir(dataset), "*"))
	if err != nil {
		return nil, err
	}
	hidden, _ := filepath.Glob(filepath.Join(l.GoldHistoryDir(dataset), ".*"))
	var out []string
	for _, p := range append(m, hidden...) {
		out = append(out, filepath.Base(p))
	}
	sort.Strings(out)
	return out, nil
}

// GoldHistoryEntry is a name listed by GoldHistoryEntries.
func (l Lake) GoldHistoryEntry(dataset, entry string) string {
	return filepath.Join(l.GoldHistoryDir(dataset), entry)
}

// GoldCurrentTarget is what GoldCurrentLink holds for promotion n: a
// path relative to gold/training, so the lake can move.
func GoldCurrentTarget(dataset string, n int) string {
	return filepath.Join("_history", dataset, GoldPromotionName(n))
}

// ParseGoldCurrentTarget is the promotion a GoldCurrentLink target names.
func ParseGoldCurrentTarget(dataset, target string) (int, error) {
	if filepath.Dir(target) != filepath.Join("_history", dataset) {
		return 0, fmt.Errorf("%q is not a promotion of %s", target, dataset)
	}
	n, err := strconv.Atoi(filepath.Base(target))
	if err != nil || n <= 0 || GoldPromotionName(n) != filepath.Base(target) {
		return 0, fmt.Errorf("%q is not a promotion of %s", target, dataset)
	}
	return n, nil
}

// GoldPublicLinks maps the public names of a dataset to the targets of
// their symlinks, through GoldCurrentLink.
func (l Lake) GoldPublicLinks(dataset string) map[string]string {
	return map[string]string{
		l.GoldDatasetFile(dataset):  filepath.Join(dataset+".current", dataset+".parquet"),
		l.GoldMetadataFile(dataset): filepath.Join(dataset+".current", dataset+"_metadata.json"),
	}
}

// GoldLinkTemp is a hidden temporary symlink name in gold/training, to be
// renamed over a public name or the pointer.
func (l Lake) GoldLinkTemp(dataset, tag string) string {
	return filepath.Join(l.GoldTrainingDir(), "."+dataset+"."+tag+".tmp")
}

// GoldLinkTemps lists temporary links an interrupted promotion left.
func (l Lake) GoldLinkTemps(dataset string) ([]string, error) {
	return filepath.Glob(filepath.Join(l.GoldTrainingDir(), "."+dataset+".*.tmp"))
}

// GoldPointerNames lists the datasets that have a current pointer, sorted.
func (l Lake) GoldPointerNames() ([]string, error) {
	m, err := filepath.Glob(filepath.Join(l.GoldTrainingDir(), "*.current"))
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(m))
	for _, p := range m {
		out = append(out, strings.TrimSuffix(filepath.Base(p), ".current"))
	}
	sort.Strings(out)
	return out, nil
}
