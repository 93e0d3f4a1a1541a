package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryFormats(t *testing.T) {
	lake := t.TempDir()
	q := "SELECT 1 AS a, 'x,y' AS b, NULL::INT AS c, [1, 2] AS l, DATE '2025-12-15' AS d, 2.5::DOUBLE AS f UNION ALL SELECT 2, 'z', 3, [], DATE '2025-12-16', -1e-3 ORDER BY a"
	tests := []struct{ format, want string }{
		{"csv", "a,b,c,l,d,f\n1,\"x,y\",,\"[1, 2]\",2025-12-15,2.5\n2,z,3,[],2025-12-16,-0.001\n"},
		{"json", "[\n  {\"a\": 1, \"b\": \"x,y\", \"c\": null, \"l\": [1, 2], \"d\": \"2025-12-15\", \"f\": 2.5},\n  {\"a\": 2, \"b\": \"z\", \"c\": 3, \"l\": [], \"d\": \"2025-12-16\", \"f\": -0.001}\n]\n"},
		{"table", "a    b    c     l       d           f\n---  ---  ---   ---     ---         ---\n1    x,y  NULL  [1, 2]  2025-12-15  2.5\n2    z    3     []      2025-12-16  -0.001\n(2 rows)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			out, err := runCLI(t, "--lake", lake, "query", "--format", tc.format, q)
			if err != nil {
				t.Fatal(err)
			}
			if out != tc.want {
				t.Fatalf("got:\n%q\nwant:\n%q", out, tc.want)
			}
		})
	}
}

func TestQueryReadsCalendarAndLakeFromEnv(t *testing.T) {
	t.Setenv("SPYSQL_LAKE", t.TempDir())
	out, err := runCLI(t, "query", "--format", "csv", "SELECT count(*) AS n FROM calendar.sessions WHERE year(date) = 2025")
	if err != nil {
		t.Fatal(err)
	}
	if out != "n\n250\n" {
		t.Fatalf("got %q", out)
	}
}

func TestQueryErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	missing := filepath.Join(dir, "missing")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"syntax", []string{"--lake", dir, "query", "SELEC 1"}, `query: Parser Error: syntax error at or near "SELEC"`},
		{"unknown table", []string{"--lake", dir, "query", "SELECT * FROM nope"}, "query: Catalog Error: Table with name nope does not exist!"},
		{"runtime", []string{"--lake", dir, "query", "SELECT 'a'::INT"}, "query: Conversion Error: Could not convert string 'a' to INT32"},
		{"lake is a file", []string{"--lake", file, "query", "SELECT 1"}, "is not a directory"},
		{"lake missing", []string{"--lake", missing, "query", "SELECT 1"}, "does not exist"},
		{"bad format", []string{"--lake", dir, "query", "--format", "xml", "SELECT 1"}, `unknown --format "xml"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runCLI(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("a failed query created the lake")
	}
}
