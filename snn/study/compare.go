package study

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Verdict is what a paired comparison of two conditions supports.
type Verdict string

const (
	// Higher: the first condition's mean is above the second's (Holm-adjusted paired t test at Alpha).
	Higher Verdict = "higher"
	// Lower: the first condition's mean is below the second's.
	Lower Verdict = "lower"
	// Equivalent: no significant difference, and TOST shows the mean difference within +-Margin.
	Equivalent Verdict = "equivalent"
	// NotDistinguishable: neither a significant difference nor equivalence within the margin.
	NotDistinguishable Verdict = "not distinguishable"
	// Floor: both conditions are at chance level, so the comparison says nothing about them.
	Floor Verdict = "floor"
	// NoSpread: the per-seed differences are all equal, so the t test is undefined; no verdict.
	NoSpread Verdict = "no spread"
	// Ceiling: both conditions are at the ceiling, so the comparison says nothing about them.
	Ceiling Verdict = "ceiling"
)

// Rules fixes, before looking at the data, how comparisons are judged.
type Rules struct {
	Alpha  float64 // family-wise significance level (Holm) and TOST level, e.g. 0.05
	Margin float64 // equivalence margin in the values' units, e.g. 0.03 for 3 accuracy points
	// Chance and Ceiling are the floor and ceiling of the values (e.g. 1/12 and 1 for accuracies); a
	// comparison whose two conditions both have their mean within Slack of one of them is a Floor or
	// Ceiling verdict. Leave Ceiling 0 for no ceiling.
	Chance, Ceiling, Slack float64
	// Scale and Unit print the values (100 and "points" for accuracies as fractions).
	Scale float64
	Unit  string
}

// AccuracyRules are the rules of the controls notebook for test accuracies of 12 classes: alpha 0.05,
// equivalence margin 3 points, chance 1/12 with 2 points of slack, ceiling 100%.
func AccuracyRules() Rules {
	return Rules{Alpha: 0.05, Margin: 0.03, Chance: 1.0 / 12, Ceiling: 1, Slack: 0.02, Scale: 100, Unit: "points"}
}

// atChance reports whether v lies within Slack of Chance (a floor).
func (r Rules) atChance(v float64) bool { return math.Abs(v-r.Chance) <= r.Slack }

// Comparison is a judged paired comparison of condition A against condition B over the same seeds.
type Comparison struct {
	A, B        string
	MeanA       Interval
	MeanB       Interval
	Paired      Paired
	Equivalence Equivalence
	PAdjusted   float64 // Holm-adjusted p-value of the paired t test within its family
	// TOSTAdjusted is the Holm-adjusted TOST p-value within the family (equivalence claims are corrected
	// for multiplicity as difference claims are).
	TOSTAdjusted float64
	// EquivalenceCI is the (1 - 2 Alpha) interval of the mean difference, the one an unadjusted TOST's
	// decision matches (Holm's adjustment asks for a wider one: tostIntervalNote).
	EquivalenceCI Interval
	FamilySize    int // number of comparisons in the family
	Verdict       Verdict
	Rules         Rules
	// ValuesA and ValuesB are the paired values (one per seed, in the same order); Seeds names their
	// seeds where the caller knows them (Ask), else nil.
	ValuesA, ValuesB []float64
	Seeds            []uint64
}

// Family judges the comparisons of one family (one section's questions) together: each pair
// (names[i][0], values[i][0]) against (names[i][1], values[i][1]), paired by seed, with Holm's correction
// across the family.
func Family(r Rules, names [][2]string, values [][2][]float64) ([]Comparison, error) {
	if len(names) != len(values) {
		return nil, fmt.Errorf("study: %d name pairs for %d value pairs", len(names), len(values))
	}
	if !(r.Alpha > 0 && r.Alpha < 0.5) {
		return nil, fmt.Errorf("study: Rules.Alpha %v: want a level in (0, 0.5)", r.Alpha)
	}
	level := 1 - r.Alpha // intervals at the level of the tests
	cs := make([]Comparison, len(names))
	ps, tost := make([]float64, len(names)), make([]float64, len(names))
	for i := range names {
		a, b := values[i][0], values[i][1]
		c := Comparison{A: names[i][0], B: names[i][1], Rules: r, ValuesA: slices.Clone(a), ValuesB: slices.Clone(b)}
		var err error
		if c.MeanA, err = MeanCI(a, level); err != nil {
			return nil, fmt.Errorf("study: %s: %w", c.A, err)
		}
		if c.MeanB, err = MeanCI(b, level); err != nil {
			return nil, fmt.Errorf("study: %s: %w", c.B, err)
		}
		if c.Paired, err = PairedDiff(a, b, level); err != nil {
			return nil, fmt.Errorf("study: %s vs %s: %w", c.A, c.B, err)
		}
		if c.EquivalenceCI, err = MeanCI(c.Paired.Diff, 1-2*r.Alpha); err != nil {
			return nil, err
		}
		if c.Equivalence, err = TOST(a, b, r.Margin); err != nil {
			return nil, err
		}
		cs[i], ps[i], tost[i] = c, c.Paired.P, c.Equivalence.P
	}
	adj, err := Holm(ps)
	if err != nil {
		return nil, err
	}
	adjTOST, err := Holm(tost)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		cs[i].PAdjusted, cs[i].TOSTAdjusted, cs[i].FamilySize = adj[i], adjTOST[i], len(cs)
		cs[i].Verdict = cs[i].judge()
	}
	return cs, nil
}

func (c Comparison) judge() Verdict {
	r := c.Rules
	atCeiling := func(iv Interval) bool { return r.Ceiling > 0 && iv.Mean >= r.Ceiling-r.Slack }
	switch {
	case r.atChance(c.MeanA.Mean) && r.atChance(c.MeanB.Mean):
		return Floor
	case atCeiling(c.MeanA) && atCeiling(c.MeanB):
		return Ceiling
	case c.Paired.CI.Low == c.Paired.CI.High: // every seed gives the same difference
		return NoSpread
	case c.PAdjusted < r.Alpha && c.Paired.CI.Mean > 0:
		return Higher
	case c.PAdjusted < r.Alpha && c.Paired.CI.Mean < 0:
		return Lower
	case c.TOSTAdjusted < r.Alpha:
		return Equivalent
	}
	return NotDistinguishable
}

// Sentence states the verdict with the numbers behind it, e.g.
//
//	relu is 7.1 points below abs (paired difference -7.1 points over 5 seeds, unadjusted 95% CI -11.0 to -3.2;
//	Holm-adjusted p = 0.012).
//
// Condition names are written as the plan and the tables write them, also at the start of the sentence
// ("dann", "pop-abs": an upper-cased first letter would name no condition).
func (c Comparison) Sentence() string {
	return c.sentence()
}

func (c Comparison) sentence() string {
	r := c.Rules
	s := func(v float64) string { return fmt.Sprintf("%.1f", r.Scale*v) }
	mean := func(iv Interval) string { return s(iv.Mean) + "%" }
	if r.Scale != 100 {
		mean = func(iv Interval) string { return s(iv.Mean) }
	}
	n := len(c.Paired.Diff)
	d := c.Paired.CI
	pct := func(level float64) string { return fmt.Sprintf("%.0f%%", 100*level) }
	diff := fmt.Sprintf("paired difference %s %s over %d seeds, unadjusted %s CI %s to %s", s(d.Mean), r.Unit, n, pct(d.Level), s(d.Low), s(d.High))
	switch c.Verdict {
	case Floor:
		return fmt.Sprintf("%s (%s) and %s (%s) are both within %s %s of chance (%s), a floor: the comparison says nothing about them.",
			c.A, mean(c.MeanA), c.B, mean(c.MeanB), s(r.Slack), r.Unit, mean(Interval{Mean: r.Chance}))
	case NoSpread:
		return fmt.Sprintf("%s and %s differ by exactly %s %s on each of the %d seeds: with no spread the t test is undefined, and no verdict is given.",
			c.A, c.B, s(d.Mean), r.Unit, n)
	case Ceiling:
		return fmt.Sprintf("%s (%s) and %s (%s) are both within %s %s of the ceiling: the comparison says nothing about them.",
			c.A, mean(c.MeanA), c.B, mean(c.MeanB), s(r.Slack), r.Unit)
	case Higher, Lower:
		dir := "above"
		if c.Verdict == Lower {
			dir = "below"
		}
		small := "" // a difference the test finds, estimated inside the margin the plan counts as negligible
		if math.Abs(d.Mean) < r.Margin {
			far := math.Max(math.Abs(d.Low), math.Abs(d.High))
			switch {
			case c.TOSTAdjusted < r.Alpha:
				small = fmt.Sprintf(": a difference inside the ±%s %s margin (equivalent within it, Holm-adjusted TOST %s)",
					s(r.Margin), r.Unit, pString(c.TOSTAdjusted))
			case far < r.Margin:
				small = fmt.Sprintf(": its interval lies inside the ±%s %s margin, but equivalence is not shown after Holm's correction (TOST %s)",
					s(r.Margin), r.Unit, pString(c.TOSTAdjusted))
			default:
				small = fmt.Sprintf(": the estimate is inside the ±%s %s margin, but its interval reaches %s (equivalence not shown, Holm-adjusted TOST %s)",
					s(r.Margin), r.Unit, s(far), pString(c.TOSTAdjusted))
			}
		}
		return fmt.Sprintf("%s is %s %s %s %s (%s; Holm-adjusted %s)%s.", c.A, s(math.Abs(d.Mean)), r.Unit, dir, c.B,
			diff, pString(c.PAdjusted), small)
	case Equivalent:
		e := c.EquivalenceCI
		small := "" // equivalence bounds the difference; it does not show that there is none
		switch {
		case c.Paired.P < r.Alpha:
			small = fmt.Sprintf("; the unadjusted %s CI, %s to %s, excludes 0, though not after Holm's correction (%s): equivalence bounds the difference, it does not show there is none",
				pct(d.Level), s(d.Low), s(d.High), pString(c.PAdjusted))
		case e.Low > 0 || e.High < 0: // the narrower interval TOST reads excludes 0; the test's does not
			small = fmt.Sprintf("; that %s interval lies on one side of 0, but the unadjusted %s CI, %s to %s, includes it (paired t, unadjusted %s): "+
				"no difference is shown, and equivalence bounds one within the margin", pct(e.Level), pct(d.Level), s(d.Low), s(d.High), pString(c.Paired.P))
		}
		return fmt.Sprintf("%s and %s are equivalent within ±%s %s (paired difference %s %s over %d seeds, unadjusted %s CI %s to %s inside the margin; Holm-adjusted TOST %s%s).",
			c.A, c.B, s(r.Margin), r.Unit, s(d.Mean), r.Unit, n, pct(e.Level), s(e.Low), s(e.High), pString(c.TOSTAdjusted), small)
	}
	held := ""
	if c.Paired.P < r.Alpha { // the unadjusted interval excludes 0, the family-wise test does not
		held = fmt.Sprintf(": the unadjusted interval excludes 0, but the difference does not hold against the Holm correction for the %d comparisons of this section", c.FamilySize)
	}
	sensitivity := ""
	if det, ok := c.Detectable(); ok {
		sensitivity = fmt.Sprintf("; from the observed spread, %d seeds detect about %s %s with 80%% power at the unadjusted level", n, s(det), r.Unit)
	}
	return fmt.Sprintf("%s and %s are not distinguishable with %d seeds (%s; Holm-adjusted %s%s; equivalence within ±%s %s not shown, Holm-adjusted TOST %s%s).",
		c.A, c.B, n, diff, pString(c.PAdjusted), held, s(r.Margin), r.Unit, pString(c.TOSTAdjusted), sensitivity)
}

// Detectable is the smallest true difference the comparison's seeds detect with 80% power by the paired t
// test at the unadjusted level Alpha, from the observed spread of the paired differences (post hoc;
// DetectableDifference); false where the differences have no spread.
func (c Comparison) Detectable() (float64, bool) {
	_, sd := MeanSD(c.Paired.Diff)
	if !(sd > 0) {
		return 0, false
	}
	d, err := DetectableDifference(sd, len(c.Paired.Diff), c.Rules.Alpha, 0.8)
	return d, err == nil
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// pString is "p = 0.0491" (three significant digits, so that a value near a threshold is not rounded
// onto it), or "p < 0.001".
func pString(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	s := fmt.Sprintf("p = %.3g", p)
	// A p-value that rounds onto a usual threshold is printed with more digits, so that "p = 0.05" never
	// stands for 0.04998 beside a rule of p < 0.05.
	for _, t := range []string{"p = 0.05", "p = 0.01", "p = 0.1"} {
		if s == t {
			return fmt.Sprintf("p = %.5f", p)
		}
	}
	return s
}
