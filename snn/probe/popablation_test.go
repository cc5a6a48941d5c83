package probe

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// trainedLikePopulation is an E/I-population model whose raw weights are perturbed away from the
// initial draw (some negative, as |w| leaves them), so that the edits are tested on non-trivial weights.
func trainedLikePopulation(t *testing.T) *snn.Model {
	cfg := snn.DefaultConfig()
	cfg.Architecture, cfg.NumHidden = snn.ArchPopulations, 27
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Pop.IE1.Data {
		if i%7 == 0 {
			m.Pop.IE1.Data[i] = -m.Pop.IE1.Data[i]
		}
	}
	for i := range m.Pop.EI1.Data {
		m.Pop.EI1.Data[i] *= 1 + float32(i%5)/10
	}
	return m
}

// checkFlattened fails unless every unit (column) of w receives the total it had before (want, within
// 1e-5) and receives it from every fibre (row) alike.
func checkFlattened(t *testing.T, label string, w snn.Matrix, want []float64) {
	t.Helper()
	for c, s := range columnSums(w) {
		if math.Abs(s-want[c]) > 1e-5*math.Abs(want[c]) {
			t.Errorf("%s: unit %d receives %v in total, before %v", label, c, s, want[c])
		}
	}
	for r := 1; r < w.Rows; r++ {
		for c := 0; c < w.Cols; c++ {
			if w.At(r, c) != w.At(0, c) {
				t.Fatalf("%s: fibre %d gives unit %d %v, fibre 0 gives %v", label, r, c, w.At(r, c), w.At(0, c))
			}
		}
	}
}

func columnSums(w snn.Matrix) []float64 {
	s := make([]float64, w.Cols)
	for r := 0; r < w.Rows; r++ {
		for c := 0; c < w.Cols; c++ {
			s[c] += float64(w.At(r, c))
		}
	}
	return s
}

// Each edit of the inhibitory pathway does what it claims, read from the edited model's effective
// weights: the cut leaves W1eff = f(W_EE); uniform keeps each excitatory unit's total inhibitory weight
// and makes it the same from every fibre; shuffled keeps the totals and the set of W_IE rows but moves
// them; the original is never modified.
func TestEditInhibition(t *testing.T) {
	m := trainedLikePopulation(t)
	before := m.Clone()
	path0, _ := m.InhibitoryPathway()
	cut, err := EditInhibition(m, InhibitionCut, 1)
	if err != nil {
		t.Fatal(err)
	}
	exc := positive(m.W1, m.Config.SignParam)
	for i, v := range cut.EffectiveW1().Data {
		if v != exc.Data[i] {
			t.Fatalf("cut: W1eff[%d] = %v, want f(W_EE) = %v", i, v, exc.Data[i])
		}
	}
	uni, err := EditInhibition(m, InhibitionUniform, 1)
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := uni.InhibitoryPathway()
	want := columnSums(path0)
	checkFlattened(t, "uniform inhibition", pu, want)
	sh, err := EditInhibition(m, InhibitionShuffled, 1)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := sh.InhibitoryPathway()
	for c, s := range columnSums(ps) {
		if math.Abs(s-want[c]) > 1e-5*math.Abs(want[c]) {
			t.Errorf("shuffled: unit %d receives %v in total, before %v", c, s, want[c])
		}
	}
	rows := func(w snn.Matrix) []string {
		var out []string
		for r := 0; r < w.Rows; r++ {
			out = append(out, fmt.Sprint(w.Data[r*w.Cols:(r+1)*w.Cols]))
		}
		sort.Strings(out)
		return out
	}
	a, b := rows(m.Pop.IE1), rows(sh.Pop.IE1)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("shuffled: the rows of W_IE are not a permutation of the original's")
		}
	}
	moved := 0
	for i := range m.Pop.IE1.Data {
		if m.Pop.IE1.Data[i] != sh.Pop.IE1.Data[i] {
			moved++
		}
	}
	if moved == 0 {
		t.Error("shuffled: nothing moved")
	}
	for i := range before.Pop.IE1.Data {
		if before.Pop.IE1.Data[i] != m.Pop.IE1.Data[i] || before.Pop.EI1.Data[i%len(before.Pop.EI1.Data)] != m.Pop.EI1.Data[i%len(m.Pop.EI1.Data)] {
			t.Fatal("an edit modified the original model")
		}
	}
	col, _ := snn.NewModel(snn.DefaultConfig())
	if _, err := EditInhibition(col, InhibitionCut, 1); err == nil || !strings.Contains(err.Error(), `"column-ei"`) {
		t.Errorf("ColumnEI model: %v", err)
	}
	// Under softplus (f never 0, not the identity on w >= 0) the edits go through the rule's inverse: the
	// uniform edit gives each column of f(W_IE) its mean magnitude, the cut leaves magnitudes of at most
	// 1e-29, and so does an input ablation.
	{
		sp := m.Clone()
		sp.Config.SignParam = snn.SignSoftplus
		uni, err := EditInhibition(sp, InhibitionUniform, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkFlattened(t, "softplus uniform", positive(uni.Pop.IE1, snn.SignSoftplus), columnSums(positive(sp.Pop.IE1, snn.SignSoftplus)))
		cut, err := EditInhibition(sp, InhibitionCut, 1)
		if err != nil {
			t.Fatal(err)
		}
		abl, err := AblateInputs(sp, []int{0, 7}, "two rows")
		if err != nil {
			t.Fatal(err)
		}
		for name, w := range map[string][]float32{"cut W_EI": positive(cut.Pop.EI1, snn.SignSoftplus).Data,
			"ablated W_EE rows": positive(abl.W1, snn.SignSoftplus).Data[:abl.W1.Cols],
			"ablated W_IE rows": positive(abl.Pop.IE1, snn.SignSoftplus).Data[7*abl.Pop.IE1.Cols : 8*abl.Pop.IE1.Cols]} {
			for _, v := range w {
				if v > 1e-29 {
					t.Fatalf("softplus %s: magnitude %v, want at most 1e-29", name, v)
				}
			}
		}
	}
	if _, err := EditInhibition(m, "half", 1); err == nil || !strings.Contains(err.Error(), `"half"`) {
		t.Errorf("unknown edit: %v", err)
	}
}

// Silencing a hidden unit of an E/I-population network removes it from both layers: its column of
// W1eff (excitation and inhibition) and its row of W2eff are 0; inputs ablated reach no unit.
func TestAblatePopulationUnitsAndInputs(t *testing.T) {
	m := trainedLikePopulation(t)
	a, err := AblateHidden(m, []int{4}, "unit 4")
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := a.EffectiveW1(), a.EffectiveW2()
	for r := 0; r < w1.Rows; r++ {
		if w1.At(r, 4) != 0 {
			t.Fatalf("W1eff[%d, 4] = %v after silencing unit 4", r, w1.At(r, 4))
		}
	}
	for c := 0; c < w2.Cols; c++ {
		if w2.At(4, c) != 0 {
			t.Fatalf("W2eff[4, %d] = %v after silencing unit 4", c, w2.At(4, c))
		}
	}
	in, err := AblateInputs(m, []int{3}, "fibre 3")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := in.InhibitoryPathway()
	w1 = in.EffectiveW1()
	for c := 0; c < w1.Cols; c++ {
		if w1.At(3, c) != 0 || p.At(3, c) != 0 {
			t.Fatalf("fibre 3 still reaches unit %d: W1eff %v, inhibitory %v", c, w1.At(3, c), p.At(3, c))
		}
	}
}

// FlattenExcitation keeps each excitatory unit's total f(W_EE) and makes it the same from every fibre;
// the inhibitory pathway and the original are untouched.
func TestFlattenExcitation(t *testing.T) {
	m := trainedLikePopulation(t)
	for i := range m.W1.Data {
		if i%5 == 0 {
			m.W1.Data[i] = -m.W1.Data[i] // raw weights of either sign under |w|
		}
	}
	before := m.W1.Clone()
	flat, err := FlattenExcitation(m)
	if err != nil {
		t.Fatal(err)
	}
	checkFlattened(t, "uniform excitation", positive(flat.W1, flat.Config.SignParam), columnSums(positive(m.W1, m.Config.SignParam)))
	p0, _ := m.InhibitoryPathway()
	p1, _ := flat.InhibitoryPathway()
	for i := range p0.Data {
		if p0.Data[i] != p1.Data[i] {
			t.Fatal("the inhibitory pathway changed")
		}
	}
	for i := range before.Data {
		if before.Data[i] != m.W1.Data[i] {
			t.Fatal("the original was modified")
		}
	}
	col, _ := snn.NewModel(snn.DefaultConfig())
	if _, err := FlattenExcitation(col); err == nil || !strings.Contains(err.Error(), `"column-ei"`) {
		t.Errorf("ColumnEI: %v", err)
	}
}
