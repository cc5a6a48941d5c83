package study

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// run builds a RunResult for the tests.
func run(cond string, f float64, seed uint64, acc float64, extra map[string]float64) RunResult {
	return RunResult{RunKey: RunKey{Condition: cond, Fraction: f, Seed: seed}, TestAccuracy: acc, Extra: extra}
}

func TestPairRequiresTheSameSeeds(t *testing.T) {
	a, b, seeds, err := Pair(map[uint64]float64{2: 0.5, 1: 0.4}, map[uint64]float64{1: 0.3, 2: 0.6})
	if err != nil || seeds[0] != 1 || a[0] != 0.4 || b[0] != 0.3 || a[1] != 0.5 || b[1] != 0.6 {
		t.Errorf("Pair: %v %v %v %v", a, b, seeds, err)
	}
	if _, _, _, err := Pair(map[uint64]float64{1: 0.4}, map[uint64]float64{2: 0.3}); err == nil {
		t.Error("different seeds paired")
	}
	runs := []RunResult{run("x", 0.5, 1, 0.5, nil), run("x", 0.5, 1, 0.6, nil)}
	if _, err := BySeed(runs, Select{"x", 0.5}, TestAccuracy); err == nil || !strings.Contains(err.Error(), "seed 1") {
		t.Errorf("duplicate seed: %v", err)
	}
	if _, err := BySeed(runs, Select{"x", 0.5}, Extra("ablate_matched")); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("missing metric: %v", err)
	}
}

// A sweep built so that each question has a known answer: both at 0.5 is 5 points above the unconstrained
// network on every seed, both at 0.2 within a point of it, both at 0 far below, inputs at 0 below the
// hidden layer at 0, the all-inhibitory hidden layer noisy around the unconstrained mean.
func TestSweepConclusion(t *testing.T) {
	var runs []RunResult
	free := []float64{0.75, 0.78, 0.72, 0.77, 0.74}
	noise := []float64{0.01, -0.012, 0.004, -0.003, 0.006}
	wide := []float64{0.09, -0.1, 0.06, -0.07, 0.03}
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		runs = append(runs,
			run("unconstrained", UnconstrainedFraction, s, free[i], nil),
			run("both", 0.5, s, free[i]+0.05+noise[i]/4, nil),
			run("both", 0.2, s, free[i]+noise[i]/2, nil),
			run("both", 0, s, free[i]-0.25+noise[i], nil),
			run("input", 0, s, 0.55+noise[i], nil),
			run("hidden", 0, s, 0.74-noise[i], nil),
			run("hidden", 1, s, free[i]+wide[i], nil),
		)
	}
	c, err := SweepConclusion(runs, AccuracyRules())
	if err != nil {
		t.Fatal(err)
	}
	want := []Verdict{Higher, Equivalent, Lower, Lower, NotDistinguishable}
	if len(c.Comparisons) != len(want) {
		t.Fatalf("%d comparisons, want %d", len(c.Comparisons), len(want))
	}
	for i, q := range c.Comparisons {
		if q.Verdict != want[i] {
			t.Errorf("%s vs %s: %q, want %q", q.A, q.B, q.Verdict, want[i])
		}
	}
	text := c.Text()
	// detectable by hand, x (t_{0.975,4} 2.776 + t_{0.8,4} 0.941) / sqrt 5: the last row's differences 9, -10,
	// 6, -7, 3 points (sd 8.29) give 13.8; the 0.5 row's 0.25, -0.3, 0.1, -0.075, 0.15 (sd 0.217) 0.4; the 0.2
	// row's, twice those, 0.7.
	for _, part := range []string{"highest mean is at fraction 0.5", "blocked mask",
		"starts from the effective weights |w|·sign of its seed's raw draw w, the unconstrained network from w itself",
		"constrains a different layer in each network",
		"Of 5 comparisons (one Holm family at level 0.05, paired by seed over 5 seeds): 3 show a difference, 1 shows equivalence within ±3.0 points and 1 is not distinguishable.",
		"| an all-inhibitory hidden layer (hidden only, 1) | the unconstrained network | 75.4 | 75.2 | 0.2 [-10.1, 10.5] | 1 | 0.984 | 13.8 | not distinguishable |",
		"| Dale's law on both at 0.5 | the unconstrained network | 80.2 | 75.2 | 5.0 [4.8, 5.3] | < 0.001 | 1 | 0.4 | A higher |",
		"| Dale's law on both at 0.2 | the unconstrained network | 75.2 | 75.2 | 0.1 [-0.5, 0.6] | 1 | < 0.001 | 0.7 | equivalent within ±3.0 points |"} {
		if !strings.Contains(text, part) {
			t.Errorf("conclusion lacks %q: %s", part, text)
		}
	}
}

// Ablation: at 0.5 every cut is at chance (a floor), and the matched cut and the k random excitatory rows
// are the same 100 rows (one comparison); at 0.2 the inhibitory cut costs 20 points more than its matched
// control and is equivalent to the random rows.
func TestAblationConclusion(t *testing.T) {
	var runs []RunResult
	noise := []float64{0.01, -0.012, 0.004, -0.003, 0.006}
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		n := noise[i]
		runs = append(runs,
			run("blocked", 0.5, s, 0.77, map[string]float64{"ablate_inhibitory": 0.083 + n/10, "ablate_matched": 0.08 - n/10,
				"ablate_random-excitatory": 0.08 - n/10, "ablate_random": 0.09 + n/5, "matched_other_ear": 100, "matched_max_delay_diff": 0, "cut_rows": 100}),
			run("blocked", 0.2, s, 0.75, map[string]float64{"ablate_inhibitory": 0.30 + n, "ablate_matched": 0.50 + n/2,
				"ablate_random-excitatory": 0.45 - n, "ablate_random": 0.30 - n/3, "matched_other_ear": 37, "matched_max_delay_diff": 4, "cut_rows": 40}),
		)
	}
	c, err := AblationConclusion(runs, AccuracyRules(), snn.DefaultConfig(), []string{"blocked"}, []float64{0.5, 0.2})
	if err != nil {
		t.Fatal(err)
	}
	want := []Verdict{Floor, Floor, Lower, Lower, Equivalent}
	if len(c.Comparisons) != len(want) {
		t.Fatalf("%d comparisons, want %d", len(c.Comparisons), len(want))
	}
	for i, q := range c.Comparisons {
		if q.Verdict != want[i] {
			t.Errorf("%s vs %s: %q, want %q", q.A, q.B, q.Verdict, want[i])
		}
	}
	if text := c.Text(); strings.Contains(text, "At blocked 0.5, 100 of the 100 matched rows are in the other ear") ||
		!strings.Contains(text, "At blocked 0.2, 37 of the 40 matched rows") || !strings.Contains(text, "the matched excitatory cut (37 of 40 rows in the other ear)") {
		t.Errorf("conclusion does not report the other-ear matches at 0.2 only: %s", text)
	}
	for _, part := range []string{"Of 5 comparisons", "At blocked 0.5, k = 100 is every excitatory input row",
		"The plan's family, fixed before the runs, counts each such comparison twice (once as the matched cut, once as the k random excitatory rows: 6 comparisons, not 5), so its adjusted p-values are no smaller; in it every verdict is the same.",
		"| the inhibitory cut [blocked 0.5] | all 100 excitatory rows (the matched cut = k random excitatory rows) |",
		"| the inhibitory cut [blocked 0.2] | k random excitatory rows |",
		"the excitatory controls a share of the excitatory rows (at blocked 0.2 40 of the 160)",
		"it still differs from the inhibitory cut in the share of its class it removes and in summed weight",
		"Intact networks (no cut), mean test accuracy over 5 seeds: blocked 0.5 77.0%, blocked 0.2 75.0%."} {
		if !strings.Contains(c.Text(), part) {
			t.Errorf("conclusion lacks %q: %s", part, c.Text())
		}
	}
	if strings.Contains(c.Text(), "cannot tell position from sign") {
		t.Errorf("a note says the matched comparison at 30%% and 50%% is too near chance: %s", c.Text())
	}
	// The matched comparison's interval excludes 0 (-0.2 points and more): its Holm p in the plan's family of 6 is
	// given beside this family's of 5, and is no smaller (Holm over more comparisons).
	m := regexp.MustCompile(`Against the matched cut there: the inhibitory cut \[blocked 0\.2\] vs the matched excitatory cut ` +
		`\(37 of 40 rows in the other ear\) Holm p (?:= ([0-9.e-]+)|< 0\.001) \(p (?:= ([0-9.e-]+)|< 0\.001) here\)`).FindStringSubmatch(c.Text())
	if m == nil {
		t.Errorf("no plan-family p for the matched comparison: %s", c.Text())
	} else if m[1] != "" && m[2] != "" {
		plan, _ := strconv.ParseFloat(m[1], 64)
		here, _ := strconv.ParseFloat(m[2], 64)
		if plan < here {
			t.Errorf("the plan's Holm p %g is below this family's %g", plan, here)
		}
	}
	// Both the inhibitory and the matched cut within 3 x 2 points of chance (12% and 13.5%), not a floor (more
	// than 2 points above it): the note says the comparison cannot tell position from sign.
	var near []RunResult
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		n := noise[i]
		near = append(near, run("blocked", 0.2, s, 0.75, map[string]float64{"ablate_inhibitory": 0.12 + n, "ablate_matched": 0.135 + n/2,
			"ablate_random-excitatory": 0.45 - n, "ablate_random": 0.30 - n/3, "matched_other_ear": 37, "matched_max_delay_diff": 4, "cut_rows": 40}))
	}
	c, err = AblationConclusion(near, AccuracyRules(), snn.DefaultConfig(), []string{"blocked"}, []float64{0.2})
	if err != nil {
		t.Fatal(err)
	}
	// Means by hand: 0.12 + 0.001 and 0.135 + 0.0005 (the noise's mean is 0.001).
	if want := "The inhibitory cut [blocked 0.2] and the matched excitatory cut (37 of 40 rows in the other ear) both leave the network " +
		"within 6 points of chance (12.1% and 13.6%, chance 8.3%)"; !strings.Contains(c.Text(), want) {
		t.Errorf("conclusion lacks %q: %s", want, c.Text())
	}
}

// Where the family without the duplicate control finds what the plan's family (both coincident controls)
// does not, the note says which verdict differs: here the k random rows, paired t p = 0.0217 (scipy 1.10's
// ttest_rel on these values), Holm 0.043 among 2 comparisons (A lower) and 0.065 among 3.
func TestAblationConclusionPlannedFamily(t *testing.T) {
	var runs []RunResult
	noise := []float64{0.01, -0.012, 0.004, -0.003, 0.006}
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		n := noise[i]
		runs = append(runs, run("blocked", 0.5, s, 0.77, map[string]float64{"ablate_inhibitory": 0.083 + n/10,
			"ablate_matched": 0.083 - n/10, "ablate_random-excitatory": 0.083 - n/10, "ablate_random": 0.2 + 9*n,
			"matched_other_ear": 100, "matched_max_delay_diff": 0, "cut_rows": 100}))
	}
	c, err := AblationConclusion(runs, AccuracyRules(), snn.DefaultConfig(), []string{"blocked"}, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Comparisons) != 2 || c.Comparisons[1].Verdict != Lower {
		t.Fatalf("comparisons %d, the last %q: want 2, the last A lower", len(c.Comparisons), c.Comparisons[len(c.Comparisons)-1].Verdict)
	}
	want := "once as the k random excitatory rows: 3 comparisons, not 2), so its adjusted p-values are no smaller; in it these verdicts differ: the inhibitory cut [blocked 0.5] vs k random rows: not distinguishable there."
	if !strings.Contains(c.Text(), want) {
		t.Errorf("conclusion lacks %q: %s", want, c.Text())
	}
}

// Runs whose matched and random excitatory cuts scored differently cannot be cuts of the same rows: the
// conclusion refuses them rather than merge the two comparisons (runs from another configuration).
func TestAblationConclusionRefusesMismatchedRuns(t *testing.T) {
	var runs []RunResult
	for _, s := range []uint64{1, 2, 3} {
		runs = append(runs, run("blocked", 0.5, s, 0.77, map[string]float64{"ablate_inhibitory": 0.083,
			"ablate_matched": 0.08, "ablate_random-excitatory": 0.085, "ablate_random": 0.3,
			"matched_other_ear": 100, "matched_max_delay_diff": 0, "cut_rows": 100}))
	}
	_, err := AblationConclusion(runs, AccuracyRules(), snn.DefaultConfig(), []string{"blocked"}, []float64{0.5})
	if err == nil || !strings.Contains(err.Error(), `"matched" and "random-excitatory" are the same rows`) ||
		!strings.Contains(err.Error(), "0.08 and 0.085") {
		t.Errorf("error %v, want one naming the cuts and the differing accuracies", err)
	}
}

// The matched cut and the k random excitatory rows coincide exactly where k is every excitatory input row:
// at fraction 0.5 of the notebook's 200 inputs, with either mask layout, on every seed (the random
// layout draws its mask per seed); not at 0.2 or 0.4 (k = 40 or 80 of 160 or 120 excitatory rows).
func TestExcitatoryControlsCoincide(t *testing.T) {
	for _, c := range []struct {
		layout string
		f      float64
		seed   uint64
		want   bool
	}{
		{"blocked", 0.5, 1, true}, {"random", 0.5, 1, true}, {"random", 0.5, 7, true},
		{"blocked", 0.2, 1, false}, {"random", 0.2, 1, false}, {"blocked", 0.4, 2, false}, {"random", 0.4, 3, false},
	} {
		cond, err := ConditionByName(c.layout)
		if err != nil {
			t.Fatal(err)
		}
		cfg := cond.Apply(snn.DefaultConfig(), c.f)
		cfg.Seed = c.seed
		got, err := ExcitatoryControlsCoincide(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s %.1f seed %d: %v, want %v", c.layout, c.f, c.seed, got, c.want)
		}
	}
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0
	if _, err := ExcitatoryControlsCoincide(cfg); err == nil || !strings.Contains(err.Error(), "0 inhibitory inputs") {
		t.Errorf("fraction 0: error %v, want one naming the missing inhibitory inputs", err)
	}
}

func TestSignAndHiddenConclusions(t *testing.T) {
	var runs []RunResult
	noise := []float64{0.01, -0.012, 0.004, -0.003, 0.006}
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		n := noise[i]
		runs = append(runs, run("abs", 0.5, s, 0.75+n, nil), run("relu", 0.5, s, 0.68+n/2, nil),
			run("softplus", 0.5, s, 0.75+n/2, nil), run("clip", 0.5, s, 0.75+3*n, nil),
			run("random", 0.2, s, 0.7, map[string]float64{"hidden_inh_mean": 0.6 + n, "hidden_exc_mean": 0.69 + n/2}))
	}
	c, err := SignConclusion(runs, AccuracyRules(), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if v := c.Verdicts(); v["relu vs abs"] != Lower || v["softplus vs abs"] != Equivalent {
		t.Errorf("sign verdicts %v", v)
	}
	h, err := HiddenConclusion(runs, AccuracyRules(), []string{"random"}, []float64{0.2})
	if err != nil {
		t.Fatal(err)
	}
	if h.Comparisons[0].Verdict != Lower || !strings.Contains(h.Text(), "across networks") ||
		!strings.Contains(h.Text(), "At fraction 0.2 the inhibitory units are 20% of the hidden units and the excitatory 80%") {
		t.Errorf("hidden: %q %s", h.Comparisons[0].Verdict, h.Text())
	}
	// At 0.5 the classes are equal (no share note); the verdicts differ between the masks there (random
	// lower, blocked not distinguishable), and the note says so without claiming the masks differ. The
	// intact baseline is each setting's mean test accuracy: 0.7 for every run here.
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		n := noise[i]
		runs = append(runs, run("random", 0.5, s, 0.7, map[string]float64{"hidden_inh_mean": 0.6 + n, "hidden_exc_mean": 0.69 + n/2}),
			run("blocked", 0.5, s, 0.7, map[string]float64{"hidden_inh_mean": 0.69 + 3*n, "hidden_exc_mean": 0.69 - 3*n}))
	}
	h, err = HiddenConclusion(runs, AccuracyRules(), []string{"blocked", "random"}, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	text := h.Text()
	if want := "At fraction 0.5 the verdicts differ between the masks (blocked: not distinguishable, random: lower): a sign " +
		"effect is shown under one mask only there; the masks were not compared by a test"; !strings.Contains(text, want) ||
		strings.Contains(text, "At fraction 0.5 the inhibitory units are") {
		t.Errorf("hidden at 0.5, two masks: want %q and no share note: %s", want, text)
	}
	if want := "Intact networks (no cut), mean test accuracy over 5 seeds: blocked 0.5 70.0%, random 0.5 70.0%."; !strings.Contains(text, want) {
		t.Errorf("hidden: no intact baseline %q: %s", want, text)
	}
}

func TestPeakBins(t *testing.T) {
	nan := math.NaN()
	got := PeakBins([][]float64{{1, 3, 3, 2}, {nan, 0.5, nan}, {nan, nan}, {}})
	for i, w := range []int{1, 1, -1, -1} {
		if got[i] != w {
			t.Errorf("curve %d: peak %d, want %d", i, got[i], w)
		}
	}
}

// The blocked masks at 0.5 and 0.2 have narrow sign classes (worked out in snn's AssignmentReport tests:
// at 0.5 each class is one ear, all delays; at 0.2 the inhibitory class is the left ear's first two delay
// quarters).
func TestAssignmentConclusion(t *testing.T) {
	var labels []string
	var reports []probe.ConfoundReport
	for _, f := range []float64{0.5, 0.2} {
		cfg := snn.DefaultConfig()
		cfg.InhibitoryFraction = f
		m, err := snn.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		labels, reports = append(labels, fmt.Sprintf("blocked %.1f", f)), append(reports, probe.AssignmentReport(m))
	}
	text := AssignmentConclusion(labels, reports).Text()
	for _, part := range []string{"3 of the 4 sign classes of the 2 masks", "blocked 0.5 inhibitory (one ear only);", "blocked 0.5 excitatory (one ear only)",
		"blocked 0.2 inhibitory (one ear only, 2 of 4"} {
		if !strings.Contains(text, part) {
			t.Errorf("lacks %q: %s", part, text)
		}
	}
}

func TestLedgerNote(t *testing.T) {
	e := snn.LedgerEntry{W1: snn.WeightLedger{Zero: 3, Tiny: 4, Flipped: 5}, W2: snn.WeightLedger{Zero: 1, Tiny: 2, Flipped: 6}, Restarts: 17}
	for p, want := range map[snn.SignParam]string{
		snn.SignAbs:      "abs: 11 raw weights changed sign (5 input, 6 readout), 4 effective weights exactly 0",
		snn.SignReLU:     "relu: 3 input and 1 readout weights exactly 0 (culled)",
		snn.SignSoftplus: "softplus: 10 effective weights below 1e-4 (none can be 0)",
		snn.SignClip:     "clip: 3 input and 1 readout weights held at 0 by the projection",
		snn.SignWiggle:   "wiggle: 17 restarts from 0 during the epoch (a weight can restart many times), 3 input and 1 readout weights at 0 at its end",
		snn.SignExpGrad:  "expgrad: 6 effective weights below 1e-4, 4 at 0 (none can be)",
	} {
		if got := LedgerNote(p, e); got != want {
			t.Errorf("%s: %q, want %q", p, got, want)
		}
	}
}

// Mean and sd by hand: 0.70, 0.74, 0.78 -> mean 74.0, sd 4.0 (n-1); a fraction with a missing seed is
// reported as missing, not summarised.
func TestSeedNote(t *testing.T) {
	runs := []RunResult{run("both", 0.5, 1, 0.70, nil), run("both", 0.5, 2, 0.74, nil), run("both", 0.5, 3, 0.78, nil),
		run("both", 0.2, 1, 0.7, nil)}
	notDone := []RunState{{PlannedRun: PlannedRun{Key: RunKey{"both", 0.2, 2}}, State: Missing}}
	got := SeedNote(runs, notDone, map[float64]float64{0.5: 0.837, 0.2: 0.706}, []float64{0.5, 0.2})
	for _, want := range []string{"IE_RATIO 0.5: test accuracy 74.0% ± 4.0 (mean ± sd over 3 seeds, range 70.0 to 78.0; the original's single run: 83.7%)",
		"IE_RATIO 0.2: 1 seeds in the cache, 1 missing"} {
		if !strings.Contains(got, want) {
			t.Errorf("note lacks %q:\n%s", want, got)
		}
	}
}

// A seed's rank by test accuracy at each fraction (1 = highest) and its order of the two fractions against
// the means' order, by hand: at 0.5 the seeds score 0.70, 0.74, 0.78 (mean 0.74), at 0.2 0.75, 0.66, 0.69
// (mean 0.70). Seed 1 is 3rd of 3 at 0.5 and 1st at 0.2, 0.5 below 0.2 against means 0.5 above 0.2;
// seed 3 is 1st and 2nd, 0.5 above 0.2 like the means. The paired differences 0.5 - 0.2, by hand, are -5,
// +8, +9 points: mean +4.0, sd sqrt(122/2) = 7.810, se 4.509, t = 0.8871 with 2 degrees of freedom, whose
// two-sided p is 1 - t/sqrt(t^2 + 2) = 0.469 (the t distribution's closed form at 2 degrees of freedom); the
// 95% interval 4.0 -+ 4.3027 * 4.509 = -15.4 to +23.4; seed 1 reverses the means' order, 1 of 3.
func TestSeedRankNote(t *testing.T) {
	runs := []RunResult{run("both", 0.5, 1, 0.70, nil), run("both", 0.5, 2, 0.74, nil), run("both", 0.5, 3, 0.78, nil),
		run("both", 0.2, 1, 0.75, nil), run("both", 0.2, 2, 0.66, nil), run("both", 0.2, 3, 0.69, nil),
		run("input", 0.5, 1, 0.99, nil)}
	for i := range runs {
		runs[i].Numerics = "go-kernels/1+gomlx-avx512"
	}
	for _, c := range []struct {
		seed uint64
		want string
	}{
		{1, "seed 1 (this notebook's single runs) is the lowest of 3 at IE_RATIO 0.5 (70.0%) and the highest of 3 at 0.2 (75.0%); the order, 0.5 below 0.2, is the reverse of the means' (74.0% above 70.0%); paired over the 3 seeds, 0.5 - 0.2 is +4.0 points (95% CI -15.4 to +23.4, paired t test p = 0.469: the order is not established by these seeds), and 1 of 3 seeds go the other way\n"},
		{3, "seed 3 (this notebook's single runs) is the highest of 3 at IE_RATIO 0.5 (78.0%) and the 2nd highest of 3 at 0.2 (69.0%); the order, 0.5 above 0.2, is the same as the means' (74.0% above 70.0%)"},
		{9, "seed 9 is not among the cached seeds at both IE_RATIO 0.5 and 0.2"},
	} {
		if got := SeedRankNote(runs, c.seed, 0.5, 0.2, "go-kernels/1+gomlx-avx512"); !strings.Contains(got, c.want) {
			t.Errorf("seed %d:\n got %s\nwant %s", c.seed, got, c.want)
		}
	}
	if got := SeedRankNote(runs, 1, 0.5, 0.9, ""); !strings.Contains(got, "seed 1 is not among") {
		t.Errorf("a fraction without runs: %s", got)
	}
	// The notebook's runs trained by the cached runs' numerics are those runs; by other numerics, they are not,
	// and the note says the ranks are the cached runs'.
	if got := SeedRankNote(runs, 1, 0.5, 0.2, "go-kernels/1+gomlx-avx512"); !strings.HasPrefix(got, "seed 1 (this notebook's single runs) is the lowest of 3") ||
		strings.Contains(got, "cached runs'") {
		t.Errorf("same numerics: %s", got)
	}
	got := SeedRankNote(runs, 1, 0.5, 0.2, "go-kernels/1+gomlx-avx2")
	for _, want := range []string{"seed 1's cached runs are the lowest of 3 at IE_RATIO 0.5 (70.0%)",
		`this notebook's single runs were trained by numerics "go-kernels/1+gomlx-avx2", the cached run at 0.5 by numerics "go-kernels/1+gomlx-avx512" and at 0.2 by numerics "go-kernels/1+gomlx-avx512"`,
		"the ranks are the cached runs'"} {
		if !strings.Contains(got, want) {
			t.Errorf("other numerics: %s\nlacks %q", got, want)
		}
	}
	// Mixed: the cached run at 0.2 (index 3) of another build, the one at 0.5 of the notebook's.
	runs[3].Numerics = "go-kernels/1"
	if got := SeedRankNote(runs, 1, 0.5, 0.2, "go-kernels/1+gomlx-avx512"); !strings.Contains(got,
		`the cached run at 0.5 by numerics "go-kernels/1+gomlx-avx512" and at 0.2 by numerics "go-kernels/1"`) {
		t.Errorf("mixed numerics: %s", got)
	}
	// Unrecorded in the cache, or not known for the single runs: nothing is claimed to be the single runs.
	runs[3].Numerics = ""
	if got := SeedRankNote(runs, 1, 0.5, 0.2, "go-kernels/1+gomlx-avx512"); !strings.Contains(got, "at 0.2 by unrecorded numerics") {
		t.Errorf("unrecorded numerics: %s", got)
	}
	if got := SeedRankNote(runs, 1, 0.5, 0.2, ""); !strings.Contains(got, "trained by numerics not known here") ||
		strings.Contains(got, "(this notebook's single runs) is") {
		t.Errorf("single runs' numerics not known: %s", got)
	}
	one := []RunResult{run("both", 0.5, 1, 0.70, nil), run("both", 0.5, 2, 0.74, nil), run("both", 0.2, 1, 0.75, nil)}
	if got := SeedRankNote(one, 1, 0.5, 0.2, ""); !strings.Contains(got, "fewer than 2 cached seeds at IE_RATIO 0.5 or 0.2 (2 and 1)") {
		t.Errorf("one seed at 0.2: %s", got)
	}
}

// The comparison tables' footnote names the interval a TOST verdict matches: 1 - 2 alpha unadjusted, and,
// with Holm over m comparisons, 1 - 2 alpha/m for the smallest p (alpha 0.05: 90%; m = 3: 96.7%; m = 12:
// 99.2%), not the 95% interval the table shows.
func TestTOSTIntervalNote(t *testing.T) {
	for _, c := range []struct {
		m    int
		want string
	}{
		{1, "unadjusted, TOST at 0.05 holds when the 90% interval of the difference lies inside the margin, not the 95% interval shown"},
		{3, "the smallest of the 3 TOST p-values holds when the 96.7% interval lies inside"},
		{12, "the smallest of the 12 TOST p-values holds when the 99.2% interval lies inside"},
	} {
		got := tostIntervalNote(0.05, c.m, 0.95)
		if c.m == 12 && levelString(1-0.1/500) != "99.98%" {
			t.Errorf("a family of 500: %s, want 99.98%% (never 100%%)", levelString(1-0.1/500))
		}
		if !strings.Contains(got, c.want) || (c.m == 1) == strings.Contains(got, "Holm") {
			t.Errorf("m = %d: %q, want it to contain %q", c.m, got, c.want)
		}
	}
}

// The comparison table gives each row's detectable difference, the one its sentence would give (the noisy
// pair of TestFamilyVerdicts: 10.1 points, by hand there), and "-" for a pair without spread.
func TestConclusionTableDetectable(t *testing.T) {
	noisy := [2][]float64{{0.70, 0.78, 0.62, 0.75, 0.66}, {0.72, 0.70, 0.69, 0.71, 0.70}}
	flat := [2][]float64{{0.6, 0.7, 0.65, 0.62, 0.61}, {0.5, 0.6, 0.55, 0.52, 0.51}}
	cs, err := Family(AccuracyRules(), [][2]string{{"F", "G"}, {"A", "B"}}, [][2][]float64{noisy, flat})
	if err != nil {
		t.Fatal(err)
	}
	text := Conclusion{Comparisons: cs}.Text()
	for _, want := range []string{"| Holm p | TOST p (Holm) | detectable | verdict |", "| 10.1 | not distinguishable |", "| - | no spread |",
		"Detectable: the difference (points) these seeds detect with 80% power at the unadjusted level"} {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q:\n%s", want, text)
		}
	}
}

// A run at chance in a condition whose mean is not is named under the table, once per condition (here x's
// seed 2 at 8.0%, met in two comparisons and, as the same data, under a second name "x again"); runs of a
// condition at chance on average (z) are not listed; a name two conditions share ("ctl": u and v, each
// with a run at chance) is qualified by the other side of its comparison.
func TestConclusionNamesRunsAtChance(t *testing.T) {
	var runs []RunResult
	xs := []float64{0.70, 0.08, 0.72, 0.69, 0.71}
	for i, s := range []uint64{1, 2, 3, 4, 5} {
		n := []float64{0.01, -0.012, 0.004, -0.003, 0.006}[i]
		runs = append(runs, run("x", 0.5, s, xs[i], nil), run("y", 0.5, s, 0.5+n, nil), run("w", 0.5, s, 0.6+n, nil),
			run("z", 0.5, s, 0.09+n, nil), run("u", 0.5, s, 0.4+n+map[bool]float64{true: -0.32}[s == 4], nil),
			run("v", 0.5, s, 0.45+n+map[bool]float64{true: -0.37}[s == 5], nil))
	}
	sel := func(c string) Select { return Select{c, 0.5} }
	cs, err := Ask(runs, AccuracyRules(), []Question{
		{"x", "y", sel("x"), sel("y"), TestAccuracy, TestAccuracy},
		{"x", "w", sel("x"), sel("w"), TestAccuracy, TestAccuracy},
		{"z", "y", sel("z"), sel("y"), TestAccuracy, TestAccuracy},
		{"x again", "w", sel("x"), sel("w"), TestAccuracy, TestAccuracy},
		{"y", "ctl", sel("y"), sel("u"), TestAccuracy, TestAccuracy},
		{"w", "ctl", sel("w"), sel("v"), TestAccuracy, TestAccuracy},
	})
	if err != nil {
		t.Fatal(err)
	}
	text := Conclusion{Comparisons: cs}.Text()
	want := "At chance (within 2 points of 8.3%) in a condition whose mean is not, and kept in its mean and spread: " +
		"x: seed 2 (8.0%); ctl (against y): seed 4 (7.7%); ctl (against w): seed 5 (8.6%)."
	if !strings.Contains(text, want) {
		t.Errorf("conclusion lacks %q: %s", want, text)
	}
	// z is at chance on average and y is not: the floor bounds their difference, and the note says so.
	if want := "on one side of a difference found: z (9.1%) against y. The floor bounds such a difference"; !strings.Contains(text, want) || cs[2].Verdict != Lower {
		t.Errorf("conclusion (z vs y %s) lacks %q: %s", cs[2].Verdict, want, text)
	}
	if strings.Contains(text, "x again:") || strings.Contains(text, "z: seed") {
		t.Errorf("conclusion lists x's data twice or a condition at chance on average: %s", text)
	}
	if cs[0].Seeds[1] != 2 || cs[0].ValuesA[1] != 0.08 {
		t.Errorf("comparison x vs y: seeds %v, values %v: want seed 2's 0.08 second", cs[0].Seeds, cs[0].ValuesA)
	}
}

// Only keeps the runs of the selected conditions and fractions, in their order.
func TestOnly(t *testing.T) {
	runs := []RunResult{run("a", 0.5, 1, 0.7, nil), run("b", 0.5, 1, 0.6, nil), run("a", 0.2, 1, 0.5, nil), run("a", 0.5, 2, 0.8, nil),
		run("c", 1, 1, 0.1, nil)}
	got := Only(runs, Select{"a", 0.5}, Select{"c", 1})
	var keys []string
	for _, r := range got {
		keys = append(keys, fmt.Sprintf("%s/%g/%d", r.Condition, r.Fraction, r.Seed))
	}
	if want := "a/0.5/1 a/0.5/2 c/1/1"; strings.Join(keys, " ") != want {
		t.Errorf("Only: %v, want %s", keys, want)
	}
	if len(Only(runs)) != 0 {
		t.Errorf("Only with no selection kept runs")
	}
}

// Ranks in words: the ends by name, the middle with English ordinal suffixes (11th-13th, not 11st), ties
// said, and a seed tied at the bottom called the lowest.
func TestRankWords(t *testing.T) {
	for _, c := range []struct {
		above, equal, n int
		want            string
	}{{0, 1, 5, "the highest of 5"}, {4, 1, 5, "the lowest of 5"}, {1, 1, 5, "the 2nd highest of 5"},
		{2, 1, 5, "the 3rd highest of 5"}, {3, 1, 5, "the 4th highest of 5"}, {10, 1, 30, "the 11th highest of 30"},
		{11, 1, 30, "the 12th highest of 30"}, {20, 1, 30, "the 21st highest of 30"}, {21, 1, 30, "the 22nd highest of 30"},
		{22, 1, 30, "the 23rd highest of 30"}, {0, 2, 3, "tied for the highest of 3"}, {1, 2, 3, "tied for the lowest of 3"},
		{1, 2, 5, "tied for the 2nd highest of 5"}, {0, 3, 3, "tied for the highest of 3"}} {
		if got := rankWords(c.above, c.equal, c.n); got != c.want {
			t.Errorf("rankWords(%d, %d, %d) = %q, want %q", c.above, c.equal, c.n, got, c.want)
		}
	}
}

// Ties and a paired mean of zero: at 0.5 the seeds score 0.70, 0.80, 0.75 and at 0.2 all 0.75, so seed 3's
// 0.2 run ties with the others (tied for the highest: no seed above it), the paired differences -5, +5, 0
// points average 0.0, and there is no order to count seeds against.
func TestSeedRankNoteTiesAndNoOrder(t *testing.T) {
	runs := []RunResult{run("both", 0.5, 1, 0.70, nil), run("both", 0.5, 2, 0.80, nil), run("both", 0.5, 3, 0.75, nil),
		run("both", 0.2, 1, 0.75, nil), run("both", 0.2, 2, 0.75, nil), run("both", 0.2, 3, 0.75, nil)}
	got := SeedRankNote(runs, 3, 0.5, 0.2, "")
	for _, want := range []string{"the 2nd highest of 3 at IE_RATIO 0.5 (75.0%) and tied for the highest of 3 at 0.2 (75.0%)",
		"0.5 - 0.2 is +0.0 points", "no order at the printed precision"} {
		if !strings.Contains(got, want) {
			t.Errorf("%s\nlacks %q", got, want)
		}
	}
	if strings.Contains(got, "go the other way") {
		t.Errorf("a count against a zero mean: %s", got)
	}
}

// The intact baseline over settings with different numbers of seeds names each setting's count.
func TestIntactNoteCounts(t *testing.T) {
	runs := []RunResult{run("blocked", 0.5, 1, 0.70, nil), run("blocked", 0.5, 2, 0.80, nil), run("random", 0.5, 1, 0.60, nil)}
	got, err := intactNote(runs, AccuracyRules(), []string{"blocked", "random"}, []float64{0.5})
	want := "Intact networks (no cut), mean test accuracy: blocked 0.5 75.0% (2 seeds), random 0.5 60.0% (1 seed)."
	if err != nil || got != want {
		t.Errorf("intactNote = %q, %v; want %q", got, err, want)
	}
}
