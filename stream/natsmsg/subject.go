package natsmsg

import (
	"fmt"
	"strings"

	"github.com/spysql/spysql/engine/store"
)

// Kind is what a subject carries.
type Kind int

// The kinds of message, one per subject family.
const (
	FuturesTrades Kind = iota
	FuturesMBP10
	StocksTrades
	OptionsTrades
	Signals
)

var kindPrefix = [...]string{
	FuturesTrades: "market.futures.trades.",
	FuturesMBP10:  "market.futures.mbp10.",
	StocksTrades:  "market.stocks.trades.",
	OptionsTrades: "market.options.trades.",
	Signals:       "levels.signals.",
}

// String is the subject prefix without its trailing dot.
func (k Kind) String() string { return strings.TrimSuffix(kindPrefix[k], ".") }

// Table is the Bronze table of a market kind (Signals has none: false).
func (k Kind) Table() (store.Table, bool) {
	switch k {
	case FuturesTrades:
		return store.FuturesTrades, true
	case FuturesMBP10:
		return store.FuturesMBP10, true
	case StocksTrades:
		return store.StocksTrades, true
	case OptionsTrades:
		return store.OptionsTrades, true
	}
	return 0, false
}

// KindOf returns the kind of a Bronze table.
func KindOf(t store.Table) Kind {
	switch t {
	case store.FuturesMBP10:
		return FuturesMBP10
	case store.StocksTrades:
		return StocksTrades
	case store.OptionsTrades:
		return OptionsTrades
	}
	return FuturesTrades
}

// Subject is the subject of a message of kind k for a symbol or underlying.
func Subject(k Kind, key string) string { return kindPrefix[k] + key }

// Stream subjects and names created by the ingest.
const (
	MarketSubjects     = "market.>"
	LevelsSubjects     = "levels.>"
	DeadLetterSubjects = "deadletter.>"
	SignalSubjects     = "levels.signals.>"
	DeadLetterPrefix   = "deadletter."
)

// ParseSubject splits a subject into its kind and partition key (symbol or
// underlying). A key is 1-32 of A-Z a-z 0-9 _ -, so it is a safe Hive
// partition value.
func ParseSubject(subject string) (Kind, string, error) {
	for k, p := range kindPrefix {
		if key, ok := strings.CutPrefix(subject, p); ok {
			if !validKey(key) {
				return 0, "", &DecodeError{Subject: subject, Reason: fmt.Sprintf("bad symbol %q in subject", key)}
			}
			return Kind(k), key, nil
		}
	}
	return 0, "", &DecodeError{Subject: subject, Reason: "unknown subject"}
}

func validKey(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// DecodeError is why a message was refused; the ingest puts Reason in the
// dead letter's Spysql-Error header.
type DecodeError struct {
	Subject string
	Reason  string
}

func (e *DecodeError) Error() string { return e.Subject + ": " + e.Reason }
