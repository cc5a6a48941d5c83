package snn

import (
	"slices"
	"testing"
)

func TestCutRows(t *testing.T) {
	cfg := DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	m, err := NewModel(cfg)
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
	if _, err := CutRows(m, "everything", 1); err == nil {
		t.Error("unknown cut accepted")
	}
	// With a random mask the honest inhibitory cut follows the mask, the notebook's stays rows 0..39.
	cfg.Layout = MaskRandom
	r, _ := NewModel(cfg)
	inhR, _ := CutRows(r, CutInhibitory, 1)
	if !slices.Equal(inhR, r.Mask1.Inhibitory()) || slices.Equal(inhR, first(0, 40)) {
		t.Errorf("random-mask inhibitory cut %v", inhR)
	}
}

func TestAblationLeavesModelIntact(t *testing.T) {
	m, err := NewModel(DefaultConfig())
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
	d, _ := GenerateStimulus(m.Config, 32, 4, 1)
	curve, err := HiddenAblationCurve(m, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := Evaluate(m, d, nil)
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
