package wire

import (
	"math"
	"strconv"
	"time"
)

// PostgreSQL counts from 2000-01-01; DuckDB from 1970-01-01.
const (
	pgEpochDays   = 10957
	pgEpochMicros = 946_684_800_000_000
	microsPerDay  = 86_400_000_000
)

// DuckDB's infinite dates and timestamps.
const (
	dateInfinity = math.MaxInt32
	dateNegInf   = -math.MaxInt32
	tsInfinity   = math.MaxInt64
	tsNegInf     = -math.MaxInt64
)

func appendPad(dst []byte, x int64, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], x, 10)
	for range width - len(s) {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// civil splits days since 1970-01-01 into a proleptic Gregorian date
// (year 0 is 1 BC).
func civil(days int64) (y int64, m, d int) {
	t := time.Unix(days*86400, 0).UTC()
	yy, mm, dd := t.Date()
	return int64(yy), int(mm), dd
}

func appendYMD(dst []byte, days int64) ([]byte, bool) {
	y, m, d := civil(days)
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendPad(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPad(dst, int64(m), 2)
	dst = append(dst, '-')
	dst = appendPad(dst, int64(d), 2)
	return dst, bc
}

// appendDateText is date_out with DateStyle ISO.
func appendDateText(dst []byte, days int32) []byte {
	switch days {
	case dateInfinity:
		return append(dst, "infinity"...)
	case dateNegInf:
		return append(dst, "-infinity"...)
	}
	dst, bc := appendYMD(dst, int64(days))
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendClockText appends HH:MM:SS[.ffffff] for µs since midnight.
func appendClockText(dst []byte, us int64) []byte {
	dst = appendPad(dst, us/3_600_000_000, 2)
	dst = append(dst, ':')
	dst = appendPad(dst, us/60_000_000%60, 2)
	dst = append(dst, ':')
	return appendSeconds(dst, us%60_000_000)
}

// appendSeconds appends SS[.ffffff] with trailing zeros trimmed.
func appendSeconds(dst []byte, us int64) []byte {
	dst = appendPad(dst, us/1_000_000, 2)
	frac := us % 1_000_000
	if frac == 0 {
		return dst
	}
	var buf [8]byte
	b := appendPad(buf[:0], frac, 6)
	n := len(b)
	for b[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, b[:n]...)
}

// appendTimestampText is timestamp_out (loc nil) or timestamptz_out in
// loc, DateStyle ISO.
func appendTimestampText(dst []byte, us int64, loc *time.Location) []byte {
	switch us {
	case tsInfinity:
		return append(dst, "infinity"...)
	case tsNegInf:
		return append(dst, "-infinity"...)
	}
	offset := 0
	if loc != nil && loc != time.UTC {
		_, offset = time.UnixMicro(us).In(loc).Zone()
		us += int64(offset) * 1_000_000
	}
	days := us / microsPerDay
	rem := us % microsPerDay
	if rem < 0 {
		rem += microsPerDay
		days--
	}
	dst, bc := appendYMD(dst, days)
	dst = append(dst, ' ')
	dst = appendClockText(dst, rem)
	if loc != nil {
		dst = appendOffset(dst, offset)
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendOffset appends +HH[:MM[:SS]] as PostgreSQL prints zone offsets.
func appendOffset(dst []byte, secs int) []byte {
	if secs < 0 {
		dst = append(dst, '-')
		secs = -secs
	} else {
		dst = append(dst, '+')
	}
	dst = appendPad(dst, int64(secs/3600), 2)
	if m, s := secs/60%60, secs%60; m != 0 || s != 0 {
		dst = append(dst, ':')
		dst = appendPad(dst, int64(m), 2)
		if s != 0 {
			dst = append(dst, ':')
			dst = appendPad(dst, int64(s), 2)
		}
	}
	return dst
}

// appendIntervalText is interval_out with IntervalStyle postgres, e.g.
// "1 year 2 mons -3 days +04:05:06.5".
func appendIntervalText(dst []byte, months, days int32, us int64) []byte {
	isZero, isBefore := true, false
	part := func(value int64, unit string) {
		if value == 0 {
			return
		}
		if !isZero {
			dst = append(dst, ' ')
		}
		if isBefore && value > 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, value, 10)
		dst = append(dst, ' ')
		dst = append(dst, unit...)
		if value != 1 {
			dst = append(dst, 's')
		}
		isBefore, isZero = value < 0, false
	}
	part(int64(months/12), "year")
	part(int64(months%12), "mon")
	part(int64(days), "day")
	if isZero || us != 0 {
		if !isZero {
			dst = append(dst, ' ')
		}
		switch {
		case us < 0:
			dst = append(dst, '-')
		case isBefore:
			dst = append(dst, '+')
		}
		a := us
		if a < 0 {
			a = -a
		}
		dst = appendClockText(dst, a)
	}
	return dst
}

// pgDate converts DuckDB days since 1970 to PostgreSQL days since 2000;
// infinities are INT32_MAX and INT32_MIN in PostgreSQL, ±INT32_MAX in
// DuckDB.
func pgDate(d int32) int32 {
	switch d {
	case dateInfinity:
		return math.MaxInt32
	case dateNegInf:
		return math.MinInt32
	}
	return d - pgEpochDays
}

// duckDate is pgDate's inverse.
func duckDate(d int32) int32 {
	switch d {
	case math.MaxInt32:
		return dateInfinity
	case math.MinInt32:
		return dateNegInf
	}
	return d + pgEpochDays
}

// pgTimestamp converts DuckDB µs since 1970 to PostgreSQL µs since 2000.
func pgTimestamp(us int64) int64 {
	switch us {
	case tsInfinity:
		return math.MaxInt64
	case tsNegInf:
		return math.MinInt64
	}
	return us - pgEpochMicros
}

// duckTimestamp is pgTimestamp's inverse.
func duckTimestamp(us int64) int64 {
	switch us {
	case math.MaxInt64:
		return tsInfinity
	case math.MinInt64:
		return tsNegInf
	}
	return us + pgEpochMicros
}
