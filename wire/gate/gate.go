package gate

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SerializeSQL is the statement that gives Check its input: DuckDB's
// parse tree of the one parameter, as JSON.
const SerializeSQL = "SELECT CAST(json_serialize_sql($1::VARCHAR) AS VARCHAR)"

// RefusalKind says what the gate refused.
type RefusalKind int

const (
	// NotAQuery: DuckDB did not parse the text as SELECT statements.
	NotAQuery RefusalKind = iota
	// SyntaxError: DuckDB's parser rejected the text (Reason is its message).
	SyntaxError
	// Function: a refused function (Name).
	Function
	// UnknownFunction: a function DuckDB does not ship (Name).
	UnknownFunction
	// Table: a refused system view or a file that is not Parquet (Name).
	Table
)

// Refusal is why the gate refused a statement.
type Refusal struct {
	Kind   RefusalKind
	Name   string
	Reason string
}

func (r *Refusal) Error() string {
	switch r.Kind {
	case Function:
		return fmt.Sprintf("permission denied for function %s: %s", r.Name, r.Reason)
	case UnknownFunction:
		return fmt.Sprintf("function %s does not exist", r.Name)
	case Table:
		return fmt.Sprintf("permission denied for table %s: %s", r.Name, r.Reason)
	case SyntaxError:
		return "syntax error: " + r.Reason
	}
	return "permission denied: only queries are allowed, spysql is read-only (" + r.Reason + ")"
}

// tree is json_serialize_sql's answer.
type tree struct {
	Error      bool              `json:"error"`
	ErrorType  string            `json:"error_type"`
	Message    string            `json:"error_message"`
	Statements []json.RawMessage `json:"statements"`
}

// Check decides from the JSON that SerializeSQL returned for a statement.
// It returns nil when every name in it is allowed, else a *Refusal.
func Check(parse []byte) error {
	var t tree
	if err := json.Unmarshal(parse, &t); err != nil {
		return &Refusal{Kind: NotAQuery, Reason: "unreadable parse tree: " + err.Error()}
	}
	if t.Error {
		if t.ErrorType == "parser" {
			return &Refusal{Kind: SyntaxError, Reason: t.Message}
		}
		return &Refusal{Kind: NotAQuery, Reason: t.Message}
	}
	if len(t.Statements) == 0 {
		return &Refusal{Kind: NotAQuery, Reason: "no statement"}
	}
	for _, raw := range t.Statements {
		var node any
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if err := d.Decode(&node); err != nil {
			return &Refusal{Kind: NotAQuery, Reason: "unreadable parse tree: " + err.Error()}
		}
		if err := walk(node, 0); err != nil {
			return err
		}
	}
	return nil
}

// maxDepth bounds the walk; DuckDB's own parser stops far earlier.
const maxDepth = 10000

// walk checks every object of the tree: any that names a function (an
// expression of class FUNCTION, WINDOW, a table function's call, an
// operator written as a function) and any table reference.
func walk(v any, depth int) error {
	if depth > maxDepth {
		return &Refusal{Kind: NotAQuery, Reason: "statement nested too deeply"}
	}
	switch n := v.(type) {
	case map[string]any:
		if name, ok := n["function_name"].(string); ok {
			if err := checkFunction(name, n); err != nil {
				return err
			}
		}
		if n["type"] == "BASE_TABLE" {
			schema, _ := n["schema_name"].(string)
			name, _ := n["table_name"].(string)
			if err := checkTable(schema, name); err != nil {
				return err
			}
		}
		for _, c := range n {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range n {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkFunction(name string, n map[string]any) error {
	key := strings.ToLower(name)
	if why, ok := refusedFunctions[key]; ok {
		return &Refusal{Kind: Function, Name: name, Reason: why}
	}
	if !allowedFunctions[key] {
		return &Refusal{Kind: UnknownFunction, Name: name}
	}
	if key == "current_setting" {
		return checkCurrentSetting(n)
	}
	return nil
}

// checkCurrentSetting allows current_setting only of a constant name
// that does not disclose the server's files (see disclosesServer).
func checkCurrentSetting(n map[string]any) error {
	refuse := &Refusal{Kind: Function, Name: "current_setting", Reason: "only of a constant setting name that is not a path"}
	children, _ := n["children"].([]any)
	if len(children) != 1 {
		return refuse
	}
	arg, _ := children[0].(map[string]any)
	if arg == nil || arg["class"] != "CONSTANT" {
		return refuse
	}
	val, _ := arg["value"].(map[string]any)
	s, ok := val["value"].(string)
	if !ok || disclosesServer(s) {
		return refuse
	}
	return nil
}

// disclosesServer reports whether a DuckDB setting's value names the
// server's files or logs (secret_directory, temp_directory, ...).
func disclosesServer(setting string) bool {
	s := strings.ToLower(strings.TrimSpace(setting))
	if s == "search_path" || s == "schema" {
		return false
	}
	for _, w := range []string{"dir", "path", "file", "repository", "secret", "log", "profil", "home", "extension", "temp", "storage", "allowed"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// fileSuffixes are the endings DuckDB's replacement scans turn into a
// reader other than Parquet's.
var fileSuffixes = []string{".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".duckdb", ".db", ".ddb",
	".sqlite", ".gz", ".zst", ".bz2", ".xz", ".lz4", ".arrow", ".ipc", ".avro", ".xlsx", ".blob"}

// checkTable refuses system views that wrap refused functions and
// unqualified names that DuckDB would read as a file other than Parquet.
func checkTable(schema, name string) error {
	if schema == "__pg_catalog" || schema == "__information_schema" {
		return nil // engine/pgcatalog's views, which the rewrite names
	}
	key := strings.ToLower(name)
	if why, ok := refusedViews[key]; ok && duckdbSchema(schema) {
		return &Refusal{Kind: Table, Name: name, Reason: why}
	}
	if schema != "" || strings.HasSuffix(key, ".parquet") {
		return nil
	}
	if strings.ContainsAny(key, "/\\:*?") {
		return &Refusal{Kind: Table, Name: name, Reason: "only the lake's Parquet files may be read by path"}
	}
	for _, s := range fileSuffixes {
		if strings.HasSuffix(key, s) {
			return &Refusal{Kind: Table, Name: name, Reason: "only the lake's Parquet files may be read by path"}
		}
	}
	return nil
}

// duckdbSchema reports whether a table in schema may be one of DuckDB's
// own views: unqualified, or in a schema DuckDB's system catalog has
// (engine/pgcatalog's emulations live in __pg_catalog).
func duckdbSchema(schema string) bool {
	switch strings.ToLower(schema) {
	case "", "main", "pg_catalog", "information_schema", "system", "temp":
		return true
	}
	return false
}

// Classified reports whether name is on an allowed list or refused, and
// which: the test of completeness uses it.
func Classified(name string) (allowed, refused bool) {
	key := strings.ToLower(name)
	_, refused = refusedFunctions[key]
	return allowedFunctions[key], refused
}

// ViewClassified is Classified for DuckDB's internal views.
func ViewClassified(name string) (allowed, refused bool) {
	key := strings.ToLower(name)
	_, refused = refusedViews[key]
	return allowedViews[key], refused
}

// RefusedFunctions is a copy of the refused functions and why.
func RefusedFunctions() map[string]string {
	m := make(map[string]string, len(refusedFunctions))
	for k, v := range refusedFunctions {
		m[k] = v
	}
	return m
}
