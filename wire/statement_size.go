package wire

import "time"

// statementSizes remembers how long each statement text ran, so the
// engine can tell the small statements of a dashboard, which run best on
// one DuckDB thread, from the big ones that need every core
// (statementObserver, duck.Config.AdaptiveThreads). A text never run, or
// too long to remember, counts as big: it keeps DuckDB's fan-out.
type statementSizes struct {
	ran textMap[time.Duration]
}

// Bounds of the sizes remembered: a full map starts over.
const (
	sizeEntries = 4096
	sizeMaxSQL  = 8 << 10
)

// smallStatement is the run time below which a statement counts as
// small: on these machines fan-out to a second thread costs about 0.3 ms
// a statement and saves little below this.
const smallStatement = 10 * time.Millisecond

// big reports whether the statement sql is expected to be big.
func (s *statementSizes) big(sql string) bool {
	d, ok := s.ran.get(sql)
	return !ok || d >= smallStatement
}

// record notes a run of sql that took d (smoothed with the runs before).
func (s *statementSizes) record(sql string, d time.Duration) {
	s.ran.update(sql, func(old time.Duration, ok bool) time.Duration {
		if ok {
			return (old + d) / 2
		}
		return d
	})
}
