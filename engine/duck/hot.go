package duck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// hotSchema holds the in-memory copies of hot views. Clients may read it
// (the server is read-only); nothing else depends on its table names.
const hotSchema = "_cache"

// hotCache holds the hot tiers, Gold datasets and then the most recently
// built Silver versions, as DuckDB tables in memory, within a budget of
// estimated bytes. A view is hot when it is a plain read of lake Parquet
// (SELECT * FROM read_parquet(...)); each file it reads is copied into a
// table of its own keyed by the file's identity (path, size, modification
// time), so a promotion or a file replaced in place gives a new copy,
// never the old one, and a date added to a version copies only that
// date. The view becomes a UNION ALL over its files' copies, Hive
// partition values as constants. Copies are made and
// views re-pointed inside the refresh's transaction (refresh.go), so the
// swap is atomic for readers.
type hotCache struct {
	budget int64

	mu sync.Mutex
	// views are the gold and silver views of the refresh under way.
	views map[[2]string]string
	// tables are the copies of the last committed refresh, by key;
	// next those of the refresh under way.
	tables, next map[string]hotTable
	seq          int
	stats        CacheStats
}

type hotTable struct {
	name  string
	bytes int64
}

// CacheStats describes the hot cache after the last refresh.
type CacheStats struct {
	// Budget is Config.CacheMemory; 0 means the cache is off.
	Budget int64
	// Tables and Bytes are the copies held and their estimated size.
	Tables int
	Bytes  int64
	// Loads counts copies made, Reuses views bound again to a copy a
	// refresh found current, Skips views left on Parquet because they
	// did not fit the budget; all since Open.
	Loads, Reuses, Skips int64
}

func newHotCache(budget int64) *hotCache {
	return &hotCache{budget: budget, tables: map[string]hotTable{}, views: map[[2]string]string{}}
}

// CacheStats reports the hot cache.
func (db *DB) CacheStats() CacheStats {
	db.hot.mu.Lock()
	defer db.hot.mu.Unlock()
	s := db.hot.stats
	s.Budget = db.hot.budget
	return s
}

// note records a schema's views as syncViews registers them.
func (h *hotCache) note(schema string, want map[string]string) {
	if h.budget <= 0 || (schema != "gold" && schema != "silver") {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range h.views {
		if k[0] == schema {
			delete(h.views, k)
		}
	}
	for n, q := range want {
		h.views[[2]string{schema, n}] = q
	}
}

// apply copies the files of the hot views that fit the budget (or
// reuses current copies), points their views at the copies and drops the
// copies no view needs any more, all in tx.
func (h *hotCache) apply(ctx context.Context, db *DB, tx execer) error {
	if h.budget <= 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, err := tx.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+hotSchema); err != nil {
		return fmt.Errorf("hot cache: %w", err)
	}
	h.next = map[string]hotTable{}
	var used int64
	for _, v := range h.order(db) {
		q := h.views[v]
		files, hive, ok := db.lakeFiles(q)
		if !ok {
			continue
		}
		keys := make([]string, len(files))
		var missing []string
		for i, f := range files {
			id, err := fileIdentity(f)
			if err != nil {
				keys = nil // a file went away: the next refresh sees why
				break
			}
			keys[i] = id
			if _, have := h.tables[id]; !have {
				if _, have := h.next[id]; !have {
					missing = append(missing, f)
				}
			}
		}
		if keys == nil {
			continue
		}
		est, err := estimateBytes(ctx, tx, missing)
		if err != nil {
			return err
		}
		var need int64
		for i, f := range files {
			if _, have := h.next[keys[i]]; have {
				continue // counted with an earlier view
			}
			if t, have := h.tables[keys[i]]; have {
				need += t.bytes
			} else {
				need += est[f]
			}
		}
		if used+need > h.budget {
			h.stats.Skips++
			continue
		}
		used += need
		branches := make([]string, len(files))
		for i, f := range files {
			t, have := h.next[keys[i]]
			if !have {
				t, have = h.tables[keys[i]]
			}
			if have {
				h.stats.Reuses++
			} else {
				h.seq++
				t = hotTable{name: fmt.Sprintf("t%d", h.seq), bytes: est[f]}
				if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s.%s AS SELECT * FROM read_parquet(%s, hive_partitioning = false)", hotSchema, t.name, QuoteString(f))); err != nil {
					return fmt.Errorf("hot cache %s.%s: %w", v[0], v[1], err)
				}
				h.stats.Loads++
			}
			h.next[keys[i]] = t
			branches[i] = "SELECT *" + hivePartitions(db.lake.Root(), f, hive) + " FROM " + hotSchema + "." + t.name
		}
		// One branch per file: a filter on a partition column is decided
		// per branch when the statement is planned, as Hive pruning of
		// the files is, instead of scanning every row of one big copy.
		stmt := fmt.Sprintf("CREATE OR REPLACE VIEW %s.%s AS %s", v[0], QuoteIdent(v[1]), strings.Join(branches, " UNION ALL "))
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("hot cache %s.%s: %w", v[0], v[1], err)
		}
	}
	for k, t := range h.tables {
		if _, keep := h.next[k]; !keep {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP TABLE IF EXISTS %s.%s", hotSchema, t.name)); err != nil {
				return fmt.Errorf("hot cache: drop %s: %w", t.name, err)
			}
		}
	}
	return nil
}

// hivePartitions are the partition columns read_parquet adds for file
// with hive_partitioning (as VARCHAR, as the lake's views ask): each
// key=value directory between the lake root and the file, as constant
// select items.
func hivePartitions(root, file string, hive bool) string {
	if !hive {
		return ""
	}
	rel, err := filepath.Rel(root, filepath.Dir(file))
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			continue
		}
		fmt.Fprintf(&b, ", CAST(%s AS VARCHAR) AS %s", QuoteString(v), QuoteIdent(k))
	}
	return b.String()
}

// commit makes the refresh's copies the current ones.
func (h *hotCache) commit() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.next == nil {
		return
	}
	h.tables, h.next = h.next, nil
	h.stats.Tables = len(h.tables)
	h.stats.Bytes = 0
	for _, t := range h.tables {
		h.stats.Bytes += t.bytes
	}
}

// rollback forgets the refresh's copies: its transaction dropped them.
func (h *hotCache) rollback() {
	h.mu.Lock()
	h.next = nil
	h.mu.Unlock()
}

// order is the hot views by priority: Gold datasets by name, then Silver
// versions, the most recently changed first.
func (h *hotCache) order(db *DB) [][2]string {
	var gold, silver [][2]string
	for v := range h.views {
		if v[0] == "gold" {
			gold = append(gold, v)
		} else {
			silver = append(silver, v)
		}
	}
	sort.Slice(gold, func(i, j int) bool { return gold[i][1] < gold[j][1] })
	mtime := map[string]int64{}
	for _, v := range silver {
		if st, err := os.Stat(db.lake.VersionDir(v[1])); err == nil {
			mtime[v[1]] = st.ModTime().UnixNano()
		}
	}
	sort.Slice(silver, func(i, j int) bool {
		a, b := silver[i][1], silver[j][1]
		if mtime[a] != mtime[b] {
			return mtime[a] > mtime[b]
		}
		return a < b
	})
	return append(gold, silver...)
}

// lakeFiles lists the lake files a plain Parquet view reads: the string
// literals of its SQL that name lake paths, globs expanded, and whether
// it reads Hive partitions (as VARCHAR). ok is false for any other view
// (catalog views, views over views, other read options), which is never
// copied: nothing would tell when its copy went stale.
func (db *DB) lakeFiles(q string) (files []string, hive, ok bool) {
	const prefix = "SELECT * FROM read_parquet("
	if !strings.HasPrefix(q, prefix) || strings.Count(q, "read_parquet(") != 1 {
		return nil, false, false
	}
	const hiveOpts = ", hive_partitioning = true, hive_types = {'date': 'VARCHAR'})"
	switch {
	case strings.HasSuffix(q, hiveOpts):
		hive = true
	case strings.HasSuffix(q, "')"), strings.HasSuffix(q, "'])"):
	default:
		return nil, false, false
	}
	roots := []string{db.lake.Root() + string(filepath.Separator)}
	if r, err := filepath.EvalSymlinks(db.lake.Root()); err == nil {
		// Gold views name the resolved file of the current promotion.
		roots = append(roots, r+string(filepath.Separator))
	}
	for _, lit := range stringLiterals(q) {
		if !strings.HasPrefix(lit, roots[0]) && !strings.HasPrefix(lit, roots[len(roots)-1]) {
			continue
		}
		if strings.ContainsAny(lit, "*?[") {
			m, err := filepath.Glob(lit)
			if err != nil {
				return nil, false, false
			}
			files = append(files, m...)
			continue
		}
		files = append(files, lit)
	}
	sort.Strings(files)
	return files, hive, len(files) > 0
}

// stringLiterals are the single-quoted literals of q, unescaped.
func stringLiterals(q string) []string {
	var out []string
	for i := 0; i < len(q); i++ {
		if q[i] != '\'' {
			continue
		}
		var b strings.Builder
		for i++; i < len(q); i++ {
			if q[i] == '\'' {
				if i+1 < len(q) && q[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(q[i])
		}
		out = append(out, b.String())
	}
	return out
}

// fileIdentity is a file's path, size and modification time, the key of
// its copy: publishing renames a new file into place, so any change
// alters it.
func fileIdentity(f string) (string, error) {
	st, err := os.Stat(f)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s|%d|%d", f, st.Size(), st.ModTime().UnixNano()), nil
}

// estimateBytes is each file's uncompressed Parquet size, about what
// DuckDB's in-memory table of it takes.
func estimateBytes(ctx context.Context, tx execer, files []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(files) == 0 {
		return out, nil
	}
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = QuoteString(f)
	}
	rows, err := tx.QueryContext(ctx, "SELECT file_name, CAST(sum(total_uncompressed_size) AS BIGINT) FROM parquet_metadata(["+strings.Join(quoted, ", ")+"]) GROUP BY file_name")
	if err != nil {
		return nil, fmt.Errorf("hot cache: size of %s: %w", files[0], err)
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		var n int64
		if err := rows.Scan(&f, &n); err != nil {
			return nil, err
		}
		out[f] = n
	}
	return out, rows.Err()
}
