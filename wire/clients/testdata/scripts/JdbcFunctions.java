// pgjdbc's function metadata (DBeaver's and Metabase's function lists):
// getFunctions, getProcedures and getFunctionColumns for a few of
// pg_catalog's functions, printed one row a line; the Go test requires
// the same lines from spysql and PostgreSQL 15. Connection from PGHOST,
// PGPORT, PGUSER, PGDATABASE.
import java.sql.*;

public class JdbcFunctions {
    static void print(String what, ResultSet rs, String... cols) throws SQLException {
        int n = 0;
        while (rs.next()) {
            StringBuilder b = new StringBuilder(what);
            for (String col : cols) b.append(" | ").append(rs.getString(col));
            System.out.println(b);
            n++;
        }
        System.out.println(what + " rows " + n);
        rs.close();
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
            + System.getenv("PGDATABASE") + "?sslmode=disable";
        try (Connection c = DriverManager.getConnection(url, System.getenv("PGUSER"), "")) {
            DatabaseMetaData md = c.getMetaData();
            for (String fn : new String[] {"abs", "array_to_string", "now", "generate_series"}) {
                print("getFunctions " + fn, md.getFunctions(null, "pg_catalog", fn),
                    "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE", "SPECIFIC_NAME");
                print("getProcedures " + fn, md.getProcedures(null, "pg_catalog", fn),
                    "PROCEDURE_SCHEM", "PROCEDURE_NAME", "REMARKS", "PROCEDURE_TYPE", "SPECIFIC_NAME");
                print("getFunctionColumns " + fn, md.getFunctionColumns(null, "pg_catalog", fn, "%"),
                    "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME", "SPECIFIC_NAME");
            }
            print("getFunctions gold", md.getFunctions(null, "gold", "%"), "FUNCTION_NAME");
        }
        System.out.println("jdbc functions ok");
    }
}
