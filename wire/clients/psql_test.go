package clients

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// psql runs one psql command against connString and returns its output.
func psql(t *testing.T, connString string, commands ...string) string {
	t.Helper()
	bin, err := exec.LookPath("psql")
	if err != nil {
		t.Fatalf("psql 15 is required (Debian: postgresql-client-15): %v", err)
	}
	args := []string{"-X", "-v", "ON_ERROR_STOP=1"}
	for _, c := range commands {
		args = append(args, "-c", c)
	}
	cmd := exec.Command(bin, append(args, connString)...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("psql %q: %v\n%s%s", commands, err, out.String(), stderr.String())
	}
	return out.String() + stderr.String()
}

// createLikeObjects makes gold.ds in the reference PostgreSQL's lake.
func createLikeObjects(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, pgConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS gold CASCADE; DROP SCHEMA IF EXISTS gold_data CASCADE; CREATE SCHEMA IF NOT EXISTS public").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, pgLike).ReadAll(); err != nil {
		t.Fatal(err)
	}
}

// TestPsqlBackslashCommands runs psql 15's describing commands against
// spysql and against PostgreSQL 15 holding a like view gold.ds, as the
// same user, and compares the output. Commands whose answer differs by
// design (the lake has other schemas than a new PostgreSQL database) are
// narrowed with a pattern; each must still run.
func TestPsqlBackslashCommands(t *testing.T) {
	s := startServer(t)
	createLikeObjects(t)
	same := []string{
		`\dn gold`,
		`\dv gold.*`,
		`\dt gold.*`,
		`\d gold.ds`,
		`\l lake`,
		`\df`,
		`\df+`,
		`\dfS abs`,
		`\dfS+ abs`,
		`\dfS+ array_to*`,
		`\dfa count`,
		`\dfS (now|generate_series)`,
		`\dx`,
		`\dL`,
		`\dd`,
		`\dp gold.*`,
		`\do`,
		`\dfS+ sum`,
		`\sf abs(integer)`,
		`\sf pg_catalog.now()`,
		`select 'abs(bigint)'::regprocedure, 'array_to_string(anyarray, text)'::regprocedure::oid`,
		`\dT`,
		`select count(*), max(price), 1 + 1, min(ts_event_ns) as first from gold.ds`,
		`select current_user, current_database(), current_schemas(true)`,
		"set search_path = gold\x00\\d ds",
		"set search_path = gold\x00\\dv",
		"set search_path = gold\x00select current_schemas(true), current_schema",
		`select 'gold.ds'::regclass, obj_description('gold.ds'::regclass, 'pg_class'), 'int8'::regtype, 'gold'::regnamespace`,
	}
	for _, cmd := range same {
		t.Run(cmd, func(t *testing.T) {
			cmds := strings.Split(cmd, "\x00")
			got := psql(t, s.connString("postgres"), cmds...)
			want := psql(t, pgConnString("postgres"), cmds...)
			if got != want {
				t.Errorf("spysql:\n%s\nPostgreSQL 15:\n%s", got, want)
			}
		})
	}
	t.Run(`\copy to a file`, func(t *testing.T) {
		dir := t.TempDir()
		var files [2][]byte
		for i, conn := range []string{s.connString("postgres"), pgConnString("postgres")} {
			f := filepath.Join(dir, fmt.Sprintf("out%d.csv", i))
			psql(t, conn, `\copy (select ts_event_ns, price, symbol, levels from gold.ds order by 1 limit 5) to '`+f+`' with csv header`)
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			files[i] = b
		}
		if string(files[0]) != string(files[1]) || !strings.HasPrefix(string(files[0]), "ts_event_ns,price,symbol,levels\n1,100.25,SPY,\"{1,2}\"\n") {
			t.Errorf("spysql:\n%s\nPostgreSQL 15:\n%s", files[0], files[1])
		}
	})
	t.Run(`\d+ gold.ds`, func(t *testing.T) {
		// Up to the view's definition, which is DuckDB's SQL.
		cut := func(s string) string { before, _, _ := strings.Cut(s, "View definition:"); return before }
		got := psql(t, s.connString("postgres"), `\d+ gold.ds`)
		want := psql(t, pgConnString("postgres"), `\d+ gold.ds`)
		if cut(got) != cut(want) {
			t.Errorf("spysql:\n%s\nPostgreSQL 15:\n%s", got, want)
		}
	})
	for _, cmd := range []string{`\dn`, `\dv`, `\dt`, `\d`, `\du`, `\l`, `\d+ bronze.stocks_trades`, `\dv+ gold.*`, `\dt+`,
		`\da`, `\dA`, `\db`, `\dc`, `\dC`, `\dD`, `\ddp`, `\des`, `\dew`, `\dF`, `\dFd`, `\dFp`, `\dFt`, `\dg`, `\di`,
		`\dl`, `\dm`, `\dO`, `\dP`, `\dRp`, `\dRs`, `\ds`, `\dy`, `\dX`, `\z`, `\drds`, `\dE`, `\dL+`} {
		t.Run(cmd, func(t *testing.T) {
			out := psql(t, s.connString("analyst"), cmd)
			if strings.Contains(out, "ERROR") {
				t.Errorf("%s: %s", cmd, out)
			}
		})
	}
	t.Run(`\dn lists the lake`, func(t *testing.T) {
		out := psql(t, s.connString("analyst"), `\dn`)
		for _, n := range []string{"bronze", "silver", "gold", "calendar", "lake"} {
			if !strings.Contains(out, " "+n+" ") {
				t.Errorf("\\dn misses %s:\n%s", n, out)
			}
		}
		if strings.Contains(out, "__pg_catalog") || strings.Contains(out, "main") {
			t.Errorf("\\dn shows internal schemas:\n%s", out)
		}
	})
}
