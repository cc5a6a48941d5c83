package study

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// PhaseMetricsVersion names the definition of PhaseMetrics (Sweep.ExtraVersion).
const PhaseMetricsVersion = "1"

// phaseAccName is the metric of the accuracy at shift k/probe.PhaseShifts cycles from the training set's
// phase offset.
func phaseAccName(k int) string { return fmt.Sprintf("phase_acc_%02d", k) }

// PhaseMetricNames are the metrics PhaseMetrics returns (Sweep.ExtraMetrics).
func PhaseMetricNames() []string {
	var names []string
	for k := 0; k < probe.PhaseShifts; k++ {
		names = append(names, phaseAccName(k))
	}
	return append(names, "phase_test_shift", "phase_acc_test")
}

// CheckPhase refuses a run whose PhaseMetrics cannot be computed: one drawing a phase offset per sample.
func CheckPhase(cfg snn.Config) error {
	if cfg.Phase != snn.PhasePerDataset {
		return fmt.Errorf("study: the phase metrics need one phase offset per data set (Phase %q), not %q",
			snn.PhasePerDataset, cfg.Phase)
	}
	return nil
}

// PhaseMetrics scores the trained network with probe.PhaseShift on as many samples as its test set:
// "phase_acc_KK" is the accuracy at the training set's phase offset plus KK/12 cycles (KK = 00 is the
// training set's own offset), "phase_test_shift" the test set's offset minus the training set's in
// cycles, and "phase_acc_test" the accuracy of the same fresh samples at the test set's offset. For
// Sweep.Extra.
func PhaseMetrics(x *snn.Experiment) (map[string]float64, error) {
	if err := CheckPhase(x.Config); err != nil {
		return nil, err
	}
	s, err := probe.PhaseShift(nil, x, x.Test.Len())
	if err != nil {
		return nil, err
	}
	out := map[string]float64{"phase_test_shift": s.TestShift, "phase_acc_test": s.TestAccuracy}
	for k, a := range s.Accuracy {
		out[phaseAccName(k)] = a
	}
	return out, nil
}

// PhaseAtTraining is the Metric of a run's accuracy at its training set's phase offset (on fresh samples).
var PhaseAtTraining = Extra(phaseAccName(0))

// PhaseElsewhere is the Metric of a run's mean accuracy over the other 11 offsets (1/12 to 11/12 cycles
// from the training set's).
var PhaseElsewhere = phaseMean(1)

// PhaseAveraged is the Metric of a run's mean accuracy over all 12 offsets: its accuracy with the test
// set's phase averaged out.
var PhaseAveraged = phaseMean(0)

// phaseMean is the mean of the accuracies at shifts from..11.
func phaseMean(from int) Metric {
	return func(r RunResult) (float64, bool) {
		sum := 0.0
		for k := from; k < probe.PhaseShifts; k++ {
			v, ok := r.Extra[phaseAccName(k)]
			if !ok {
				return 0, false
			}
			sum += v
		}
		return sum / float64(probe.PhaseShifts-from), true
	}
}

// PhaseGroup is one network of the phase questions: a condition at a fraction, named in sentences.
type PhaseGroup struct {
	Name string
	Runs Select
}

// NotebookPhaseGroups are plan controls' phase questions, fixed before its runs: the notebook's network
// (Dale's law on both layers, blocked mask) at fractions 0.5 and 0.2, seeds 1-5.
func NotebookPhaseGroups() []PhaseGroup {
	return []PhaseGroup{
		{"the notebook's network at 0.5", Select{"both", 0.5}},
		{"the notebook's network at 0.2", Select{"both", 0.2}},
	}
}

// lifPhaseRate is the learning rate of the LIF networks the phase questions probe: the rate at which the
// replication (plan populations-lif-cap-rep-lr0.01) found two of them below chance on their test sets.
const lifPhaseRate = 0.01

// lifPhaseRateHigh is the second rate of the LIF networks the phase questions probe: the uncapped networks'
// tuned rate (plan populations-lif), at which the replication (plan populations-lif-cap-rep-lr0.0316228)
// found the cap costing 2-3 points.
const lifPhaseRateHigh = 0.0316228

// LIFPhaseGroups are plan populations' phase questions, fixed before its runs: the four LIF networks of
// plan populations-lif-cap-rep-lr0.01 (capped or not, |w| or step-corrected) at its rate and seeds.
func LIFPhaseGroups() []PhaseGroup { return LIFPhaseGroupsAt(lifPhaseRate) }

// LIFPhaseGroupsAt are the four LIF networks of the replication at learning rate rate (0.01 or 0.0316228:
// plans populations-lif-cap-rep-lr0.01 and -lr0.0316228), named as LIFPhaseGroups names them.
func LIFPhaseGroupsAt(rate float64) []PhaseGroup {
	var gs []PhaseGroup
	for _, c := range []struct{ cond, name string }{
		{"pop-lif-bal", "LIF |w|"}, {"pop-lif-bal-cap", "LIF |w| capped"},
		{"pop-lif-bal-stepcorr", "LIF step-corrected"}, {"pop-lif-bal-cap-stepcorr", "LIF step-corrected capped"},
	} {
		gs = append(gs, PhaseGroup{c.name, Select{fmt.Sprintf("%s%s%g", c.cond, lrSuffix, rate), 0.5}})
	}
	return gs
}

// LIFPhaseCapPairs are the second family of plan populations' phase questions: each capped LIF network
// against the uncapped one of its update rule, on the accuracy averaged over the 12 offsets.
func LIFPhaseCapPairs() [][2]PhaseGroup { return LIFPhaseCapPairsAt(lifPhaseRate) }

// LIFPhaseCapPairsAt are LIFPhaseCapPairs of LIFPhaseGroupsAt(rate).
func LIFPhaseCapPairsAt(rate float64) [][2]PhaseGroup {
	g := LIFPhaseGroupsAt(rate)
	return [][2]PhaseGroup{{g[1], g[0]}, {g[3], g[2]}}
}

// PhaseConclusion asks, for each group, whether its networks score higher on fresh samples at their
// training set's phase offset than at the other 11 offsets (PhaseAtTraining against PhaseElsewhere,
// paired by network, one Holm family under r): whether they learned a cue that one offset per data set (the
// notebook's input_signal) offers and that holds only at that offset. Its notes, from the same runs and
// descriptive (not planned): how well the probe's set at the test set's offset reproduces the test set's
// accuracy, against the sampling noise of two independent sets of samples each (the size of the probe's
// sets and of the test sets: snn.Config.TestBatches * BatchSize); then per group how many networks score
// higher at their training offset, the mean curve's lowest and highest points, how many networks fall to
// chance at some offset, and what a test set at a random offset costs in expectation (the accuracy at the
// training offset minus the mean over the 12) against what the runs' own test sets cost.
func PhaseConclusion(runs []RunResult, r Rules, groups []PhaseGroup, samples int) (Conclusion, error) {
	if len(groups) == 0 {
		return Conclusion{}, fmt.Errorf("study: PhaseConclusion: no groups")
	}
	if samples < 1 {
		return Conclusion{}, fmt.Errorf("study: PhaseConclusion: %d samples per set, want at least 1", samples)
	}
	var qs []Question
	for _, g := range groups {
		qs = append(qs, Question{g.Name + " at its training set's offset", g.Name + " at the other 11 offsets (mean)",
			g.Runs, g.Runs, PhaseAtTraining, PhaseElsewhere})
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	var notes []string
	var absDiff, noise []float64
	for _, g := range groups {
		d, e, err := probeCheck(Only(runs, g.Runs), samples)
		if err != nil {
			return Conclusion{}, err
		}
		absDiff, noise = append(absDiff, d...), append(noise, e...)
	}
	mean, _ := MeanSD(absDiff)
	expected, _ := MeanSD(noise)
	notes = append(notes, fmt.Sprintf("The probe's check: at each test set's own offset, %d fresh samples score %.1f %s from the "+
		"test set on average (largest difference %.1f, %d networks), about what two independent sets of that size differ by "+
		"from sampling alone (%.1f): the probe's sets measure what the test sets measure, but for the phase.", samples,
		r.Scale*mean, r.Unit, r.Scale*slices.Max(absDiff), len(absDiff), r.Scale*expected))
	for _, g := range groups {
		curves, err := PhaseCurves(runs, g)
		if err != nil {
			return Conclusion{}, err
		}
		n := len(curves)
		meanCurve := make([]float64, probe.PhaseShifts)
		var train, own, all, tested []float64
		atChance, higher := 0, 0
		for _, c := range curves {
			for k, a := range c.Accuracy {
				meanCurve[k] += a / float64(n)
			}
			if slices.Min(c.Accuracy) <= r.Chance+r.Slack {
				atChance++
			}
			if c.peak() > 0 {
				higher++
			}
			m, _ := MeanSD(c.Accuracy)
			own, all, tested = append(own, c.Accuracy[0]), append(all, m), append(tested, c.TestAccuracy)
		}
		for _, run := range Only(runs, g.Runs) {
			train = append(train, run.TrainAccuracy)
		}
		lo, hi := slices.Min(meanCurve), slices.Max(meanCurve)
		mTrain, _ := MeanSD(train)
		mOwn, _ := MeanSD(own)
		mAll, _ := MeanSD(all)
		mTest, _ := MeanSD(tested)
		notes = append(notes, fmt.Sprintf("%s: %d of %d networks score higher at their training set's offset than at the other 11 "+
			"on average; the mean over the networks runs from %.1f%% (%.0f degrees after the training offset) to %.1f%% "+
			"(%.0f degrees); %s at chance (within %.0f %s of %.1f%%) or below at some offset. Its training sets score "+
			"%.1f%%, fresh samples at the training set's offset %.1f%%, the 12 offsets %.1f%% on average and its test sets "+
			"%.1f%%: a test set at a random offset costs %.1f %s in expectation (the training offset against the 12), these "+
			"networks' own test sets cost %.1f (means; descriptive).", capitalise(g.Name), higher, n,
			100*lo, 360*float64(slices.Index(meanCurve, lo))/probe.PhaseShifts, 100*hi,
			360*float64(slices.Index(meanCurve, hi))/probe.PhaseShifts, countOf(atChance, n), r.Scale*r.Slack, r.Unit,
			100*r.Chance, 100*mTrain, 100*mOwn, 100*mAll, 100*mTest, r.Scale*(mOwn-mAll), r.Unit, r.Scale*(mOwn-mTest)))
	}
	notes = append(notes, "The offsets are the training set's and 11 more, 30 degrees of the carrier apart; each network is scored "+
		"on the same fresh samples (IPDs and spike uniforms drawn from streams of its seed that no set of the run uses) at "+
		"every offset, so its 12 accuracies differ only through the phase.")
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// peak is the curve's accuracy at its first offset (the training set's) less its mean at the other 11.
func (c PhaseCurve) peak() float64 {
	others, _ := MeanSD(c.Accuracy[1:])
	return c.Accuracy[0] - others
}

// probeCheck returns, for each run, how far the probe's fresh samples at its test set's offset
// ("phase_acc_test") score from its test set, and how far two independent sets of samples each would
// differ by sampling alone (samplingGap).
func probeCheck(runs []RunResult, samples int) (absDiff, noise []float64, err error) {
	for _, run := range runs {
		v, ok := run.Extra["phase_acc_test"]
		if !ok {
			return nil, nil, fmt.Errorf("study: run %s seed %d lacks the phase metrics", run.Condition, run.Seed)
		}
		p := run.TestAccuracy
		absDiff, noise = append(absDiff, math.Abs(v-p)), append(noise, samplingGap(p, samples))
	}
	return absDiff, noise, nil
}

// samplingGap is the expected |X - Y| of two independent accuracies X, Y over n samples each at rate p:
// sqrt(2/pi) times the sd of their difference, sqrt(2 p (1-p) / n) (a normal approximation).
func samplingGap(p float64, n int) float64 {
	return math.Sqrt(2/math.Pi) * math.Sqrt(2*p*(1-p)/float64(n))
}

// countOf says "k of n networks are" (or "none of the n networks is").
func countOf(k, n int) string {
	switch {
	case k == 0:
		return fmt.Sprintf("none of the %d is", n)
	case k == 1:
		return fmt.Sprintf("1 of %d is", n)
	}
	return fmt.Sprintf("%d of %d are", k, n)
}

// PhaseAveragedConclusion compares each pair of groups on their networks' accuracy averaged over the 12
// offsets (PhaseAveraged, paired by seed, one Holm family under r): a difference found on one test set per
// seed, whose phase the network may have learned to depend on, asked again with that phase averaged out.
// Its notes give, per pair and unadjusted (not planned), the same difference on the test sets, at the
// training set's offset and on the training sets, and the difference between the pair's phase effects
// (each network's accuracy at its training offset minus the mean at the other 11).
func PhaseAveragedConclusion(runs []RunResult, r Rules, pairs [][2]PhaseGroup) (Conclusion, error) {
	if len(pairs) == 0 {
		return Conclusion{}, fmt.Errorf("study: PhaseAveragedConclusion: no pairs")
	}
	var qs []Question
	for _, p := range pairs {
		qs = append(qs, Question{p[0].Name + " (12 offsets)", p[1].Name + " (12 offsets)", p[0].Runs, p[1].Runs,
			PhaseAveraged, PhaseAveraged})
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	effect := func(run RunResult) (float64, bool) {
		a, ok := PhaseAtTraining(run)
		b, ok2 := PhaseElsewhere(run)
		return a - b, ok && ok2
	}
	train := func(run RunResult) (float64, bool) { return run.TrainAccuracy, true }
	var notes []string
	for _, p := range pairs {
		var parts []string
		for _, m := range []struct {
			what   string
			metric Metric
		}{{"on the test sets (one offset each)", TestAccuracy}, {"at the training set's offset", PhaseAtTraining},
			{"on the training sets", train}, {"in the phase effect (training offset minus the other 11)", effect}} {
			a, err := BySeed(runs, p[0].Runs, m.metric)
			if err != nil {
				return Conclusion{}, err
			}
			b, err := BySeed(runs, p[1].Runs, m.metric)
			if err != nil {
				return Conclusion{}, err
			}
			va, vb, _, err := Pair(a, b)
			if err != nil {
				return Conclusion{}, err
			}
			d, err := PairedDiff(va, vb, 1-r.Alpha)
			if err != nil {
				return Conclusion{}, err
			}
			parts = append(parts, fmt.Sprintf("%s %+.1f (%.0f%% CI %+.1f to %+.1f)", m.what, r.Scale*d.CI.Mean,
				100*(1-r.Alpha), r.Scale*d.CI.Low, r.Scale*d.CI.High))
		}
		notes = append(notes, fmt.Sprintf("%s minus %s, in %s, unadjusted and not planned: %s.", capitalise(p[0].Name), p[1].Name,
			r.Unit, strings.Join(parts, "; ")))
	}
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// phaseGroupConditions are the groups' conditions, in order.
func phaseGroupConditions(gs []PhaseGroup) []string {
	var cs []string
	for _, g := range gs {
		cs = append(cs, g.Runs.Condition)
	}
	return cs
}

// PhaseCurve is one network's accuracies at the 12 offsets (Accuracy[k] at k/12 cycles after its training
// set's, or at the absolute offset k/12 for a network trained with an offset per sample) and its test set's
// shift (cycles; NaN where its test set has an offset per sample) and accuracy, for a figure.
type PhaseCurve struct {
	Seed                    uint64
	Accuracy                []float64
	TestShift, TestAccuracy float64
}

// PhaseCurves returns the curves of g's runs in seed order; a run without the phase metrics is an error.
func PhaseCurves(runs []RunResult, g PhaseGroup) ([]PhaseCurve, error) {
	return phaseCurves(runs, g, false, phaseAccName)
}

// PhaseCurvesPerSample returns the curves of g's runs of networks trained with an offset per sample
// (PhaseMetricsPerSample: Accuracy[k] at the absolute offset k/12; TestShift NaN, since their test sets
// have an offset per sample), in seed order.
func PhaseCurvesPerSample(runs []RunResult, g PhaseGroup) ([]PhaseCurve, error) {
	return phaseCurves(runs, g, true, phaseAccName)
}

// PhasePartnerCurves returns the curves of g's runs of networks trained with an offset per sample, measured
// at their partners' training offsets (PhaseMetricsPartner: Accuracy[k] at the partner's offset plus k/12
// cycles, as PhaseCurves' of the partner; TestShift NaN), in seed order.
func PhasePartnerCurves(runs []RunResult, g PhaseGroup) ([]PhaseCurve, error) {
	return phaseCurves(runs, g, true, phasePartnerAccName)
}

// phaseCurves reads g's runs' accuracies name(0..11); perSample: runs without a test shift.
func phaseCurves(runs []RunResult, g PhaseGroup, perSample bool, name func(int) string) ([]PhaseCurve, error) {
	var out []PhaseCurve
	for _, r := range Only(runs, g.Runs) {
		c := PhaseCurve{Seed: r.Seed, TestAccuracy: r.TestAccuracy, TestShift: math.NaN()}
		if !perSample {
			var ok bool
			if c.TestShift, ok = r.Extra["phase_test_shift"]; !ok {
				return nil, fmt.Errorf("study: run %s seed %d lacks the phase metrics", r.Condition, r.Seed)
			}
		}
		for k := 0; k < probe.PhaseShifts; k++ {
			v, ok := r.Extra[name(k)]
			if !ok {
				return nil, fmt.Errorf("study: run %s seed %d lacks %s", r.Condition, r.Seed, name(k))
			}
			c.Accuracy = append(c.Accuracy, v)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("study: no run of %s at fraction %v", g.Runs.Condition, g.Runs.Fraction)
	}
	slices.SortFunc(out, func(a, b PhaseCurve) int { return cmp.Compare(a.Seed, b.Seed) })
	return out, nil
}

// signed is v with its sign and one decimal, "+0.0" for what rounds to zero from either side.
func signed(v float64) string {
	if s := fmt.Sprintf("%+.1f", v); s != "-0.0" {
		return s
	}
	return "+0.0"
}

// circularAt is the value at u cycles of a curve sampled at k/len(acc) cycles, k = 0..len(acc)-1, by
// linear interpolation around the cycle (between the last point and the first past 1).
func circularAt(acc []float64, u float64) float64 {
	n := float64(len(acc))
	x := math.Mod(u, 1) * n
	if x < 0 {
		x += n
	}
	i := int(math.Floor(x))
	w := x - float64(i)
	return (1-w)*acc[i%len(acc)] + w*acc[(i+1)%len(acc)]
}

// partnerReading says how PhaseModeConclusion reads a per-sample network at its partner's training offset:
// measured there (PhaseMetricsPartner; PhasePartnerConclusion tests it) or interpolated.
func partnerReading(measured bool) string {
	if measured {
		return "Measured at its partner's training offset and the 11 shifts from it (PhasePartnerConclusion tests the difference)"
	}
	return "Exploratory, not planned: read at its partner's training offset and the 11 shifts from it (linear interpolation " +
		"between its 12 offsets)"
}

// PhaseSamplePrefix marks the runs of networks trained with an offset per sample when PhaseModeConclusion
// pairs them with runs of the same condition trained with one offset per data set.
const PhaseSamplePrefix = "per-sample "

// PhaseMetricsPerSample scores a network trained with an offset per sample with probe.PhaseShiftPerSample
// on as many samples as its test set: "phase_acc_KK" is the accuracy at the absolute offset KK/12 cycles and
// "phase_acc_test" that of the same samples with an offset each (as its test set draws them). For
// Sweep.Extra (metric set PhaseSampleSet).
func PhaseMetricsPerSample(x *snn.Experiment) (map[string]float64, error) {
	if err := CheckPhasePerSample(x.Config); err != nil {
		return nil, err
	}
	s, err := probe.PhaseShiftPerSample(nil, x, x.Test.Len())
	if err != nil {
		return nil, err
	}
	out := map[string]float64{"phase_acc_test": s.TestAccuracy}
	for k, a := range s.Accuracy {
		out[phaseAccName(k)] = a
	}
	return out, nil
}

// PhaseMetricNamesPerSample are the metrics PhaseMetricsPerSample returns.
func PhaseMetricNamesPerSample() []string {
	var names []string
	for k := 0; k < probe.PhaseShifts; k++ {
		names = append(names, phaseAccName(k))
	}
	return append(names, "phase_acc_test")
}

// CheckPhasePerSample refuses a run PhaseMetricsPerSample cannot score: one drawing one offset per data set.
func CheckPhasePerSample(cfg snn.Config) error {
	if cfg.Phase != snn.PhasePerSample {
		return fmt.Errorf("study: the per-sample phase metrics need a network trained with a phase offset per sample (Phase %q), not %q",
			snn.PhasePerSample, cfg.Phase)
	}
	return nil
}

// PerSampleProtocol is base with a phase offset drawn for each sample (snn.PhasePerSample): the fix of the
// notebook's one offset per data set, for the runs that test it.
func PerSampleProtocol(base snn.Config) snn.Config {
	base.Phase = snn.PhasePerSample
	return base
}

// PhaseModeConclusion asks, for each group, whether networks trained with a phase offset per sample
// (perSample: runs of PhaseMetricsPerSample) score differently from the same networks trained with one
// offset per data set (perDataset: runs of PhaseMetrics) on accuracy averaged over 12 offsets 30 degrees
// apart, covering one cycle (PhaseAveraged: for the first, absolute offsets k/12; for the second, shifts k/12 from the
// training offset; both average over the carrier's cycle), paired by seed, one Holm family under r. A seed
// fixes the IPDs, the spike uniforms and the initial weights, so the pair differs only in the offsets of
// its data sets. Its notes, descriptive: the per-sample networks' spread over the offsets, the probe's
// check against their test sets (samples: the probe's and the test sets' size), and each kind's accuracy
// on its own test sets (test sets that differ in kind: not compared); and each per-sample network's peak at
// its partner's training offset against the 11 shifts from it (snn.TrainingPhaseOffset of the seed), the
// phase preference of the network trained without the cue against the peak of the partner trained there:
// measured there where every per-sample run carries PhaseMetricsPartner's metrics (PhasePartnerConclusion
// tests it), otherwise read from its 12 absolute offsets by linear interpolation (exploratory); a group of
// which only some runs carry them is an error.
func PhaseModeConclusion(perDataset, perSample []RunResult, r Rules, groups []PhaseGroup, samples int) (Conclusion, error) {
	if len(groups) == 0 {
		return Conclusion{}, fmt.Errorf("study: PhaseModeConclusion: no groups")
	}
	if samples < 1 {
		return Conclusion{}, fmt.Errorf("study: PhaseModeConclusion: %d samples per set, want at least 1", samples)
	}
	runs := pairedPhaseRuns(perDataset, perSample)
	var qs []Question
	for _, g := range groups {
		ps := perSampleSelect(g)
		qs = append(qs, Question{g.Name + ", an offset per sample (12 offsets)", g.Name + ", one offset per data set (12 offsets)",
			ps, g.Runs, PhaseAveraged, PhaseAveraged})
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	var notes []string
	for _, g := range groups {
		ps := PhaseGroup{g.Name, perSampleSelect(g)}
		sampleCurves, err := PhaseCurvesPerSample(runs, ps)
		if err != nil {
			return Conclusion{}, err
		}
		absDiff, noise, err := probeCheck(Only(runs, ps.Runs), samples)
		if err != nil {
			return Conclusion{}, err
		}
		curves, err := PhaseCurves(runs, g)
		if err != nil {
			return Conclusion{}, err
		}
		n := len(sampleCurves)
		meanCurve := make([]float64, probe.PhaseShifts)
		var spread, ownTest, samplePeak []float64
		measuredPeak := map[uint64]float64{} // the peaks measured at the partners' offsets (PhaseMetricsPartner)
		for _, run := range Only(runs, ps.Runs) {
			if v, ok := PhasePartnerPeak(run); ok {
				measuredPeak[run.Seed] = v
			}
		}
		measured := len(measuredPeak) == len(sampleCurves)
		if len(measuredPeak) > 0 && !measured {
			return Conclusion{}, fmt.Errorf("study: PhaseModeConclusion: %s: %d of %d runs trained with an offset per sample "+
				"carry the partner metrics (PhaseMetricsPartner): all or none, so that one reading serves the group",
				g.Name, len(measuredPeak), len(sampleCurves))
		}
		for _, c := range sampleCurves {
			for k, v := range c.Accuracy {
				meanCurve[k] += v
			}
			spread, ownTest = append(spread, slices.Max(c.Accuracy)-slices.Min(c.Accuracy)), append(ownTest, c.TestAccuracy)
			// The curve at its partner's training offset and the 11 shifts from it: measured there, or read
			// from the 12 absolute offsets.
			if measured {
				samplePeak = append(samplePeak, measuredPeak[c.Seed])
				continue
			}
			u := snn.TrainingPhaseOffset(c.Seed)
			at := PhaseCurve{Accuracy: make([]float64, probe.PhaseShifts)}
			for j := range at.Accuracy {
				at.Accuracy[j] = circularAt(c.Accuracy, u+float64(j)/probe.PhaseShifts)
			}
			samplePeak = append(samplePeak, at.peak())
		}
		for k := range meanCurve {
			meanCurve[k] /= float64(n)
		}
		var dataTest, dataSpread, dataPeak []float64
		for _, c := range curves {
			dataTest, dataSpread = append(dataTest, c.TestAccuracy), append(dataSpread, slices.Max(c.Accuracy)-slices.Min(c.Accuracy))
			dataPeak = append(dataPeak, c.peak())
		}
		mSamplePeak, _ := MeanSD(samplePeak)
		mDataPeak, _ := MeanSD(dataPeak)
		mSpread, _ := MeanSD(spread)
		mDataSpread, _ := MeanSD(dataSpread)
		mDiff, _ := MeanSD(absDiff)
		mNoise, _ := MeanSD(noise)
		mOwn, _ := MeanSD(ownTest)
		mData, _ := MeanSD(dataTest)
		notes = append(notes, fmt.Sprintf("%s, an offset per sample: each network's accuracy spans %.1f %s from its worst to its best "+
			"offset on average (%.1f with one offset per data set), and the mean over the %d networks runs from %.1f%% to %.1f%%; "+
			"their own test sets (an offset per sample) score %.1f%%, within %.1f %s on average of fresh samples drawn the same "+
			"way (sampling alone: %.1f), against %.1f%% for the networks of one offset per data set on theirs (sets of another "+
			"kind: descriptive, not compared). %s, a network of an offset per sample scores %s %s at that "+
			"offset against the mean of the 11, where the network trained there scores %s: the phase preference of the same "+
			"network trained without the cue, against the peak of the network trained at that offset.", capitalise(g.Name), r.Scale*mSpread, r.Unit, r.Scale*mDataSpread, n,
			100*slices.Min(meanCurve), 100*slices.Max(meanCurve), 100*mOwn, r.Scale*mDiff, r.Unit, r.Scale*mNoise, 100*mData,
			partnerReading(measured), signed(r.Scale*mSamplePeak), r.Unit, signed(r.Scale*mDataPeak)))
	}
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}
