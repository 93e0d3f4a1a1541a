package wire

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spysql/spysql/engine/session"
)

// decodeArgs turns Bind's parameter values into engine arguments: text
// values are handed to DuckDB, which casts them to the parameter's type
// (bytea text is decoded here); binary values are decoded by the
// parameter's type OID.
func decodeArgs(p *prepared, formats []int16, vals [][]byte) ([]session.Arg, error) {
	n := len(p.paramTypes)
	args := make([]session.Arg, n)
	for i := range n {
		v := vals[i]
		if v == nil {
			args[i] = session.Arg{Kind: session.ArgNull}
			continue
		}
		oid := p.paramOIDs[i]
		var err error
		switch formatOf(formats, i) {
		case 0:
			args[i], err = decodeText(oid, v)
		case 1:
			args[i], err = decodeBinary(oid, v)
		default:
			return nil, errorf(CodeProtocolViolation, "unsupported format code: %d", formatOf(formats, i))
		}
		if err != nil {
			pe := toPGError(err)
			return nil, &pgError{Code: pe.Code, Message: fmt.Sprintf("parameter $%d: %s", i+1, pe.Message)}
		}
	}
	return args, nil
}

func decodeText(oid uint32, v []byte) (session.Arg, error) {
	if oid == oidBytea {
		b, err := decodeByteaText(string(v))
		if err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgBlob, B: b}, nil
	}
	s := string(v)
	if arrayElem(oid) && strings.HasPrefix(s, "{") {
		// DuckDB reads lists as [a, b]; PostgreSQL writes {a,b}.
		if len(s) < 2 || !strings.HasSuffix(s, "}") {
			return session.Arg{}, errorf(CodeInvalidTextRepresentation, "malformed array literal: %q", s)
		}
		s = "[" + s[1:len(s)-1] + "]"
	}
	return session.Arg{Kind: session.ArgText, S: s}, nil
}

func arrayElem(oid uint32) bool {
	for _, a := range arrayOf {
		if a == oid {
			return true
		}
	}
	return false
}

// decodeByteaText reads bytea's hex (\x...) or escape format.
func decodeByteaText(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, `\x`); ok {
		return hex.DecodeString(rest)
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 >= len(s) {
			return nil, errorf(CodeInvalidTextRepresentation, "invalid input syntax for type bytea")
		}
		b, err := strconv.ParseUint(s[i+1:i+4], 8, 8)
		if err != nil {
			return nil, errorf(CodeInvalidTextRepresentation, "invalid input syntax for type bytea")
		}
		out = append(out, byte(b))
		i += 3
	}
	return out, nil
}

func needLen(v []byte, n int, typ string) error {
	if len(v) != n {
		return errorf(CodeInvalidBinaryRepresentation, "invalid binary %s: %d bytes", typ, len(v))
	}
	return nil
}

// decodeBinary reads the binary send format of oid.
func decodeBinary(oid uint32, v []byte) (session.Arg, error) {
	switch oid {
	case oidBool:
		if err := needLen(v, 1, "boolean"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgBool, I: int64(v[0])}, nil
	case oidInt2:
		if err := needLen(v, 2, "smallint"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgInt64, I: int64(int16(be.Uint16(v)))}, nil
	case oidInt4:
		if err := needLen(v, 4, "integer"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgInt64, I: int64(int32(be.Uint32(v)))}, nil
	case oidOID:
		if err := needLen(v, 4, "oid"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgInt64, I: int64(be.Uint32(v))}, nil
	case oidInt8:
		if err := needLen(v, 8, "bigint"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgInt64, I: int64(be.Uint64(v))}, nil
	case oidFloat4:
		if err := needLen(v, 4, "real"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgFloat64, F: float64(math.Float32frombits(be.Uint32(v)))}, nil
	case oidFloat8:
		if err := needLen(v, 8, "double precision"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgFloat64, F: math.Float64frombits(be.Uint64(v))}, nil
	case oidText, oidVarchar, oidBPChar, oidName, oidUnknown, oidJSON:
		return session.Arg{Kind: session.ArgText, S: string(v)}, nil
	case oidJSONB:
		if len(v) < 1 || v[0] != 1 {
			return session.Arg{}, errorf(CodeInvalidBinaryRepresentation, "unsupported jsonb version")
		}
		return session.Arg{Kind: session.ArgText, S: string(v[1:])}, nil
	case oidBytea:
		return session.Arg{Kind: session.ArgBlob, B: append([]byte(nil), v...)}, nil
	case oidDate:
		if err := needLen(v, 4, "date"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgDate, I: int64(duckDate(int32(be.Uint32(v))))}, nil
	case oidTime:
		if err := needLen(v, 8, "time"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgTime, I: int64(be.Uint64(v))}, nil
	case oidTimestamp, oidTimestampTZ:
		if err := needLen(v, 8, "timestamp"); err != nil {
			return session.Arg{}, err
		}
		us := duckTimestamp(int64(be.Uint64(v)))
		kind := session.ArgTimestamp
		if oid == oidTimestampTZ {
			kind = session.ArgTimestampTZ
		}
		return session.Arg{Kind: kind, I: us}, nil
	case oidInterval:
		if err := needLen(v, 16, "interval"); err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgInterval, I: int64(be.Uint64(v)), Days: int32(be.Uint32(v[8:])), Months: int32(be.Uint32(v[12:]))}, nil
	case oidUUID:
		if err := needLen(v, 16, "uuid"); err != nil {
			return session.Arg{}, err
		}
		var b [16]byte
		copy(b[:], v)
		return session.Arg{Kind: session.ArgText, S: string(appendUUIDText(nil, b))}, nil
	case oidNumeric:
		s, err := numericBinaryText(v)
		if err != nil {
			return session.Arg{}, err
		}
		return session.Arg{Kind: session.ArgText, S: s}, nil
	}
	if elem := elemOf(oid); elem != 0 {
		return decodeArrayBinary(elem, v)
	}
	return session.Arg{}, errorf(CodeFeatureNotSupported, "binary format for type oid %d is not supported; use text", oid)
}

func elemOf(arrayOID uint32) uint32 {
	for e, a := range arrayOf {
		if a == arrayOID {
			return e
		}
	}
	return 0
}

// arrayElemEscaper escapes a text element inside a double-quoted DuckDB
// list literal. Built once: a Replacer is immutable and safe for
// concurrent use.
var arrayElemEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// decodeArrayBinary reads array_send's format (one dimension) and hands
// DuckDB a list literal, which it casts to the parameter's list type.
func decodeArrayBinary(elem uint32, v []byte) (session.Arg, error) {
	bad := errorf(CodeInvalidBinaryRepresentation, "invalid binary array")
	if len(v) < 12 {
		return session.Arg{}, bad
	}
	ndim := int(be.Uint32(v))
	if ndim == 0 {
		return session.Arg{Kind: session.ArgText, S: "[]"}, nil
	}
	if ndim != 1 || len(v) < 20 {
		return session.Arg{}, errorf(CodeFeatureNotSupported, "only one-dimensional array parameters are supported")
	}
	n := int(be.Uint32(v[12:]))
	p := v[20:]
	var b strings.Builder
	b.WriteByte('[')
	for k := range n {
		if k > 0 {
			b.WriteString(", ")
		}
		if len(p) < 4 {
			return session.Arg{}, bad
		}
		l := int(int32(be.Uint32(p)))
		p = p[4:]
		if l < 0 {
			b.WriteString("NULL")
			continue
		}
		if l > len(p) {
			return session.Arg{}, bad
		}
		a, err := decodeBinary(elem, p[:l])
		if err != nil {
			return session.Arg{}, err
		}
		p = p[l:]
		switch a.Kind {
		case session.ArgText:
			b.WriteByte('"')
			b.WriteString(arrayElemEscaper.Replace(a.S))
			b.WriteByte('"')
		case session.ArgInt64:
			b.WriteString(strconv.FormatInt(a.I, 10))
		case session.ArgFloat64:
			b.WriteString(strconv.FormatFloat(a.F, 'g', -1, 64))
		case session.ArgBool:
			b.WriteString(strconv.FormatBool(a.I != 0))
		default:
			return session.Arg{}, errorf(CodeFeatureNotSupported, "binary array parameters of type oid %d are not supported; use text", elem)
		}
	}
	b.WriteByte(']')
	return session.Arg{Kind: session.ArgText, S: b.String()}, nil
}

// numericBinaryText converts numeric_send's format to a decimal string.
func numericBinaryText(v []byte) (string, error) {
	if len(v) < 8 {
		return "", errorf(CodeInvalidBinaryRepresentation, "invalid binary numeric")
	}
	ndigits := int(be.Uint16(v))
	weight := int(int16(be.Uint16(v[2:])))
	sign := be.Uint16(v[4:])
	dscale := int(be.Uint16(v[6:]))
	if len(v) != 8+2*ndigits {
		return "", errorf(CodeInvalidBinaryRepresentation, "invalid binary numeric")
	}
	for k := 0; k < ndigits; k++ {
		if be.Uint16(v[8+2*k:]) > 9999 {
			return "", errorf(CodeInvalidBinaryRepresentation, "invalid digit in binary numeric")
		}
	}
	switch sign {
	case 0x0000, 0x4000:
	case 0xC000:
		return "NaN", nil
	case 0xD000:
		return "Infinity", nil
	case 0xF000:
		return "-Infinity", nil
	default:
		return "", errorf(CodeInvalidBinaryRepresentation, "invalid sign in binary numeric")
	}
	var b strings.Builder
	if sign == 0x4000 {
		b.WriteByte('-')
	}
	digit := func(k int) int {
		if k >= 0 && k < ndigits {
			return int(be.Uint16(v[8+2*k:]))
		}
		return 0
	}
	if weight < 0 {
		b.WriteByte('0')
	} else {
		for k := 0; k <= weight; k++ {
			d := digit(k)
			if k == 0 {
				b.WriteString(strconv.Itoa(d))
			} else {
				b.WriteString(pad4(d))
			}
		}
	}
	if dscale > 0 {
		b.WriteByte('.')
		var frac strings.Builder
		for k := weight + 1; frac.Len() < dscale; k++ {
			frac.WriteString(pad4(digit(k)))
		}
		b.WriteString(frac.String()[:dscale])
	}
	return b.String(), nil
}

func pad4(d int) string {
	s := strconv.Itoa(d)
	return strings.Repeat("0", 4-len(s)) + s
}
