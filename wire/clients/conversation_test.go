package clients

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// conversation runs statements one Query message each on a new
// connection and returns, per statement, its command tags and rows or
// its SQLSTATE. A statement starting with "COPY" runs as COPY TO.
func conversation(t *testing.T, connString string, stmts []string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var out []string
	for _, s := range stmts {
		if strings.HasPrefix(s, "COPY") {
			var buf bytes.Buffer
			tag, err := c.CopyTo(ctx, &buf, s)
			if err != nil {
				out = append(out, s+" -> "+errCode(err))
				continue
			}
			out = append(out, fmt.Sprintf("%s -> %s %q", s, tag.String(), buf.String()))
			continue
		}
		res, err := c.Exec(ctx, s).ReadAll()
		if err != nil {
			out = append(out, s+" -> "+errCode(err))
			continue
		}
		var b strings.Builder
		for _, r := range res {
			fmt.Fprintf(&b, " [%s", r.CommandTag.String())
			for _, row := range r.Rows {
				b.WriteString(" (")
				for i, v := range row {
					if i > 0 {
						b.WriteString(",")
					}
					if v == nil {
						b.WriteString("NULL")
					} else {
						b.Write(v)
					}
				}
				b.WriteString(")")
			}
			b.WriteString("]")
		}
		out = append(out, s+" ->"+b.String())
	}
	return out
}

func errCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return "ERROR " + pe.Code
	}
	return "ERROR " + err.Error()
}

// compareConversation runs stmts on spysql and on PostgreSQL 15 (with
// like objects) and requires the same answers.
func compareConversation(t *testing.T, s *server, stmts []string) {
	t.Helper()
	createLikeObjects(t)
	got := conversation(t, s.connString("postgres"), stmts)
	want := conversation(t, pgConnString("postgres"), stmts)
	for i := range stmts {
		if got[i] != want[i] {
			t.Errorf("spysql:     %s\nPostgreSQL: %s", got[i], want[i])
		}
	}
}

// TestCursors: DECLARE, FETCH, MOVE and CLOSE answer as PostgreSQL's,
// including outside a transaction and WITH HOLD across COMMIT.
func TestCursors(t *testing.T) {
	s := startServer(t)
	compareConversation(t, s, []string{
		"DECLARE c CURSOR FOR SELECT ts_event_ns, size FROM gold.ds ORDER BY ts_event_ns",
		"BEGIN",
		"DECLARE c CURSOR FOR SELECT ts_event_ns, size FROM gold.ds ORDER BY ts_event_ns",
		"DECLARE c CURSOR FOR SELECT 1",
		"ROLLBACK",
		"BEGIN",
		`DECLARE "Big" NO SCROLL CURSOR WITHOUT HOLD FOR SELECT ts_event_ns, size FROM gold.ds ORDER BY ts_event_ns`,
		`FETCH FORWARD 3 FROM "Big"`,
		`FETCH "Big"`,
		`MOVE FORWARD 990 IN "Big"`,
		`FETCH ALL FROM "Big"`,
		`FETCH NEXT FROM "Big"`,
		`FETCH 2 FROM nope`,
		"ROLLBACK",
		"BEGIN",
		"DECLARE h CURSOR WITH HOLD FOR SELECT ts_event_ns FROM gold.ds ORDER BY 1",
		"FETCH 2 FROM h",
		"COMMIT",
		"FETCH 2 FROM h",
		"CLOSE h",
		"CLOSE h",
		"BEGIN",
		"DECLARE a CURSOR FOR SELECT 1 AS x; DECLARE b CURSOR FOR SELECT 2 AS y; FETCH ALL a; FETCH ALL b",
		"CLOSE ALL",
		"FETCH a",
		"ROLLBACK",
	})
}

// TestDeallocateDiscard: DEALLOCATE name | ALL and DISCARD ALL as in
// PostgreSQL (statements prepared through the protocol share the
// namespace; PREPARE itself is not offered, spysql prepares through the
// protocol only).
func TestDeallocateDiscard(t *testing.T) {
	s := startServer(t)
	for _, target := range []struct{ name, conn string }{{"spysql", s.connString("analyst")}, {"postgres", pgConnString("postgres")}} {
		t.Run(target.name, func(t *testing.T) {
			ctx := context.Background()
			c, err := pgconn.Connect(ctx, target.conn)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			for _, name := range []string{"_PLAN0x1", "s2"} {
				if _, err := c.Prepare(ctx, name, "SELECT 1", nil); err != nil {
					t.Fatal(err)
				}
			}
			steps := []struct{ sql, want string }{
				{`DEALLOCATE "_PLAN0x1"`, "DEALLOCATE"},
				{`DEALLOCATE "_PLAN0x1"`, "ERROR 26000"},
				{"DEALLOCATE ALL", "DEALLOCATE ALL"},
				{"DEALLOCATE PREPARE s2", "ERROR 26000"},
				{"DISCARD ALL", "DISCARD ALL"},
			}
			for _, st := range steps {
				_, err := c.Exec(ctx, st.sql).ReadAll()
				got := st.want
				if err != nil {
					got = errCode(err)
				} else if strings.HasPrefix(st.want, "ERROR") {
					got = "ok"
				}
				if got != st.want {
					t.Errorf("%s: got %s, want %s", st.sql, got, st.want)
				}
			}
			if _, err := c.Prepare(ctx, "s2", "SELECT 2", nil); err != nil {
				t.Errorf("s2 after DEALLOCATE ALL: %v", err)
			}
		})
	}
}

// TestCopyOut: COPY (query) TO STDOUT and COPY table TO STDOUT in text,
// CSV and binary answer byte for byte as PostgreSQL's; COPY FROM and to
// a file stay refused.
func TestCopyOut(t *testing.T) {
	s := startServer(t)
	q := "SELECT ts_event_ns, price, symbol, fwd_return_bps, levels, ts, NULL::text AS n, E'a\\tb\\\\c\"d,e\\n' AS odd, '' AS empty FROM gold.ds ORDER BY ts_event_ns LIMIT 3"
	compareConversation(t, s, []string{
		"COPY (" + q + ") TO STDOUT",
		"COPY (" + q + ") TO STDOUT WITH (FORMAT csv, HEADER)",
		"COPY (" + q + ") TO STDOUT WITH CSV HEADER",
		"COPY (" + q + ") TO STDOUT WITH (FORMAT csv, DELIMITER ';', NULL 'NULL', FORCE_QUOTE *)",
		"COPY (" + q + ") TO STDOUT (DELIMITER '|', NULL '')",
		"COPY (SELECT ts_event_ns, size, symbol, price, ts FROM gold.ds ORDER BY 1 LIMIT 2) TO STDOUT WITH (FORMAT binary)",
		"COPY (SELECT 1 WHERE false) TO STDOUT",
	})
	// PostgreSQL copies only from tables (42809 for a view); the lake's
	// tables are views, so spysql copies those too.
	got := conversation(t, s.connString("analyst"), []string{"COPY gold.ds (ts_event_ns, symbol) TO STDOUT"})[0]
	if !strings.Contains(got, `COPY 1000 "1\tSPY\n2\tSPY\n`) {
		t.Errorf("COPY gold.ds: %.200s", got)
	}
	ctx := context.Background()
	for _, refused := range []string{"COPY gold.ds FROM STDIN", "COPY (SELECT 1) TO '/tmp/x'"} {
		c, err := pgconn.Connect(ctx, s.connString("analyst"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Exec(ctx, refused).ReadAll()
		if got := errCode(err); got != "ERROR 42501" {
			t.Errorf("%s: %s, want 42501", refused, got)
		}
		c.Close(ctx)
	}
}
