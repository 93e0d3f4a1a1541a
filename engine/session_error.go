package engine

import (
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// ErrorKind classifies a DuckDB error by the type DuckDB gives it (the
// "Binder Error:" prefix of its messages), so callers can map it to their
// own codes without parsing strings.
type ErrorKind int

// Error kinds. ErrOther is anything not listed.
const (
	ErrOther ErrorKind = iota
	ErrParser
	ErrCatalog
	ErrBinder
	ErrConversion
	ErrOutOfRange
	ErrDivideByZero
	ErrInvalidInput
	ErrNotImplemented
	ErrPermission
	ErrIO
	ErrInterrupt
	ErrOutOfMemory
	ErrInternal
	ErrTransaction
	ErrConstraint
)

var errorPrefixes = []struct {
	prefix string
	kind   ErrorKind
}{
	{"Parser Error", ErrParser},
	{"Syntax Error", ErrParser},
	{"Catalog Error", ErrCatalog},
	{"Binder Error", ErrBinder},
	{"Conversion Error", ErrConversion},
	{"Out of Range Error", ErrOutOfRange},
	{"Divide By Zero Error", ErrDivideByZero},
	{"Invalid Input Error", ErrInvalidInput},
	{"Not implemented Error", ErrNotImplemented},
	{"Permission Error", ErrPermission},
	{"IO Error", ErrIO},
	{"INTERRUPT Error", ErrInterrupt},
	{"Out of Memory Error", ErrOutOfMemory},
	{"INTERNAL Error", ErrInternal},
	{"TransactionContext Error", ErrTransaction},
	{"Transaction Error", ErrTransaction},
	{"Constraint Error", ErrConstraint},
}

// Error is an error reported by DuckDB (or by the session on its behalf).
type Error struct {
	Kind ErrorKind
	// Msg is DuckDB's message without the "<Type> Error: " prefix; its
	// first line is the summary, later lines (LINE 1: ..., a caret) detail.
	Msg string
	// Cause is why an interrupted statement was interrupted (a context's
	// cause), if known.
	Cause error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the interrupt cause, if any.
func (e *Error) Unwrap() error { return e.Cause }

// newError classifies one DuckDB error message.
func newError(msg string) *Error {
	for _, p := range errorPrefixes {
		if rest, ok := strings.CutPrefix(msg, p.prefix+": "); ok {
			return &Error{Kind: p.kind, Msg: rest}
		}
	}
	return &Error{Kind: ErrOther, Msg: msg}
}

// StatementKind is the type of a prepared statement as DuckDB parsed it.
type StatementKind int

// Statement kinds; StmtOther is every kind the wire server never runs.
const (
	StmtOther StatementKind = iota
	StmtSelect
	StmtExplain
	StmtPragma
	StmtCall
	StmtSet
	StmtTransaction
)

func statementKind(t bindings.StatementType) StatementKind {
	switch t {
	case bindings.StatementTypeSelect:
		return StmtSelect
	case bindings.StatementTypeExplain:
		return StmtExplain
	case bindings.StatementTypePragma:
		return StmtPragma
	case bindings.StatementTypeCall:
		return StmtCall
	case bindings.StatementTypeSet, bindings.StatementTypeVariableSet:
		return StmtSet
	case bindings.StatementTypeTransaction:
		return StmtTransaction
	}
	return StmtOther
}
