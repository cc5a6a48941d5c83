package snn

import (
	"fmt"
	"slices"

	"github.com/gomlx/compute"
)

// Cut names a set of input rows (presynaptic fibres) to remove from a trained model.
type Cut string

const (
	// CutNotebook is the notebook's ablation: rows 0..int(InhibitoryFraction*NumInputs)-1, which are the
	// inhibitory rows of a blocked mask (the notebook zeroes them in its trained weights in place).
	CutNotebook Cut = "notebook"
	// CutInhibitory is every inhibitory input row of the model's mask (equal to CutNotebook for blocked
	// masks, the honest version for random ones).
	CutInhibitory Cut = "inhibitory"
	// CutExcitatory is the first k excitatory rows, k = the number of inhibitory rows: a control that
	// removes as many inputs of the other sign.
	CutExcitatory Cut = "excitatory"
	// CutRandom is k rows drawn uniformly from all input rows (seeded): a control for the number removed.
	CutRandom Cut = "random"
)

// Cuts lists the named cuts in the order the notebook's ablation and its controls are reported.
var Cuts = []Cut{CutNotebook, CutInhibitory, CutExcitatory, CutRandom}

// CutRows returns the input rows of a named cut for model m; seed drives CutRandom.
func CutRows(m *Model, cut Cut, seed uint64) ([]int, error) {
	inh := m.Mask1.Inhibitory()
	switch cut {
	case CutNotebook:
		k := int(m.Config.InhibitoryFraction * float64(m.Config.NumInputs()))
		rows := make([]int, k)
		for i := range rows {
			rows[i] = i
		}
		return rows, nil
	case CutInhibitory:
		return inh, nil
	case CutExcitatory:
		exc := m.Mask1.Excitatory()
		if len(exc) < len(inh) {
			return nil, fmt.Errorf("snn: cut %q needs %d excitatory rows, the mask has only %d", cut, len(inh), len(exc))
		}
		return exc[:len(inh)], nil
	case CutRandom:
		rows := newRand(seed, streamAblation).Perm(m.Config.NumInputs())[:len(inh)]
		slices.Sort(rows)
		return rows, nil
	}
	return nil, fmt.Errorf("snn: unknown cut %q: want one of %v", cut, Cuts)
}

// AblateInputs returns a copy of m whose input rows are zeroed in W1 (so their effective weights are 0
// under any sign); m is not modified. The copy's Ablated records label.
func AblateInputs(m *Model, rows []int, label string) (*Model, error) {
	I := m.Config.NumInputs()
	out := m.Clone()
	for _, r := range rows {
		if r < 0 || r >= I {
			return nil, fmt.Errorf("snn: AblateInputs: row %d is outside [0, %d)", r, I)
		}
		for c := 0; c < out.W1.Cols; c++ {
			out.W1.Set(r, c, 0)
		}
	}
	out.Ablated = append(out.Ablated, fmt.Sprintf("%s: %d input rows", label, len(rows)))
	return out, nil
}

// AblateHidden returns a copy of m with the given hidden units silenced: their input column of W1 and
// their output row of W2 are zeroed, so they never spike and never reach the readout.
func AblateHidden(m *Model, units []int, label string) (*Model, error) {
	H := m.Config.NumHidden
	out := m.Clone()
	for _, u := range units {
		if u < 0 || u >= H {
			return nil, fmt.Errorf("snn: AblateHidden: unit %d is outside [0, %d)", u, H)
		}
		for r := 0; r < out.W1.Rows; r++ {
			out.W1.Set(r, u, 0)
		}
		for c := 0; c < out.W2.Cols; c++ {
			out.W2.Set(u, c, 0)
		}
	}
	out.Ablated = append(out.Ablated, fmt.Sprintf("%s: %d hidden units", label, len(units)))
	return out, nil
}

// AblateCut is AblateInputs for a named cut.
func AblateCut(m *Model, cut Cut, seed uint64) (*Model, []int, error) {
	rows, err := CutRows(m, cut, seed)
	if err != nil {
		return nil, nil, err
	}
	a, err := AblateInputs(m, rows, string(cut))
	return a, rows, err
}

// AblationMetrics applies every named cut to the trained model of x and returns the test accuracy of
// each ("ablate_<cut>"), for Sweep.Extra.
func AblationMetrics(x *Experiment) (map[string]float64, error) {
	res, err := x.Ablate(Cuts, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, r := range res {
		out["ablate_"+string(r.Cut)] = r.TestEval.Accuracy
	}
	return out, nil
}

// HiddenAblationCurve silences the hidden units one at a time (on copies of m) and returns the accuracy
// on d without each unit, in unit order: the per-unit importance of the hidden layer.
func HiddenAblationCurve(m *Model, d *Dataset, backend compute.Backend) ([]float64, error) {
	out := make([]float64, m.Config.NumHidden)
	for u := range out {
		a, err := AblateHidden(m, []int{u}, fmt.Sprintf("hidden unit %d", u))
		if err != nil {
			return nil, err
		}
		ev, err := Evaluate(a, d, backend)
		if err != nil {
			return nil, err
		}
		out[u] = ev.Accuracy
	}
	return out, nil
}
