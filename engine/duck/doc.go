// Package duck opens the embedded DuckDB database that every spysql
// command queries, and registers the lake in it as views: bronze.<table>
// over the Hive-partitioned Parquet (partition values read as strings),
// silver."<version>" over each built Silver version, gold.<dataset> over
// each Gold training dataset, and calendar.sessions from the trading
// calendar. Refresh re-registers them after the lake changed;
// RegisterBronze can scope Bronze to some trading dates (the Silver
// builder does).
//
// Refresh runs in one transaction, so a statement binds every view as
// it was or every view as it is, never a mix. With Config.CacheMemory the
// hot views (Gold datasets, then the most recently built Silver versions)
// are bound to in-memory copies of their files within that budget
// (hot.go), copied again only when a file's identity changes.
//
// With Config.Sandbox (the wire server) DuckDB may read only the lake
// directory, and its configuration is locked, unless
// Config.AdaptiveThreads: then the server reports each statement it runs
// (StatementStarted, StatementDone) and DuckDB's global threads follow
// them (parallel.go): every core from the start of a big statement, one
// thread once the server is idle after a small one. Extension
// autoloading and installing are always off; time zones come from
// embedded tzdata.
package duck
