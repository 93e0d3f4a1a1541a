package pgcatalog

import (
	"testing"
)

// The answers below are PostgreSQL 15's for like objects: a view ds in
// schema gold with a bigint, a double precision, a text, a numeric(18,2),
// an integer[] and a timestamptz column, search_path gold.
func TestCatalogAnswersLikePostgres(t *testing.T) {
	c := testDB(t)
	cases := []struct {
		name, sql, want string
	}{
		{"format_type of columns", `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnum
			FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'gold.ds'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
			"ts_event_ns|bigint|1\nprice|double precision|2\nsym|text|3\nd|numeric(18,2)|4\nconds|integer[]|5\nts|timestamp with time zone|6\n"},
		{"pg_type agrees with pg_attribute", `SELECT a.attname, t.typname, t.typlen, t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
			WHERE a.attrelid = 'gold.ds'::regclass ORDER BY a.attnum`,
			"ts_event_ns|int8|8|N\nprice|float8|8|N\nsym|text|-1|S\nd|numeric|-1|N\nconds|_int4|-1|A\nts|timestamptz|8|D\n"},
		{"psql \\dn", `SELECT n.nspname AS "Name", pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
			FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1`,
			"calendar|alice\ngold|alice\n"},
		{"psql \\d pattern", `SELECT c.oid = 'gold.ds'::regclass, n.nspname, c.relname FROM pg_catalog.pg_class c
			LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relname OPERATOR(pg_catalog.~) '^(ds)$' COLLATE pg_catalog.default
			AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3`,
			"true|gold|ds\n"},
		{"invisible schema", `SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname = 'sessions' AND pg_catalog.pg_table_is_visible(c.oid)`, ""},
		{"relkinds", `SELECT n.nspname, c.relname, c.relkind, c.relnatts FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname IN ('gold', 'calendar') ORDER BY 1, 2`,
			"calendar|sessions|r|3\ngold|ds|v|6\n"},
		{"regclass out", `SELECT 'gold.ds'::regclass::oid = c.oid, c.oid::regclass::text FROM pg_class c WHERE relname = 'sessions'`,
			"false|calendar.sessions\n"},
		{"to_regclass missing", `SELECT to_regclass('gold.nope') IS NULL`, "true\n"},
		{"descriptions", `SELECT obj_description('gold.ds'::regclass, 'pg_class'), col_description('gold.ds'::regclass, 2), col_description('gold.ds'::regclass, 1)`,
			"Training set|Trade price in USD|NULL\n"},
		{"information_schema.columns", `SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale, is_nullable
			FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = 'ds' ORDER BY ordinal_position`,
			"ts_event_ns|bigint|int8|64|0|YES\nprice|double precision|float8|53|NULL|YES\nsym|text|text|NULL|NULL|YES\nd|numeric|numeric|18|2|YES\nconds|ARRAY|_int4|NULL|NULL|YES\nts|timestamp with time zone|timestamptz|NULL|NULL|YES\n"},
		{"information_schema.tables", `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema IN ('gold', 'calendar') ORDER BY 1, 2`,
			"calendar|sessions|BASE TABLE\ngold|ds|VIEW\n"},
		{"identity", `SELECT current_user, session_user, current_database(), current_schema, current_schemas(true), pg_catalog.current_schemas(false)`,
			"alice|alice|lake|gold|[pg_catalog gold]|[gold]\n"},
		{"settings", `SELECT current_setting('server_version')`, "15.0 (spysql test)\n"},
		{"keywords", `SELECT word, catcode FROM pg_catalog.pg_get_keywords() WHERE word IN ('select', 'abort') ORDER BY 1`, "abort|U\nselect|R\n"},
		{"regtype", `SELECT 'int4'::regtype::oid, 'double precision'::regtype::oid, 1184::regtype::text, 'pg_catalog.text'::regtype::oid`, "23|701|timestamp with time zone|25\n"},
		{"regnamespace", `SELECT 'gold'::regnamespace::oid = n.oid, n.oid::regnamespace::text FROM pg_namespace n WHERE nspname = 'gold'`, "true|gold\n"},
		{"array bounds", `SELECT array_upper(ARRAY[1,2,3], 1), array_lower(ARRAY[1,2,3], 1)`, "3|1\n"},
		{"expandarray", `SELECT (information_schema._pg_expandarray(ARRAY[5,7])).n`, "1\n2\n"},
		{"pg_range", `SELECT rngtypid, rngsubtype FROM pg_range WHERE rngtypid = 3904`, "3904|23\n"},
		{"database", `SELECT datname, pg_catalog.pg_encoding_to_char(encoding) FROM pg_catalog.pg_database`, "lake|UTF8\n"},
		{"roles", `SELECT rolname, oid FROM pg_roles`, "alice|10\n"},
		{"empty stats", `SELECT count(*) FROM pg_stat_user_tables`, "0\n"},
		{"privileges", `SELECT has_table_privilege('gold.ds', 'SELECT'), has_schema_privilege('gold', 'USAGE')`, "true|true\n"},
		{"backend", `SELECT pg_backend_pid(), pg_is_in_recovery()`, "42|false\n"},
		{"quote_ident", `SELECT quote_ident('gold'), quote_ident('Gold'), quote_ident('select'), quote_ident('a"b'), quote_literal('it''s')`, "gold|\"Gold\"|\"select\"|\"a\"\"b\"|'it''s'\n"},
		{"version", `SELECT pg_catalog.version() LIKE 'PostgreSQL 15.0 (spysql test) on %'`, "true\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, rows := query(t, c, tc.sql)
			if got := flat(rows); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
