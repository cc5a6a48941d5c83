package study

import (
	"context"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// phaseRun is a run of cond at seed s whose accuracy at shift k is acc(k), tested at test with the probe's
// set at the test offset scoring atTest.
func phaseRun(cond string, s uint64, test, atTest float64, acc func(k int) float64) RunResult {
	extra := map[string]float64{"phase_test_shift": 0.25, "phase_acc_test": atTest}
	for k := 0; k < probe.PhaseShifts; k++ {
		extra[phaseAccName(k)] = acc(k)
	}
	r := run(cond, 0.5, s, test, extra)
	r.TrainAccuracy = 0.8
	return r
}

// Golden values computed by hand from the synthetic runs below: group "fragile" scores 0.6 + 0.01 s +
// 0.005 (s mod 2) at its training offset and 0.4 + 0.01 s + 0.02 (k mod 2) at shift k >= 1, so its mean
// at the other 11 offsets is 0.4 + 0.01 s + 0.12/11 and the paired difference 0.2 + 0.005 (s mod 2) -
// 0.12/11, mean over seeds 1-5 0.2 + 0.003 - 0.0109091 = 0.1920909 (less seed 3's dip below); group "robust" scores 0.7 + 0.01 s +
// 0.001 k (s mod 2) everywhere, a difference of -0.006 (s mod 2), mean -0.0036, inside the 3-point margin.
// The probe's set at the test offset scores 0.01 (s mod 3) above the test set: mean |difference| 0.012
// (1.2 points), largest 0.02. Fragile seed 3 falls to 0.09 at shift 5 (chance 0.0833, slack 0.02).
func TestPhaseConclusion(t *testing.T) {
	var runs []RunResult
	for s := uint64(1); s <= 5; s++ {
		odd := float64(s % 2)
		test := 0.5 + 0.01*float64(s)
		fragile := func(k int) float64 {
			switch {
			case k == 0:
				return 0.6 + 0.01*float64(s) + 0.005*odd
			case k == 5 && s == 3:
				return 0.09 // within the 2 points' slack of chance, above it
			}
			return 0.4 + 0.01*float64(s) + 0.02*float64(k%2)
		}
		runs = append(runs, phaseRun("fragile", s, test, test+0.01*float64(s%3), fragile),
			phaseRun("robust", s, test, test+0.01*float64(s%3), func(k int) float64 { return 0.7 + 0.01*float64(s) + 0.001*float64(k)*odd }))
	}
	groups := []PhaseGroup{{"fragile", Select{"fragile", 0.5}}, {"robust", Select{"robust", 0.5}}}
	c, err := PhaseConclusion(runs, AccuracyRules(), groups, 512)
	if err != nil {
		t.Fatal(err)
	}
	// Seed 3's shift 5 is 0.09 instead of 0.4 + 0.03 + 0.02 = 0.45: its elsewhere mean drops by 0.36/11.
	wantFragile := 0.2 + 0.003 - 0.12/11 + 0.36/11/5
	if got := c.Comparisons[0].Paired.CI.Mean; math.Abs(got-wantFragile) > 1e-12 {
		t.Errorf("fragile: mean difference %v, want %v", got, wantFragile)
	}
	// robust: at shift 0 the odd seeds score 0.7 + 0.01 s, elsewhere 0.7 + 0.01 s + 0.001 * 6 (mean of k = 1..11).
	if got, want := c.Comparisons[1].Paired.CI.Mean, -0.006*3/5; math.Abs(got-want) > 1e-12 {
		t.Errorf("robust: mean difference %v, want %v", got, want)
	}
	if c.Comparisons[0].Verdict != Higher || c.Comparisons[1].Verdict != Equivalent {
		t.Errorf("verdicts %s, %s, want higher, equivalent", c.Comparisons[0].Verdict, c.Comparisons[1].Verdict)
	}
	if c.Comparisons[0].FamilySize != 2 {
		t.Errorf("family of %d, want 2", c.Comparisons[0].FamilySize)
	}
	text := c.Text()
	for _, want := range []string{
		// sqrt(2/pi) sqrt(2 p (1-p) / 512) averaged over p = 0.51..0.55 (each twice): 0.02488.
		"512 fresh samples score 1.2 points from the test set on average (largest difference 2.0, 10 networks), about " +
			"what two independent sets of that size differ by from sampling alone (2.5)",
		// fragile's worst: seeds 1,2,4,5 at 0.4 + 0.01 s (shift 2), seed 3 at 0.09: (0.41+0.42+0.09+0.44+0.45)/5 = 0.362;
		// best: shift 0, 0.6 + 0.01 s + 0.005 (s mod 2): mean 0.633.
		// The mean curve: 0.633 at shift 0, 0.45 at odd shifts but 0.378 at shift 5 (seed 3's 0.09), 0.43 at even ones.
		"Fragile: 5 of 5 networks score higher at their training set's offset than at the other 11 on average; the mean over " +
			"the networks runs from 37.8% (150 degrees after the training offset) to 63.3% (0 degrees); 1 of 5 is at chance",
		// Training 0.8 for every run; the 12 offsets (0.633 + 5 * 0.45 + 0.378 + 5 * 0.43) / 12 = 0.45092; test mean 0.53.
		"Its training sets score 80.0%, fresh samples at the training set's offset 63.3%, the 12 offsets 45.1% on average " +
			"and its test sets 53.0%: a test set at a random offset costs 18.2 points in expectation (the training offset " +
			"against the 12), these networks' own test sets cost 10.3",
		// robust: shift 0 equals the other shifts of even seeds and is below those of odd seeds; the mean curve
		// 0.73 + 0.0006 k.
		"Robust: 0 of 5 networks score higher at their training set's offset than at the other 11 on average; the mean " +
			"over the networks runs from 73.0% (0 degrees after the training offset) to 73.7% (330 degrees); none of the 5 is at chance",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the conclusion lacks %q:\n%s", want, text)
		}
	}

	a, err := PhaseAveragedConclusion(runs, AccuracyRules(), [][2]PhaseGroup{{groups[0], groups[1]}})
	if err != nil {
		t.Fatal(err)
	}
	// Averaged over 12: fragile 0.4 + 0.01 s + (0.2 + 0.005 (s mod 2) + 0.12)/12, less 0.36/12 for seed 3;
	// robust 0.7 + 0.01 s + 0.001 * 5.5 (s mod 2).
	want := -0.3 + (0.2+0.003+0.12)/12 - 0.36/12/5 - 0.0055*3/5
	if got := a.Comparisons[0].Paired.CI.Mean; math.Abs(got-want) > 1e-12 {
		t.Errorf("averaged: mean difference %v, want %v", got, want)
	}
	// At the training offset: (0.6 + 0.005 (s mod 2)) - 0.7 = -0.1 + 0.005 (s mod 2), mean -0.097.
	if !strings.Contains(a.Text(), "Fragile minus robust, in points, unadjusted and not planned: on the test sets (one offset each) +0.0") ||
		!strings.Contains(a.Text(), "at the training set's offset -9.7") {
		t.Errorf("the averaged conclusion lacks the test sets' difference:\n%s", a.Text())
	}

	delete(runs[0].Extra, "phase_acc_07")
	if _, err := PhaseConclusion(runs, AccuracyRules(), groups, 512); err == nil || !strings.Contains(err.Error(), "lacks the metric") {
		t.Errorf("a run without phase_acc_07: error %v, want one naming the missing metric", err)
	}
}

// PhaseMetrics records what probe.PhaseShift computes, under the names PhaseMetricNames lists.
func TestPhaseMetrics(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.BatchSize, cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches, cfg.Epochs = 16, 4, 2, 2, 2
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	m, err := PhaseMetrics(x)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(m)), slices.Sorted(slices.Values(PhaseMetricNames())); !slices.Equal(got, want) {
		t.Errorf("metrics %q, want %q", got, want)
	}
	s, err := probe.PhaseShift(nil, x, x.Test.Len())
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range s.Accuracy {
		if m[phaseAccName(k)] != a {
			t.Errorf("%s = %v, want %v", phaseAccName(k), m[phaseAccName(k)], a)
		}
	}
	if m["phase_test_shift"] != s.TestShift || m["phase_acc_test"] != s.TestAccuracy {
		t.Errorf("test shift and accuracy %v, %v, want %v, %v", m["phase_test_shift"], m["phase_acc_test"], s.TestShift, s.TestAccuracy)
	}
	cfg.Phase = snn.PhasePerSample
	if err := CheckPhase(cfg); err == nil || !strings.Contains(err.Error(), `"per-sample"`) {
		t.Errorf("per-sample phase: %v, want an error naming it", err)
	}
}

// The phase-lif sweeps train the replication's runs again: every run they plan has the configuration, and
// so the cache entry name, of a committed run of plan populations-lif-cap-rep-lr0.01 or -lr0.0316228.
func TestPhaseLIFSweepIsTheReplication(t *testing.T) {
	for _, c := range []struct {
		sweep string
		rate  float64
	}{{"phase-lif", lifPhaseRate}, {"phase-lif-lr0.0316", lifPhaseRateHigh}} {
		t.Run(c.sweep, func(t *testing.T) { checkPhaseLIFSweep(t, c.sweep, c.rate) })
	}
}

func checkPhaseLIFSweep(t *testing.T, sweep string, rate float64) {
	p, err := PlanByName("populations", false)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := p.Sweep(sweep)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ps.Build(snn.DefaultConfig(), "")
	if err != nil {
		t.Fatal(err)
	}
	planned, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(planned) != 80 {
		t.Fatalf("%d runs planned, want 4 conditions x 20 seeds", len(planned))
	}
	dir := filepath.Join("..", "..", "notebooks", "results", fmt.Sprintf("populations-lif-cap-rep-lr%g", rate))
	for _, r := range planned {
		f := filepath.Join(dir, entryName(r.Key, r.ConfigHash)+".json")
		if _, err := os.Stat(f); err != nil {
			t.Errorf("run %+v: no committed replication entry %s", r.Key, f)
		}
	}
}

// A name with "|" ("LIF |w|") stays in its Markdown table cell: every row has the header's cell count.
func TestConclusionTableEscapesPipes(t *testing.T) {
	cs, err := Family(AccuracyRules(), [][2]string{{"LIF |w| capped", "LIF |w|"}},
		[][2][]float64{{{0.5, 0.6, 0.55, 0.52}, {0.4, 0.45, 0.5, 0.41}}})
	if err != nil {
		t.Fatal(err)
	}
	unescaped := func(line string) int { return strings.Count(line, "|") - strings.Count(line, `\|`) }
	var rows []string
	for _, line := range strings.Split(Conclusion{Comparisons: cs}.Text(), "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("%d table lines, want the header, its rule and one row:\n%q", len(rows), rows)
	}
	for _, r := range rows[1:] {
		if unescaped(r) != unescaped(rows[0]) {
			t.Errorf("row %q has %d cell bars, the header %d", r, unescaped(r), unescaped(rows[0]))
		}
	}
	if !strings.Contains(rows[2], `LIF \|w\| capped`) {
		t.Errorf("row %q does not escape the name's bars", rows[2])
	}
}

// Golden values by hand: the networks of one offset per data set score 0.4 + 0.01 s, 0.2 more at their
// training offset (12-offset mean 0.4 + 0.01 s + 0.2/12, spread 0.2); those of an offset per sample
// 0.5 + 0.02 s + 0.001 k at offset k (mean 0.5 + 0.02 s + 0.0055, spread 0.011, mean curve 0.56 to 0.571).
// The paired difference is 0.1 + 0.01 s + 0.0055 - 0.2/12, mean over seeds 1-5 0.1188333.
func TestPhaseModeConclusion(t *testing.T) {
	var perDataset, perSample []RunResult
	for s := uint64(1); s <= 5; s++ {
		perDataset = append(perDataset, phaseRun("net", s, 0.45, 0.45, func(k int) float64 {
			if k == 0 {
				return 0.6 + 0.01*float64(s)
			}
			return 0.4 + 0.01*float64(s)
		}))
		r := phaseRun("net", s, 0.55, 0.56, func(k int) float64 { return 0.5 + 0.02*float64(s) + 0.001*float64(k) })
		delete(r.Extra, "phase_test_shift")
		perSample = append(perSample, r)
	}
	groups := []PhaseGroup{{"net", Select{"net", 0.5}}}
	c, err := PhaseModeConclusion(perDataset, perSample, AccuracyRules(), groups, 512)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Comparisons[0].Paired.CI.Mean, 0.1+0.03+0.0055-0.2/12; math.Abs(got-want) > 1e-12 {
		t.Errorf("mean difference %v, want %v", got, want)
	}
	if c.Comparisons[0].Verdict != Higher || c.Comparisons[0].A != "net, an offset per sample (12 offsets)" {
		t.Errorf("%s: %s, want higher", c.Comparisons[0].A, c.Comparisons[0].Verdict)
	}
	// |0.56 - 0.55| = 1.0 point; sampling alone sqrt(2/pi) sqrt(2 * 0.55 * 0.45 / 512) = 0.02481.
	want := "Net, an offset per sample: each network's accuracy spans 1.1 points from its worst to its best offset on " +
		"average (20.0 with one offset per data set), and the mean over the 5 networks runs from 56.0% to 57.1%; their own " +
		"test sets (an offset per sample) score 55.0%, within 1.0 points on average of fresh samples drawn the same way " +
		"(sampling alone: 2.5), against 45.0% for the networks of one offset per data set on theirs"
	if !strings.Contains(c.Text(), want) {
		t.Errorf("the conclusion lacks %q:\n%s", want, c.Text())
	}
	// Exploratory note: the per-sample curves read at each seed's training offset u and u + j/12, by linear
	// interpolation in degrees written out here; only 0.001 k varies with the offset (the rest cancels).
	peak := 0.0
	for s := uint64(1); s <= 5; s++ {
		u := snn.TrainingPhaseOffset(s)
		var v [12]float64
		for j := range v {
			deg := math.Mod(360*(u+float64(j)/12), 360)
			k0 := int(deg / 30)
			frac := (deg - 30*float64(k0)) / 30
			v[j] = (1-frac)*0.001*float64(k0) + frac*0.001*float64((k0+1)%12)
		}
		others := 0.0
		for _, x := range v[1:] {
			others += x / 11
		}
		peak += (v[0] - others) / 5
	}
	if want := fmt.Sprintf("a network of an offset per sample scores %s points at that offset against the mean of the 11, "+
		"where the network trained there scores +20.0", signed(100*peak)); !strings.Contains(c.Text(), want) {
		t.Errorf("the conclusion lacks %q:\n%s", want, c.Text())
	}
	// The per-sample curves: absolute offsets, no test shift; the same runs refused as one offset per data set.
	curves, err := PhaseCurvesPerSample(perSample, groups[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 5 || !math.IsNaN(curves[0].TestShift) || math.Abs(curves[2].Accuracy[11]-0.571) > 1e-12 {
		t.Errorf("per-sample curves %+v", curves)
	}
	if _, err := PhaseCurves(perSample, groups[0]); err == nil {
		t.Error("per-sample runs accepted as curves of one offset per data set")
	}
	if _, err := PhaseModeConclusion(perDataset, perSample[:4], AccuracyRules(), groups, 512); err == nil {
		t.Error("a seed missing from the per-sample runs accepted")
	}
}

// signed never prints "-0.0".
func TestSigned(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{-0.04, "+0.0"}, {0.04, "+0.0"}, {-0.06, "-0.1"}, {5.25, "+5.2"}, {0, "+0.0"}} {
		if got := signed(c.v); got != c.want {
			t.Errorf("signed(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// Golden values by hand: a curve of 0, 1, 2, 3 at quarter cycles, read around the cycle.
func TestCircularAt(t *testing.T) {
	acc := []float64{0, 1, 2, 3}
	for _, c := range []struct{ u, want float64 }{{0, 0}, {0.125, 0.5}, {0.875, 1.5}, {1.25, 1}, {-0.125, 1.5}, {0.75, 3}} {
		if got := circularAt(acc, c.u); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("circularAt(%v) = %v, want %v", c.u, got, c.want)
		}
	}
}
