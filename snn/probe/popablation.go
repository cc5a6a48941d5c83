package probe

import (
	"fmt"
	"slices"

	"github.com/snn-dales/dales/snn"
)

// InhibitionEdit names an edit of the hidden layer's inhibitory pathway of an ArchPopulations model
// (W1eff = f(W_EE) - f(W_IE) f(W_EI)), made on a copy, to ask whether the trained network needs its
// inhibitory units and what about them it needs.
type InhibitionEdit string

const (
	// InhibitionCut silences the hidden layer's inhibitory units: W_EI = 0, so W1eff = f(W_EE).
	InhibitionCut InhibitionEdit = "cut"
	// InhibitionUniform keeps every inhibitory unit and its output weights but spreads its input weights
	// evenly over the fibres: each row of W_IE becomes the mean row. Each excitatory unit then receives
	// the same total inhibitory weight as before, from every fibre alike: the mean amount of inhibition
	// is kept (for a constant total input rate), its dependence on which fibres are active is removed.
	InhibitionUniform InhibitionEdit = "uniform"
	// InhibitionShuffled permutes the rows of W_IE over the input fibres (seeded): the same weights and
	// totals, attached to other fibres (other ear and phase delay).
	InhibitionShuffled InhibitionEdit = "shuffled"
)

// InhibitionEdits lists the edits in the order they are reported.
var InhibitionEdits = []InhibitionEdit{InhibitionCut, InhibitionUniform, InhibitionShuffled}

// EditInhibition returns a copy of the ArchPopulations model m with its hidden layer's inhibitory
// pathway edited; seed drives InhibitionShuffled. The edits are made on the magnitudes f(w) and written
// back as raw parameters through the sign rule's inverse (snn.SignInverse): exactly for every rule that
// is the identity on w >= 0; under softplus a cut weight keeps the magnitude 1e-30.
func EditInhibition(m *snn.Model, edit InhibitionEdit, seed uint64) (*snn.Model, error) {
	if m.Pop == nil {
		return nil, fmt.Errorf("probe: EditInhibition: the model's architecture is %q, want %q", m.Config.Architecture, snn.ArchPopulations)
	}
	out := m.Clone()
	ie := out.Pop.IE1
	switch edit {
	case InhibitionCut:
		fill(out.Pop.EI1, snn.SignInverse(m.Config.SignParam)(0))
	case InhibitionUniform:
		flattenColumns(ie, m.Config.SignParam)
	case InhibitionShuffled:
		perm := snn.NewRand(seed, snn.StreamPopAblation).Perm(ie.Rows)
		src := ie.Clone()
		for r, p := range perm {
			copy(ie.Data[r*ie.Cols:(r+1)*ie.Cols], src.Data[p*ie.Cols:(p+1)*ie.Cols])
		}
	default:
		return nil, fmt.Errorf("probe: EditInhibition: edit %q is unknown: want one of %v", edit, InhibitionEdits)
	}
	out.Ablated = append(out.Ablated, fmt.Sprintf("inhibition %s: %d inhibitory units", edit, m.Config.NumInhibitory))
	return out, nil
}

// FlattenExcitation returns a copy of the ArchPopulations model m whose hidden layer's excitatory input
// weights are spread evenly over the fibres: each excitatory unit's column of f(W_EE) becomes its mean,
// so every unit keeps its total excitatory weight but receives it from every fibre alike. It is the
// counterpart of InhibitionUniform on the excitatory pathway.
func FlattenExcitation(m *snn.Model) (*snn.Model, error) {
	if m.Pop == nil {
		return nil, fmt.Errorf("probe: FlattenExcitation: the model's architecture is %q, want %q", m.Config.Architecture, snn.ArchPopulations)
	}
	out := m.Clone()
	flattenColumns(out.W1, m.Config.SignParam)
	out.Ablated = append(out.Ablated, "excitation uniform over fibres")
	return out, nil
}

// flattenColumns replaces, in place, each column of the raw matrix w by raw parameters whose magnitude is
// the column's mean of f(w) over the rows (fibres), f the rule's map: each postsynaptic unit keeps its
// total weight, from every fibre alike.
func flattenColumns(w snn.Matrix, rule snn.SignParam) {
	f, inv := snn.SignMap(rule), snn.SignInverse(rule)
	for c := 0; c < w.Cols; c++ {
		sum := 0.0
		for r := 0; r < w.Rows; r++ {
			sum += float64(f(w.At(r, c)))
		}
		raw := inv(float32(sum / float64(w.Rows)))
		for r := 0; r < w.Rows; r++ {
			w.Set(r, c, raw)
		}
	}
}

// fill sets every entry of w to v.
func fill(w snn.Matrix, v float32) {
	for i := range w.Data {
		w.Data[i] = v
	}
}

// RandomExcitatoryUnits returns k of the n excitatory hidden units drawn at random (seeded), ascending:
// the count control for silencing k inhibitory units.
func RandomExcitatoryUnits(n, k int, seed uint64) ([]int, error) {
	if k < 0 || k > n {
		return nil, fmt.Errorf("probe: RandomExcitatoryUnits: k = %d, want 0..%d", k, n)
	}
	u := snn.NewRand(seed, snn.StreamPopAblation^1).Perm(n)[:k]
	slices.Sort(u)
	return u, nil
}
