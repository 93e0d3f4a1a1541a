package ingest_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/parquet-go/parquet-go"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/engine/synthmarket"
	"github.com/spysql/spysql/internal/testkit"
	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsmsg"
	"github.com/spysql/spysql/stream/natsutil"
)

// The test binary doubles as the ingest process of the fault tests: with
// SPYSQL_TEST_INGEST set it runs an ingest (config from the environment)
// until SIGINT/SIGTERM, as `spysql ingest` does, and exits. With
// SPYSQL_BENCH_CHILD set it plays a part of the process benchmarks.
func TestMain(m *testing.M) {
	if os.Getenv("SPYSQL_TEST_INGEST") == "1" {
		os.Exit(childIngest())
	}
	if role := os.Getenv("SPYSQL_BENCH_CHILD"); role != "" {
		os.Exit(benchChild(role))
	}
	os.Exit(m.Run())
}

func childIngest() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	lake, err := store.OpenLake(os.Getenv("LAKE"), true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	nc, err := nats.Connect(os.Getenv("NATS_URL"), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	in, err := ingest.New(js, testConfig(lake, log))
	if err == nil {
		err = in.Run(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// testConfig keeps buffers small and ack waits short, so redeliveries
// after a kill come quickly.
func testConfig(lake store.Lake, log *slog.Logger) ingest.Config {
	return ingest.Config{
		Lake: lake, MaxRows: 4000, MaxAge: 200 * time.Millisecond, AckWait: 4 * time.Second,
		Fetch: 500, Log: log, Replicas: 1,
	}
}

// startServer starts an embedded nats-server with JetStream on 127.0.0.1
// and a free port, storing in dir.
func startServer(t *testing.T, dir string, port int) *server.Server {
	t.Helper()
	s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{StoreDir: dir, Port: port})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

func connect(t *testing.T, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

var (
	srcOnce sync.Once
	srcLake store.Lake
	srcErr  error
)

// testDate is the generated trading day the tests replay.
var testDate = calendar.Date{Year: 2025, Month: 12, Day: 16}

// sourceLake is a small generated Bronze day, made once per test binary.
func sourceLake(t *testing.T) store.Lake {
	t.Helper()
	srcOnce.Do(func() {
		dir, err := os.MkdirTemp("", "spysql-ingest-src-*")
		if err != nil {
			srcErr = err
			return
		}
		srcLake, srcErr = store.OpenLake(dir, true)
		if srcErr != nil {
			return
		}
		cal, _ := calendar.New()
		_, srcErr = synthmarket.Generate(context.Background(), srcLake, cal, synthmarket.Config{Start: testDate, End: testDate, Seed: 7, Scale: 0.004}, nil)
	})
	if srcErr != nil {
		t.Fatal(srcErr)
	}
	return srcLake
}

// lakeRows reads every Bronze file of lake and returns, per table, each
// row as "subject payload", sorted: the multiset of what the lake holds.
// Every file must be readable.
func lakeRows(t *testing.T, lake store.Lake) map[store.Table][]string {
	t.Helper()
	out := map[store.Table][]string{}
	for _, tb := range store.BronzeTables() {
		root := lake.BronzeDir(tb)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".parquet") {
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return fmt.Errorf("temp file left visible: %s", p)
			}
			rows, err := fileRows(tb, p)
			if err != nil {
				return fmt.Errorf("read %s: %w", p, err)
			}
			out[tb] = append(out[tb], rows...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(out[tb])
	}
	return out
}

func keyOf(path string) string {
	dir := filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(path))))
	_, v, _ := strings.Cut(dir, "=")
	return v
}

func fileRows(tb store.Table, path string) ([]string, error) {
	key := keyOf(path)
	kind := natsmsg.KindOf(tb)
	subj := natsmsg.Subject(kind, key)
	switch tb {
	case store.FuturesTrades:
		return rowsAs(path, subj, func(r *store.FuturesTrade) ([]byte, error) { r.Symbol = key; return natsmsg.EncodeFuturesTrade(r) })
	case store.FuturesMBP10:
		return rowsAs(path, subj, func(r *store.MBP10) ([]byte, error) { r.Symbol = key; return natsmsg.EncodeMBP10(r) })
	case store.StocksTrades:
		return rowsAs(path, subj, func(r *store.StockTrade) ([]byte, error) { r.Symbol = key; return natsmsg.EncodeStockTrade(r) })
	default:
		return rowsAs(path, subj, func(r *store.OptionTrade) ([]byte, error) { r.Underlying = key; return natsmsg.EncodeOptionTrade(r) })
	}
}

func rowsAs[T any](path, subject string, enc func(*T) ([]byte, error)) ([]string, error) {
	recs, err := parquet.ReadFile[T](path)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(recs))
	for i := range recs {
		b, err := enc(&recs[i])
		if err != nil {
			return nil, err
		}
		out[i] = subject + " " + string(b)
	}
	return out, nil
}

// sameRows fails the test unless got holds exactly the rows of want,
// reporting missing and duplicated rows.
func sameRows(t *testing.T, want, got map[store.Table][]string) {
	t.Helper()
	total := 0
	for _, tb := range store.BronzeTables() {
		w, g := want[tb], got[tb]
		total += len(w)
		if slices.Equal(w, g) {
			continue
		}
		missing, extra := diff(w, g)
		t.Errorf("%s: want %d rows, got %d: %d missing (first %q), %d extra (first %q)",
			tb.Name(), len(w), len(g), len(missing), first(missing), len(extra), first(extra))
	}
	if total == 0 {
		t.Fatal("no rows to compare")
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// diff of two sorted multisets.
func diff(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			onlyA = append(onlyA, a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return onlyA, onlyB
}

// waitFor polls cond until it holds or the deadline passes; newLake is
// an empty lake.
var waitFor, newLake = testkit.WaitFor, testkit.NewLake

// settled reports whether the consumer has delivered and had acked
// everything in its stream.
func settled(ctx context.Context, js jetstream.JetStream, stream, durable string) bool {
	c, err := js.Consumer(ctx, stream, durable)
	if err != nil {
		return false
	}
	info, err := c.Info(ctx)
	if err != nil {
		return false
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return false
	}
	sinfo, err := s.Info(ctx)
	if err != nil {
		return false
	}
	return info.NumPending == 0 && info.NumAckPending == 0 && info.AckFloor.Stream >= sinfo.State.LastSeq && sinfo.State.Msgs > 0
}

// child starts the test binary as an ingest process.
func child(t *testing.T, url string, lake store.Lake) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SPYSQL_TEST_INGEST=1", "NATS_URL="+url, "LAKE="+lake.Root())
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// publishTrades publishes n ES trades of one hour to MARKET and returns
// them as lakeRows lists them.
func publishTrades(t *testing.T, js jetstream.JetStream, n int) []string {
	t.Helper()
	subject := natsmsg.Subject(natsmsg.FuturesTrades, "ES")
	t0 := time.Date(2025, 12, 16, 15, 0, 0, 0, time.UTC).UnixNano()
	var want []string
	for i := range n {
		r := store.FuturesTrade{
			TsEventNS: t0 + int64(i)*1e6, TsRecvNS: t0 + int64(i)*1e6 + 500, Source: "test",
			Instrument: "ESZ5", Price: 6000 + float64(i)/4, Size: int64(i + 1), Aggressor: 1,
			Exchange: "XCME", Seq: int64(i), Symbol: "ES",
		}
		data, err := natsmsg.EncodeFuturesTrade(&r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := js.Publish(context.Background(), subject, data); err != nil {
			t.Fatal(err)
		}
		want = append(want, subject+" "+string(data))
	}
	slices.Sort(want)
	return want
}
