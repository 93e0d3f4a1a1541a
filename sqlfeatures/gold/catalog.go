package gold

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// Catalog is an duck.Config.Catalog: gold.backtests over the evaluation
// files, and the lake's metadata as tables lake.datasets,
// lake.dataset_history, lake.versions, lake.experiments and
// lake.experiment_metrics. The metadata tables are snapshots taken when
// the views are refreshed (on every change of the lake, through the
// watcher); an entry that cannot be read is left out rather than failing
// every query.
func Catalog(ctx context.Context, lake store.Lake) ([]duck.CatalogView, error) {
	var out []duck.CatalogView
	add := func(schema, name, sql string) {
		out = append(out, duck.CatalogView{Schema: schema, Name: name, SQL: sql})
	}
	if m, _ := filepath.Glob(lake.GoldBacktestGlob()); len(m) > 0 {
		add("gold", "backtests", "SELECT "+castColumns()+" FROM read_parquet("+sqlString(lake.GoldBacktestGlob())+", hive_partitioning = false, union_by_name = true)")
	} else {
		add("gold", "backtests", emptySelect(backtestColumns))
	}

	const dsCols = `dataset VARCHAR, promotion INTEGER, action VARCHAR, restored_from INTEGER, source_version VARCHAR,
		fingerprint VARCHAR, first_date DATE, last_date DATE, dates INTEGER, rows BIGINT, sha256 VARCHAR, bytes BIGINT,
		notes VARCHAR, promoted_at TIMESTAMPTZ, recorded_at TIMESTAMPTZ, forced_gates VARCHAR`
	var current, history [][]string
	names, _ := Names(lake)
	for _, n := range names {
		h, err := History(lake, n)
		if err != nil {
			continue
		}
		for i, m := range h {
			row := metadataRow(m)
			history = append(history, row)
			if i == len(h)-1 {
				current = append(current, append(row, strconv.Itoa(len(h))))
			}
		}
	}
	add("lake", "datasets", valuesSelect(dsCols+", history_depth INTEGER", current))
	add("lake", "dataset_history", valuesSelect(dsCols, history))

	var versions [][]string
	vs, _ := sqlfeatures.ListVersions(lake)
	for _, v := range vs {
		versions = append(versions, versionRow(v, false))
	}
	if entries, err := os.ReadDir(lake.SilverArchiveDir()); err == nil {
		for _, e := range entries {
			if e.IsDir() && sqlfeatures.ValidVersionID(e.Name()) {
				versions = append(versions, versionRow(sqlfeatures.VersionInfo{ID: e.Name(), Status: "archived"}, true))
			}
		}
	}
	add("lake", "versions", valuesSelect(`version VARCHAR, fingerprint VARCHAR, parent_version VARCHAR, description VARCHAR,
		dates INTEGER, first_date DATE, last_date DATE, rows BIGINT, status VARCHAR, archived BOOLEAN`, versions))

	var exps, metrics [][]string
	es, _ := sqlfeatures.Experiments(lake, "")
	for _, e := range es {
		js, _ := json.Marshal(e.Metrics)
		exps = append(exps, []string{lit(e.VersionID), lit(e.ExpID), lit(e.Status), lit(e.Notes), lit(e.ModelPath), ts(e.RegisteredAt), lit(string(js))})
		keys := make([]string, 0, len(e.Metrics))
		for k := range e.Metrics {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			metrics = append(metrics, []string{lit(e.VersionID), lit(e.ExpID), lit(k), num(e.Metrics[k])})
		}
	}
	add("lake", "experiments", valuesSelect(`version VARCHAR, exp_id VARCHAR, status VARCHAR, notes VARCHAR, model_path VARCHAR,
		registered_at TIMESTAMPTZ, metrics VARCHAR`, exps))
	add("lake", "experiment_metrics", valuesSelect(`version VARCHAR, exp_id VARCHAR, metric VARCHAR, value DOUBLE`, metrics))
	return out, ctx.Err()
}

func metadataRow(m *Metadata) []string {
	first, last := "NULL", "NULL"
	if len(m.Dates) > 0 {
		first, last = lit(m.Dates[0]), lit(m.Dates[len(m.Dates)-1])
	}
	restored := "NULL"
	if m.RestoredFrom > 0 {
		restored = strconv.Itoa(m.RestoredFrom)
	}
	return []string{lit(m.Dataset), strconv.Itoa(m.Promotion), lit(m.Action), restored, lit(m.SourceVersion),
		lit(m.Fingerprint), first, last, strconv.Itoa(len(m.Dates)), strconv.FormatInt(m.Rows, 10), lit(m.SHA256),
		strconv.FormatInt(m.Bytes, 10), lit(m.Notes), ts(m.PromotedAt), ts(m.RecordedAt), lit(strings.Join(m.ForcedGates, "; "))}
}

func versionRow(v sqlfeatures.VersionInfo, archived bool) []string {
	first, last := "NULL", "NULL"
	if len(v.Dates) > 0 {
		first, last = lit(v.Dates[0]), lit(v.Dates[len(v.Dates)-1])
	}
	return []string{lit(v.ID), lit(v.Fingerprint), lit(v.Parent), lit(v.Description), strconv.Itoa(len(v.Dates)),
		first, last, strconv.FormatInt(v.Rows, 10), lit(v.Status), strconv.FormatBool(archived)}
}

// valuesSelect is a SELECT of literal rows with typed columns ("name
// TYPE, ..."); no rows gives an empty result of those types.
func valuesSelect(cols string, rows [][]string) string {
	if len(rows) == 0 {
		return emptySelect(cols)
	}
	defs := splitCols(cols)
	names := make([]string, len(defs))
	casts := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d[0]
		casts[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", d[0], d[1], d[0])
	}
	vals := make([]string, len(rows))
	for i, r := range rows {
		vals[i] = "(" + strings.Join(r, ", ") + ")"
	}
	return fmt.Sprintf("SELECT %s FROM (VALUES %s) t(%s)", strings.Join(casts, ", "), strings.Join(vals, ", "), strings.Join(names, ", "))
}

func emptySelect(cols string) string {
	var parts []string
	for _, d := range splitCols(cols) {
		parts = append(parts, fmt.Sprintf("CAST(NULL AS %s) AS %s", d[1], d[0]))
	}
	return "SELECT " + strings.Join(parts, ", ") + " WHERE false"
}

func splitCols(cols string) [][2]string {
	var out [][2]string
	for _, c := range strings.Split(cols, ",") {
		f := strings.Fields(c)
		out = append(out, [2]string{f[0], f[1]})
	}
	return out
}

func lit(s string) string { return sqlString(s) }

func ts(t time.Time) string {
	if t.IsZero() {
		return "NULL"
	}
	return "TIMESTAMPTZ " + sqlString(t.UTC().Format("2006-01-02 15:04:05.000000Z"))
}

func num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "NULL"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
