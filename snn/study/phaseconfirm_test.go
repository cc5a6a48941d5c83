package study

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// partnerRun is a run trained with an offset per sample whose accuracy is abs(k) at the absolute offset k/12
// and partner(k) at its partner's training offset plus k/12.
func partnerRun(cond string, s uint64, abs, partner func(k int) float64) RunResult {
	extra := map[string]float64{"phase_acc_test": 0.5, "phase_partner_offset": snn.TrainingPhaseOffset(s)}
	for k := 0; k < probe.PhaseShifts; k++ {
		extra[phaseAccName(k)] = abs(k)
		extra[phasePartnerAccName(k)] = partner(k)
	}
	r := run(cond, 0.5, s, 0.5, extra)
	r.TrainAccuracy = 0.8
	return r
}

// Golden values by hand. Group "trained": the runs of one offset per data set score 0.6 + 0.01 s at their
// training offset and 0.4 + 0.01 s at the 11 others (peak 0.2); their partners score 0.5 + 0.02 (s mod 2) at
// that offset and 0.5 at the 11 shifts (peak 0.02 (s mod 2)): differences 0.18, 0.2, 0.18, 0.2, 0.18, mean
// 0.188, all five positive. Group "flat": peaks of 0.083 + 0.001 s against 0.083 + 0.001 s + 0.002 (s mod 2),
// means near 1/12, which AccuracyRules would call a floor of chance; differences -0.002 (s mod 2), mean
// -0.0012, inside the 3-point margin.
func TestPhasePartnerConclusion(t *testing.T) {
	var perDataset, perSample []RunResult
	for s := uint64(1); s <= 5; s++ {
		odd, fs := float64(s%2), float64(s)
		perDataset = append(perDataset,
			phaseRun("trained", s, 0.5, 0.5, func(k int) float64 {
				if k == 0 {
					return 0.6 + 0.01*fs
				}
				return 0.4 + 0.01*fs
			}),
			phaseRun("flat", s, 0.5, 0.5, func(k int) float64 {
				if k == 0 {
					return 0.5 + 0.083 + 0.001*fs
				}
				return 0.5
			}))
		perSample = append(perSample,
			partnerRun("trained", s, func(int) float64 { return 0.5 }, func(k int) float64 {
				if k == 0 {
					return 0.5 + 0.02*odd
				}
				return 0.5
			}),
			partnerRun("flat", s, func(int) float64 { return 0.5 }, func(k int) float64 {
				if k == 0 {
					return 0.5 + 0.083 + 0.001*fs + 0.002*odd
				}
				return 0.5
			}))
	}
	groups := []PhaseGroup{{"trained", Select{"trained", 0.5}}, {"flat", Select{"flat", 0.5}}}
	c, err := PhasePartnerConclusion(perDataset, perSample, AccuracyRules(), groups)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Comparisons) != 2 {
		t.Fatalf("%d comparisons, want 2", len(c.Comparisons))
	}
	tr, fl := c.Comparisons[0], c.Comparisons[1]
	if math.Abs(tr.Paired.CI.Mean-0.188) > 1e-12 || tr.Verdict != Higher || tr.A != "trained, its peak trained at the offset" {
		t.Errorf("trained: %s %v %s, want a difference of 0.188, higher", tr.A, tr.Paired.CI.Mean, tr.Verdict)
	}
	if math.Abs(fl.Paired.CI.Mean+0.0012) > 1e-12 || fl.Verdict != Equivalent {
		t.Errorf("flat: %v %s, want -0.0012, equivalent (no floor for peaks)", fl.Paired.CI.Mean, fl.Verdict)
	}
	for _, want := range []string{"Trained: in 5 of 5 pairs the network trained at the offset has the larger peak there",
		"Flat: in 0 of 5 pairs"} {
		if !strings.Contains(c.Text(), want) {
			t.Errorf("the conclusion lacks %q:\n%s", want, c.Text())
		}
	}
	// PhaseModeConclusion reads the measured peaks where the runs carry them: 0.012 on average for "trained".
	m, err := PhaseModeConclusion(perDataset, perSample, AccuracyRules(), groups[:1], 512)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Measured at its partner's training offset and the 11 shifts from it (PhasePartnerConclusion tests the " +
		"difference), a network of an offset per sample scores +1.2 points at that offset against the mean of the 11, where " +
		"the network trained there scores +20.0"; !strings.Contains(m.Text(), want) {
		t.Errorf("the mode conclusion lacks %q:\n%s", want, m.Text())
	}
	// The partners' curves read the partner metrics, in seed order, with no test shift.
	curves, err := PhasePartnerCurves(perSample, groups[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 5 || curves[0].Seed != 1 || curves[0].Accuracy[0] != 0.52 || curves[1].Accuracy[0] != 0.5 ||
		curves[0].Accuracy[1] != 0.5 || !math.IsNaN(curves[0].TestShift) {
		t.Errorf("partner curves %+v", curves)
	}
	if _, err := PhasePartnerCurves(perDataset, groups[0]); err == nil {
		t.Error("runs without the partner metrics accepted as partner curves")
	}
	// PhasePeak has no value for a run trained with an offset per sample.
	if _, ok := PhasePeak(perSample[0]); ok {
		t.Error("PhasePeak read a run trained with an offset per sample")
	}
	// The partners' own peak, with its interval: 0.012 (1.2 points) on average for "trained".
	if want := "The partners trained with an offset per sample peak +1.2 points there (unadjusted 95% CI"; !strings.Contains(c.Text(), want) {
		t.Errorf("the conclusion lacks %q:\n%s", want, c.Text())
	}
	// A per-sample run without the partner's metrics cannot be asked, and a group of which only some runs
	// carry them is refused by PhaseModeConclusion (no silent mix of measured and interpolated readings).
	delete(perSample[0].Extra, phasePartnerAccName(3))
	if _, err := PhaseModeConclusion(perDataset, perSample, AccuracyRules(), groups[:1], 512); err == nil ||
		!strings.Contains(err.Error(), "4 of 5 runs") {
		t.Errorf("a group partly measured: %v, want an error counting the runs", err)
	}
	if _, err := PhasePartnerConclusion(perDataset, perSample, AccuracyRules(), groups); err == nil {
		t.Error("a run lacking a partner metric accepted")
	}
	if _, err := PhasePartnerConclusion(perDataset, perSample, AccuracyRules(), nil); err == nil {
		t.Error("no groups accepted")
	}
}

// PhaseMetricsPartner returns its names, PhaseMetricsPerSample's values and the probe's accuracies at the
// seed's training offset and the 11 shifts from it; a network of one offset per data set is refused.
func TestPhaseMetricsPartner(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.BatchSize, cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches, cfg.Epochs = 16, 4, 2, 2, 2
	cfg.Phase, cfg.Seed = snn.PhasePerSample, 3
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	m, err := PhaseMetricsPartner(x)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(m)), slices.Sorted(slices.Values(PhaseMetricNamesPartner())); !slices.Equal(got, want) {
		t.Errorf("metrics %q, want %q", got, want)
	}
	plain, err := PhaseMetricsPerSample(x)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range plain {
		if m[k] != v {
			t.Errorf("%s = %v, want PhaseMetricsPerSample's %v", k, m[k], v)
		}
	}
	u := snn.TrainingPhaseOffset(cfg.Seed)
	p, err := probe.PhaseShiftPerSampleFrom(nil, x, x.Test.Len(), u)
	if err != nil {
		t.Fatal(err)
	}
	if m["phase_partner_offset"] != u || u == 0 {
		t.Errorf("partner offset %v, want %v", m["phase_partner_offset"], u)
	}
	for k, a := range p.Accuracy {
		if m[phasePartnerAccName(k)] != a {
			t.Errorf("%s = %v, want %v", phasePartnerAccName(k), m[phasePartnerAccName(k)], a)
		}
	}
	x.Config.Phase = snn.PhasePerDataset
	if _, err := PhaseMetricsPartner(x); err == nil || !strings.Contains(err.Error(), `"per-dataset"`) {
		t.Errorf("one offset per data set: %v, want an error naming it", err)
	}
}

// The confirmation's sweeps: the notebook's network at both fractions on 30 seeds that no other run of the
// notebook's network uses (no run plan's sweep of condition both, no tuned plan's tuning or test seeds), the
// same seeds in both sweeps.
func TestPhaseConfirmSweeps(t *testing.T) {
	p, err := PlanByName("controls", false)
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Sweep("phase-confirm")
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Sweep("phase-per-sample-confirm")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Seeds) != 30 || !slices.Equal(a.Seeds, b.Seeds) || a.Metrics != PhaseSet || b.Metrics != PhasePartnerSet ||
		b.Protocol == nil || b.Protocol(snn.DefaultConfig()).Phase != snn.PhasePerSample {
		t.Errorf("confirmation sweeps %+v and %+v", a, b)
	}
	if !a.FreshSeeds || !b.FreshSeeds || slices.Contains(exploreCaches(), a.Cache) || slices.Contains(exploreCaches(), b.Cache) {
		t.Errorf("the explore panel reads the confirmation's caches %q and %q: %q", a.Cache, b.Cache, exploreCaches())
	}
	for _, q := range Plans(false) {
		for _, sw := range q.Sweeps {
			if sw.Name == a.Name || sw.Name == b.Name || !slices.Contains(sw.Conditions, "both") {
				continue
			}
			for _, s := range sw.Seeds {
				if slices.Contains(a.Seeds, s) {
					t.Errorf("seed %d of the confirmation also in plan %s, sweep %s", s, q.Name, sw.Name)
				}
			}
		}
	}
	for _, q := range TunedPlans() {
		for _, s := range append(slices.Clone(q.Tuning.Seeds), q.TestSeeds...) {
			if slices.Contains(a.Seeds, s) {
				t.Errorf("seed %d of the confirmation also in tuned plan %s", s, q.Name)
			}
		}
	}
}
