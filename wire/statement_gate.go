package wire

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/spysql/spysql/wire/gate"
)

// ParseTreeEngine is an Engine that can give DuckDB's parse tree of a
// statement (gate.SerializeSQL's answer); the server then lets package
// gate decide every query before the engine prepares it. DuckEngine is
// one; an engine that is not (the protocol tests' fake, which runs no
// SQL) is not gated.
type ParseTreeEngine interface {
	ParseTree(ctx context.Context, sql string) ([]byte, error)
}

// statementGate runs package gate on DuckDB's parse of each query before
// DuckDB prepares it (binding a table function can already act), and
// remembers the texts it allowed.
type statementGate struct {
	allowed textMap[struct{}]
}

// Bounds of the allowed-statements cache: a full cache starts over.
const (
	gateCacheEntries = 1024
	gateCacheMaxSQL  = 8 << 10
)

// check returns nil when sql may be prepared, else a 42501 (refused
// function, view or statement type) or 42883 (unknown function). A
// syntax error is left for DuckDB's prepare to report with its position.
func (s *Server) checkGate(ctx context.Context, sql string) error {
	if _, ok := s.gate.allowed.get(sql); ok {
		return nil
	}
	if !utf8.ValidString(sql) {
		return errorf(CodeCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
	}
	pe, ok := s.eng.(ParseTreeEngine)
	if !ok {
		return nil // an engine without DuckDB (protocol tests' fake)
	}
	tree, err := pe.ParseTree(ctx, sql)
	if err != nil {
		if ctx.Err() != nil {
			return canceled(ctx, err)
		}
		return errorf(CodeInternalError, "statement gate: %v", err)
	}
	err = gate.Check(tree)
	var r *gate.Refusal
	switch {
	case err == nil:
		s.gate.allowed.update(sql, func(struct{}, bool) struct{} { return struct{}{} })
		return nil
	case !errors.As(err, &r):
		return errorf(CodeInternalError, "statement gate: %v", err)
	case r.Kind == gate.SyntaxError:
		return nil
	case r.Kind == gate.UnknownFunction:
		return errorf(CodeUndefinedFunction, "%s", r.Error())
	}
	return errorf(CodeInsufficientPrivilege, "%s", r.Error())
}
