// Package polygon reads Polygon.io flat files of stock and option trades:
// CSV, optionally gzip-compressed (detected by its magic number), with a
// header row. Columns are found by header name, so files with extra,
// reordered or missing optional columns (some lack participant_timestamp)
// read the same way.
//
// Stocks trades files have the columns ticker, conditions, correction,
// exchange, id, participant_timestamp, price, sequence_number,
// sip_timestamp, size, tape, trf_id and trf_timestamp; options trades files
// have ticker, conditions, correction, exchange, participant_timestamp,
// price, sip_timestamp and size. Timestamps are UTC nanoseconds; conditions
// is a quoted, comma-separated list of integer condition codes ("12,37"),
// possibly empty. Option tickers are OCC symbols with an "O:" prefix and an
// unpadded root (O:SPY251219C00600000); ParseOCC splits them.
//
// Readers stream: one row at a time, no per-row allocation beyond the
// strings of the row and a shared arena for condition lists.
package polygon
