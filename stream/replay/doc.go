// Package replay publishes Bronze back to NATS (`spysql replay`), so any
// stored day can be run through the live path. For each trading date it
// reads the UTC hours that hold the date's session (the same partitions
// bronze.* reads for that date), merges the four tables in event-time
// order (ties by table, file and row) and publishes each row as the JSON
// payload of natsmsg on its subject. Every message carries a Nats-Msg-Id
// naming its file and row (relative to the lake), so JetStream stores a
// row once however often it is replayed within the stream's duplicate
// window. Speed 0 publishes as fast as the server acknowledges; Speed X
// paces by event time, X times real time.
//
// Publishes are asynchronous, a window at a time, through a JetStream
// handle of replay's own on the caller's connection. What failed or had
// no answer within 5s is published again, all together, with a growing
// wait; the Nats-Msg-Id makes a repeat harmless.
//
// A range without trading dates publishes nothing (Stats.Dates 0);
// trading dates without a Bronze row are listed in Stats.Missing, and
// when that is all of them Run fails with ErrNoBronze.
package replay
