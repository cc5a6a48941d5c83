package study

import (
	"fmt"
	"slices"
	"strings"
)

// TuningTable prints the tuning curves of tuned side by side: per condition, the mean validation accuracy
// over the tuning seeds (TuningPoint.Mean, in %, diverged runs counting 0 as in the selection) at every
// learning rate any of them was tuned at, ascending ("-" where a condition was not run at a rate), the
// selected rate's value marked with *. It reads what the selection read, so rates that separate
// conditions there can be quoted from it (they are not tested comparisons: the tuning seeds are few).
func TuningTable(tuned []Tuned) string {
	var rates []float64
	for _, t := range tuned {
		for _, p := range t.Curve {
			if !slices.Contains(rates, p.LearningRate) {
				rates = append(rates, p.LearningRate)
			}
		}
	}
	slices.Sort(rates)
	width := nameWidth(len("condition"), rowConditions(tuned, func(t Tuned) string { return t.Condition })...)
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", width, "condition")
	for _, r := range rates {
		fmt.Fprintf(&b, " %10s", fmt.Sprintf("%g", r))
	}
	b.WriteString("\n")
	for _, t := range tuned {
		fmt.Fprintf(&b, "%-*s", width, t.Condition)
		for _, r := range rates {
			i := slices.IndexFunc(t.Curve, func(p TuningPoint) bool { return p.LearningRate == r })
			switch {
			case i < 0:
				fmt.Fprintf(&b, " %10s", "-")
			case r == t.Selected:
				fmt.Fprintf(&b, " %10s", fmt.Sprintf("%.1f*", 100*t.Curve[i].Mean))
			default:
				fmt.Fprintf(&b, " %10.1f", 100*t.Curve[i].Mean)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("(mean validation accuracy over the tuning seeds, %, by learning rate; *: the rate the tuning selected; -: not run)\n")
	return b.String()
}
