package wire

import (
	"maps"
	"sort"
)

// Settings are transactional, as in PostgreSQL: a SET inside a
// transaction that rolls back is undone, and SET LOCAL lasts only until
// the transaction ends, committed or not. The transaction is an explicit
// block (BEGIN ... COMMIT/ROLLBACK) or the implicit one around a simple
// Query message or an extended-protocol batch up to Sync; an error in an
// implicit transaction rolls it back too.
//
// settings.vals are the values in effect; while a transaction that
// changed a setting is open, txnBefore holds the values it started with
// (what ROLLBACK restores) and txnSession the values without SET LOCAL
// (what COMMIT keeps). Each savepoint saves both.
type settingsTxn struct {
	open       bool
	txnBefore  map[string]string
	txnSession map[string]string
	saves      []settingsSave
}

type settingsSave struct {
	vals, session map[string]string
}

// begin starts tracking a transaction, if not yet.
func (s *settings) begin() {
	if s.txn.open {
		return
	}
	s.txn = settingsTxn{open: true, txnBefore: maps.Clone(s.vals), txnSession: maps.Clone(s.vals)}
}

// assign sets a value inside the current transaction; a local value is
// not kept at commit.
func (s *settings) assign(name, value string, local bool) {
	s.begin()
	s.vals[name] = value
	if !local {
		s.txn.txnSession[name] = value
	}
}

// endTxn ends the transaction, keeping the session values (commit) or
// restoring those it started with, and returns the reported settings
// whose value changed.
func (s *settings) endTxn(commit bool) []string {
	if !s.txn.open {
		return nil
	}
	to := s.txn.txnBefore
	if commit {
		to = s.txn.txnSession
	}
	s.txn = settingsTxn{}
	return s.replace(to)
}

// savepoint saves the values for a later ROLLBACK TO.
func (s *settings) savepoint() {
	s.begin()
	s.txn.saves = append(s.txn.saves, settingsSave{vals: maps.Clone(s.vals), session: maps.Clone(s.txn.txnSession)})
}

// rollbackTo restores the values of savepoint i (which stays) and
// returns the reported settings that changed.
func (s *settings) rollbackTo(i int) []string {
	if !s.txn.open || i >= len(s.txn.saves) {
		return nil
	}
	sv := s.txn.saves[i]
	s.txn.saves = s.txn.saves[:i+1]
	s.txn.txnSession = maps.Clone(sv.session)
	return s.replace(maps.Clone(sv.vals))
}

// release forgets savepoint i and those after it; the values stay.
func (s *settings) release(i int) {
	if s.txn.open && i < len(s.txn.saves) {
		s.txn.saves = s.txn.saves[:i]
	}
}

// replace makes vals the values in effect and returns the reported
// settings that changed.
func (s *settings) replace(vals map[string]string) []string {
	var changed []string
	for _, d := range settingDefs {
		if d.report && s.vals[d.name] != vals[d.name] {
			changed = append(changed, d.name)
		}
	}
	s.vals = vals
	sort.Strings(changed)
	return changed
}
