package gate

import "strings"

// allowedFunctions is the union of the allowed lists.
var allowedFunctions = union(sqlScalarFunctions, sqlAggregateFunctions, sqlMacros, tableFunctions, catalogFunctions)

// words is a set of the whitespace-separated, lowercased names in s.
func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}

func union(sets ...map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, s := range sets {
		for k := range s {
			m[k] = true
		}
	}
	return m
}

// refusals turns reason -> names into name -> reason.
func refusals(byReason map[string]string) map[string]string {
	m := map[string]string{}
	for why, names := range byReason {
		for _, n := range strings.Fields(names) {
			m[strings.ToLower(n)] = why
		}
	}
	return m
}
