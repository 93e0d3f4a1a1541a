// Package duck opens the embedded DuckDB database that every spysql
// command queries, and registers the lake in it as views: bronze.<table>
// over the Hive-partitioned Parquet (partition values read as strings),
// silver."<version>" over each built Silver version, gold.<dataset> over
// each Gold training dataset, and calendar.sessions from the trading
// calendar. Refresh re-registers them after the lake changed;
// RegisterBronze can scope Bronze to some trading dates (the Silver
// builder does).
//
// With Config.Sandbox (the wire server) DuckDB may read only the lake
// directory, and its configuration is locked. Extension autoloading and
// installing are always off; time zones come from embedded tzdata.
package duck
