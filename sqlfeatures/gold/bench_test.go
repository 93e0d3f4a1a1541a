package gold

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// BenchmarkPromote promotes the fixture's three dates, alternating with
// two dates so every promotion writes (gates, sorted ZSTD file, hash,
// metadata, pointer, point index). copy is the baseline: the same rows
// written sorted to a file by one DuckDB COPY on an open database.
func BenchmarkPromote(b *testing.B) {
	ctx := context.Background()
	lake := freshLake(b)
	b.Run("promote", func(b *testing.B) {
		for i := range b.N {
			dates := fixtureDates
			if i%2 == 1 {
				dates = fixtureDates[:2]
			}
			if _, err := Promote(ctx, lake, PromoteOptions{Version: touchID, Dataset: "bench", Dates: mustDates(dates), Engine: duck.Config{Threads: 2}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		db, err := duck.Open(ctx, lake, duck.Config{Threads: 2})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		var parts []string
		for _, d := range fixtureDates {
			parts = append(parts, fmt.Sprintf("SELECT *, DATE '%s' AS date FROM read_parquet('%s')", d, lake.VersionDatePart(touchID, d)))
		}
		out := filepath.Join(b.TempDir(), "copy.parquet")
		q := fmt.Sprintf("COPY (SELECT * FROM (%s) ORDER BY ts_event_ns) TO '%s' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE %d)",
			strings.Join(parts, " UNION ALL "), out, store.RowGroupRows)
		b.ResetTimer()
		for range b.N {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
