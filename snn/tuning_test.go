package snn

import (
	"math"
	"testing"
)

// The Go simulation reproduces the graph's readout (the logits Evaluate argmaxes) and the notebook's
// literal loops.
func TestSimulateMatchesGraph(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BatchSize = 8
	m, _ := NewModel(cfg)
	for i := range m.W1.Data {
		m.W1.Data[i] *= 4 // so that hidden units spike
	}
	d, _ := GenerateStimulus(cfg, 8, 5, 1)
	r, err := Simulate(m, d)
	if err != nil {
		t.Fatal(err)
	}
	spikes := 0.0
	for n := 0; n < d.Len(); n++ {
		want := notebookLogits(cfg, m.EffectiveW1(), m.EffectiveW2(), d.Raster(n))
		for c := range want {
			if got := cfg.ReadoutScale * r.Readout[n][c]; math.Abs(got-want[c]) > 1e-4 {
				t.Errorf("sample %d class %d: simulated %.6f, notebook loops %.6f", n, c, got, want[c])
			}
		}
		for _, s := range r.Hidden[n] {
			spikes += s
		}
	}
	if spikes == 0 {
		t.Fatal("no hidden spikes: the comparison is vacuous")
	}
}

func TestTuningCurves(t *testing.T) {
	deg := func(x float64) float64 { return x * math.Pi / 180 }
	// Two units; samples at -60, -50 (bin 0 of 3) and 10 (bin 1); bin 2 empty. Averages by hand.
	ipd := []float64{deg(-60), deg(-50), deg(10)}
	act := [][]float64{{1, 0}, {3, 2}, {5, 7}}
	centres, curves, err := TuningCurves(ipd, act, 3)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(centres[0]+60) > 1e-9 || math.Abs(centres[1]) > 1e-9 || math.Abs(centres[2]-60) > 1e-9 {
		t.Errorf("centres %v, want -60 0 60", centres)
	}
	if curves[0][0] != 2 || curves[1][0] != 1 || curves[0][1] != 5 || curves[1][1] != 7 || !math.IsNaN(curves[0][2]) {
		t.Errorf("curves %v", curves)
	}
	if _, _, err := TuningCurves(ipd, act[:2], 3); err == nil {
		t.Error("mismatched lengths accepted")
	}
}
