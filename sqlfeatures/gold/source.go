package gold

import (
	"fmt"
	"strings"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// sourceFailures compares a dataset's file with what its source version
// recorded for each promoted date (date=D/_date.json, in silver/features
// or silver/archive): the build's fingerprint, the rows, and the columns.
// The file holds the Silver columns in their order, then the date column
// promote adds. A difference names the dataset, the version, the dates
// and the column.
func sourceFailures(lake store.Lake, m *Metadata, cols []Column, rows int64) []string {
	var out []string
	src := fmt.Sprintf("dataset %s: source version %s", m.Dataset, m.SourceVersion)
	var diffs []string
	dates := map[string][]string{} // difference -> the dates it holds for
	var want int64
	complete := true
	for _, d := range m.Dates {
		if _, err := calendar.ParseDate(d); err != nil {
			out = append(out, fmt.Sprintf("%s: the metadata's date %q is not a date", src, d))
			complete = false
			continue
		}
		rec, err := sqlfeatures.PublishedDateRecord(lake, m.SourceVersion, d)
		if err != nil {
			out = append(out, fmt.Sprintf("%s date %s: cannot read what the version recorded: %v", src, d, err))
			complete = false
			continue
		}
		if rec.Ledger.Fingerprint != m.Fingerprint {
			out = append(out, fmt.Sprintf("%s date %s was built with fingerprint %s, the dataset was promoted from %s",
				src, d, rec.Ledger.Fingerprint, m.Fingerprint))
		}
		want += rec.Validation.Rows
		expect := make([]Column, 0, len(rec.Columns)+1)
		for _, c := range rec.Columns {
			expect = append(expect, Column{Name: c.Name, Type: c.Type})
		}
		expect = append(expect, Column{Name: "date", Type: "DATE"})
		for _, diff := range diffColumns(expect, cols) {
			if dates[diff] == nil {
				diffs = append(diffs, diff)
			}
			dates[diff] = append(dates[diff], d)
		}
	}
	for _, diff := range diffs {
		out = append(out, fmt.Sprintf("%s date(s) %s: %s", src, strings.Join(dates[diff], ", "), diff))
	}
	if complete && want != rows {
		out = append(out, fmt.Sprintf("%s: the file has %d rows, the version's dates %s hold %d",
			src, rows, strings.Join(m.Dates, ", "), want))
	}
	return out
}

// diffColumns says how got (the file's columns) differs from want (the
// source's), one line per column; the order is compared once the names
// and types agree.
func diffColumns(want, got []Column) []string {
	var out []string
	wantType := map[string]string{}
	for _, c := range want {
		wantType[c.Name] = c.Type
	}
	gotType := map[string]string{}
	for _, c := range got {
		gotType[c.Name] = c.Type
		wt, ok := wantType[c.Name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("column %s (%s) is in the file but not in the source", c.Name, c.Type))
		case wt != c.Type:
			out = append(out, fmt.Sprintf("column %s is %s in the file, %s in the source", c.Name, c.Type, wt))
		}
	}
	for _, c := range want {
		if _, ok := gotType[c.Name]; !ok {
			out = append(out, fmt.Sprintf("column %s (%s) of the source is missing from the file", c.Name, c.Type))
		}
	}
	if len(out) == 0 && len(want) == len(got) {
		for i := range want {
			if want[i].Name != got[i].Name {
				out = append(out, fmt.Sprintf("column %s is column %d in the file, %s is in the source", got[i].Name, i+1, want[i].Name))
				break
			}
		}
	}
	return out
}
