package probe

import (
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
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
	// CutMatched is the position-matched control of CutInhibitory: the inhibitory rows matched to
	// excitatory rows by MatchRows (same ear within MatchDelayTolerance delay steps; where a blocked mask
	// leaves none, the other ear at the same delay; a least-cost assignment).
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
func CutRows(m *snn.Model, cut Cut, seed uint64) ([]int, error) {
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
			return nil, fmt.Errorf("probe: cut %q needs %d excitatory rows, the mask has only %d", cut, len(inh), len(exc))
		}
		return exc[:len(inh)], nil
	case CutMatched:
		rows, _, err := MatchedRows(m, inh)
		return rows, err
	case CutRandomExcitatory:
		exc := m.Mask1.Excitatory()
		if len(exc) < len(inh) {
			return nil, fmt.Errorf("probe: cut %q needs %d excitatory rows, the mask has only %d", cut, len(inh), len(exc))
		}
		rows := make([]int, len(inh))
		for i, p := range snn.NewRand(seed, snn.StreamAblation).Perm(len(exc))[:len(inh)] {
			rows[i] = exc[p]
		}
		slices.Sort(rows)
		return rows, nil
	case CutRandom:
		rows := snn.NewRand(seed, snn.StreamAblation).Perm(m.Config.NumInputs())[:len(inh)]
		slices.Sort(rows)
		return rows, nil
	}
	return nil, fmt.Errorf("probe: unknown cut %q: want one of %v", cut, Cuts)
}

// MatchDelayTolerance is how far, in fibre indices (phase-delay steps of (pi/2)/(ANFPerEar-1), 0.9 degrees
// for the notebook's 100 fibres per ear), a position-matched row may sit from the row it matches before
// the match costs more than one in the other ear at the same delay. Fixed before looking at any result.
const MatchDelayTolerance = 5

// MatchedRow is one pair of MatchRows: Row is matched to Match, of the opposite sign, DelayDiff phase-delay
// steps away, in the other ear when OtherEar.
type MatchedRow struct {
	Row, Match, DelayDiff int
	OtherEar              bool
}

// MatchRows matches each input row of rows to an unused row of the opposite sign at the same position,
// by a minimum-cost assignment (Hungarian algorithm) over the costs, in order of preference:
//
//	same ear, |delay difference| = d <= MatchDelayTolerance    cost d
//	other ear, d <= MatchDelayTolerance                         cost MatchDelayTolerance + 1 + d
//	either ear, d beyond the tolerance (same ear first)         cost 100 (MatchDelayTolerance + 1) + 2d (+1 other ear)
//
// so that no greedy early choice takes a later row's only close match. Rows in rows are never matches.
// The pairs come in the order of rows.
func MatchRows(m *snn.Model, rows []int) ([]MatchedRow, error) {
	A, I := m.Config.ANFPerEar, m.Config.NumInputs()
	cut := make([]bool, I)
	for _, r := range rows {
		if r < 0 || r >= I {
			return nil, fmt.Errorf("probe: MatchRows: row %d is outside [0, %d)", r, I)
		}
		cut[r] = true
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var cands []int // rows that can be matches (of either sign; costs forbid the same sign)
	for i := 0; i < I; i++ {
		if !cut[i] {
			cands = append(cands, i)
		}
	}
	const tol = MatchDelayTolerance
	forbidden := math.Inf(1)
	cost := func(r, c int) float64 {
		if m.Mask1.Signs[c] == m.Mask1.Signs[r] {
			return forbidden
		}
		d, other := abs(r%A-c%A), r/A != c/A
		switch {
		case d <= tol && !other:
			return float64(d)
		case d <= tol:
			return float64(tol + 1 + d)
		case other:
			return float64(100*(tol+1) + 2*d + 1)
		}
		return float64(100*(tol+1) + 2*d)
	}
	assign, err := minCostAssignment(len(rows), len(cands), func(i, j int) float64 { return cost(rows[i], cands[j]) })
	if err != nil {
		return nil, fmt.Errorf("probe: MatchRows: %d rows to match with %d of the other sign available: %w", len(rows), len(cands), err)
	}
	out := make([]MatchedRow, len(rows))
	for i, r := range rows {
		c := cands[assign[i]]
		out[i] = MatchedRow{Row: r, Match: c, DelayDiff: abs(r%A - c%A), OtherEar: r/A != c/A}
	}
	return out, nil
}

// MatchedRows is MatchRows as the sorted matched rows and the number taken from the other ear.
func MatchedRows(m *snn.Model, rows []int) (matched []int, otherEar int, err error) {
	pairs, err := MatchRows(m, rows)
	if err != nil {
		return nil, 0, err
	}
	for _, p := range pairs {
		matched = append(matched, p.Match)
		if p.OtherEar {
			otherEar++
		}
	}
	slices.Sort(matched)
	return matched, otherEar, nil
}

// minCostAssignment assigns each of n rows a distinct one of m >= n columns so that the total cost is
// least (the Hungarian algorithm with potentials, O(n^2 m)); infinite costs are forbidden pairs. It returns
// the column of each row.
func minCostAssignment(n, m int, cost func(i, j int) float64) ([]int, error) {
	if n > m {
		return nil, fmt.Errorf("more rows (%d) than columns (%d)", n, m)
	}
	inf := math.Inf(1)
	u, v := make([]float64, n+1), make([]float64, m+1)
	p, way := make([]int, m+1), make([]int, m+1) // p[j]: row (1-based) assigned to column j
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, m+1)
		used := make([]bool, m+1)
		for j := range minv {
			minv[j] = inf
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := cost(i0-1, j-1) - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			if math.IsInf(delta, 1) {
				return nil, fmt.Errorf("no feasible assignment for row %d", i-1)
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	out := make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] > 0 {
			out[p[j]-1] = j - 1
		}
	}
	return out, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// AblateInputs returns a copy of m whose input rows have magnitude 0 in W1 (raw parameters
// snn.SignInverse(rule)(0): 0 for every rule but softplus, whose magnitude never reaches 0 and is then
// 1e-30; for ArchPopulations also in W_IE, so the fibres reach no unit); m is not modified. The copy's
// Ablated records label.
func AblateInputs(m *snn.Model, rows []int, label string) (*snn.Model, error) {
	I := m.Config.NumInputs()
	zero := snn.SignInverse(m.Config.SignParam)(0)
	out := m.Clone()
	for _, r := range rows {
		if r < 0 || r >= I {
			return nil, fmt.Errorf("probe: AblateInputs: row %d is outside [0, %d)", r, I)
		}
		for c := 0; c < out.W1.Cols; c++ {
			out.W1.Set(r, c, zero)
		}
		if out.Pop != nil {
			for c := 0; c < out.Pop.IE1.Cols; c++ {
				out.Pop.IE1.Set(r, c, zero)
			}
		}
	}
	out.Ablated = append(out.Ablated, fmt.Sprintf("%s: %d input rows", label, len(rows)))
	return out, nil
}

// AblateHidden returns a copy of m with the given hidden units silenced: their input column of W1 and
// their output row of W2 get magnitude 0 (as in AblateInputs; for ArchPopulations also their column of
// W_EI and row of W_IE'), so they never spike and never reach the readout.
func AblateHidden(m *snn.Model, units []int, label string) (*snn.Model, error) {
	H := m.Config.NumHidden
	zero := snn.SignInverse(m.Config.SignParam)(0)
	out := m.Clone()
	for _, u := range units {
		if u < 0 || u >= H {
			return nil, fmt.Errorf("probe: AblateHidden: unit %d is outside [0, %d)", u, H)
		}
		for r := 0; r < out.W1.Rows; r++ {
			out.W1.Set(r, u, zero)
		}
		for c := 0; c < out.W2.Cols; c++ {
			out.W2.Set(u, c, zero)
		}
		if p := out.Pop; p != nil {
			for r := 0; r < p.EI1.Rows; r++ {
				p.EI1.Set(r, u, zero)
			}
			for c := 0; c < p.IE2.Cols; c++ {
				p.IE2.Set(u, c, zero)
			}
		}
	}
	out.Ablated = append(out.Ablated, fmt.Sprintf("%s: %d hidden units", label, len(units)))
	return out, nil
}

// AblateCut is AblateInputs for a named cut.
func AblateCut(m *snn.Model, cut Cut, seed uint64) (*snn.Model, []int, error) {
	rows, err := CutRows(m, cut, seed)
	if err != nil {
		return nil, nil, err
	}
	a, err := AblateInputs(m, rows, string(cut))
	return a, rows, err
}

// HiddenAblationCurve silences the hidden units one at a time (on copies of m) and returns the accuracy
// on d without each unit, in unit order: the per-unit importance of the hidden layer.
func HiddenAblationCurve(m *snn.Model, d *snn.Dataset, backend compute.Backend) ([]float64, error) {
	ev, err := snn.NewEvaluator(m.Config, backend)
	if err != nil {
		return nil, err
	}
	return HiddenAblationCurveWith(ev, m, d)
}

// HiddenAblationCurveWith is HiddenAblationCurve with an evaluator's compiled forward pass (for callers
// that score many models of one configuration).
func HiddenAblationCurveWith(ev *snn.Evaluator, m *snn.Model, d *snn.Dataset) ([]float64, error) {
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

// CheckCuts reports, before any training, whether every cut can be made on a network of cfg (the cuts
// need inhibitory rows and as many excitatory rows to match them: 0 < InhibitoryFraction <= 0.5 for
// the matched controls): it draws cfg's untrained model and makes each cut on it. seed is the cuts'
// own seed, as AblateCut takes it.
func CheckCuts(cfg snn.Config, cuts []Cut, seed uint64) error {
	m, err := snn.NewModel(cfg)
	if err != nil {
		return err
	}
	inhibitory := 0
	for _, s := range m.Mask1.Signs {
		if s < 0 {
			inhibitory++
		}
	}
	if inhibitory == 0 || !cfg.DaleOnInput() {
		return fmt.Errorf("probe: the ablation cannot be made at inhibitory fraction %v: the input layer has no inhibitory rows to cut (Dale's law on the input: %v)",
			cfg.InhibitoryFraction, cfg.DaleOnInput())
	}
	for _, c := range cuts {
		if _, _, err := AblateCut(m, c, seed); err != nil {
			return fmt.Errorf("probe: the ablation cannot be made at inhibitory fraction %v: %w", cfg.InhibitoryFraction, err)
		}
	}
	return nil
}
