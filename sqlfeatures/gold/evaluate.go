package gold

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// Evaluation is a univariate screen, not a trained model: for each numeric
// feature of a version, its rank AUC (Mann-Whitney U over n_pos * n_neg,
// ties at their average rank, computed in SQL) for the positive outcome
// (BREAK) against every other outcome, per date and over all the dates.

// EvaluateOptions say what to evaluate. Version is required.
type EvaluateOptions struct {
	Version string
	// Dates: nil means every date of the version.
	Dates []calendar.Date
	// Label is the outcome column; "" means "outcome".
	Label string
	// Positive is the outcome screened for; "" means "BREAK".
	Positive string
	// Register, when set, records the best and median AUC as metrics of
	// experiment Register of the version.
	Register string
	Engine   duck.Config
	// Now is the clock of the registration; nil means time.Now.
	Now func() time.Time
}

// FeatureAUC is one feature's AUC over the evaluated dates.
type FeatureAUC struct {
	Feature string   `json:"feature"`
	AUC     *float64 `json:"auc"` // nil when one class is empty
	N       int64    `json:"n"`
}

// EvaluateResult says what Evaluate wrote and found.
type EvaluateResult struct {
	Version     string       `json:"version"`
	Dates       []string     `json:"dates"`
	Files       []string     `json:"files"`
	Features    []FeatureAUC `json:"features"`
	BestFeature string       `json:"best_feature"`
	BestAUC     float64      `json:"best_auc"`
	MedianAUC   float64      `json:"median_auc"`
	BaseRate    float64      `json:"base_rate"`
	Signals     int64        `json:"signals"`
	Outcomes    map[string]int64
	Registered  string `json:"registered,omitempty"`
}

// backtestColumns is the schema of gold/evaluation/backtest_D.parquet: one
// row per (version, feature) with kind 'feature', and one per (version,
// outcome) with kind 'outcome' holding the outcome's count in n.
const backtestColumns = `date DATE, version VARCHAR, label VARCHAR, positive VARCHAR, kind VARCHAR,
	name VARCHAR, n BIGINT, n_positive BIGINT, n_negative BIGINT, auc DOUBLE, base_rate DOUBLE, signals BIGINT`

// Evaluate screens the version's numeric features date by date, writes
// gold/evaluation/backtest_D.parquet for each date (replacing the rows of
// this version, keeping other versions'), and optionally registers the
// best and median AUC over all the dates.
func Evaluate(ctx context.Context, lake store.Lake, opts EvaluateOptions) (*EvaluateResult, error) {
	label, positive := opts.Label, opts.Positive
	if label == "" {
		label = "outcome"
	}
	if positive == "" {
		positive = "BREAK"
	}
	v, vlock, err := inspectLocked(ctx, lake, "evaluate", opts.Version)
	if err != nil {
		return nil, err
	}
	defer vlock.release()
	dates, err := selectDatesFor("evaluate", v, opts.Dates)
	if err != nil {
		return nil, err
	}
	features, err := numericFeatures(v, label)
	if err != nil {
		return nil, err
	}
	lk, err := lock(ctx, lake.GoldEvaluationLockFile())
	if err != nil {
		return nil, err
	}
	defer lk.release()
	conn, closeConn, err := openConn(ctx, lake, opts.Engine)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	res := &EvaluateResult{Version: v.ID, Dates: dates, Outcomes: map[string]int64{}}
	if err := screen(ctx, conn, lake, v, dates, features, label, positive); err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", v.ID, err)
	}
	for _, d := range dates {
		f, err := writeBacktest(ctx, conn, lake, v.ID, d)
		if err != nil {
			return nil, fmt.Errorf("evaluate %s date %s: %w", v.ID, d, err)
		}
		res.Files = append(res.Files, f)
	}
	if err := summarize(ctx, conn, res); err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", v.ID, err)
	}
	if opts.Register != "" {
		now := opts.Now
		if now == nil {
			now = time.Now
		}
		e := sqlfeatures.Experiment{
			VersionID: v.ID, ExpID: opts.Register, Status: "completed", RegisteredAt: now(),
			Metrics: map[string]float64{"best_auc": res.BestAUC, "median_auc": res.MedianAUC,
				"base_rate": res.BaseRate, "signals": float64(res.Signals), "features": float64(len(features))},
			Notes: fmt.Sprintf("univariate rank-AUC screen (not a trained model) of %d features for %s=%s vs rest over %s; best %s",
				len(features), label, positive, dateRange(dates), res.BestFeature),
		}
		if err := sqlfeatures.Register(ctx, lake, e); err != nil {
			return nil, err
		}
		res.Registered = opts.Register
	}
	return res, nil
}

// numericFeatures are the version's numeric feature columns: those of its
// feature groups, else every numeric column but the key and labels.
func numericFeatures(v *sqlfeatures.VersionDetail, label string) ([]string, error) {
	m := v.Manifest
	types := map[string]string{}
	for _, c := range v.Validation.Columns {
		types[c.Name] = c.Type
	}
	lt, ok := types[label]
	if !ok {
		return nil, fmt.Errorf("evaluate: version %s has no label column %q", v.ID, label)
	}
	if lt != "VARCHAR" {
		return nil, fmt.Errorf("evaluate: label column %q of %s is %s, want VARCHAR outcomes", label, v.ID, lt)
	}
	skip := map[string]bool{label: true}
	for _, c := range append(slices.Clone(m.Output.Key), m.Output.Labels...) {
		skip[c] = true
	}
	var cand []string
	for _, g := range m.Features.Groups {
		cand = append(cand, g.Columns...)
	}
	if len(cand) == 0 {
		for _, c := range v.Validation.Columns {
			cand = append(cand, c.Name)
		}
	}
	var out []string
	for _, c := range cand {
		if !skip[c] && isNumeric(types[c]) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("evaluate: version %s has no numeric feature columns", v.ID)
	}
	return out, nil
}

func isNumeric(t string) bool {
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE":
		return true
	}
	return strings.HasPrefix(t, "DECIMAL")
}

// screen fills temp tables ev_auc (per date and feature, plus date NULL
// for all dates together) and ev_outcomes (per date and outcome).
func screen(ctx context.Context, conn *sql.Conn, lake store.Lake, v *sqlfeatures.VersionDetail, dates, features []string, label, positive string) error {
	parts := make([]string, len(dates))
	cols := make([]string, len(features))
	for i, f := range features {
		cols[i] = fmt.Sprintf("CAST(%s AS DOUBLE) AS %s", duck.QuoteIdent(f), duck.QuoteIdent(f))
	}
	for i, d := range dates {
		parts[i] = fmt.Sprintf("SELECT DATE %s AS date, CAST(%s AS VARCHAR) AS lbl, %s FROM read_parquet(%s, hive_partitioning = false)",
			sqlString(d), duck.QuoteIdent(label), strings.Join(cols, ", "), sqlString(lake.VersionDatePart(v.ID, d)))
	}
	quoted := make([]string, len(features))
	for i, f := range features {
		quoted[i] = duck.QuoteIdent(f)
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE ev AS " + strings.Join(parts, " UNION ALL "),
		`CREATE OR REPLACE TEMP TABLE ev_long AS
		 SELECT date, lbl = ` + sqlString(positive) + ` AS pos, feature, x FROM (
		   UNPIVOT (SELECT * FROM ev WHERE lbl IS NOT NULL) ON ` + strings.Join(quoted, ", ") + ` INTO NAME feature VALUE x)
		 WHERE NOT isnan(x)`,
		// Average ranks of ties; AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg).
		`CREATE OR REPLACE TEMP TABLE ev_auc AS
		 WITH ranked AS (
		   SELECT date, feature, pos,
		     rank() OVER (PARTITION BY date, feature ORDER BY x) + (count(*) OVER (PARTITION BY date, feature, x) - 1) / 2.0 AS r
		   FROM ev_long
		   UNION ALL
		   SELECT NULL, feature, pos,
		     rank() OVER (PARTITION BY feature ORDER BY x) + (count(*) OVER (PARTITION BY feature, x) - 1) / 2.0
		   FROM ev_long
		 ), sums AS (
		   SELECT date, feature, count(*) AS n, count(*) FILTER (WHERE pos) AS n_pos, count(*) FILTER (WHERE NOT pos) AS n_neg,
		     coalesce(sum(r) FILTER (WHERE pos), 0) AS r_pos
		   FROM ranked GROUP BY date, feature
		 )
		 SELECT date, feature, n, n_pos, n_neg,
		   CASE WHEN n_pos > 0 AND n_neg > 0 THEN (r_pos - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg) END AS auc
		 FROM sums`,
		`CREATE OR REPLACE TEMP TABLE ev_dates AS
		 SELECT date, count(*) AS signals, count(*) FILTER (WHERE lbl = ` + sqlString(positive) + `) / nullif(count(lbl), 0) AS base_rate
		 FROM ev GROUP BY date`,
		`CREATE OR REPLACE TEMP TABLE bt AS
		 SELECT a.date, ` + sqlString(v.ID) + ` AS version, ` + sqlString(label) + ` AS label, ` + sqlString(positive) + ` AS positive,
		   'feature' AS kind, a.feature AS name, a.n, a.n_pos AS n_positive, a.n_neg AS n_negative, a.auc, d.base_rate, d.signals
		 FROM ev_auc a JOIN ev_dates d ON d.date = a.date
		 UNION ALL
		 SELECT e.date, ` + sqlString(v.ID) + `, ` + sqlString(label) + `, ` + sqlString(positive) + `,
		   'outcome', coalesce(e.lbl, 'NULL'), count(*), NULL, NULL, NULL, any_value(d.base_rate), any_value(d.signals)
		 FROM ev e JOIN ev_dates d ON d.date = e.date GROUP BY e.date, e.lbl`,
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s", duck.FirstLine(err))
		}
	}
	return nil
}

// writeBacktest rewrites backtest_D.parquet with this version's rows of
// temp table bt and every other version's rows it held.
func writeBacktest(ctx context.Context, conn *sql.Conn, lake store.Lake, version, date string) (string, error) {
	final := lake.GoldBacktestFile(date)
	src := "SELECT * FROM bt WHERE date = DATE " + sqlString(date)
	if _, err := os.Stat(final); err == nil {
		src = fmt.Sprintf("SELECT * FROM read_parquet(%s, hive_partitioning = false) WHERE version <> %s UNION ALL BY NAME %s",
			sqlString(final), sqlString(version), src)
	}
	tmp, err := store.TempFile(lake.GoldEvaluationDir(), "backtest_"+date+".parquet")
	if err != nil {
		return "", err
	}
	tmp.Close()
	cast := "SELECT " + castColumns() + " FROM (" + src + ") ORDER BY version, kind, name"
	stmt := fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3)", cast, sqlString(tmp.Name()))
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %s", final, duck.FirstLine(err))
	}
	f, err := os.OpenFile(tmp.Name(), os.O_RDWR, 0)
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if _, err := store.Publish(f, final, true); err != nil {
		return "", err
	}
	return final, nil
}

// castColumns selects the backtest columns with their types.
func castColumns() string {
	var out []string
	for _, c := range strings.Split(backtestColumns, ",") {
		f := strings.Fields(c)
		out = append(out, fmt.Sprintf("CAST(%s AS %s) AS %s", f[0], f[1], f[0]))
	}
	return strings.Join(out, ", ")
}

// summarize reads the all-dates AUCs, outcome counts and base rate.
func summarize(ctx context.Context, conn *sql.Conn, res *EvaluateResult) error {
	rows, err := conn.QueryContext(ctx, "SELECT feature, auc, n FROM ev_auc WHERE date IS NULL ORDER BY feature")
	if err != nil {
		return err
	}
	var aucs []float64
	for rows.Next() {
		var f FeatureAUC
		if err := rows.Scan(&f.Feature, &f.AUC, &f.N); err != nil {
			rows.Close()
			return err
		}
		res.Features = append(res.Features, f)
		if f.AUC != nil {
			aucs = append(aucs, *f.AUC)
			if res.BestFeature == "" || *f.AUC > res.BestAUC {
				res.BestFeature, res.BestAUC = f.Feature, *f.AUC
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(aucs) == 0 {
		return errors.New("no feature has both the positive and other outcomes: nothing to screen")
	}
	sort.Float64s(aucs)
	if n := len(aucs); n%2 == 1 {
		res.MedianAUC = aucs[n/2]
	} else {
		res.MedianAUC = (aucs[n/2-1] + aucs[n/2]) / 2
	}
	rows, err = conn.QueryContext(ctx, "SELECT coalesce(lbl, 'NULL'), count(*) FROM ev GROUP BY 1")
	if err != nil {
		return err
	}
	var pos, labelled int64
	for rows.Next() {
		var l string
		var n int64
		if err := rows.Scan(&l, &n); err != nil {
			rows.Close()
			return err
		}
		res.Outcomes[l] = n
		res.Signals += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE lbl = (SELECT any_value(positive) FROM bt)), count(lbl) FROM ev").Scan(&pos, &labelled); err != nil {
		return err
	}
	if labelled > 0 {
		res.BaseRate = float64(pos) / float64(labelled)
	}
	return nil
}

func dateRange(dates []string) string {
	if len(dates) == 1 {
		return dates[0]
	}
	return dates[0] + ".." + dates[len(dates)-1]
}
