package study

import (
	"fmt"
	"slices"
	"strings"
)

// RateInteraction asks whether the difference between two conditions depends on the learning rate. low
// and high are the outcomes of two fixed-rate plans (TunedPlan with a one-rate grid) on the same test seeds
// and margin; for each pair (A, B), both plans compare, it takes each seed's difference A - B at each
// rate,
//
//	d_s(rate) = acc_s(A at rate) - acc_s(B at rate),
//
// and compares d(low) with d(high) paired by seed (the mean of d_s(low) - d_s(high) is the interaction,
// a difference of differences), Holm over the pairs, TOST at the plans' margin. The two sides are named
// "A - B at <rate>". Values are fractions (AccuracyRules' scale) and may be negative, so no floor or
// ceiling applies.
func RateInteraction(low, high Outcome, pairs [][2]string) ([]Comparison, error) {
	lt, ht := low.Plan.tuning(), high.Plan.tuning()
	if !lt.Fixed() || !ht.Fixed() {
		return nil, fmt.Errorf("study: RateInteraction compares fixed-rate plans (one rate, MaxExtensions 0): %s has grid %v with %d extensions, "+
			"%s %v with %d", low.Plan.Name, lt.Grid, lt.MaxExtensions, high.Plan.Name, ht.Grid, ht.MaxExtensions)
	}
	if lt.Grid[0] >= ht.Grid[0] {
		return nil, fmt.Errorf("study: RateInteraction: plan %s's rate %g is not below plan %s's %g: want the lower rate first",
			low.Plan.Name, lt.Grid[0], high.Plan.Name, ht.Grid[0])
	}
	switch l, h := low.Plan, high.Plan; {
	case !slices.Equal(l.TestSeeds, h.TestSeeds):
		return nil, fmt.Errorf("study: RateInteraction: plans %s and %s have different test seeds (%s and %s): want the same, paired",
			l.Name, h.Name, SeedRange(l.TestSeeds), SeedRange(h.TestSeeds))
	case l.Margin != h.Margin:
		return nil, fmt.Errorf("study: RateInteraction: plans %s and %s have different margins (%g and %g)", l.Name, h.Name, l.Margin, h.Margin)
	case l.Fraction != h.Fraction:
		return nil, fmt.Errorf("study: RateInteraction: plans %s and %s have different inhibitory fractions (%g and %g)", l.Name, h.Name, l.Fraction, h.Fraction)
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("study: RateInteraction: no pairs to compare")
	}
	diff := func(o Outcome, pr [2]string) ([]float64, error) {
		a, okA := o.Test[pr[0]]
		b, okB := o.Test[pr[1]]
		if !okA || !okB || len(a) != len(b) {
			return nil, fmt.Errorf("study: RateInteraction: plan %s has no paired test runs of %s and %s", o.Plan.Name, pr[0], pr[1])
		}
		d := make([]float64, len(a))
		for i := range a {
			d[i] = a[i] - b[i]
		}
		return d, nil
	}
	names := make([][2]string, len(pairs))
	values := make([][2][]float64, len(pairs))
	for i, pr := range pairs {
		for k, o := range []Outcome{low, high} {
			d, err := diff(o, pr)
			if err != nil {
				return nil, err
			}
			values[i][k] = d
			names[i][k] = fmt.Sprintf("%s - %s at %g", pr[0], pr[1], o.Plan.tuning().Grid[0])
		}
	}
	r := DifferenceRules(low.Rules)
	cs, err := Family(r, names, values)
	if err != nil {
		return nil, fmt.Errorf("study: RateInteraction: %w", err)
	}
	for i := range cs {
		cs[i].Seeds = slices.Clone(low.Plan.TestSeeds)
	}
	return cs, nil
}

// RateInteractionText is the comparisons of RateInteraction as a Markdown list, one sentence each.
func RateInteractionText(cs []Comparison) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Does the difference depend on the learning rate? (%d comparisons of per-seed differences, one Holm family)\n\n", len(cs))
	for _, c := range cs {
		fmt.Fprintf(&b, "- %s\n", c.Sentence())
	}
	if len(cs) > 0 {
		fmt.Fprintf(&b, "\nThe equivalence margin (±%g %s) is the plans' margin for one difference; a difference of differences has about "+
			"twice its variance, so the same seeds show equivalence here less readily.\n", cs[0].Rules.Scale*cs[0].Rules.Margin, cs[0].Rules.Unit)
	}
	return b.String()
}
