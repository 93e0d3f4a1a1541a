package importer

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

const (
	dbnDir     = "../../testdata/dbn"
	polygonDir = "../../testdata/polygon"
)

func TestMain(m *testing.M) {
	if os.Getenv(killEnv) != "" {
		killChild()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newImporter(t testing.TB, lake store.Lake, cfg Config) *Importer {
	t.Helper()
	cfg.Lake = lake
	im, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// query runs q over the lake through engine's DuckDB views and returns every
// row as one string of "|"-separated values.
func query(t testing.TB, lake store.Lake, q string) []string {
	t.Helper()
	ctx := context.Background()
	db, err := duck.Open(ctx, lake, duck.Config{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				parts[i] = "NULL"
			case time.Time:
				parts[i] = x.UTC().Format(time.DateOnly)
			default:
				parts[i] = fmt.Sprint(x)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// lakeFiles lists every regular file under the lake root, lake-relative.
func lakeFiles(t testing.TB, lake store.Lake) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(lake.Root(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(lake.Root(), p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func plainDBN(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dbnDir, name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out, err := d.DecodeAll(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// synthDBN builds a plain DBN stream with the metadata of the test file
// name (mapping ESH1 = 5482 on 2020-12-28) and n records made from its
// first record, spread evenly over the given UTC hours from 00:00 of
// 2020-12-28, each with its own sequence number, price and size.
func synthDBN(t testing.TB, name string, n int, hours int) []byte {
	t.Helper()
	raw := plainDBN(t, name)
	off := 8 + int(binary.LittleEndian.Uint32(raw[4:]))
	rec := raw[off : off+int(raw[off])*4]
	var buf bytes.Buffer
	buf.Grow(off + n*len(rec))
	buf.Write(raw[:off])
	base := uint64(time.Date(2020, 12, 28, 0, 0, 0, 0, time.UTC).UnixNano())
	step := uint64(hours) * uint64(time.Hour) / uint64(n)
	r := append([]byte(nil), rec...)
	for i := range n {
		ts := base + uint64(i)*step
		binary.LittleEndian.PutUint64(r[8:], ts)                                        // ts_event
		binary.LittleEndian.PutUint64(r[16:], uint64(3700_000000000+(i%400)*250000000)) // price
		binary.LittleEndian.PutUint32(r[24:], uint32(i%50+1))                           // size
		binary.LittleEndian.PutUint64(r[32:], ts+250000)                                // ts_recv
		binary.LittleEndian.PutUint32(r[44:], uint32(i))                                // sequence
		buf.Write(r)
	}
	return buf.Bytes()
}

// synthStocksCSV builds a Polygon stocks trades file of n rows over two
// tickers, spread over the given UTC hours of 2025-01-02 from 14:00.
func synthStocksCSV(n int, hours int) []byte {
	var b bytes.Buffer
	b.WriteString("ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp\n")
	base := time.Date(2025, 1, 2, 14, 0, 0, 0, time.UTC).UnixNano()
	step := int64(hours) * int64(time.Hour) / int64(n)
	for i := range n {
		ticker := "SPY"
		if i%3 == 0 {
			ticker = "QQQ"
		}
		ts := base + int64(i)*step
		fmt.Fprintf(&b, "%s,\"12,37\",0,%d,%d,%d,%.2f,%d,%d,%d,2,,\n",
			ticker, 1+i%20, 1000000+i, ts, 580+float64(i%500)/100, i, ts+1500, 1+i%300)
	}
	return b.Bytes()
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
