package session

import (
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// ErrorKind classifies a DuckDB error by the type DuckDB gives it, so
// callers can map it to their own codes without parsing strings. A
// result's error carries DuckDB's error type (duckdb_result_error_type);
// the C API reports errors of prepare, pending execution and statement
// extraction as text only, and those are classified by the type name
// DuckDB puts first in every message ("Binder Error: ...").
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

// errorTypes maps DuckDB's error types to kinds; unlisted types are
// ErrOther.
var errorTypes = map[bindings.ErrorType]ErrorKind{
	bindings.ErrorTypeParser:         ErrParser,
	bindings.ErrorTypeSyntax:         ErrParser,
	bindings.ErrorTypeCatalog:        ErrCatalog,
	bindings.ErrorTypeBinder:         ErrBinder,
	bindings.ErrorTypeConversion:     ErrConversion,
	bindings.ErrorTypeOutOfRange:     ErrOutOfRange,
	bindings.ErrorTypeDivideByZero:   ErrDivideByZero,
	bindings.ErrorTypeInvalidInput:   ErrInvalidInput,
	bindings.ErrorTypeNotImplemented: ErrNotImplemented,
	bindings.ErrorTypePermission:     ErrPermission,
	bindings.ErrorTypeErrorIO:        ErrIO,
	bindings.ErrorTypeInterrupt:      ErrInterrupt,
	bindings.ErrorTypeOutOfMemory:    ErrOutOfMemory,
	bindings.ErrorTypeInternal:       ErrInternal,
	bindings.ErrorTypeFatal:          ErrInternal,
	bindings.ErrorTypeTransaction:    ErrTransaction,
	bindings.ErrorTypeConstraint:     ErrConstraint,
}

// typedError is the error of a result: DuckDB's error type gives the
// kind, the message loses its "<Type> Error: " prefix.
func typedError(t bindings.ErrorType, msg string) *Error {
	e := newError(msg)
	if k, ok := errorTypes[t]; ok {
		e.Kind = k
	}
	return e
}

// newError classifies one DuckDB error message by its prefix.
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
