package duck

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// parallelism sizes DuckDB's worker threads to the statements running,
// for Config.AdaptiveThreads. DuckDB's threads setting is global, and a
// statement runs on the thread that executes it plus every worker that
// picks up its tasks. Handing tasks to workers costs a small statement
// more than it saves (measured: the dashboard mix from one client runs
// 1.1x faster on one thread), while a big one needs the fan-out (a full
// aggregate runs 1.6x faster on two cores). The server says which
// statements it expects to be big (wire: those whose last run took
// 10 ms or more, or never ran). So:
//
//   - no big statement running: threads = 1, every statement on its own
//     thread;
//   - otherwise the cores not already busy running statements help:
//     threads = max - n + 1 for n statements running, at least 1. One big
//     statement alone gets every core;
//   - nothing running: what the last statements wanted, so a server
//     between big statements keeps its workers (idle workers cost
//     nothing) and one between small ones stays at one thread.
//
// A big statement raises threads before it starts, on its own goroutine:
// DuckDB sizes a pipeline's tasks to the threads it has when it schedules
// the pipeline, so workers launched a moment later would find one task.
// Lowering happens in the background once the lower target has held for
// lowerAfter, so back-to-back big statements keep their workers and
// DuckDB does not join and relaunch them for each one.
type parallelism struct {
	max     int
	running atomic.Int64 // statements running
	big     atomic.Int64 // of which expected to be big
	last    atomic.Int64 // target while statements last ran
	current atomic.Int64 // threads set now, for metrics
	changes atomic.Int64
	kick    chan struct{}
	// setMu serializes changes on conn and the decision before each.
	setMu sync.Mutex
	conn  *sql.Conn
	life  context.Context // ends with close
	log   *slog.Logger
	stop  context.CancelFunc
	done  sync.WaitGroup
}

// lowerAfter is how long a lower target must hold before the workers go.
const lowerAfter = 50 * time.Millisecond

// startParallelism reads the threads DuckDB opened with (the most any
// statement gets) and starts following the running statements on a
// connection of its own.
func startParallelism(ctx context.Context, db *sql.DB, log *slog.Logger) (*parallelism, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("adaptive threads: %w", err)
	}
	var s string
	if err := conn.QueryRowContext(ctx, "SELECT CAST(current_setting('threads') AS VARCHAR)").Scan(&s); err != nil {
		conn.Close()
		return nil, fmt.Errorf("adaptive threads: %w", err)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		conn.Close()
		return nil, fmt.Errorf("adaptive threads: threads = %q", s)
	}
	gctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p := &parallelism{max: n, kick: make(chan struct{}, 1), conn: conn, life: gctx, log: log, stop: stop}
	p.current.Store(int64(n))
	p.last.Store(int64(n))
	p.done.Add(1)
	go p.loop(gctx)
	return p, nil
}

// target is the threads for n statements running, big of them big.
func (p *parallelism) target(n, big int64) int64 {
	switch {
	case n <= 0:
		return p.last.Load()
	case big <= 0:
		return 1
	}
	return min(int64(p.max), max(1, int64(p.max)-n+1))
}

// add records a statement starting (+1) or ending (-1); a big one
// starting raises threads before add returns.
func (p *parallelism) add(delta int64, big bool) {
	n := p.running.Add(delta)
	if big {
		p.big.Add(delta)
	}
	if n > 0 {
		p.last.Store(p.target(n, p.big.Load()))
	}
	if big && delta > 0 && p.target(n, p.big.Load()) > p.current.Load() {
		p.change(func(want, cur int64) bool { return want > cur })
	}
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *parallelism) loop(ctx context.Context) {
	defer p.done.Done()
	defer p.conn.Close()
	lower := time.NewTimer(time.Hour)
	lower.Stop()
	armed := false
	for {
		fired := false
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		case <-lower.C:
			armed, fired = false, true
		}
		cur := p.current.Load()
		want := p.target(p.running.Load(), p.big.Load())
		switch {
		case want > cur || (want < cur && fired):
			if armed {
				lower.Stop()
				armed = false
			}
			p.change(func(want, cur int64) bool { return want != cur })
		case want < cur && !armed:
			lower.Reset(lowerAfter)
			armed = true
		case want == cur && armed:
			lower.Stop()
			armed = false
		}
	}
}

// change sets DuckDB's threads to the target for the statements running
// now, if ok(target, current); a failure is logged and the old value
// kept (statements still run, only with the old fan-out).
func (p *parallelism) change(ok func(want, cur int64) bool) {
	p.setMu.Lock()
	defer p.setMu.Unlock()
	want, cur := p.target(p.running.Load(), p.big.Load()), p.current.Load()
	if !ok(want, cur) {
		return
	}
	if _, err := p.conn.ExecContext(p.life, "SET GLOBAL threads = "+strconv.FormatInt(want, 10)); err != nil {
		if p.life.Err() == nil {
			p.log.Warn("adaptive threads: set threads", "threads", want, "err", err)
		}
		return
	}
	p.current.Store(want)
	p.changes.Add(1)
}

// close stops following and waits for a change under way.
func (p *parallelism) close() {
	p.stop()
	p.done.Wait()
}

// ThreadStats is what adaptive threads did: the most a statement gets,
// the threads set now and how often they changed. Zero without
// Config.AdaptiveThreads.
type ThreadStats struct {
	Max, Current, Changes int64
}

// StatementStarted tells the database a statement started running and
// whether it is expected to be big (to need DuckDB's fan-out), for
// Config.AdaptiveThreads; each call must be followed by one StatementDone
// with the same big. Without adaptive threads both do nothing.
func (db *DB) StatementStarted(big bool) {
	if db.par != nil {
		db.par.add(1, big)
	}
}

// StatementDone tells the database a statement ended (StatementStarted).
func (db *DB) StatementDone(big bool) {
	if db.par != nil {
		db.par.add(-1, big)
	}
}

// ThreadStats reports adaptive threads (zero when off).
func (db *DB) ThreadStats() ThreadStats {
	if db.par == nil {
		return ThreadStats{}
	}
	return ThreadStats{Max: int64(db.par.max), Current: db.par.current.Load(), Changes: db.par.changes.Load()}
}
