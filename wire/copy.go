package wire

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// COPY (query) TO STDOUT and COPY table [(columns)] TO STDOUT, in
// PostgreSQL's text, CSV and binary formats (psql's \copy ... to sends
// these). COPY FROM and COPY to a file stay refused: spysql is read-only
// and the server's files are not the client's.

// copyOpts are COPY's options.
type copyOpts struct {
	format     string // text, csv, binary
	header     bool
	delim      string
	null       string
	nullSet    bool // NULL given, possibly ''
	quote      string
	escape     string
	forceQuote bool // FORCE_QUOTE *
}

// copyCmd is a parsed COPY ... TO STDOUT.
type copyCmd struct {
	query statement
	opts  copyOpts
}

// isCopyOut reports whether a COPY's tokens are COPY (query) TO STDOUT or
// COPY name [(cols)] TO STDOUT.
func isCopyOut(toks []token) bool {
	_, rest, ok := copySource(toks, "")
	return ok && len(rest) >= 2 && rest[0].text == "TO" && rest[0].kind == tokWord && rest[1].text == "STDOUT" && rest[1].kind == tokWord
}

// copySource is the query a COPY reads and the tokens after it.
func copySource(toks []token, sql string) (query string, rest []token, ok bool) {
	if len(toks) < 2 {
		return "", nil, false
	}
	if toks[1].kind == tokPunct && toks[1].text == "(" {
		depth := 0
		for i := 1; i < len(toks); i++ {
			if toks[i].kind != tokPunct {
				continue
			}
			switch toks[i].text {
			case "(":
				depth++
			case ")":
				depth--
				if depth == 0 {
					if sql != "" {
						query = sql[toks[1].pos+1 : toks[i].pos]
					}
					return query, toks[i+1:], true
				}
			}
		}
		return "", nil, false
	}
	// COPY [schema.]name [(col, ...)]
	i := 1
	var name []string
	for i < len(toks) && (toks[i].kind == tokWord || toks[i].kind == tokIdent) {
		name = append(name, identSQL(toks[i]))
		i++
		if i < len(toks) && toks[i].text == "." {
			i++
			continue
		}
		break
	}
	if len(name) == 0 || len(name) > 2 {
		return "", nil, false
	}
	cols := "*"
	if i < len(toks) && toks[i].text == "(" {
		var cs []string
		for i++; i < len(toks) && toks[i].text != ")"; i++ {
			if toks[i].kind == tokWord || toks[i].kind == tokIdent {
				cs = append(cs, identSQL(toks[i]))
			}
		}
		if i >= len(toks) {
			return "", nil, false
		}
		i++
		cols = strings.Join(cs, ", ")
	}
	return "SELECT " + cols + " FROM " + strings.Join(name, "."), toks[i:], true
}

// identSQL is a name token as SQL: quoted as written, or lower case.
func identSQL(t token) string {
	if t.kind == tokIdent {
		return `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
	}
	return strings.ToLower(t.text)
}

// parseCopy reads a COPY ... TO STDOUT with its options, in the
// parenthesized form (WITH (FORMAT csv, HEADER, ...)) or the old one
// (WITH CSV HEADER DELIMITER ',' ...).
func parseCopy(st statement) (*copyCmd, error) {
	q, rest, ok := copySource(st.toks, st.sql)
	if !ok || len(rest) < 2 {
		return nil, errorf(CodeSyntaxError, "syntax error in COPY")
	}
	cmd := &copyCmd{query: classify(strings.TrimSpace(q)), opts: copyOpts{format: "text"}}
	if cmd.query.kind == stmtForbidden {
		return nil, errorf(CodeInsufficientPrivilege, "permission denied: %s is not allowed, spysql is read-only", cmd.query.what)
	}
	if cmd.query.kind != stmtQuery {
		return nil, errorf(CodeFeatureNotSupported, "COPY of a %s is not supported", cmd.query.tag)
	}
	opts := rest[2:]
	if len(opts) > 0 && opts[0].kind == tokWord && opts[0].text == "WITH" {
		opts = opts[1:]
	}
	var err error
	if len(opts) > 0 && opts[0].text == "(" {
		err = cmd.opts.parseList(opts[1:])
	} else {
		err = cmd.opts.parseLegacy(opts)
	}
	if err != nil {
		return nil, err
	}
	return cmd, cmd.opts.fill()
}

func (o *copyOpts) set(name string, val token, hasVal bool) error {
	v := val.text
	if val.kind == tokWord {
		v = strings.ToLower(v)
	}
	switch name {
	case "FORMAT":
		if v != "text" && v != "csv" && v != "binary" {
			return errorf(CodeInvalidParameterValue, "COPY format %q not recognized", v)
		}
		o.format = v
	case "HEADER":
		o.header = !hasVal || v == "true" || v == "on" || v == "1"
	case "DELIMITER":
		o.delim = val.text
	case "NULL":
		o.null, o.nullSet = val.text, true
	case "QUOTE":
		o.quote = val.text
	case "ESCAPE":
		o.escape = val.text
	case "ENCODING":
		if _, err := checkEncoding(val.text); err != nil {
			return errorf(CodeFeatureNotSupported, "COPY encoding %q: %v", val.text, err)
		}
	default:
		return errorf(CodeFeatureNotSupported, "COPY option %s is not supported", strings.ToLower(name))
	}
	return nil
}

// parseList reads FORMAT csv, HEADER [bool], DELIMITER 'x', ... ).
func (o *copyOpts) parseList(toks []token) error {
	for i := 0; i < len(toks); {
		if toks[i].text == ")" {
			return nil
		}
		if toks[i].kind != tokWord {
			return errorf(CodeSyntaxError, "syntax error in COPY options at %q", toks[i].text)
		}
		name := toks[i].text
		i++
		if name == "FORCE_QUOTE" && i < len(toks) && toks[i].text == "*" {
			o.forceQuote = true
			i++
		} else if i < len(toks) && toks[i].text != "," && toks[i].text != ")" {
			if err := o.set(name, toks[i], true); err != nil {
				return err
			}
			i++
		} else if err := o.set(name, token{}, false); err != nil {
			return err
		}
		if i < len(toks) && toks[i].text == "," {
			i++
		}
	}
	return errorf(CodeSyntaxError, "syntax error in COPY options: missing )")
}

// parseLegacy reads BINARY, CSV, HEADER, DELIMITER [AS] 'x', NULL [AS]
// 'x', QUOTE [AS] 'x', ESCAPE [AS] 'x', FORCE QUOTE *.
func (o *copyOpts) parseLegacy(toks []token) error {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokPunct && t.text == ";" {
			break
		}
		if t.kind != tokWord {
			return errorf(CodeSyntaxError, "syntax error in COPY at %q", t.text)
		}
		switch t.text {
		case "BINARY":
			o.format = "binary"
		case "CSV":
			o.format = "csv"
		case "HEADER":
			o.header = true
		case "FORCE":
			if i+2 < len(toks) && toks[i+1].text == "QUOTE" && toks[i+2].text == "*" {
				o.forceQuote = true
				i += 2
				continue
			}
			return errorf(CodeFeatureNotSupported, "COPY FORCE QUOTE of named columns is not supported")
		case "DELIMITER", "NULL", "QUOTE", "ESCAPE", "ENCODING":
			i++
			if i < len(toks) && toks[i].text == "AS" && toks[i].kind == tokWord {
				i++
			}
			if i >= len(toks) || toks[i].kind != tokString {
				return errorf(CodeSyntaxError, "COPY %s needs a string", t.text)
			}
			if err := o.set(t.text, toks[i], true); err != nil {
				return err
			}
		default:
			return errorf(CodeFeatureNotSupported, "COPY option %s is not supported", strings.ToLower(t.text))
		}
	}
	return nil
}

// fill applies PostgreSQL's defaults and checks.
func (o *copyOpts) fill() error {
	if o.format == "binary" && (o.header || o.delim != "" || o.null != "") {
		return errorf(CodeSyntaxError, "cannot specify DELIMITER, NULL or HEADER in BINARY mode")
	}
	if o.delim == "" {
		o.delim = "\t"
		if o.format == "csv" {
			o.delim = ","
		}
	}
	if len(o.delim) != 1 {
		return errorf(CodeFeatureNotSupported, "COPY delimiter must be a single one-byte character")
	}
	if o.format == "text" && !o.nullSet {
		o.null = `\N`
	}
	if o.quote == "" {
		o.quote = `"`
	}
	if o.escape == "" {
		o.escape = o.quote
	}
	if len(o.quote) != 1 || len(o.escape) != 1 {
		return errorf(CodeFeatureNotSupported, "COPY quote and escape must be single one-byte characters")
	}
	return nil
}

// execCopyOut streams the query's rows as CopyData messages.
func (c *conn) execCopyOut(pt *portal) error {
	pt.done = true
	cmd, err := parseCopy(pt.p.st)
	if err != nil {
		return err
	}
	inner := pt.p.inner
	inner.refs++
	cp := &portal{p: inner}
	defer cp.close()
	binary := cmd.opts.format == "binary"
	if binary {
		cp.formats = []int16{1}
	}
	defer c.watchClient(c.portalContext(cp))()
	defer c.observeStatement(true)() // COPY TO STDOUT streams a whole result
	if err := c.startQuery(cp); err != nil {
		return err
	}
	ncol := len(cp.enc)
	resp := &pgproto3.CopyOutResponse{ColumnFormatCodes: make([]uint16, ncol)}
	if binary {
		resp.OverallFormat = 1
		for i := range resp.ColumnFormatCodes {
			resp.ColumnFormatCodes[i] = 1
		}
	}
	c.send(resp)
	o := &cmd.opts
	if binary {
		c.copyData([]byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	} else if o.header {
		var line []byte
		for i, f := range inner.fields {
			if i > 0 {
				line = append(line, o.delim...)
			}
			line = o.appendText(line, string(f.Name), false)
		}
		c.copyData(append(line, '\n'))
	}
	c.touch(cp.sess)
	c.setCurrent(cp.cancel)
	defer c.setCurrent(nil)
	var n int64
	var line, val []byte
	for {
		ch, err := cp.rows.Next()
		if err == nil {
			err = c.holdChunk(cp, ch, ncol)
		}
		if err != nil {
			c.holdChunk(cp, nil, 0)
			return err
		}
		if ch == nil {
			break
		}
		for j := range ncol {
			cp.vecs[j] = ch.Column(j)
		}
		for i := range ch.Len() {
			line = line[:0]
			if binary {
				line = append(line, byte(ncol>>8), byte(ncol))
			}
			for j, v := range cp.vecs {
				if binary {
					if !v.Valid(i) {
						line = append(line, 0xff, 0xff, 0xff, 0xff)
						continue
					}
					at := len(line)
					line = append(line, 0, 0, 0, 0)
					line = cp.enc[j](line, v, i)
					be.PutUint32(line[at:], uint32(len(line)-at-4))
					continue
				}
				if j > 0 {
					line = append(line, o.delim...)
				}
				if !v.Valid(i) {
					line = append(line, o.null...)
					continue
				}
				val = cp.enc[j](val[:0], v, i)
				line = o.appendText(line, string(val), o.forceQuote)
			}
			if !binary {
				line = append(line, '\n')
			}
			c.copyData(line)
			n++
			if len(c.out) >= flushThreshold {
				if err := c.flush(); err != nil {
					return err
				}
			}
		}
	}
	if binary {
		c.copyData([]byte{0xff, 0xff})
	}
	c.send(&pgproto3.CopyDone{})
	c.send(&pgproto3.CommandComplete{CommandTag: []byte(fmt.Sprintf("COPY %d", n))})
	return nil
}

// copyData appends one CopyData message.
func (c *conn) copyData(data []byte) {
	out := append(c.out, 'd', 0, 0, 0, 0)
	be.PutUint32(out[len(out)-4:], uint32(len(data)+4))
	c.out = append(out, data...)
}

// appendText appends a value escaped for text format, or quoted as CSV
// needs (a delimiter, quote, newline, the NULL string or force).
func (o *copyOpts) appendText(out []byte, v string, force bool) []byte {
	if o.format == "csv" {
		if !force && v != o.null && !strings.ContainsAny(v, o.delim+o.quote+o.escape+"\r\n") {
			return append(out, v...)
		}
		out = append(out, o.quote...)
		for i := 0; i < len(v); i++ {
			if v[i] == o.quote[0] || v[i] == o.escape[0] {
				out = append(out, o.escape...)
			}
			out = append(out, v[i])
		}
		return append(out, o.quote...)
	}
	for i := 0; i < len(v); i++ {
		switch b := v[i]; b {
		case '\\':
			out = append(out, '\\', '\\')
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		case '\t':
			out = append(out, '\\', 't')
		case '\b':
			out = append(out, '\\', 'b')
		case '\f':
			out = append(out, '\\', 'f')
		case '\v':
			out = append(out, '\\', 'v')
		default:
			if b == o.delim[0] {
				out = append(out, '\\')
			}
			out = append(out, b)
		}
	}
	return out
}
