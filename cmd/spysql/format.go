package main

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spysql/spysql/engine/duck"
)

// resultWriter prints query results in one of the CLI's formats.
type resultWriter struct {
	format string
	out    io.Writer
}

func newResultWriter(format string, out io.Writer) (*resultWriter, error) {
	switch format {
	case "table", "csv", "json":
		return &resultWriter{format: format, out: out}, nil
	}
	return nil, fmt.Errorf("unknown --format %q (want table, csv or json)", format)
}

// write drains rows in the writer's format.
func (w *resultWriter) write(rows *sql.Rows) error {
	cols, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name()
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var emit func([]any) error
	var finish func() error
	switch w.format {
	case "csv":
		cw := csv.NewWriter(w.out)
		if err := cw.Write(names); err != nil {
			return err
		}
		rec := make([]string, len(cols))
		emit = func(v []any) error {
			for i := range v {
				rec[i] = textValue(v[i], cols[i].DatabaseTypeName(), "")
			}
			return cw.Write(rec)
		}
		finish = func() error { cw.Flush(); return cw.Error() }
	case "json":
		n := 0
		fmt.Fprint(w.out, "[")
		emit = func(v []any) error {
			var b strings.Builder
			if n > 0 {
				b.WriteString(",")
			}
			n++
			b.WriteString("\n  {")
			for i := range v {
				if i > 0 {
					b.WriteString(", ")
				}
				k, _ := json.Marshal(names[i])
				b.Write(k)
				b.WriteString(": ")
				b.WriteString(jsonValue(v[i], cols[i].DatabaseTypeName()))
			}
			b.WriteString("}")
			_, err := io.WriteString(w.out, b.String())
			return err
		}
		finish = func() error {
			if n > 0 {
				fmt.Fprint(w.out, "\n")
			}
			_, err := fmt.Fprintln(w.out, "]")
			return err
		}
	default:
		tw := tabwriter.NewWriter(w.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(names, "\t"))
		seps := make([]string, len(names))
		for i, n := range names {
			seps[i] = strings.Repeat("-", max(len(n), 3))
		}
		fmt.Fprintln(tw, strings.Join(seps, "\t"))
		count := 0
		rec := make([]string, len(cols))
		emit = func(v []any) error {
			count++
			for i := range v {
				rec[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(textValue(v[i], cols[i].DatabaseTypeName(), "NULL"))
			}
			_, err := fmt.Fprintln(tw, strings.Join(rec, "\t"))
			return err
		}
		finish = func() error {
			if err := tw.Flush(); err != nil {
				return err
			}
			suffix := "s"
			if count == 1 {
				suffix = ""
			}
			_, err := fmt.Fprintf(w.out, "(%d row%s)\n", count, suffix)
			return err
		}
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := emit(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query: %s", duck.FirstLine(err))
	}
	return finish()
}

// textValue renders one value as DuckDB's CLI would; null is the NULL text.
func textValue(v any, dbType, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case []byte:
		return fmt.Sprintf("\\x%x", x)
	case bool:
		return strconv.FormatBool(x)
	case float32:
		return formatFloat(float64(x), 32)
	case float64:
		return formatFloat(x, 64)
	case time.Time:
		switch dbType {
		case "DATE":
			return x.Format("2006-01-02")
		case "TIME":
			return x.Format("15:04:05.999999")
		case "TIMESTAMPTZ":
			return x.UTC().Format("2006-01-02 15:04:05.999999") + "+00"
		}
		return x.Format("2006-01-02 15:04:05.999999999")
	case []any, map[string]any:
		return jsonValue(x, "")
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64, bits int) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

// jsonValue renders one value as JSON: numbers and booleans bare, lists as
// arrays, everything else as its text in a string.
func jsonValue(v any, dbType string) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		return fmt.Sprint(x)
	case float32, float64:
		s := textValue(x, dbType, "")
		if strings.ContainsAny(s, "nN") { // NaN, Inf have no JSON form
			b, _ := json.Marshal(s)
			return string(b)
		}
		return s
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = jsonValue(e, "")
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		b, err := json.Marshal(x)
		if err == nil {
			return string(b)
		}
	}
	b, _ := json.Marshal(textValue(v, dbType, ""))
	return string(b)
}

// writeJSON writes v as indented JSON, the --json form of every listing.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
