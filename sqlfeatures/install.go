package sqlfeatures

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/spysql/spysql/engine/duck"
)

// Install binds the bundle's parameters on conn with SET VARIABLE and
// creates its views, in dependency order, as temporary views of that
// connection, queryable by name. Variables and temporary views belong to
// the connection: other connections of the database do not see them.
//
// It also turns off DuckDB's nested-loop rewrite of ASOF joins (a global
// setting of the database): bundles join a few hundred signals ASOF to
// millions of book rows, and with the rewrite (chosen when the planner
// estimates fewer than 64 left rows, which it does after filters and
// windows) one ES book lookup cost 400M joined rows instead of a sort.
func Install(ctx context.Context, conn *sql.Conn, b *Bundle) error {
	if _, err := conn.ExecContext(ctx, "SET asof_loop_join_threshold = 0"); err != nil {
		return fmt.Errorf("asof setting: %w", err)
	}
	for _, p := range b.Manifest.Parameters {
		stmt, arg := p.bind()
		if _, err := conn.ExecContext(ctx, stmt, arg); err != nil {
			return fmt.Errorf("bind parameter %s: %w", p.Name, err)
		}
	}
	if err := BindBuildDate(ctx, conn, ""); err != nil {
		return err
	}
	for _, v := range b.Views {
		if _, err := conn.ExecContext(ctx, createViewSQL(v)); err != nil {
			return fmt.Errorf("create view %s (%s): %s", v.Name, v.Path, duck.FirstLine(err))
		}
	}
	return nil
}

// BuildDateVar is the reserved variable holding the trading date being
// built: getvariable('BUILD_DATE') is a DATE, bound by the builder for each
// date and NULL when the bundle runs unscoped (Install, `spysql query
// --manifest`). A view may use it to compute per-session work only for the
// date being built (the builder keeps only that date's regular hours anyway)
// while the lookback days still feed it; it must give the same rows for
// that date whether it is bound or NULL. No manifest may declare it.
const BuildDateVar = "BUILD_DATE"

// BindBuildDate sets BUILD_DATE on conn to date (YYYY-MM-DD), or to NULL
// when date is "".
func BindBuildDate(ctx context.Context, conn *sql.Conn, date string) error {
	var arg any
	if date != "" {
		arg = date
	}
	if _, err := conn.ExecContext(ctx, "SET VARIABLE "+BuildDateVar+" = CAST(? AS DATE)", arg); err != nil {
		return fmt.Errorf("bind %s: %w", BuildDateVar, err)
	}
	return nil
}

// createViewSQL creates v as a temporary view from the file's whole text.
// LoadBundle made sure DuckDB's parser finds exactly one statement in it;
// DuckDB's own statement extraction (run by Exec) ends the view at that
// statement's ';' and drops what follows, so no second SQL splitter can
// disagree with DuckDB's (nested comments, dollar quotes, E'\n' escapes).
func createViewSQL(v View) string {
	return "CREATE OR REPLACE TEMP VIEW " + duck.QuoteIdent(v.Name) + " AS\n" + v.Text
}

// Uninstall drops the bundle's views and variables from conn, so a pooled
// connection goes back clean.
func Uninstall(ctx context.Context, conn *sql.Conn, b *Bundle) error {
	for i := len(b.Views) - 1; i >= 0; i-- {
		if _, err := conn.ExecContext(ctx, "DROP VIEW IF EXISTS temp."+duck.QuoteIdent(b.Views[i].Name)); err != nil {
			return fmt.Errorf("drop view %s: %w", b.Views[i].Name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "RESET VARIABLE "+BuildDateVar); err != nil {
		return fmt.Errorf("reset %s: %w", BuildDateVar, err)
	}
	for _, p := range b.Manifest.Parameters {
		if _, err := conn.ExecContext(ctx, "RESET VARIABLE "+p.Name); err != nil {
			return fmt.Errorf("reset parameter %s: %w", p.Name, err)
		}
	}
	return nil
}
