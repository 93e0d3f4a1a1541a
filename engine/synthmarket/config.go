package synthmarket

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/spysql/spysql/engine/calendar"
)

// Defaults for the zero values of Config.
const (
	// DefaultSeed is used when Config.Seed is 0.
	DefaultSeed int64 = 1
	// DefaultScale is used when Config.Scale is 0: about 1% of a real day,
	// a few thousand rows per table and day.
	DefaultScale = 0.01
	// MaxScale bounds Config.Scale (50 real days of events per day).
	MaxScale = 50.0
)

// Source is the Bronze source column of every generated row.
const Source = "synthetic"

// Config says what to generate. The zero value of each field is documented;
// Start and End are required.
type Config struct {
	// Start and End bound the trading days to generate, inclusive. Both
	// must lie inside the calendar's years; End must not be before Start.
	Start, End calendar.Date
	// Seed selects the market. 0 means DefaultSeed (1). Any other value,
	// negative ones included, is a different market.
	Seed int64
	// Scale multiplies event rates: 1 is roughly a real day, 0 means
	// DefaultScale (0.01). It must be in (0, MaxScale].
	Scale float64
}

// ErrConfig reports a bad Config (wrapped with the detail).
var ErrConfig = errors.New("synth: bad config")

// withDefaults returns c with zero values replaced by their defaults, or an
// error naming the problem.
func (c Config) withDefaults() (Config, error) {
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Scale == 0 {
		c.Scale = DefaultScale
	}
	if math.IsNaN(c.Scale) || c.Scale < 0 || c.Scale > MaxScale {
		return c, fmt.Errorf("%w: scale %v outside (0, %v]", ErrConfig, c.Scale, MaxScale)
	}
	if c.Start.IsZero() || c.End.IsZero() {
		return c, fmt.Errorf("%w: start and end dates are required", ErrConfig)
	}
	if c.End.Before(c.Start) {
		return c, fmt.Errorf("%w: end %s is before start %s", ErrConfig, c.End, c.Start)
	}
	return c, nil
}

// FileName is the name of every file a configuration writes, one per
// Bronze partition: "synthetic-s<seed>-x<scale>.parquet" after defaults,
// e.g. "synthetic-s1-x0.01.parquet". The same configuration always gives
// the same name (so a rerun is a no-op); another seed or scale gives
// another name.
func (c Config) FileName() string {
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Scale == 0 {
		c.Scale = DefaultScale
	}
	return "synthetic-s" + strconv.FormatInt(c.Seed, 10) + "-x" +
		strconv.FormatFloat(c.Scale, 'g', -1, 64) + ".parquet"
}

// Sessions validates c and returns the sessions of the trading days
// Generate would write, in order: empty (and no error) when the range holds
// no trading day. Dates outside the calendar are an error
// (errors.Is(err, calendar.ErrOutOfRange)).
func Sessions(cal *calendar.Calendar, c Config) ([]calendar.Session, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	ss, err := cal.Sessions(c.Start, c.End)
	if err != nil {
		return nil, fmt.Errorf("synth: sessions %s..%s: %w", c.Start, c.End, err)
	}
	return ss, nil
}

// Stats counts what Generate did so far.
type Stats struct {
	// Days is the number of trading days generated; Last is the latest.
	Days int
	Last calendar.Date
	// Rows per Bronze table.
	FuturesTrades int64
	FuturesMBP10  int64
	StocksTrades  int64
	OptionsTrades int64
	// Files is the number of Parquet files the run covers; Unchanged of
	// them were already published with identical content. Bytes is their
	// total size on disk.
	Files     int
	Unchanged int
	Bytes     int64
}

// Rows is the total over all tables.
func (s Stats) Rows() int64 {
	return s.FuturesTrades + s.FuturesMBP10 + s.StocksTrades + s.OptionsTrades
}
