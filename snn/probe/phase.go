package probe

import (
	"fmt"
	"math"

	"github.com/snn-dales/dales/snn"
)

// PhaseShifts is the number of phase offsets PhaseShift scores a network at: the training set's offset
// u and u + k/PhaseShifts cycles for k = 1..PhaseShifts-1 (30 degrees of the carrier apart).
const PhaseShifts = 12

// PhaseScores is a trained network's accuracy on sets that differ from its training set only in their
// phase offset (PhaseShift).
type PhaseScores struct {
	// Shifts are the sets' offsets minus the training set's, in cycles (k/PhaseShifts), and Accuracy the
	// network's accuracy on each set, in the same order; Shifts[0] = 0 is the training set's own offset.
	Shifts, Accuracy []float64
	// TestShift is the test set's offset minus the training set's, in cycles in [0, 1), and TestAccuracy
	// the accuracy on a set of the same IPDs and uniforms at the test set's offset.
	TestShift, TestAccuracy float64
}

// PhaseOffsets returns the phase offsets, in cycles, PhaseShift scores experiment x at:
//
//	u_k = frac(u_train + k/PhaseShifts)    k = 0..PhaseShifts-1, u_train: the training set's offset
//
// and the test set's offset u_test. Under the notebook's protocol every set draws one offset, so a
// network can learn the IPD from the absolute phase of the right ear's input alone; its accuracy across
// u_k shows how far it has. With a whole number of carrier cycles in the window (the notebook's 20 Hz over
// 100 ms: two), a shift of the offset rotates the input's rates in time, so a network can tell offsets apart
// only where the window begins and ends (its state starts at zero at onset); with a fractional number of
// cycles a shift also changes how much of each phase the window holds. It needs cfg.Phase =
// snn.PhasePerDataset: with an offset per sample there is no training set's offset.
func PhaseOffsets(x *snn.Experiment) (shifted []float64, test float64, err error) {
	if x.Config.Phase != snn.PhasePerDataset {
		return nil, 0, fmt.Errorf("probe: the phase probe needs one phase offset per data set (Config.Phase %q), not %q: "+
			"with an offset per sample the training set has no one offset to shift", snn.PhasePerDataset, x.Config.Phase)
	}
	if x.Train == nil || x.Test == nil || x.Train.Len() == 0 || x.Test.Len() == 0 {
		return nil, 0, fmt.Errorf("probe: the phase probe needs the experiment's training and test sets")
	}
	train := x.Train.PhaseOffset[0]
	for k := 0; k < PhaseShifts; k++ {
		shifted = append(shifted, math.Mod(train+float64(k)/PhaseShifts, 1))
	}
	return shifted, x.Test.PhaseOffset[0], nil
}

// PhaseSet returns n fresh samples of experiment x's configuration at phase offset u (cycles): IPDs uniform
// in [-pi/2, pi/2) from stream snn.StreamPhaseIPD of the run's seed, spike uniforms from
// snn.StreamPhaseSpikes (snn.StimulusAtPhase). Sets at different offsets share their IPDs and uniforms,
// so they differ only in the phase.
func PhaseSet(x *snn.Experiment, n int, u float64) (*snn.Dataset, error) {
	if n <= 0 {
		return nil, fmt.Errorf("probe: PhaseSet: %d samples, want at least 1", n)
	}
	return snn.StimulusAtPhase(x.Config, phaseIPDs(x, n), u, x.Config.Seed, snn.StreamPhaseSpikes)
}

// phaseIPDs are the n IPDs of PhaseSet.
func phaseIPDs(x *snn.Experiment, n int) []float64 {
	rng := snn.NewRand(x.Config.Seed, snn.StreamPhaseIPD)
	ipd := make([]float64, n)
	for k := range ipd {
		ipd[k] = rng.Float64()*math.Pi - math.Pi/2
	}
	return ipd
}

// phasePiece is how many samples of a PhaseSet PhaseShift generates and scores at a time (about 3 MB of
// spikes and their lists): the scores are those of the whole set, which one run's memory need not hold.
const phasePiece = 256

// PhaseShift scores x.Trained with ev (an evaluator of x.Config; nil: a new one) on n fresh samples
// (PhaseSet) at each of PhaseOffsets(x), phasePiece samples at a time.
func PhaseShift(ev *snn.Evaluator, x *snn.Experiment, n int) (PhaseScores, error) {
	shifted, test, err := PhaseOffsets(x)
	if err != nil {
		return PhaseScores{}, err
	}
	if n <= 0 {
		return PhaseScores{}, fmt.Errorf("probe: PhaseShift: %d samples per set, want at least 1", n)
	}
	if ev == nil {
		if ev, err = snn.NewEvaluator(x.Config, nil); err != nil {
			return PhaseScores{}, err
		}
	}
	ipd := phaseIPDs(x, n)
	score := func(u float64) (float64, error) { // PhaseSet(x, n, u)'s accuracy
		return scoreInPieces(ev, x.Trained, n, func(lo, hi int) (*snn.Dataset, error) {
			return snn.StimulusAtPhaseSamples(x.Config, ipd, u, x.Config.Seed, snn.StreamPhaseSpikes, lo, hi)
		})
	}
	s := PhaseScores{TestShift: PhaseDifference(test, x.Train.PhaseOffset[0])}
	for k, u := range shifted {
		a, err := score(u)
		if err != nil {
			return PhaseScores{}, err
		}
		s.Shifts, s.Accuracy = append(s.Shifts, float64(k)/PhaseShifts), append(s.Accuracy, a)
	}
	if s.TestAccuracy, err = score(test); err != nil {
		return PhaseScores{}, err
	}
	return s, nil
}

// PhaseDifference is u - v in cycles, wrapped into [0, 1).
func PhaseDifference(u, v float64) float64 {
	d := math.Mod(u-v, 1)
	if d < 0 {
		d++
	}
	if d >= 1 { // -tiny + 1 rounds to 1
		d = 0
	}
	return d
}

// PhaseShiftPerSample scores a network trained with a phase offset per sample (cfg.Phase =
// snn.PhasePerSample, whose training set has no one offset) with ev (nil: a new evaluator) on n fresh
// samples (PhaseSet's IPDs and uniforms) at each of the offsets k/PhaseShifts cycles, k = 0..PhaseShifts-1
// (Shifts: absolute offsets, not shifts from a training offset), and on the same samples with an offset
// each, drawn as its test set draws them (TestAccuracy: the probe's check against the test set; TestShift
// is NaN). Its accuracies averaged over the offsets compare with PhaseShift's of a network trained with one
// offset per data set: both average over the carrier's cycle.
func PhaseShiftPerSample(ev *snn.Evaluator, x *snn.Experiment, n int) (PhaseScores, error) {
	return phaseShiftPerSample(ev, x, n, 0, true)
}

// PhaseShiftPerSampleFrom is PhaseShiftPerSample at the offsets frac(base + k/PhaseShifts) cycles (Shifts:
// those absolute offsets, in [0, 1)), base in [0, 1): for reading a network trained with an offset per sample
// at another network's training offset (snn.TrainingPhaseOffset of a seed) and the 11 shifts from it, on
// the same samples as PhaseShiftPerSample. It scores those offsets only: TestAccuracy, the check against the
// test set, which does not depend on base, is NaN (PhaseShiftPerSample's).
func PhaseShiftPerSampleFrom(ev *snn.Evaluator, x *snn.Experiment, n int, base float64) (PhaseScores, error) {
	return phaseShiftPerSample(ev, x, n, base, false)
}

// phaseShiftPerSample is PhaseShiftPerSampleFrom, and PhaseShiftPerSample's TestAccuracy where withTest.
func phaseShiftPerSample(ev *snn.Evaluator, x *snn.Experiment, n int, base float64, withTest bool) (PhaseScores, error) {
	if !(base >= 0 && base < 1) {
		return PhaseScores{}, fmt.Errorf("probe: PhaseShiftPerSampleFrom: base offset %v cycles, want one in [0, 1)", base)
	}
	cfg := x.Config
	if cfg.Phase != snn.PhasePerSample {
		return PhaseScores{}, fmt.Errorf("probe: PhaseShiftPerSample needs a network trained with a phase offset per sample "+
			"(Config.Phase %q), not %q (PhaseShift scores those)", snn.PhasePerSample, cfg.Phase)
	}
	if n <= 0 {
		return PhaseScores{}, fmt.Errorf("probe: PhaseShiftPerSample: %d samples per set, want at least 1", n)
	}
	var err error
	if ev == nil {
		if ev, err = snn.NewEvaluator(cfg, nil); err != nil {
			return PhaseScores{}, err
		}
	}
	ipd := phaseIPDs(x, n)
	score := func(piece func(lo, hi int) (*snn.Dataset, error)) (float64, error) {
		return scoreInPieces(ev, x.Trained, n, piece)
	}
	s := PhaseScores{TestShift: math.NaN(), TestAccuracy: math.NaN()}
	for k := 0; k < PhaseShifts; k++ {
		u := math.Mod(base+float64(k)/PhaseShifts, 1)
		a, err := score(func(lo, hi int) (*snn.Dataset, error) {
			return snn.StimulusAtPhaseSamples(cfg, ipd, u, cfg.Seed, snn.StreamPhaseSpikes, lo, hi)
		})
		if err != nil {
			return PhaseScores{}, err
		}
		s.Shifts, s.Accuracy = append(s.Shifts, u), append(s.Accuracy, a)
	}
	if !withTest {
		return s, nil
	}
	if s.TestAccuracy, err = score(func(lo, hi int) (*snn.Dataset, error) {
		return snn.StimulusForIPDsSamples(cfg, ipd, cfg.Seed, snn.StreamPhaseSpikes, lo, hi)
	}); err != nil {
		return PhaseScores{}, err
	}
	return s, nil
}

// scoreInPieces is m's accuracy with ev on the n samples that piece(lo, hi) generates phasePiece at a time:
// the whole set's accuracy, without holding it.
func scoreInPieces(ev *snn.Evaluator, m *snn.Model, n int, piece func(lo, hi int) (*snn.Dataset, error)) (float64, error) {
	correct := 0
	for lo := 0; lo < n; lo += phasePiece {
		hi := min(lo+phasePiece, n)
		d, err := piece(lo, hi)
		if err != nil {
			return 0, err
		}
		e, err := ev.Evaluate(m, d)
		if err != nil {
			return 0, err
		}
		correct += int(math.Round(e.Accuracy * float64(hi-lo)))
	}
	return float64(correct) / float64(n), nil
}
