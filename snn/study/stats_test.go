package study

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Inputs shared by the goldens: five paired per-seed accuracies.
var (
	accA = []float64{0.763, 0.771, 0.702, 0.745, 0.729}
	accB = []float64{0.701, 0.724, 0.688, 0.713, 0.690}
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g (+-%g)", name, got, want, tol)
	}
}

// Goldens: scipy.stats 1.10 (Debian bookworm), m = a.mean();
// stats.t.interval(0.95, 4, loc=m, scale=stats.sem(a)) and the same at 0.90.
func TestMeanCI(t *testing.T) {
	iv, err := MeanCI(accA, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean", iv.Mean, 0.742, 1e-12)
	near(t, "low95", iv.Low, 0.707657270702621, 1e-9)
	near(t, "high95", iv.High, 0.776342729297379, 1e-9)
	iv, _ = MeanCI(accA, 0.90)
	near(t, "low90", iv.Low, 0.7156305116287522, 1e-9)
	near(t, "high90", iv.High, 0.7683694883712477, 1e-9)
	for _, bad := range []struct {
		x     []float64
		level float64
		want  string
	}{
		{[]float64{0.5}, 0.95, "at least 2 values, got 1"},
		{accA, 1, "confidence level 1"},
		{accA, 0, "confidence level 0"},
		{[]float64{0.5, math.NaN()}, 0.95, "value 1 is NaN"},
	} {
		if _, err := MeanCI(bad.x, bad.level); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("MeanCI(%v, %v): error %v, want one containing %q", bad.x, bad.level, err, bad.want)
		}
	}
}

// Goldens: stats.ttest_rel(a, b) -> t = 4.875202909640516, p = 0.008188886845987637; d = a - b,
// stats.t.interval(0.95, 4, loc=d.mean(), scale=stats.sem(d)).
func TestPairedDiff(t *testing.T) {
	p, err := PairedDiff(accA, accB, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "t", p.T, 4.875202909640516, 1e-9)
	near(t, "p", p.P, 0.008188886845987637, 1e-9)
	near(t, "mean diff", p.CI.Mean, 0.0388, 1e-12)
	near(t, "low", p.CI.Low, 0.016703264319798756, 1e-9)
	near(t, "high", p.CI.High, 0.06089673568020132, 1e-9)
	if _, err := PairedDiff(accA, accB[:4], 0.95); err == nil || !strings.Contains(err.Error(), "5 and 4") {
		t.Errorf("unequal lengths: error %v", err)
	}
	// Identical differences: no spread, the test is decided by the sign of the mean.
	same, _ := PairedDiff([]float64{0.5, 0.6}, []float64{0.4, 0.5}, 0.95)
	if !math.IsInf(same.T, 1) || same.P != 0 {
		t.Errorf("constant positive differences: t %v p %v, want +Inf and 0", same.T, same.P)
	}
}

// Goldens: p_lower = stats.ttest_1samp(d, -margin, alternative='greater').pvalue,
// p_upper = stats.ttest_1samp(d, margin, alternative='less').pvalue, for d = a - b.
func TestTOST(t *testing.T) {
	for _, c := range []struct {
		a, b           []float64
		margin         float64
		pLower, pUpper float64
		equivalent     bool
	}{
		{accA, accB, 0.03, 0.000492425729538342, 0.834561942934318, false},
		{accA, accB, 0.06, 0.00012102981317555387, 0.028084594418237872, true},
		{[]float64{0.70, 0.72, 0.69, 0.71, 0.73}, []float64{0.705, 0.712, 0.694, 0.716, 0.722}, 0.03,
			0.00035145188695386226, 0.0003699872401981653, true},
	} {
		e, err := TOST(c.a, c.b, c.margin)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "p_lower", e.PLower, c.pLower, 1e-9)
		near(t, "p_upper", e.PUpper, c.pUpper, 1e-9)
		near(t, "p", e.P, math.Max(c.pLower, c.pUpper), 1e-12)
		if e.Equivalent(0.05) != c.equivalent {
			t.Errorf("margin %v: equivalent %v, want %v", c.margin, e.Equivalent(0.05), c.equivalent)
		}
	}
	for _, m := range []float64{0, -0.1, math.NaN(), math.Inf(1)} {
		if _, err := TOST(accA, accB, m); err == nil || !strings.Contains(err.Error(), "margin") {
			t.Errorf("margin %v: error %v, want one naming the margin", m, err)
		}
	}
}

// Goldens: statsmodels 0.13 (Debian bookworm) multipletests(p, method='holm')[1].
func TestHolm(t *testing.T) {
	for _, c := range []struct{ p, want []float64 }{
		{[]float64{0.01, 0.04, 0.03, 0.2}, []float64{0.04, 0.09, 0.09, 0.2}},
		{[]float64{0.001, 0.5, 0.02}, []float64{0.003, 0.5, 0.04}},
		{nil, []float64{}},
	} {
		got, err := Holm(c.p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Fatalf("Holm(%v) = %v", c.p, got)
		}
		for i := range got {
			near(t, "adjusted", got[i], c.want[i], 1e-12)
		}
	}
	if _, err := Holm([]float64{0.1, 1.5}); err == nil || !strings.Contains(err.Error(), "p-value 1 is 1.5") {
		t.Errorf("bad p-value: error %v", err)
	}
}

// Golden values from scipy 1.10.1 (Debian's python3-scipy): stats.ttest_ind(a, b, equal_var=False) for t
// and p; the Welch-Satterthwaite df and the interval d -+ t.ppf(0.975, df) se computed with numpy; the
// one-sided TOST p-values t.sf((d+3)/se, df) and t.cdf((d-3)/se, df); the detectable difference
// (t.ppf(0.975, df) + t.ppf(0.8, df)) se.
func TestWelch(t *testing.T) {
	a := []float64{77.1, 80.2, 74.5, 79.9, 76.3}
	b := []float64{81.0, 83.5, 79.2, 84.4, 80.1}
	u, err := WelchDiff(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "t", u.T, -2.742151629438399, 1e-9)
	near(t, "p", u.P, 0.025545923375502506, 1e-9)
	near(t, "df", u.DF, 7.939550008999497, 1e-9)
	near(t, "low", u.Low, -7.441933618127596, 1e-6)
	near(t, "high", u.High, -0.638066381872417, 1e-6)
	e, err := WelchTOST(a, b, 3)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "TOST lower", e.PLower, 0.7497825930607653, 1e-9)
	near(t, "TOST upper", e.PUpper, 0.0007116023600297451, 1e-9)
	near(t, "TOST", e.P, 0.7497825930607653, 1e-9)
	near(t, "detectable", WelchDetectable(u.SE, u.DF, 0.05, 0.8), 4.712087659562846, 1e-6)
	if _, err := WelchDiff(a, b[:1], 0.95); err == nil {
		t.Error("one value in a sample: no error")
	}
	if _, err := WelchTOST(a, b, 0); err == nil {
		t.Error("margin 0: no error")
	}
}

// TestWelchTOSTIsNinetyPercentInterval checks the duality the fidelity table's footnote states: Welch's TOST
// at level alpha shows equivalence exactly when the (1-2 alpha) Welch interval lies inside (-margin, margin),
// so a 95% interval may cross a margin the TOST holds. Random samples of 5 (as the fidelity plan's seeds) and
// margins on both sides of the boundary.
func TestWelchTOSTIsNinetyPercentInterval(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	const alpha = 0.05
	held, crossed := 0, 0
	for trial := 0; trial < 2000; trial++ {
		a, b := make([]float64, 5), make([]float64, 5)
		shift, spread := r.NormFloat64(), 0.2+2*r.Float64()
		for i := range a {
			a[i] = shift + spread*r.NormFloat64()
			b[i] = spread * r.NormFloat64()
		}
		margin := 0.2 + 4*r.Float64()
		e, err := WelchTOST(a, b, margin)
		if err != nil {
			t.Fatal(err)
		}
		u90, err := WelchDiff(a, b, 1-2*alpha)
		if err != nil {
			t.Fatal(err)
		}
		inside := u90.Low > -margin && u90.High < margin
		if e.Equivalent(alpha) != inside {
			t.Fatalf("trial %d: TOST p %v at margin %v, 90%% interval [%v, %v]: TOST and interval disagree", trial, e.P, margin, u90.Low, u90.High)
		}
		if inside {
			held++
			if u95, _ := WelchDiff(a, b, 0.95); u95.Low <= -margin || u95.High >= margin {
				crossed++
			}
		}
	}
	if held < 100 || crossed == 0 {
		t.Fatalf("the trials do not probe the boundary: %d equivalences, %d with the 95%% interval crossing the margin", held, crossed)
	}
}
