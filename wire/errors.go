package wire

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/spysql/spysql/engine/session"
)

// pgError is an error the server reports to a client with a SQLSTATE.
type pgError struct {
	Severity string // ERROR unless FATAL
	Code     Code
	Message  string
	Detail   string
	Hint     string
}

func (e *pgError) Error() string { return e.Code.String() + ": " + e.Message }

func errorf(code Code, format string, args ...any) *pgError {
	return &pgError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Causes attached to interrupted statements, so the error names why.
var (
	errUserCancel       = errors.New("canceling statement due to user request")
	errStatementTimeout = errors.New("canceling statement due to statement timeout")
	errShutdown         = errors.New("terminating connection due to administrator command")
)

var engineCodes = map[session.ErrorKind]Code{
	session.ErrParser:         CodeSyntaxError,
	session.ErrCatalog:        CodeUndefinedTable,
	session.ErrBinder:         CodeUndefinedColumn,
	session.ErrConversion:     CodeInvalidTextRepresentation,
	session.ErrOutOfRange:     CodeNumericValueOutOfRange,
	session.ErrDivideByZero:   CodeDivisionByZero,
	session.ErrInvalidInput:   CodeInvalidParameterValue,
	session.ErrNotImplemented: CodeFeatureNotSupported,
	session.ErrPermission:     CodeInsufficientPrivilege,
	session.ErrIO:             CodeIOError,
	session.ErrInterrupt:      CodeQueryCanceled,
	session.ErrOutOfMemory:    CodeOutOfMemory,
	session.ErrInternal:       CodeInternalError,
	session.ErrTransaction:    CodeInternalError,
}

// toPGError maps any error to what the client sees: the one place where
// engine errors become SQLSTATEs.
func toPGError(err error) *pgError {
	var pe *pgError
	if errors.As(err, &pe) {
		return pe
	}
	var ee *session.Error
	if errors.As(err, &ee) {
		if ee.Kind == session.ErrInterrupt {
			msg := errUserCancel.Error()
			switch {
			case errors.Is(ee.Cause, errStatementTimeout):
				msg = errStatementTimeout.Error()
			case errors.Is(ee.Cause, errShutdown):
				return &pgError{Severity: "FATAL", Code: CodeAdminShutdown, Message: errShutdown.Error()}
			}
			return &pgError{Code: CodeQueryCanceled, Message: msg}
		}
		code, ok := engineCodes[ee.Kind]
		if !ok {
			code = CodeInternalError
		}
		msg, detail, _ := strings.Cut(ee.Msg, "\n")
		// DuckDB's messages about the sandbox are Permission, IO or
		// Invalid Input errors; they all mean the same to a client.
		if strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "configuration has been locked") {
			code = CodeInsufficientPrivilege
		}
		if ee.Kind == session.ErrCatalog && strings.Contains(msg, "Function") {
			code = CodeUndefinedFunction
		}
		if ee.Kind == session.ErrCatalog && (strings.Contains(msg, "Type with name") || strings.Contains(msg, "unrecognized configuration parameter")) {
			code = CodeUndefinedObject
		}
		return &pgError{Code: code, Message: strings.TrimSpace(msg), Detail: strings.TrimSpace(detail)}
	}
	if errors.Is(err, session.ErrRowsSuperseded) {
		return &pgError{Code: CodeObjectNotInPrerequisiteState, Message: "portal cannot be resumed: another statement ran on this connection since it was suspended"}
	}
	return &pgError{Code: CodeInternalError, Message: err.Error()}
}

func (e *pgError) response() *pgproto3.ErrorResponse {
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	return &pgproto3.ErrorResponse{
		Severity:            sev,
		SeverityUnlocalized: sev,
		Code:                e.Code.String(),
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
	}
}

// notice is a NoticeResponse with a warning, e.g. BEGIN inside a block.
func notice(code Code, msg string) *pgproto3.NoticeResponse {
	return &pgproto3.NoticeResponse{Severity: "WARNING", SeverityUnlocalized: "WARNING", Code: code.String(), Message: msg}
}
