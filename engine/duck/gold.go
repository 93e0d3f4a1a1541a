package duck

import "strings"

// setGold records the Gold datasets the views were registered for,
// so that names resolve as DuckDB resolves gold.<name>: without regard
// to case, and not at all when two files differ only in case.
func (db *DB) setGold(names []string) {
	m := make(map[string]string, len(names))
	for _, n := range names {
		k := strings.ToLower(n)
		if _, dup := m[k]; dup {
			m[k] = ""
			continue
		}
		m[k] = n
	}
	db.gold.Store(&m)
}

// GoldDataset resolves name as DuckDB resolves gold.<name>: without
// regard to case, and not at all when two datasets differ only in case.
func (db *DB) GoldDataset(name string) (string, bool) {
	m := db.gold.Load()
	if m == nil {
		return "", false
	}
	n := (*m)[strings.ToLower(name)]
	return n, n != ""
}
