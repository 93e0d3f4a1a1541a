// pgjdbc against spysql (DBeaver, Metabase and Tableau's driver):
// DatabaseMetaData (schemas, tables, columns with their types, keys,
// indexes, type info, functions), server-side prepares and setFetchSize
// streaming. Exits non-zero on any mismatch. Connection from PGHOST,
// PGPORT, PGUSER, PGDATABASE.
import java.sql.*;
import java.util.*;

public class JdbcClient {
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
            + System.getenv("PGDATABASE") + "?sslmode=disable&prepareThreshold=1";
        try (Connection c = DriverManager.getConnection(url, System.getenv("PGUSER"), "")) {
            DatabaseMetaData md = c.getMetaData();
            check(md.getDatabaseProductVersion().startsWith("15.0"), "version " + md.getDatabaseProductVersion());

            Set<String> schemas = new TreeSet<>();
            try (ResultSet rs = md.getSchemas()) {
                while (rs.next()) schemas.add(rs.getString("TABLE_SCHEM"));
            }
            check(schemas.containsAll(List.of("bronze", "calendar", "gold", "lake", "silver")), "schemas " + schemas);

            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, "gold", "%", new String[] {"TABLE", "VIEW"})) {
                while (rs.next()) tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE") + ":" + rs.getString("REMARKS"));
            }
            check(tables.equals(List.of("ds:VIEW:Demo training set", "vec:VIEW:List columns")), "gold tables " + tables);
            try (ResultSet rs = md.getTables(null, "calendar", "sessions", null)) {
                check(rs.next() && rs.getString("TABLE_TYPE").equals("TABLE"), "calendar.sessions is a TABLE");
            }

            List<String> cols = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, "gold", "ds", "%")) {
                while (rs.next()) {
                    cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE") + ":" + rs.getString("TYPE_NAME")
                        + ":" + rs.getInt("COLUMN_SIZE") + ":" + rs.getInt("DECIMAL_DIGITS") + ":" + rs.getInt("ORDINAL_POSITION"));
                }
            }
            List<String> want = List.of(
                "ts_event_ns:" + Types.BIGINT + ":int8:19:0:1",
                "price:" + Types.DOUBLE + ":float8:17:17:2",
                "size:" + Types.BIGINT + ":int8:19:0:3",
                "symbol:" + Types.VARCHAR + ":text:2147483647:0:4",
                "fwd_return_bps:" + Types.NUMERIC + ":numeric:18:2:5",
                "levels:" + Types.ARRAY + ":_int4:10:0:6",
                "ts:" + Types.TIMESTAMP + ":timestamptz:35:6:7");
            check(cols.equals(want), "columns " + cols);

            try (ResultSet rs = md.getPrimaryKeys(null, "gold", "ds")) {
                check(!rs.next(), "no primary key");
            }
            try (ResultSet rs = md.getIndexInfo(null, "gold", "ds", false, false)) {
                check(!rs.next(), "no index");
            }
            try (ResultSet rs = md.getImportedKeys(null, "gold", "ds")) {
                check(!rs.next(), "no foreign key");
            }
            Set<String> types = new HashSet<>();
            try (ResultSet rs = md.getTypeInfo()) {
                while (rs.next()) types.add(rs.getString("TYPE_NAME"));
            }
            check(types.containsAll(List.of("int8", "float8", "numeric", "text", "timestamptz", "_int4", "bool")), "type info " + types.size());
            try (ResultSet rs = md.getFunctions(null, "gold", "%")) {
                check(!rs.next(), "no functions in gold");
            }

            // Server-side prepares: prepareThreshold=1 names the statement.
            try (PreparedStatement ps = c.prepareStatement("SELECT price, fwd_return_bps, ts FROM gold.ds WHERE ts_event_ns = ?")) {
                for (int i = 1; i <= 5; i++) {
                    ps.setLong(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next() && rs.getDouble(1) == 100 + i / 4.0, "prepared row " + i);
                        check(rs.getBigDecimal(2).scale() == 2, "numeric scale");
                        check(rs.getTimestamp(3) != null, "timestamp");
                    }
                }
            }

            // setFetchSize streams in a transaction (a portal suspended per batch).
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(1000);
                long n = 0, last = -1;
                try (ResultSet rs = st.executeQuery("SELECT a.ts_event_ns * 1000 + b.ts_event_ns FROM gold.ds a, gold.ds b WHERE b.ts_event_ns <= 100 ORDER BY 1")) {
                    while (rs.next()) {
                        long k = rs.getLong(1);
                        check(k > last, "ordered");
                        last = k;
                        n++;
                    }
                }
                check(n == 100000, "streamed " + n);
            }
            c.commit();
            System.out.println("jdbc ok");
        }
    }
}
