package probe

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

func TestCutRows(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	first := func(from, n int) []int {
		r := make([]int, n)
		for i := range r {
			r[i] = from + i
		}
		return r
	}
	nb, _ := CutRows(m, CutNotebook, 1)
	inh, _ := CutRows(m, CutInhibitory, 1)
	exc, _ := CutRows(m, CutExcitatory, 1)
	rnd, _ := CutRows(m, CutRandom, 1)
	rnd2, _ := CutRows(m, CutRandom, 1)
	if !slices.Equal(nb, first(0, 40)) || !slices.Equal(inh, first(0, 40)) {
		t.Errorf("notebook/inhibitory cut at 0.2 blocked: %v / %v, want rows 0..39", nb, inh)
	}
	if !slices.Equal(exc, first(40, 40)) {
		t.Errorf("excitatory control: %v, want rows 40..79", exc)
	}
	if len(rnd) != 40 || !slices.Equal(rnd, rnd2) || slices.Equal(rnd, first(0, 40)) {
		t.Errorf("random control: %v", rnd)
	}
	re, _ := CutRows(m, CutRandomExcitatory, 1)
	re2, _ := CutRows(m, CutRandomExcitatory, 2)
	if len(re) != 40 || slices.Equal(re, re2) || slices.ContainsFunc(re, func(r int) bool { return m.Mask1.Signs[r] != 1 }) {
		t.Errorf("random excitatory control: %v (seed 2: %v), want 40 excitatory rows that differ by seed", re, re2)
	}
	if _, err := CutRows(m, "everything", 1); err == nil {
		t.Error("unknown cut accepted")
	}
	// With a random mask the honest inhibitory cut follows the mask, the notebook's stays rows 0..39.
	cfg.Layout = snn.MaskRandom
	r, _ := snn.NewModel(cfg)
	inhR, _ := CutRows(r, CutInhibitory, 1)
	if !slices.Equal(inhR, r.Mask1.Inhibitory()) || slices.Equal(inhR, first(0, 40)) {
		t.Errorf("random-mask inhibitory cut %v", inhR)
	}
}

func TestAblationLeavesModelIntact(t *testing.T) {
	m, err := snn.NewModel(snn.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	orig := m.Clone()
	a, rows, err := AblateCut(m, CutNotebook, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.W1.Data, orig.W1.Data) {
		t.Fatal("ablation modified the trained model (the notebook's aliasing bug)")
	}
	e := a.EffectiveW1()
	for r := 0; r < e.Rows; r++ {
		zero := slices.Contains(rows, r)
		for c := 0; c < e.Cols; c++ {
			if (e.At(r, c) == 0) != zero {
				t.Fatalf("row %d col %d: effective %v, ablated=%v", r, c, e.At(r, c), zero)
			}
		}
	}
	h, err := AblateHidden(m, []int{0, 29}, "hidden")
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c < h.W2.Cols; c++ {
		if h.W2.At(0, c) != 0 || h.W2.At(29, c) != 0 {
			t.Fatal("hidden ablation left outgoing weights")
		}
	}
	if _, err := AblateInputs(m, []int{200}, "x"); err == nil {
		t.Error("row 200 of 200 accepted")
	}
	if _, err := AblateHidden(m, []int{-1}, "x"); err == nil {
		t.Error("hidden unit -1 accepted")
	}
}

func TestHiddenAblationCurve(t *testing.T) {
	_, m := tinyRun(t, tinyConfig())
	d, _ := snn.GenerateStimulus(m.Config, 32, 4, 1)
	curve, err := HiddenAblationCurve(m, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := snn.Evaluate(m, d, nil)
	if len(curve) != m.Config.NumHidden {
		t.Fatalf("%d points for %d hidden units", len(curve), m.Config.NumHidden)
	}
	differs := false
	for _, a := range curve {
		differs = differs || a != full.Accuracy
	}
	if !differs {
		t.Error("silencing any single hidden unit never changed the accuracy")
	}
}

// Position-matched controls, worked by hand for the blocked masks. At 0.2 the inhibitory rows are left-ear
// delays 0-39; their left-ear excitatory neighbours within 5 steps are delays 40-44, for rows 35-39 only.
// Least total cost: rows 39, 38, 37 take 40, 41, 42 (costs 1 + 3 + 5 = 9), and rows 0-36 the right ear
// at the same delay (cost 6 each, rows 100-136); giving rows 35 and 36 the left-ear rows 43 and 44
// instead would cost 8 more than 12. At 0.5 the whole left ear is inhibitory: every match is the right
// ear at the same delay. With a random mask every pair stays in its ear within the tolerance, and
// has the opposite sign.
func TestMatchedRows(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	m, _ := snn.NewModel(cfg)
	got, other, err := MatchedRows(m, m.Mask1.Inhibitory())
	if err != nil {
		t.Fatal(err)
	}
	want := append(seq(40, 3), seq(100, 37)...)
	if !slices.Equal(got, want) || other != 37 {
		t.Errorf("blocked 0.2: matched %v (%d from the other ear), want %v (37)", got, other, want)
	}
	pairs, _ := MatchRows(m, m.Mask1.Inhibitory())
	sameEarCost := 0
	for _, p := range pairs {
		switch {
		case p.Row < 37 && (p.Match != p.Row+100 || !p.OtherEar || p.DelayDiff != 0):
			t.Errorf("row %d: %+v, want the right ear at the same delay", p.Row, p)
		case p.Row >= 37 && (p.Match < 40 || p.Match > 42 || p.OtherEar || p.DelayDiff != p.Match-p.Row):
			t.Errorf("row %d: %+v, want one of rows 40-42", p.Row, p)
		case p.Row >= 37:
			sameEarCost += p.DelayDiff
		}
	}
	if sameEarCost != 9 { // any assignment of rows 37-39 to 40-42 costs 9: the tie is broken either way
		t.Errorf("rows 37-39 matched at total delay difference %d, want 9", sameEarCost)
	}
	cfg.InhibitoryFraction = 0.5
	m, _ = snn.NewModel(cfg)
	got, other, _ = MatchedRows(m, m.Mask1.Inhibitory())
	if !slices.Equal(got, seq(100, 100)) || other != 100 {
		t.Errorf("blocked 0.5: matched %d rows (%d from the other ear), want rows 100-199 (100)", len(got), other)
	}
	cfg.InhibitoryFraction, cfg.Layout = 0.2, snn.MaskRandom
	m, _ = snn.NewModel(cfg)
	inh := m.Mask1.Inhibitory()
	pairs, err = MatchRows(m, inh)
	if err != nil || len(pairs) != len(inh) {
		t.Fatalf("random 0.2: %d pairs, %v", len(pairs), err)
	}
	seen := map[int]bool{}
	for i, p := range pairs {
		if p.Row != inh[i] || m.Mask1.Signs[p.Match] != 1 || seen[p.Match] || slices.Contains(inh, p.Match) ||
			p.OtherEar || p.DelayDiff > MatchDelayTolerance || p.Row/100 != p.Match/100 || p.DelayDiff != abs(p.Row%100-p.Match%100) {
			t.Errorf("random 0.2: pair %+v is not a same-ear excitatory match within %d steps", p, MatchDelayTolerance)
		}
		seen[p.Match] = true
	}
	if _, _, err := MatchedRows(m, []int{200}); err == nil {
		t.Error("row 200 of 200 accepted")
	}
}

// The assignment is the least-cost one where a greedy pass in row order is not: rows at delays 5 and 10,
// columns at 0 and 9. Greedy gives row 5 the column 9 (cost 4) and row 10 the column 0 (cost 10), total 14;
// the best is 5 -> 0 and 10 -> 9, total 6.
func TestMinCostAssignment(t *testing.T) {
	rows, cols := []int{5, 10}, []int{9, 0}
	got, err := minCostAssignment(2, 2, func(i, j int) float64 { return float64(abs(rows[i] - cols[j])) })
	if err != nil || got[0] != 1 || got[1] != 0 {
		t.Errorf("assignment %v, %v; want row 5 -> column 0 (index 1), row 10 -> column 9 (index 0)", got, err)
	}
	if _, err := minCostAssignment(2, 1, func(i, j int) float64 { return 0 }); err == nil {
		t.Error("more rows than columns accepted")
	}
	inf := math.Inf(1)
	if _, err := minCostAssignment(2, 2, func(i, j int) float64 {
		if j == 0 {
			return 1
		}
		return inf
	}); err == nil {
		t.Error("an infeasible assignment accepted")
	}
}

// AblationTable's columns line up whatever the cut names' lengths (random-excitatory is longer than the
// 12 characters the first column once had).
func TestAblationTableAligned(t *testing.T) {
	x := &snn.Experiment{TrainEval: &snn.Evaluation{Accuracy: 0.847}, TestEval: &snn.Evaluation{Accuracy: 0.757}}
	var res []AblationResult
	for _, c := range []Cut{CutNotebook, CutRandomExcitatory, CutRandom} {
		res = append(res, AblationResult{Cut: c, Rows: make([]int, 40), TrainEval: &snn.Evaluation{Accuracy: 0.396}, TestEval: &snn.Evaluation{Accuracy: 0.325}})
	}
	lines := strings.Split(strings.TrimSuffix(AblationTable(x, res), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want a header, none and 3 cuts:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for _, l := range lines[1:] {
		if len(l) != len(lines[0]) || !strings.HasSuffix(l, "%") {
			t.Errorf("line %q (%d characters) does not line up with the header %q (%d)", l, len(l), lines[0], len(lines[0]))
		}
	}
	if !strings.Contains(lines[3], string(CutRandomExcitatory)+"     40      39.6%      32.5%") {
		t.Errorf("random-excitatory line %q", lines[3])
	}
}
