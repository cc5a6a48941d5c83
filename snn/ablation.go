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
	// CutExcitatory is the first k excitatory rows, k = the number of inhibitory rows. It removes as many
	// inputs of the other sign but not at the same positions: with a blocked mask at 0.2 the inhibitory
	// rows are left-ear delays 0-39 and these are left-ear delays 40-79. CutMatched is the control that
	// isolates the sign.
	CutExcitatory Cut = "excitatory"
	// CutMatched is the position-matched control of CutInhibitory: for each inhibitory row, an excitatory
	// row of the same ear with a phase delay within MatchDelayTolerance steps, each used once; where the
	// ear has none (a blocked mask leaves whole delay ranges of one sign), the excitatory row of the other
	// ear at the same delay (MatchedRows counts those).
	CutMatched Cut = "matched"
	// CutRandomExcitatory is k excitatory rows drawn at random (seeded): sign fixed, positions random.
	CutRandomExcitatory Cut = "random-excitatory"
	// CutRandom is k rows drawn uniformly from all input rows (seeded): a control for the number removed.
	CutRandom Cut = "random"
)

// Cuts lists the named cuts in the order the notebook's ablation and its controls are reported.
var Cuts = []Cut{CutNotebook, CutInhibitory, CutExcitatory, CutMatched, CutRandomExcitatory, CutRandom}

// RandomCut reports whether a cut draws its rows at random (so that it is drawn several times).
func RandomCut(c Cut) bool { return c == CutRandom || c == CutRandomExcitatory }

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
	case CutMatched:
		rows, _, err := MatchedRows(m, inh)
		return rows, err
	case CutRandomExcitatory:
		exc := m.Mask1.Excitatory()
		if len(exc) < len(inh) {
			return nil, fmt.Errorf("snn: cut %q needs %d excitatory rows, the mask has only %d", cut, len(inh), len(exc))
		}
		rows := make([]int, len(inh))
		for i, p := range newRand(seed, streamAblation).Perm(len(exc))[:len(inh)] {
			rows[i] = exc[p]
		}
		slices.Sort(rows)
		return rows, nil
	case CutRandom:
		rows := newRand(seed, streamAblation).Perm(m.Config.NumInputs())[:len(inh)]
		slices.Sort(rows)
		return rows, nil
	}
	return nil, fmt.Errorf("snn: unknown cut %q: want one of %v", cut, Cuts)
}

// MatchDelayTolerance is how far, in fibre indices (phase-delay steps of (pi/2)/(ANFPerEar-1), 0.9 degrees
// for the notebook's 100 fibres per ear), a position-matched row may sit from the row it matches in the
// same ear before the match moves to the other ear at the same delay. Fixed before looking at any result.
const MatchDelayTolerance = 5

// MatchedRows returns, for each input row of rows (in order), a row of the opposite sign at the same
// position, each row used once: in the same ear within MatchDelayTolerance delay steps (the nearest, ties
// to the smaller delay); else in the other ear at the nearest delay (otherEar counts those); else the
// nearest in the same ear at any distance. Rows of both signs in rows are each matched to the other sign.
func MatchedRows(m *Model, rows []int) (matched []int, otherEar int, err error) {
	A, I := m.Config.ANFPerEar, m.Config.NumInputs()
	used := make([]bool, I)
	for _, r := range rows {
		if r < 0 || r >= I {
			return nil, 0, fmt.Errorf("snn: MatchedRows: row %d is outside [0, %d)", r, I)
		}
		used[r] = true // never match a row to one that is itself cut
	}
	// nearest is the unused row of the given sign in ear closest to delay within tol (-1: none).
	nearest := func(ear, delay int, sign float32, tol int) int {
		best := -1
		for j := max(0, delay-tol); j <= min(A-1, delay+tol); j++ {
			i := ear*A + j
			if !used[i] && m.Mask1.Signs[i] == sign && (best < 0 || abs(j-delay) < abs(best%A-delay)) {
				best = i
			}
		}
		return best
	}
	for _, r := range rows {
		ear, delay, want := r/A, r%A, -m.Mask1.Signs[r]
		i := nearest(ear, delay, want, MatchDelayTolerance)
		if i < 0 {
			if i = nearest(1-ear, delay, want, A); i >= 0 {
				otherEar++
			}
		}
		if i < 0 {
			i = nearest(ear, delay, want, A)
		}
		if i < 0 {
			return nil, 0, fmt.Errorf("snn: MatchedRows: no row of sign %+.0f left for row %d (%d rows to match)", want, r, len(rows))
		}
		used[i] = true
		matched = append(matched, i)
	}
	slices.Sort(matched)
	return matched, otherEar, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
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

// HiddenAblationCurve silences the hidden units one at a time (on copies of m) and returns the accuracy
// on d without each unit, in unit order: the per-unit importance of the hidden layer.
func HiddenAblationCurve(m *Model, d *Dataset, backend compute.Backend) ([]float64, error) {
	ev, err := NewEvaluator(m.Config, backend)
	if err != nil {
		return nil, err
	}
	return ev.HiddenAblationCurve(m, d)
}

// HiddenAblationCurve is the package's HiddenAblationCurve with the evaluator's compiled forward pass.
func (ev *Evaluator) HiddenAblationCurve(m *Model, d *Dataset) ([]float64, error) {
	out := make([]float64, m.Config.NumHidden)
	for u := range out {
		a, err := AblateHidden(m, []int{u}, fmt.Sprintf("hidden unit %d", u))
		if err != nil {
			return nil, err
		}
		e, err := ev.Evaluate(a, d)
		if err != nil {
			return nil, err
		}
		out[u] = e.Accuracy
	}
	return out, nil
}
