package wire

import (
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind int

const (
	tokWord   tokKind = iota // keyword or unquoted identifier (Text upper-cased)
	tokIdent                 // "quoted identifier" (Text unquoted)
	tokString                // 'string', E'string', $$string$$ (Text unquoted)
	tokNumber                // 123, 1.5, 1e3
	tokParam                 // $1
	tokPunct                 // any other single character, or :: etc.
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset of the token's start in the source
}

// lexer splits SQL into tokens and statements. It knows quoting (”, E”,
// "", $tag$), comments (--, nested /* */) and nothing about grammar: it
// is only as clever as classification needs.
type lexer struct {
	src string
	pos int
}

// skipSpace skips whitespace and comments.
func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '-' && strings.HasPrefix(l.src[l.pos:], "--"):
			if i := strings.IndexByte(l.src[l.pos:], '\n'); i >= 0 {
				l.pos += i + 1
			} else {
				l.pos = len(l.src)
			}
		case c == '/' && strings.HasPrefix(l.src[l.pos:], "/*"):
			depth := 0
			for l.pos < len(l.src) {
				if strings.HasPrefix(l.src[l.pos:], "/*") {
					depth++
					l.pos += 2
				} else if strings.HasPrefix(l.src[l.pos:], "*/") {
					depth--
					l.pos += 2
					if depth == 0 {
						break
					}
				} else {
					l.pos++
				}
			}
		default:
			return
		}
	}
}

// next returns the next token; ok is false at the end of input.
func (l *lexer) next() (token, bool) {
	l.skipSpace()
	start := l.pos
	t, ok := l.scan()
	t.pos = start
	return t, ok
}

// scan reads the token at l.pos, after any space and comments.
func (l *lexer) scan() (t token, ok bool) {
	if l.pos >= len(l.src) {
		return token{}, false
	}
	s, start := l.src, l.pos
	c := s[l.pos]
	switch {
	case c == '\'':
		return token{kind: tokString, text: l.quoted('\'', false)}, true
	case (c == 'E' || c == 'e') && l.pos+1 < len(s) && s[l.pos+1] == '\'':
		l.pos++
		return token{kind: tokString, text: l.quoted('\'', true)}, true
	case c == '"':
		return token{kind: tokIdent, text: l.quoted('"', false)}, true
	case c == '$':
		if j := l.dollarTag(); j > 0 {
			tag := s[l.pos : l.pos+j]
			body := l.pos + j
			end := strings.Index(s[body:], tag)
			if end < 0 {
				l.pos = len(s)
				return token{kind: tokString, text: s[body:]}, true
			}
			l.pos = body + end + len(tag)
			return token{kind: tokString, text: s[body : body+end]}, true
		}
		l.pos++
		for l.pos < len(s) && s[l.pos] >= '0' && s[l.pos] <= '9' {
			l.pos++
		}
		return token{kind: tokParam, text: s[start:l.pos]}, true
	case isIdentStart(c):
		for l.pos < len(s) && isIdentPart(s[l.pos]) {
			l.pos++
		}
		return token{kind: tokWord, text: strings.ToUpper(s[start:l.pos])}, true
	case c >= '0' && c <= '9' || c == '.' && l.pos+1 < len(s) && s[l.pos+1] >= '0' && s[l.pos+1] <= '9':
		for l.pos < len(s) && (isIdentPart(s[l.pos]) || s[l.pos] == '.' ||
			(s[l.pos] == '+' || s[l.pos] == '-') && (s[l.pos-1] == 'e' || s[l.pos-1] == 'E')) {
			l.pos++
		}
		return token{kind: tokNumber, text: s[start:l.pos]}, true
	}
	_, n := utf8.DecodeRuneInString(s[l.pos:])
	l.pos += n
	return token{kind: tokPunct, text: s[start:l.pos]}, true
}

// quoted reads a q-quoted token with doubled-quote escapes (and
// backslash escapes when esc) and returns its content.
func (l *lexer) quoted(q byte, esc bool) string {
	s := l.src
	l.pos++ // opening quote
	var b strings.Builder
	for l.pos < len(s) {
		c := s[l.pos]
		switch {
		case esc && c == '\\' && l.pos+1 < len(s):
			b.WriteByte(s[l.pos+1])
			l.pos += 2
		case c == q && l.pos+1 < len(s) && s[l.pos+1] == q:
			b.WriteByte(q)
			l.pos += 2
		case c == q:
			l.pos++
			return b.String()
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return b.String()
}

// dollarTag is the length of a $tag$ opener at pos, or 0.
func (l *lexer) dollarTag() int {
	s := l.src[l.pos:]
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return j + 1
		}
		if !isIdentPart(c) || (j == 1 && c >= '0' && c <= '9') {
			return 0
		}
	}
	return 0
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

// splitStatements cuts a query string at top-level semicolons, dropping
// statements that are empty or only comments.
func splitStatements(sql string) []string {
	var out []string
	l := &lexer{src: sql}
	start := 0
	add := func(end int) {
		part := sql[start:end]
		pl := &lexer{src: part}
		if _, ok := pl.next(); ok {
			out = append(out, strings.TrimSpace(part))
		}
	}
	for {
		t, ok := l.next()
		if !ok {
			break
		}
		if t.kind == tokPunct && t.text == ";" {
			add(l.pos - 1)
			start = l.pos
		}
	}
	add(len(sql))
	return out
}

// trimStatement drops trailing semicolons and whitespace.
func trimStatement(sql string) string {
	return strings.TrimRight(sql, " \t\r\n;")
}

// tokens lexes up to max tokens (all when max <= 0).
func tokens(sql string, max int) []token {
	l := &lexer{src: sql}
	var out []token
	for max <= 0 || len(out) < max {
		t, ok := l.next()
		if !ok {
			break
		}
		out = append(out, t)
	}
	return out
}
