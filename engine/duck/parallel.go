package duck

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
)

// parallelism sizes DuckDB's worker threads to the statements running,
// for Config.AdaptiveThreads. DuckDB's threads setting is global, and a
// statement runs on the thread that executes it plus every worker that
// picks up its tasks. Handing tasks to workers costs a small statement
// more than it saves (measured: the dashboard mix from one client runs
// 1.1x faster on one thread), while a big one needs the fan-out (a full
// aggregate runs 1.6x faster on two cores). The server says which
// statements it expects to be big (wire: those never run, or whose first
// executions took 10 ms or more). So:
//
//   - a big statement raises threads to the most (max) before it starts,
//     on its own goroutine: DuckDB sizes a pipeline's tasks to the threads
//     it has when it schedules the pipeline, so workers launched a moment
//     later would find one task;
//   - threads go down to 1 only when nothing runs and the statement that
//     started last was small. DuckDB lowers threads by stopping every
//     worker after its current task, holding a lock each finishing
//     statement needs: lowered under a running scan, every statement on
//     the server would wait for the scan. With nothing running the
//     workers are idle and it is immediate.
//
// So a server between big statements keeps its workers (idle workers
// cost nothing), and one serving small statements runs each on its own
// thread once it has had an idle moment.
type parallelism struct {
	max     int
	running atomic.Int64 // statements running
	lastBig atomic.Bool  // the statement that started last was big
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

// startParallelism reads the threads DuckDB opened with (the most any
// statement gets) and starts following the running statements on a
// connection of its own.
func startParallelism(ctx context.Context, db *sql.DB, log *slog.Logger) (*parallelism, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("adaptive threads: %w", err)
	}
	s, err := currentThreads(ctx, conn)
	if err != nil {
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
	p.done.Add(1)
	go p.loop(gctx)
	return p, nil
}

// add records a statement starting (+1) or ending (-1); a big one
// starting raises threads before add returns.
func (p *parallelism) add(delta int64, big bool) {
	n := p.running.Add(delta)
	if delta > 0 {
		p.lastBig.Store(big)
		if big {
			// Decided under setMu: a lowering in flight has not yet
			// updated current.
			p.change(func(cur int64) int64 { return int64(p.max) })
		}
		return
	}
	if n == 0 {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}

// loop lowers threads to 1 when the server goes idle after a small
// statement.
func (p *parallelism) loop(ctx context.Context) {
	defer p.done.Done()
	defer p.conn.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		p.change(func(cur int64) int64 {
			if p.running.Load() == 0 && !p.lastBig.Load() {
				return 1
			}
			return cur
		})
	}
}

// change sets DuckDB's threads to want(current), decided under setMu;
// a failure is logged and the old value kept (statements still run, only
// with the old fan-out).
func (p *parallelism) change(want func(cur int64) int64) {
	p.setMu.Lock()
	defer p.setMu.Unlock()
	cur := p.current.Load()
	n := want(cur)
	if n == cur {
		return
	}
	if _, err := p.conn.ExecContext(p.life, "SET GLOBAL threads = "+strconv.FormatInt(n, 10)); err != nil {
		if p.life.Err() == nil {
			p.log.Warn("adaptive threads: set threads", "threads", n, "err", err)
		}
		return
	}
	p.current.Store(n)
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
