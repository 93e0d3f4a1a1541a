package main

import (
	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/sqlfeatures"
)

// optionalDates parses an optional --dates value: nil when it is not
// given (the command's default, usually every date), else the dates.
func optionalDates(spec string) ([]calendar.Date, error) {
	if spec == "" {
		return nil, nil
	}
	return sqlfeatures.ParseDates(spec)
}
