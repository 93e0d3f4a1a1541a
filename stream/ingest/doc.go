// Package ingest lands the live path in the lake (DESIGN.md section 9):
// a durable JetStream pull consumer on MARKET (market.>) writes Bronze, one
// on LEVELS (levels.>) writes Gold streaming signals.
//
// A message's life: it is decoded and validated (natsmsg); a bad one (not
// JSON, a missing or mistyped field, a time outside 2000-2100, an unknown
// subject) is republished to deadletter.<subject> with the reason in the
// Spysql-Error header and acked, so it never stalls the stream. A good one
// is buffered in its partition (table, symbol, UTC hour). Everything is
// flushed when the buffer holds MaxRows rows or MaxBytes bytes or its
// oldest message is MaxAge old, and a symbol's older hours are flushed as
// soon as a newer hour arrives. Each partition becomes one Parquet file
// written through engine.WriteBronze (temp file, fsync, rename, fsync of
// the directory); only then are its messages acked.
//
// Exactly once: a file is named for the first and last stream sequence of
// its messages and records all its sequences in its footer. A file is
// therefore its own commit record. When a message comes back
// (NumDelivered > 1: the process died before acking, an ack was lost in a
// reconnect, another process on the same durable timed out), the
// partition's published files are consulted and a message they already
// hold is acked and not written again. Another process on the durable may
// be given a message this one still holds (AckWait passed while it sat
// in the pull buffer or a slow write), so every file is published under
// an flock on its partition directory (store.LockDir) shared by all
// processes on the lake, after dropping the rows that published files
// whose name ranges overlap the batch already hold. Messages held over
// half the AckWait are reported in progress, so that happens rarely.
// A crash before the rename leaves
// only a hidden temp file, and the messages are redelivered and written.
// So every message is in exactly one published file: none lost, none
// twice. MaxAge stays at most a third of AckWait, and a process holds at
// most MaxRows+Fetch messages, under the consumer's MaxAckPending.
package ingest
