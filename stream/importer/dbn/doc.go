// Package dbn decodes Databento Binary Encoding (DBN) streams, versions 1, 2
// and 3, plain or Zstandard-compressed.
//
// A DBN stream starts with an 8-byte prelude ("DBN", a version byte and the
// little-endian length of the metadata that follows), then the metadata
// (dataset, schema, time range, symbology and the symbol mappings with their
// date intervals), then records. Every record starts with a 16-byte header:
// its length in 4-byte words, the record type (rtype), the publisher id, the
// instrument id and ts_event. Prices are signed fixed-point integers scaled
// by 1e-9, with UndefPrice (the largest int64) for "no price".
//
// Version 1 metadata differs from versions 2 and 3: it carries a deprecated
// record count, fixed 22-byte symbol strings (versions 2 and 3 state the
// symbol length, 71 in practice) and a shorter reserved block. The trade and
// MBP-10 record layouts are the same in all three versions.
//
// NewDecoder detects Zstandard input by its magic number (a frame or a
// skippable frame) and decodes any number of concatenated frames. The decoder
// streams: it keeps one buffer for records (whose length is at most 1020
// bytes, as the header states it in one byte) and grows the metadata buffer
// only as metadata bytes actually arrive, so a corrupt length cannot make it
// allocate more than the input holds. Decoding a record into a Trade or MBP10
// allocates nothing.
package dbn
