package wire

// Code is a PostgreSQL SQLSTATE. It is a struct, as CockroachDB's pgcode,
// so that a plain string cannot be passed where a code is expected; the
// values below are the only ones the server sends.
type Code struct{ s string }

// String is the five-character SQLSTATE.
func (c Code) String() string { return c.s }

// SQLSTATE codes used by the server (PostgreSQL appendix A).
var (
	CodeSuccessfulCompletion         = Code{"00000"}
	CodeWarning                      = Code{"01000"}
	CodeActiveSQLTransaction         = Code{"25001"}
	CodeNoActiveSQLTransaction       = Code{"25P01"}
	CodeInFailedSQLTransaction       = Code{"25P02"}
	CodeIdleInTransactionTimeout     = Code{"25P03"}
	CodeReadOnlySQLTransaction       = Code{"25006"}
	CodeProtocolViolation            = Code{"08P01"}
	CodeInvalidAuthorization         = Code{"28000"}
	CodeInvalidPassword              = Code{"28P01"}
	CodeTooManyConnections           = Code{"53300"}
	CodeOutOfMemory                  = Code{"53200"}
	CodeProgramLimitExceeded         = Code{"54000"}
	CodeQueryCanceled                = Code{"57014"}
	CodeAdminShutdown                = Code{"57P01"}
	CodeIdleSessionTimeout           = Code{"57P05"}
	CodeSyntaxError                  = Code{"42601"}
	CodeInsufficientPrivilege        = Code{"42501"}
	CodeUndefinedTable               = Code{"42P01"}
	CodeUndefinedColumn              = Code{"42703"}
	CodeUndefinedFunction            = Code{"42883"}
	CodeUndefinedObject              = Code{"42704"}
	CodeDuplicatePreparedStatement   = Code{"42P05"}
	CodeDuplicateCursor              = Code{"42P03"}
	CodeInvalidSQLStatementName      = Code{"26000"}
	CodeInvalidCursorName            = Code{"34000"}
	CodeInvalidCursorState           = Code{"24000"}
	CodeDatatypeMismatch             = Code{"42804"}
	CodeInvalidTextRepresentation    = Code{"22P02"}
	CodeCharacterNotInRepertoire     = Code{"22021"}
	CodeInvalidBinaryRepresentation  = Code{"22P03"}
	CodeNumericValueOutOfRange       = Code{"22003"}
	CodeDivisionByZero               = Code{"22012"}
	CodeInvalidParameterValue        = Code{"22023"}
	CodeFeatureNotSupported          = Code{"0A000"}
	CodeObjectNotInPrerequisiteState = Code{"55000"}
	CodeCantChangeRuntimeParam       = Code{"55P02"}
	CodeIOError                      = Code{"58030"}
	CodeInternalError                = Code{"XX000"}
	CodeInvalidSavepoint             = Code{"3B001"}
	CodeUndefinedParameter           = Code{"42P02"}
)
