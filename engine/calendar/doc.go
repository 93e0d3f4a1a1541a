// Package calendar is the NYSE trading-session calendar of spysql
// (docs/ARCHITECTURE.md, "Trading calendar") for the years FirstYear..LastYear (2015..2035).
//
// Sessions are computed in Go from the NYSE holiday rules (New Year's Day,
// Martin Luther King Jr. Day, Washington's Birthday, Good Friday, Memorial
// Day, Juneteenth from 2022, Independence Day, Labor Day, Thanksgiving and
// Christmas, with NYSE's weekend observance rules) plus a short list of
// one-off closures (2018-12-05, 2025-01-09). Early closes (13:00 ET) are the
// day after Thanksgiving, Christmas Eve when it is a trading day, and July 3
// when it is a Monday..Thursday trading day.
//
// Each Session carries four instants in UTC: PMOpen (04:00 ET), RTHOpen
// (09:30 ET), RTHClose (16:00 ET, 13:00 ET on early closes) and PostClose
// (20:00 ET, also on early-close days: the extended session is simplified to
// always end at 20:00). The UTC instants come from the America/New_York zone
// of the embedded tzdata, so daylight saving time is handled and the host's
// zone database and time.Local are never consulted.
//
// Because Bronze partitions are UTC dates and hours, BronzeHours lists the
// UTC hours that cover a session's [PMOpen, PostClose) window; in winter the
// window spills into the next UTC date (hour 00).
//
// Date is a civil date with no time zone; Calendar is immutable and safe for
// concurrent use.
package calendar
