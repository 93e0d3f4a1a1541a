// Package store is the lake on disk (docs/ARCHITECTURE.md, "The lake").
// Lake is the one place that builds lake paths: Bronze partitions, Silver
// versions and their staging, locks and ledgers, Gold datasets, point
// indexes, evaluations and streamed signals. Every other package asks it.
//
// It also owns what is written to Bronze: the tables (Table, Column),
// the canonical record types (FuturesTrade, MBP10, StockTrade,
// OptionTrade), and WriteBronze, which routes records to their UTC
// date/hour partitions, sorts each file by event time, and publishes it
// atomically. Publishing is shared by every tier: TempFile and Publish
// write beside the target, fsync, rename and fsync the directory, so
// nothing half-written is ever visible; a name already published with the
// same bytes is left alone (a rerun is a no-op), with other bytes it is
// ErrExists (Bronze is append-only). ExchangeDirs swaps two directories
// atomically where the kernel can (renameat2).
package store
