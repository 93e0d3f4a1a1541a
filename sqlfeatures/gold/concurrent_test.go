package gold

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/wire"
)

// TestReadersDuringPromotions reads gold.ds over the wire (simple and
// extended protocol, keyed lookups included) while it is promoted back
// and forth between two contents: every answer is one content whole,
// never a mix and never an error.
func TestReadersDuringPromotions(t *testing.T) {
	lake := freshLake(t)
	ctx := context.Background()
	a, b := fixtureDates[:1], fixtureDates[:2]
	promote(t, lake, "ds", a...)
	ref := openDB(t, lake)
	type state struct{ n, vol int64 }
	var want [2]state
	want[0].n, want[0].vol = silverAgg(t, ref, a)
	want[1].n, want[1].vol = silverAgg(t, ref, b)
	// A key only content b has.
	var onlyB int64
	if err := ref.SQL().QueryRow(`SELECT max(ts_event_ns) FROM silver."v1.0_touch" WHERE date = ?`, b[1]).Scan(&onlyB); err != nil {
		t.Fatal(err)
	}

	db, err := duck.Open(ctx, lake, duck.Config{Sandbox: true, Threads: 2, Catalog: Catalog})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := wire.NewServer(wire.NewDuckEngine(db), wire.Config{Auth: wire.AuthTrust})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	defer func() {
		srv.Close()
		<-served
		db.Close()
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	dsn := fmt.Sprintf("host=%s port=%s user=t dbname=lake sslmode=disable", host, port)

	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	seen := make([][2]int, 3)
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close(ctx)
			mode := pgx.QueryExecModeSimpleProtocol
			if r > 0 {
				mode = pgx.QueryExecModeCacheStatement
			}
			for {
				select {
				case <-done:
					return
				default:
				}
				var s state
				if err := conn.QueryRow(ctx, `SELECT count(*), sum(volume) FROM gold.ds`, mode).Scan(&s.n, &s.vol); err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				switch s {
				case want[0]:
					seen[r][0]++
				case want[1]:
					seen[r][1]++
				default:
					errs <- fmt.Errorf("reader %d saw %+v, want %+v or %+v", r, s, want[0], want[1])
					return
				}
				if r == 2 {
					// A keyed lookup (point read or DuckDB) sees the key
					// exactly when the content it reads has it.
					var n int
					rows, err := conn.Query(ctx, `SELECT * FROM gold.ds WHERE ts_event_ns = $1`, onlyB)
					if err != nil {
						errs <- fmt.Errorf("lookup: %w", err)
						return
					}
					for rows.Next() {
						n++
					}
					if err := rows.Err(); err != nil {
						errs <- fmt.Errorf("lookup: %w", err)
						return
					}
					if n > 1 {
						errs <- fmt.Errorf("lookup found %d rows", n)
						return
					}
				}
			}
		}()
	}
	for i := range 6 {
		dates := b
		if i%2 == 1 {
			dates = a
		}
		if _, err := Promote(ctx, lake, PromoteOptions{Version: touchID, Dataset: "ds", Dates: mustDates(dates)}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := Rollback(ctx, lake, RollbackOptions{Dataset: "ds"}); err != nil {
				t.Fatal(err)
			}
			if _, err := Rollback(ctx, lake, RollbackOptions{Dataset: "ds"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	wg.Wait()
	// The metadata tables over the wire follow the lake too.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	h, err := History(lake, "ds")
	if err != nil {
		t.Fatal(err)
	}
	var depth, entries int
	if err := conn.QueryRow(ctx, `SELECT history_depth, (SELECT count(*) FROM lake.dataset_history WHERE dataset = 'ds') FROM lake.datasets WHERE dataset = 'ds'`).Scan(&depth, &entries); err != nil {
		t.Fatal(err)
	}
	if depth != len(h) || entries != len(h) {
		t.Errorf("over the wire: history depth %d, %d history rows; the lake has %d entries", depth, entries, len(h))
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for r, s := range seen {
		if s[0] == 0 || s[1] == 0 {
			t.Errorf("reader %d saw the contents %v times: both should appear", r, s)
		}
	}
}
