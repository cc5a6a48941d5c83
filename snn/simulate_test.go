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
