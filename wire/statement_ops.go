package wire

import (
	"context"
	"errors"
	"runtime"
	"time"
	"unicode/utf8"
)

// OpsConfig holds the limits that keep one client from starving the rest
// and the operator's slow-statement log. Zero fields take the documented
// defaults.
type OpsConfig struct {
	// MaxActiveStatements bounds the statements (queries and point
	// reads) executing at once (default 4 x GOMAXPROCS). A statement
	// holds its slot while it runs and while its rows are written, not
	// while its portal is suspended.
	MaxActiveStatements int
	// StatementQueue bounds the statements waiting for a slot, in
	// arrival order, cancel and statement_timeout applying (default 256;
	// negative: none wait). Beyond it a statement fails at once with
	// 53300; the session stays usable.
	StatementQueue int
	// SlowStatement logs, at Warn, every statement that ran at least
	// this long, queueing included (default 0: none).
	SlowStatement time.Duration
}

// serverOps is a server's execution slots and metrics.
type serverOps struct {
	cfg   OpsConfig // defaults filled in
	queue *stmtQueue
	met   *metrics
	sizes statementSizes
}

func newServerOps(cfg OpsConfig) *serverOps {
	cfg.fill()
	o := &serverOps{cfg: cfg, queue: newStmtQueue(cfg.MaxActiveStatements, cfg.StatementQueue), met: newMetrics()}
	o.sizes.ran.entries, o.sizes.ran.maxSQL = sizeEntries, sizeMaxSQL
	return o
}

func (o *OpsConfig) fill() {
	if o.MaxActiveStatements <= 0 {
		o.MaxActiveStatements = 4 * runtime.GOMAXPROCS(0)
	}
	switch {
	case o.StatementQueue == 0:
		o.StatementQueue = 256
	case o.StatementQueue < 0:
		o.StatementQueue = 0
	}
}

// slowQueryMax is how much of a slow statement's text is logged.
const slowQueryMax = 2000

// execPortal runs or resumes pt (runPortal) as the operator sees it: a
// query or point read waits for an execution slot (statement_queue.go), the
// session's pg_stat_activity row shows it running, and its outcome and
// latency go to the metrics and, when slow, to the log.
func (c *conn) execPortal(pt *portal, maxRows int, describe bool) error {
	start := time.Now()
	kind := "other"
	if pt.p.st.kind == stmtQuery {
		kind = "query"
		if pt.p.point != nil {
			kind = "point"
		}
	}
	sql := pt.p.st.sql
	c.act.running(sql, c.settings.vals["application_name"], start)
	defer func() { c.act.idle(c.txn, time.Now()) }()
	err := c.admitAndRun(pt, maxRows, describe, kind)
	d := time.Since(start)
	outcome := outcomeOK
	var full errQueueFull
	switch {
	case err == nil:
	case errors.As(err, &full):
		outcome = outcomeRefused
	case isInterrupt(err):
		outcome = outcomeCanceled
	default:
		outcome = outcomeError
	}
	m := c.srv.ops.met
	m.statements.WithLabelValues(kind, outcome).Inc()
	m.latency.WithLabelValues(kind).Observe(d.Seconds())
	if slow := c.srv.ops.cfg.SlowStatement; slow > 0 && d >= slow {
		m.slow.Inc()
		if len(sql) > slowQueryMax {
			cut := slowQueryMax
			for cut > 0 && !utf8.RuneStart(sql[cut]) {
				cut--
			}
			sql = sql[:cut] + "..."
		}
		c.log.Warn("slow statement", "duration_ms", float64(d.Microseconds())/1000, "pid", c.key.pid, "user", c.user,
			"kind", kind, "outcome", outcome, "query", sql)
	}
	if errors.As(err, &full) {
		return &pgError{Severity: "ERROR", Code: CodeTooManyConnections, Message: full.Error()}
	}
	return err
}

// admitAndRun takes an execution slot for a query or point read that
// has work left, then runs the portal.
func (c *conn) admitAndRun(pt *portal, maxRows int, describe bool, kind string) error {
	if kind != "other" && !pt.done && c.txn != txnFailed {
		// A point read can fall back to DuckDB: it is sized like a query.
		sql, first := pt.p.st.sql, !pt.started
		ctx, end := c.statementContext()
		err := c.srv.ops.queue.acquire(ctx)
		if err == nil {
			defer c.srv.ops.queue.release()
			// Inside the statement's context: a CancelRequest while a big
			// statement waits for its threads cancels it.
			defer c.observeStatement(c.srv.ops.sizes.big(sql))()
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
		}
		err = canceled(ctx, err)
		end()
		if err != nil {
			return err
		}
		if first {
			// Only a portal's first execution runs the plan; resumed
			// batches of a suspended portal would look small.
			start := time.Now()
			defer func() { c.srv.ops.sizes.record(sql, time.Since(start)) }()
		}
	}
	return c.runPortal(pt, maxRows, describe)
}

// observeStatement tells an observing engine a statement starts running,
// big or small; the returned func tells it the statement ended.
func (c *conn) observeStatement(big bool) (done func()) {
	o, ok := c.srv.eng.(statementObserver)
	if !ok {
		return func() {}
	}
	o.StatementStarted(big)
	return func() { o.StatementDone(big) }
}

// statementObserver is an Engine that follows the statements holding an
// execution slot and whether each is expected to be big (statement_size.go);
// DuckEngine sizes DuckDB's threads to them (duck.Config.AdaptiveThreads).
type statementObserver interface {
	StatementStarted(big bool)
	StatementDone(big bool)
}
