package study

import (
	"math"
	"strings"
	"testing"
)

// Each verdict, from data built to produce it, with the numbers of its sentence taken from the data.
func TestFamilyVerdicts(t *testing.T) {
	r := AccuracyRules()
	names := [][2]string{{"A", "B"}, {"B", "A"}, {"C", "E"}, {"F", "G"}, {"H", "K"}, {"L", "M"}}
	values := [][2][]float64{
		{accA, accB}, // 3.9 points higher, p = 0.008 (x Holm)
		{accB, accA}, // the same, lower
		{{0.70, 0.72, 0.69, 0.71, 0.73}, {0.705, 0.712, 0.694, 0.716, 0.722}},  // TOST p < 0.001 at +-3
		{{0.70, 0.78, 0.62, 0.75, 0.66}, {0.72, 0.70, 0.69, 0.71, 0.70}},       // noisy: neither
		{{0.08, 0.09, 0.085, 0.083, 0.081}, {0.083, 0.084, 0.09, 0.08, 0.083}}, // both at chance
		{{0.995, 1, 0.99, 1, 1}, {1, 0.99, 1, 1, 0.995}},                       // both at the ceiling
	}
	cs, err := Family(r, names, values)
	if err != nil {
		t.Fatal(err)
	}
	want := []Verdict{Higher, Lower, Equivalent, NotDistinguishable, Floor, Ceiling}
	for i, c := range cs {
		if c.Verdict != want[i] {
			t.Errorf("%s vs %s: verdict %q, want %q (p adj %v, TOST %v)", c.A, c.B, c.Verdict, want[i], c.PAdjusted, c.Equivalence.P)
		}
	}
	// Holm across the six: A vs B and B vs A share the smallest raw p (0.00819, TestPairedDiff), so both
	// get 6 p (the running maximum carries 6 p over 5 p).
	if math.Abs(cs[0].PAdjusted-6*0.008188886845987637) > 1e-12 || cs[1].PAdjusted != cs[0].PAdjusted {
		t.Errorf("Holm-adjusted p %v, %v; want 6 x 0.00819 = 0.04913 for both", cs[0].PAdjusted, cs[1].PAdjusted)
	}
	s := cs[0].Sentence()
	for _, part := range []string{"A is 3.9 points above B", "paired difference 3.9 points over 5 seeds", "95% CI 1.7 to 6.1",
		"Holm-adjusted p = 0.0491"} {
		if !strings.Contains(s, part) {
			t.Errorf("sentence %q lacks %q", s, part)
		}
	}
	// Condition names stay as written, also first in the sentence (was "Dann is ..." for dann).
	lower, err := Family(r, [][2]string{{"dann", "mlp"}}, values[:1])
	if err != nil {
		t.Fatal(err)
	}
	if s := lower[0].Sentence(); !strings.HasPrefix(s, "dann is 3.9 points above mlp") {
		t.Errorf("sentence %q does not start with the condition's name as written", s)
	}
	if s := cs[2].Sentence(); !strings.Contains(s, "equivalent within ±3.0 points") || !strings.Contains(s, "90% CI -0.7 to 0.7 inside the margin") {
		t.Errorf("equivalence sentence: %q", s)
	}
	// Its sensitivity from the paired differences -2, 8, -7, 4, -4 points (sd 6.10): (t_{0.975,4} 2.776 +
	// t_{0.8,4} 0.941) x 6.10 / sqrt 5 = 10.1 points (t quantiles from tables).
	if s := cs[3].Sentence(); !strings.Contains(s, "not distinguishable with 5 seeds") || strings.Contains(s, "unadjusted interval") ||
		!strings.Contains(s, "from the observed spread, 5 seeds detect about 10.1 points with 80% power at the unadjusted level") {
		t.Errorf("inconclusive sentence: %q", s)
	}
	// Significant alone (p = 0.008) but not after Holm in a family of 7 (7 x 0.008 = 0.057): said so.
	seven := append(append([][2]string{}, names[:1]...), [2]string{"P", "Q"}, [2]string{"P", "Q"}, [2]string{"P", "Q"},
		[2]string{"P", "Q"}, [2]string{"P", "Q"}, [2]string{"P", "Q"})
	noisy := [2][]float64{{0.70, 0.78, 0.62, 0.75, 0.66}, {0.72, 0.70, 0.69, 0.71, 0.70}}
	vals := [][2][]float64{{accA, accB}, noisy, noisy, noisy, noisy, noisy, noisy}
	fam, err := Family(r, seven, vals)
	if err != nil {
		t.Fatal(err)
	}
	if s := fam[0].Sentence(); fam[0].Verdict != NotDistinguishable || !strings.Contains(s, "does not hold against the Holm correction for the 7 comparisons") {
		t.Errorf("%q: %s", fam[0].Verdict, s)
	}
	// Equivalent within the margin, with an unadjusted interval that excludes 0 (differences 0.5, 2.5, 1.0,
	// 2.0 and 0.8 points: t p = 0.023 alone, x3 by Holm; TOST p = 0.006 alone): the sentence says that
	// equivalence does not show there is no difference. cs[2]'s does not (its interval holds 0).
	b := []float64{0.70, 0.72, 0.69, 0.71, 0.73}
	a := []float64{0.705, 0.745, 0.70, 0.73, 0.738}
	eq, err := Family(r, [][2]string{{"S", "T"}, {"P", "Q"}, {"P", "Q"}}, [][2][]float64{{a, b}, noisy, noisy})
	if err != nil {
		t.Fatal(err)
	}
	if s := eq[0].Sentence(); eq[0].Verdict != Equivalent || !strings.Contains(s, "the unadjusted 95% CI, 0.3 to 2.4, excludes 0") ||
		!strings.Contains(s, "excludes 0, though not after Holm's correction") || !strings.Contains(s, "it does not show there is none") {
		t.Errorf("%q (p %v, Holm %v, TOST Holm %v): %s", eq[0].Verdict, eq[0].Paired.P, eq[0].PAdjusted, eq[0].TOSTAdjusted, s)
	}
	// Equivalent, with the 90% interval TOST reads on one side of 0 but the 95% interval of the t test
	// across it (differences -0.2, 1.8, 0.7, 2.0, 0.7 points: mean 1.0, sd 0.90, t 2.48 with 4 df, p 0.068;
	// 90% CI 1.0 ± 2.132 x 0.404 = 0.1 to 1.9, 95% CI 1.0 ± 2.776 x 0.404 = -0.1 to 2.1, t quantiles from
	// tables): the sentence says the difference itself is not shown, so that the 90% interval is not read as one.
	one := []float64{0.698, 0.738, 0.697, 0.730, 0.737}
	side, err := Family(r, [][2]string{{"S", "T"}}, [][2][]float64{{one, b}})
	if err != nil {
		t.Fatal(err)
	}
	if s := side[0].Sentence(); side[0].Verdict != Equivalent || !strings.Contains(s, "unadjusted 90% CI 0.1 to 1.9 inside the margin") ||
		!strings.Contains(s, "that 90% interval lies on one side of 0, but the unadjusted 95% CI, -0.1 to 2.1, includes it (paired t, unadjusted p = 0.068") {
		t.Errorf("%q (p %v): %s", side[0].Verdict, side[0].Paired.P, s)
	}
	// A difference found (A vs B in the family of six: 3.9 points, 95% CI 1.7 to 6.1, Holm p 0.0491) whose
	// estimate lies inside a wider margin: at 5 points its interval reaches past the margin; at 6.3 the
	// interval lies inside but TOST does not hold after Holm (0.0576); at 7 it does (0.0259). The TOST
	// p-values are the code's, a regression check; the branch each margin takes follows from the interval
	// by hand. At the usual 3 points nothing is said.
	for _, m := range []struct {
		margin float64
		want   string
	}{
		{0.05, "the estimate is inside the ±5.0 points margin, but its interval reaches 6.1 (equivalence not shown, Holm-adjusted TOST p = "},
		{0.063, "its interval lies inside the ±6.3 points margin, but equivalence is not shown after Holm's correction (TOST p = 0.0576)"},
		{0.07, "a difference inside the ±7.0 points margin (equivalent within it, Holm-adjusted TOST p = 0.0259)"},
	} {
		wide := r
		wide.Margin = m.margin
		fam, err := Family(wide, names, values)
		if err != nil {
			t.Fatal(err)
		}
		if s := fam[0].Sentence(); fam[0].Verdict != Higher || !strings.Contains(s, m.want) {
			t.Errorf("margin %v: %q: %s", m.margin, fam[0].Verdict, s)
		}
	}
	if s := cs[0].Sentence(); strings.Contains(s, "smaller than") {
		t.Errorf("a difference larger than the margin: %q", s)
	}
	if s := cs[2].Sentence(); strings.Contains(s, "excludes 0") {
		t.Errorf("equivalence sentence with 0 in the interval: %q", s)
	}
	if s := cs[4].Sentence(); !strings.Contains(s, "H (8.4%) and K (8.4%) are both within 2.0 points of chance (8.3%)") || !strings.Contains(s, "floor") {
		t.Errorf("floor sentence: %q", s)
	}
}

// Differences that are the same on every seed have no spread: no verdict, and the sentence says why.
func TestNoSpread(t *testing.T) {
	cs, err := Family(AccuracyRules(), [][2]string{{"A", "B"}}, [][2][]float64{{{0.6, 0.7, 0.65}, {0.5, 0.6, 0.55}}})
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Verdict != NoSpread || !strings.Contains(cs[0].Sentence(), "differ by exactly 10.0 points on each of the 3 seeds") {
		t.Errorf("%q: %s", cs[0].Verdict, cs[0].Sentence())
	}
}

func TestFamilyErrors(t *testing.T) {
	if _, err := Family(AccuracyRules(), [][2]string{{"a", "b"}}, nil); err == nil {
		t.Error("mismatched names and values: no error")
	}
	_, err := Family(AccuracyRules(), [][2]string{{"a", "b"}}, [][2][]float64{{{0.5}, {0.4}}})
	if err == nil || !strings.Contains(err.Error(), "a: ") || !strings.Contains(err.Error(), "at least 2 values") {
		t.Errorf("one seed: error %v, want one naming the condition and the count", err)
	}
}

// p-values that would print as a usual threshold get more digits; others keep three.
func TestPString(t *testing.T) {
	for p, want := range map[float64]string{0.04998: "p = 0.04998", 0.0502: "p = 0.0502", 0.05001: "p = 0.05001", 0.0347: "p = 0.0347", 0.0004: "p < 0.001",
		0.01004: "p = 0.01004", 0.144: "p = 0.144"} {
		if got := pString(p); got != want {
			t.Errorf("pString(%v) = %q, want %q", p, got, want)
		}
	}
}
