package study

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a mean with a two-sided confidence interval [Low, High] at Level (e.g. 0.95).
type Interval struct {
	Mean, Low, High float64
	Level           float64
	N               int // number of values
}

// HalfWidth is (High - Low) / 2.
func (iv Interval) HalfWidth() float64 { return (iv.High - iv.Low) / 2 }

// MeanCI is the mean of x with its Student t confidence interval at level:
// mean +- t_{(1+level)/2, n-1} * sd / sqrt(n), sd with n-1 in the denominator. It needs at least two
// values and a level in (0, 1).
func MeanCI(x []float64, level float64) (Interval, error) {
	if err := checkLevel(level); err != nil {
		return Interval{}, err
	}
	if len(x) < 2 {
		return Interval{}, fmt.Errorf("study: a confidence interval needs at least 2 values, got %d", len(x))
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Interval{}, fmt.Errorf("study: value %d is %v: want finite numbers", i, v)
		}
	}
	mean, sd := stat.MeanStdDev(x, nil)
	h := tQuantile((1+level)/2, len(x)-1) * sd / math.Sqrt(float64(len(x)))
	return Interval{Mean: mean, Low: mean - h, High: mean + h, Level: level, N: len(x)}, nil
}

// Paired is a paired comparison of a and b over the same seeds: the per-seed differences d_i = a_i - b_i,
// their mean with its confidence interval, and the two-sided paired t test of mean d = 0.
type Paired struct {
	Diff []float64 // a_i - b_i
	CI   Interval  // of the mean difference
	T    float64   // t statistic, mean(d) / (sd(d) / sqrt(n)); +-Inf when every difference is equal and nonzero
	P    float64   // two-sided p-value of the paired t test (scipy.stats.ttest_rel)
}

// PairedDiff compares a and b, paired by index (a[i] and b[i] from the same seed), at level.
func PairedDiff(a, b []float64, level float64) (Paired, error) {
	if len(a) != len(b) {
		return Paired{}, fmt.Errorf("study: paired values differ in number: %d and %d", len(a), len(b))
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	ci, err := MeanCI(d, level)
	if err != nil {
		return Paired{}, err
	}
	p := Paired{Diff: d, CI: ci}
	n := float64(len(d))
	se := stat.StdDev(d, nil) / math.Sqrt(n)
	switch {
	case se > 0:
		p.T = ci.Mean / se
		p.P = 2 * tSurvival(math.Abs(p.T), len(d)-1)
	case ci.Mean == 0:
		p.T, p.P = 0, 1
	default:
		p.T, p.P = math.Copysign(math.Inf(1), ci.Mean), 0
	}
	return p, nil
}

// Equivalence is the result of TOST, the two one-sided tests of Schuirmann (1987) on paired differences:
// H0: mean d <= -Margin or mean d >= +Margin against H1: |mean d| < Margin.
type Equivalence struct {
	Margin float64
	// PLower and PUpper are the one-sided p-values of mean d > -Margin and mean d < +Margin; P is their
	// maximum, the TOST p-value.
	PLower, PUpper, P float64
}

// Equivalent reports whether TOST rejects non-equivalence at alpha: equivalently, whether the
// (1 - 2 alpha) confidence interval of the mean difference lies inside (-Margin, +Margin).
func (e Equivalence) Equivalent(alpha float64) bool { return e.P < alpha }

// TOST tests whether the paired differences a_i - b_i have a mean within +-margin (margin > 0, in the
// units of a and b, fixed before looking at the data).
func TOST(a, b []float64, margin float64) (Equivalence, error) {
	if !(margin > 0) || math.IsInf(margin, 0) {
		return Equivalence{}, fmt.Errorf("study: equivalence margin %v: want a finite number > 0", margin)
	}
	p, err := PairedDiff(a, b, 0.95)
	if err != nil {
		return Equivalence{}, err
	}
	n := len(p.Diff)
	se := stat.StdDev(p.Diff, nil) / math.Sqrt(float64(n))
	m := p.CI.Mean
	e := Equivalence{Margin: margin}
	if se == 0 {
		e.PLower, e.PUpper = boolP(m > -margin), boolP(m < margin)
	} else {
		e.PLower = tSurvival((m+margin)/se, n-1) // H0: mean <= -margin
		e.PUpper = tCDF((m-margin)/se, n-1)      // H0: mean >= +margin
	}
	e.P = math.Max(e.PLower, e.PUpper)
	return e, nil
}

// Holm returns Holm's step-down adjusted p-values for a family of tests, in the order given: sort the p
// ascending, p_(k) -> max over j <= k of min(1, (m - j + 1) p_(j)). A test is rejected at family-wise
// level alpha when its adjusted p-value is below alpha (statsmodels' multipletests(method="holm")).
func Holm(p []float64) ([]float64, error) {
	for i, v := range p {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return nil, fmt.Errorf("study: p-value %d is %v: want a number in [0, 1]", i, v)
		}
	}
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return p[order[i]] < p[order[j]] })
	adj := make([]float64, len(p))
	running := 0.0
	m := len(p)
	for rank, i := range order {
		running = math.Max(running, math.Min(1, float64(m-rank)*p[i]))
		adj[i] = running
	}
	return adj, nil
}

func boolP(rejected bool) float64 {
	if rejected {
		return 0
	}
	return 1
}

func checkLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("study: confidence level %v: want a number in (0, 1), e.g. 0.95", level)
	}
	return nil
}

func tDist(df int) distuv.StudentsT { return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)} }

func tQuantile(p float64, df int) float64 { return tDist(df).Quantile(p) }

func tCDF(x float64, df int) float64 { return tDist(df).CDF(x) }

// tSurvival is P(T > x), computed as CDF(-x) (the t distribution is symmetric) to keep small tails exact.
func tSurvival(x float64, df int) float64 { return tDist(df).CDF(-x) }

// MeanSD returns the mean of v and its sample standard deviation (n-1 in the denominator); the standard
// deviation of a single value is 0, and both are NaN for no values.
func MeanSD(v []float64) (mean, sd float64) {
	switch len(v) {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return v[0], 0
	}
	return stat.MeanStdDev(v, nil)
}

// Unpaired is Welch's comparison of two independent samples a and b (different seeds drawn from
// different generators, so no pairing): the difference of means mean(a) - mean(b) with its confidence
// interval, Welch's t, the Welch-Satterthwaite degrees of freedom and the two-sided p-value
// (scipy.stats.ttest_ind(a, b, equal_var=False)).
type Unpaired struct {
	Diff, Low, High float64
	Level           float64
	SE              float64 // sqrt(var(a)/n_a + var(b)/n_b)
	T, DF, P        float64
}

// WelchDiff compares a and b (at least two finite values each) at level.
func WelchDiff(a, b []float64, level float64) (Unpaired, error) {
	if err := checkLevel(level); err != nil {
		return Unpaired{}, err
	}
	for _, x := range [][]float64{a, b} {
		if len(x) < 2 {
			return Unpaired{}, fmt.Errorf("study: Welch's test needs at least 2 values per sample, got %d and %d", len(a), len(b))
		}
		for i, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Unpaired{}, fmt.Errorf("study: value %d is %v: want finite numbers", i, v)
			}
		}
	}
	ma, va := stat.MeanVariance(a, nil)
	mb, vb := stat.MeanVariance(b, nil)
	na, nb := float64(len(a)), float64(len(b))
	qa, qb := va/na, vb/nb
	u := Unpaired{Diff: ma - mb, Level: level, SE: math.Sqrt(qa + qb)}
	if u.SE == 0 { // both samples constant
		u.Low, u.High, u.DF = u.Diff, u.Diff, na+nb-2
		u.T, u.P = math.Copysign(math.Inf(1), u.Diff), boolP(u.Diff != 0)
		if u.Diff == 0 {
			u.T = 0
		}
		return u, nil
	}
	u.DF = (qa + qb) * (qa + qb) / (qa*qa/(na-1) + qb*qb/(nb-1))
	d := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: u.DF}
	h := d.Quantile((1+level)/2) * u.SE
	u.Low, u.High = u.Diff-h, u.Diff+h
	u.T = u.Diff / u.SE
	u.P = 2 * d.CDF(-math.Abs(u.T))
	return u, nil
}

// WelchTOST is TOST for two independent samples: Welch's one-sided tests of mean(a) - mean(b) > -margin
// and < +margin, with the Welch-Satterthwaite degrees of freedom.
func WelchTOST(a, b []float64, margin float64) (Equivalence, error) {
	if !(margin > 0) || math.IsInf(margin, 0) {
		return Equivalence{}, fmt.Errorf("study: equivalence margin %v: want a finite number > 0", margin)
	}
	u, err := WelchDiff(a, b, 0.95)
	if err != nil {
		return Equivalence{}, err
	}
	e := Equivalence{Margin: margin}
	if u.SE == 0 {
		e.PLower, e.PUpper = boolP(u.Diff > -margin), boolP(u.Diff < margin)
	} else {
		d := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: u.DF}
		e.PLower = d.CDF(-(u.Diff + margin) / u.SE)
		e.PUpper = d.CDF((u.Diff - margin) / u.SE)
	}
	e.P = math.Max(e.PLower, e.PUpper)
	return e, nil
}

// WelchDetectable is the difference of means a two-sided Welch test at level alpha detects with
// probability power, for standard error se and df degrees of freedom (normal-theory approximation with
// t quantiles: (t_{1-alpha/2} + t_{power}) se).
func WelchDetectable(se, df, alpha, power float64) float64 {
	d := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	return (d.Quantile(1-alpha/2) + d.Quantile(power)) * se
}
