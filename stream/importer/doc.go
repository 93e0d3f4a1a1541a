// Package importer lands raw vendor files in Bronze through engine's
// writer: Databento DBN files (trades and mbp-10, DBN versions 1 to 3, plain
// or zstd) into futures/trades and futures/mbp10, and Polygon flat files
// (CSV or CSV.gz) into stocks/trades and options/trades. The decoders live
// in the subpackages dbn and polygon; this package maps their rows to the
// canonical Bronze records and owns the import protocol.
//
// # One file's import
//
//  1. Validate: decode the whole file once while hashing its bytes with
//     sha256, keeping nothing. Any decode error (corrupt bytes, an
//     unsupported DBN schema, a record without a symbol mapping, a bad OCC
//     symbol) fails the file here, before anything is written.
//  2. Skip: the import ledger (store.Lake.ImportLedgerDir) holds one JSON
//     entry per imported file, named by the file's sha256. A file already in
//     the ledger is reported as skipped and nothing is written; one
//     imported with other options (batch size, DBN symbol root) is refused,
//     since Bronze is append-only and the rows are already there.
//  3. Write: decode again (checking that size, modification time and record
//     count did not change; the last batch waits for that check) in batches of
//     Config.BatchRows rows; store.WriteBronze routes each batch to its
//     symbol/date/hour partitions and publishes one file per partition
//     atomically. Batch i is named import-<first 16 hex of sha256>-<i>.parquet,
//     so the same file (imported with the same options) always yields the
//     same names with the same content.
//     Before the first batch a <sha256>.started marker records the
//     options, so a killed import can only be resumed with the same ones.
//  4. Record: only after every batch is published, write the ledger entry
//     (and drop the marker).
//
// A killed import therefore leaves whole Parquet files or nothing (engine
// writes a hidden temp file, fsyncs and renames) and no ledger entry; running
// it again republishes the same names with the same bytes (engine treats that
// as a no-op) and finishes the rest. A second import of a finished file adds
// nothing.
//
// # Mapping
//
// DBN: instrument ids resolve to the raw symbol (ESH1) through the metadata's
// symbol mappings on the UTC date of ts_recv; the symbol= partition is
// Config.SymbolRoot or the root derived from the symbol (dbn.Root: ESH1 ->
// ES). Files requested in parent or continuous symbology (ES.FUT, ES.c.0)
// map instrument ids to that requested symbol, which then is the instrument
// (the file names no contract); its root is the part before the dot.
// Prices are fixed-point 1e-9; UNDEF_PRICE becomes 0, which Bronze
// writes as NULL in MBP-10's optional price columns. A trade's side is the
// aggressor's: 'B' (buyer) -> +1, 'A' (seller) -> -1, else 0. The futures
// trade exchange is the dataset's venue (GLBX for GLBX.MDP3). seq is the
// venue sequence number. An undefined ts_recv is stored as 0; a record with
// an undefined ts_event cannot be partitioned and fails the file. ts_out,
// ts_in_delta and publisher_id have no Bronze column and are dropped.
//
// Polygon: ts_event_ns is participant_timestamp when present and nonzero,
// else sip_timestamp; ts_recv_ns is sip_timestamp. Stocks partition by
// ticker; options by the OCC root (underlying), with option_symbol stored
// without the "O:" prefix. Duplicate identical prints are real trades and
// are kept.
package importer
