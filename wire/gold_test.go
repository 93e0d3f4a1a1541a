package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/point"
	"github.com/spysql/spysql/engine/store"
)

// goldRow is one row of the test Gold dataset: ten columns of the types
// a training set has, sorted by ts_event_ns.
type goldRow struct {
	TsEventNS       int64   `parquet:"ts_event_ns"`
	LevelKind       int64   `parquet:"level_kind"`
	LevelPrice      float64 `parquet:"level_price"`
	BarrierState    float64 `parquet:"barrier_state"`
	BarrierDeltaLiq float64 `parquet:"barrier_delta_liq"`
	Outcome         bool    `parquet:"outcome"`
	FwdReturnBps    float64 `parquet:"fwd_return_bps"`
	Underlying      string  `parquet:"underlying"`
	SessionDate     int32   `parquet:"session_date,date"`
	TouchCount      int32   `parquet:"touch_count"`
}

// benchGoldRow is row i; PostgreSQL's copy in the benchmarks computes the
// same values with generate_series.
func benchGoldRow(i int64) goldRow {
	return goldRow{
		TsEventNS: i, LevelKind: i % 7, LevelPrice: 400 + float64(i%1000)/4, BarrierState: float64((i*31)%1000) / 10,
		BarrierDeltaLiq: float64((i*17)%500) - 250.5, Outcome: i%3 == 0, FwdReturnBps: float64((i*13)%2000-1000) / 7,
		Underlying: "SPY", SessionDate: 20090 + int32(i%30), TouchCount: int32(i % 100),
	}
}

// writeGold publishes gold/training/<name>.parquet as a promotion writes
// it (sorted by key, ZSTD, renamed into place), then its point index.
func writeGold(t testing.TB, lake store.Lake, name string, rows int) {
	t.Helper()
	dir := lake.GoldTrainingDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "."+name+".parquet.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[goldRow](f, store.ParquetOptions()...)
	buf := make([]goldRow, 0, 4096)
	for i := range int64(rows) {
		buf = append(buf, benchGoldRow(i))
		if len(buf) == cap(buf) || i == int64(rows)-1 {
			if _, err := w.Write(buf); err != nil {
				t.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name+".parquet")); err != nil {
		t.Fatal(err)
	}
	if _, err := point.WritePointIndex(context.Background(), lake, name, ""); err != nil {
		t.Fatal(err)
	}
}
