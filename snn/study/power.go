package study

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Power is the sensitivity of one planned paired comparison: the smallest true mean difference its test
// seeds detect with the plan's power, and the seeds an equivalence claim would need.
//
// For n paired seeds with paired standard deviation sd, a two-sided paired t test at level a detects a
// true difference δ with power 1-β when (normal-theory approximation with t quantiles)
//
//	δ = (t_{1-a/2, n-1} + t_{1-β, n-1}) · sd / √n,
//
// and TOST at level a shows equivalence within ±M with power 1-β, when the true difference is 0, once
//
//	(t_{1-a, n-1} + t_{1-β/2, n-1}) · sd / √n <= M.
//
// Holm's correction is taken at its most stringent step, a = Alpha/m for a family of m comparisons, so
// the figures are what the design guarantees for every comparison of the family.
//
// The spread known before the test runs is that of the few tuning seeds, an imprecise estimate (2
// degrees of freedom for 3 seeds), so the planning figures use its one-sided 80% upper confidence bound
// sd·sqrt((k-1)/χ²_{0.2, k-1}) for k tuning seeds (Browne 1995), not the estimate itself.
type Power struct {
	Level, Power float64 // a (after the family correction) and 1-β
	// TuningSD is the standard deviation of the paired differences of validation accuracy over the
	// tuning seeds, each condition at its selected learning rate, and TuningSDUpper its 80% upper bound.
	TuningSD, TuningSDUpper float64
	TuningSeeds             int
	// Detectable is the smallest difference TestSeeds detect, from TuningSDUpper.
	Detectable float64
	TestSeeds  int
	// ObservedSD and DetectableObserved are the same from the test runs' own paired spread (post hoc).
	ObservedSD, DetectableObserved float64
	// SeedsForEquivalence is the number of seeds TOST would need to show equivalence within Margin from
	// TuningSDUpper (0: more than maxSeeds).
	SeedsForEquivalence int
	Margin              float64
}

// minPlanningSeeds is the fewest tuning seeds whose spread Sentence plans from: with 2, the sd has one
// degree of freedom (its 80% upper bound is about 4 times the estimate, which may be near 0 by chance).
const minPlanningSeeds = 3

// maxSeeds bounds the seed counts Power searches.
const maxSeeds = 1000

// DetectableDifference is δ above for n seeds, paired sd, two-sided level and power (see Power).
func DetectableDifference(sd float64, n int, level, power float64) (float64, error) {
	if err := checkPowerArgs(sd, n, level, power); err != nil {
		return 0, err
	}
	return (tQuantile(1-level/2, n-1) + tQuantile(power, n-1)) * sd / math.Sqrt(float64(n)), nil
}

// SeedsForEquivalence is the smallest n >= 2 for which TOST at level shows equivalence within ±margin
// with the given power when the true difference is 0 (see Power); 0 when more than 1000 seeds are needed.
func SeedsForEquivalence(sd, margin, level, power float64) (int, error) {
	if err := checkPowerArgs(sd, 2, level, power); err != nil {
		return 0, err
	}
	if !(margin > 0) || math.IsInf(margin, 0) {
		return 0, fmt.Errorf("study: equivalence margin %v: want a finite number > 0", margin)
	}
	for n := 2; n <= maxSeeds; n++ {
		if (tQuantile(1-level, n-1)+tQuantile(1-(1-power)/2, n-1))*sd/math.Sqrt(float64(n)) <= margin {
			return n, nil
		}
	}
	return 0, nil
}

func checkPowerArgs(sd float64, n int, level, power float64) error {
	switch {
	case !(sd >= 0) || math.IsInf(sd, 0):
		return fmt.Errorf("study: paired standard deviation %v: want a finite number >= 0", sd)
	case n < 2:
		return fmt.Errorf("study: %d seeds: a paired t test needs at least 2", n)
	case !(level > 0 && level < 0.5):
		return fmt.Errorf("study: level %v: want a number in (0, 0.5)", level)
	case !(power > 0.5 && power < 1):
		return fmt.Errorf("study: power %v: want a number in (0.5, 1)", power)
	}
	return nil
}

// newPower computes the Power of a comparison in a family of m, from the tuning seeds' paired
// differences and the test seeds' paired differences.
func newPower(tuningDiff, testDiff []float64, m int, alpha, power, margin float64) (Power, error) {
	p := Power{Level: alpha / float64(m), Power: power, TuningSeeds: len(tuningDiff), TestSeeds: len(testDiff), Margin: margin}
	if len(tuningDiff) < 2 {
		return p, fmt.Errorf("study: %d tuning seeds: the spread needs at least 2", len(tuningDiff))
	}
	_, p.TuningSD = MeanSD(tuningDiff)
	p.TuningSDUpper = SDUpperBound(p.TuningSD, len(tuningDiff), 0.8)
	_, p.ObservedSD = MeanSD(testDiff)
	var err error
	if p.Detectable, err = DetectableDifference(p.TuningSDUpper, len(testDiff), p.Level, power); err != nil {
		return p, err
	}
	if p.DetectableObserved, err = DetectableDifference(p.ObservedSD, len(testDiff), p.Level, power); err != nil {
		return p, err
	}
	if p.SeedsForEquivalence, err = SeedsForEquivalence(p.TuningSDUpper, margin, p.Level, power); err != nil {
		return p, err
	}
	return p, nil
}

// SDUpperBound is the one-sided upper confidence bound at level of a standard deviation sd estimated
// from n values: sd·sqrt((n-1)/χ²_{1-level, n-1}).
func SDUpperBound(sd float64, n int, level float64) float64 {
	df := float64(n - 1)
	return sd * math.Sqrt(df/distuv.ChiSquared{K: df}.Quantile(1-level))
}

// Sentence states the design's sensitivity, e.g. "From the 3 tuning seeds (paired sd 2.3, 80% upper
// bound 4.9), 10 test seeds detect about 6.6 points with 80% power at level 0.00833 (Holm's most
// stringent step; normal-theory approximation); the test runs' own paired sd is 2.3, from which they
// detect about 3.1 points at that level (post hoc). Equivalence within ±3.0 points would need about 37
// seeds if the true difference were 0 (from the bound; more if it is not)." The equivalence clause is left
// out for a comparison that found a difference (Higher, Lower: a true difference of 0, which the count
// assumes, is not in question); for one that showed equivalence it is a planning figure, said as such, not
// a count the comparison lacked. With fewer than minPlanningSeeds tuning seeds it states only the post hoc
// figure, and says why.
func (p Power) Sentence(scale float64, unit string, v Verdict) string {
	s := func(v float64) string { return fmt.Sprintf("%.1f", scale*v) }
	eq := fmt.Sprintf("about %d seeds", p.SeedsForEquivalence)
	if p.SeedsForEquivalence == 0 {
		eq = fmt.Sprintf("more than %d seeds", maxSeeds)
	}
	if p.TuningSeeds < minPlanningSeeds {
		// One degree of freedom: the bound is the estimate times about 4, and the estimate may be near 0
		// by chance, so neither figure plans anything; the test runs' own spread is the only guide.
		return fmt.Sprintf("The %d tuning seeds (paired sd %s) are too few to estimate the spread a plan needs (at least %d); "+
			"the test runs' own paired sd is %s, from which %d test seeds detect about %s %s with %.0f%% power at level %.3g "+
			"(Holm's most stringent step; normal-theory approximation; post hoc).", p.TuningSeeds, s(p.TuningSD), minPlanningSeeds,
			s(p.ObservedSD), p.TestSeeds, s(p.DetectableObserved), unit, 100*p.Power, p.Level)
	}
	out := fmt.Sprintf("From the %d tuning seeds (paired sd %s, 80%% upper bound %s), %d test seeds detect about %s %s with %.0f%% power "+
		"at level %.3g (Holm's most stringent step; normal-theory approximation); the test runs' own paired sd is %s, from which "+
		"they detect about %s %s at that level (post hoc).",
		p.TuningSeeds, s(p.TuningSD), s(p.TuningSDUpper), p.TestSeeds, s(p.Detectable), unit, 100*p.Power, p.Level, s(p.ObservedSD),
		s(p.DetectableObserved), unit)
	switch v {
	case Higher, Lower:
	case Equivalent:
		out += fmt.Sprintf(" These %d seeds showed equivalence within ±%s %s; a plan from the bound would have asked for %s "+
			"to show it with %.0f%% power.", p.TestSeeds, s(p.Margin), unit, eq, 100*p.Power)
	default:
		out += fmt.Sprintf(" Equivalence within ±%s %s would need %s if the true difference were 0 (from the bound; more "+
			"if it is not).", s(p.Margin), unit, eq)
	}
	return out
}

// SeedsFromSpread is the number of test seeds a new plan needs for comparison pr (condition, reference)
// judged in a Holm family of m comparisons at o's margin, from o's tuning seeds: the seeds TOST needs to
// show equivalence within the margin with the plan power (80%) at level Alpha/m, from the 80% upper bound
// of the tuning seeds' paired sd (as Power.SeedsForEquivalence), and never fewer than 10. It is how a
// plan sets its test seeds from the tuning spread before any of them runs. Its assumptions: the true
// difference is 0 (a true difference near the margin needs far more seeds, or cannot be shown
// equivalent), and the spread of the tuning seeds' last-epoch validation accuracy at the selected rates
// stands for the spread of the test accuracy the comparison is made on. The margin and level are o's
// plan's (TunedPlan.Validate requires a plan with a SeedRule to share them).
func (o Outcome) SeedsFromSpread(pr [2]string, m int) (int, error) {
	if m < 1 {
		return 0, fmt.Errorf("study: a family of %d comparisons: want at least 1", m)
	}
	d, err := o.tuningDiff(pr)
	if err != nil {
		return 0, err
	}
	if len(d) < 2 {
		return 0, fmt.Errorf("study: %d tuning seeds: the spread needs at least 2", len(d))
	}
	_, sd := MeanSD(d)
	r := o.Plan.Rules()
	n, err := SeedsForEquivalence(SDUpperBound(sd, len(d), 0.8), r.Margin, r.Alpha/float64(m), planPower)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("study: %s against %s would need more than %d seeds", pr[0], pr[1], maxSeeds)
	}
	return max(n, 10), nil
}
