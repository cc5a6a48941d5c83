package study

import "unicode/utf8"

// nameWidth is the width of a text table's first column (the condition): least, widened to the longest
// of names, so that a long condition name (pop-lif-bal-cap-stepcorr, 24 characters) does not push its row's
// other columns out of line with the header's.
func nameWidth(least int, names ...string) int {
	w := least
	for _, n := range names {
		w = max(w, utf8.RuneCountInString(n))
	}
	return w
}

// rowConditions lists the condition of each of rows.
func rowConditions[R any](rows []R, condition func(R) string) []string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = condition(r)
	}
	return names
}
