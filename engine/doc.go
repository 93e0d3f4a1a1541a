// Package engine is the core of spysql: it opens embedded DuckDB, knows the
// lake's layout on disk (the only package that does), registers the Bronze
// tiers and the trading calendar as SQL views, defines the canonical Bronze
// record types and writes them as append-only, atomically published Parquet.
//
// Every other package (sqlfeatures, wire, stream) asks engine for paths and
// connections; engine imports none of them.
package engine
