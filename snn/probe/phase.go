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

// PhaseSets returns the sets PhaseShift scores for experiment x: n fresh samples (IPDs uniform in
// [-pi/2, pi/2) from stream snn.StreamPhaseIPD of the run's seed, spike uniforms from
// snn.StreamPhaseSpikes) at each of the PhaseShifts offsets
//
//	u_k = frac(u_train + k/PhaseShifts)    u_train: the training set's offset, in cycles
//
// and the same samples at the test set's offset u_test. The sets share their IPDs and their uniforms
// (snn.StimulusAtPhase), so they differ only in the phase. Under the notebook's protocol every set draws
// one offset, so a network can learn the IPD from the absolute phase of the right ear's input alone; its
// accuracy across u_k shows how far it has. It needs cfg.Phase = snn.PhasePerDataset: with an offset per
// sample there is no training set's offset.
func PhaseSets(x *snn.Experiment, n int) (sets []*snn.Dataset, atTest *snn.Dataset, err error) {
	cfg := x.Config
	if cfg.Phase != snn.PhasePerDataset {
		return nil, nil, fmt.Errorf("probe: PhaseSets needs one phase offset per data set (Config.Phase %q), not %q: "+
			"with an offset per sample the training set has no one offset to shift", snn.PhasePerDataset, cfg.Phase)
	}
	if n <= 0 {
		return nil, nil, fmt.Errorf("probe: PhaseSets: %d samples per set, want at least 1", n)
	}
	if x.Train == nil || x.Test == nil || x.Train.Len() == 0 || x.Test.Len() == 0 {
		return nil, nil, fmt.Errorf("probe: PhaseSets needs the experiment's training and test sets")
	}
	rng := snn.NewRand(cfg.Seed, snn.StreamPhaseIPD)
	ipd := make([]float64, n)
	for k := range ipd {
		ipd[k] = rng.Float64()*math.Pi - math.Pi/2
	}
	at := func(u float64) (*snn.Dataset, error) {
		return snn.StimulusAtPhase(cfg, ipd, u, cfg.Seed, snn.StreamPhaseSpikes)
	}
	train := x.Train.PhaseOffset[0]
	for k := 0; k < PhaseShifts; k++ {
		d, err := at(math.Mod(train+float64(k)/PhaseShifts, 1))
		if err != nil {
			return nil, nil, err
		}
		sets = append(sets, d)
	}
	if atTest, err = at(x.Test.PhaseOffset[0]); err != nil {
		return nil, nil, err
	}
	return sets, atTest, nil
}

// PhaseShift scores x.Trained with ev (an evaluator of x.Config; nil: a new one) on PhaseSets(x, n).
func PhaseShift(ev *snn.Evaluator, x *snn.Experiment, n int) (PhaseScores, error) {
	sets, atTest, err := PhaseSets(x, n)
	if err != nil {
		return PhaseScores{}, err
	}
	if ev == nil {
		if ev, err = snn.NewEvaluator(x.Config, nil); err != nil {
			return PhaseScores{}, err
		}
	}
	s := PhaseScores{TestShift: PhaseDifference(x.Test.PhaseOffset[0], x.Train.PhaseOffset[0])}
	for k, d := range sets {
		e, err := ev.Evaluate(x.Trained, d)
		if err != nil {
			return PhaseScores{}, err
		}
		s.Shifts = append(s.Shifts, float64(k)/PhaseShifts)
		s.Accuracy = append(s.Accuracy, e.Accuracy)
	}
	e, err := ev.Evaluate(x.Trained, atTest)
	if err != nil {
		return PhaseScores{}, err
	}
	s.TestAccuracy = e.Accuracy
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
