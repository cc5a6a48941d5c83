package snn

import (
	"math"
	"math/rand/v2"
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

// TestLIFSpikeCeiling checks what the studies' tables say of a LIF unit's ceiling (study.DriveTable,
// InhibitoryRateTable): in the notebook's update order (the spike of record t+1 read from the membrane
// before step t's input, the reset one step late) a unit fires at most 2 spikes in any 4 consecutive
// records, so at most 0.5 spikes per step on average, and saturating input gives pairs: 0 0 1 1 0 0 1 1 ...
// (worked by hand from LIFStep: v_1 = h, s_2 = [v_1 > 1], v_2 = alpha v_1 + h, s_3 = [v_2 > 1], v_3 = 0 by
// s_2's reset, v_4 = 0 by s_3's, s_4 = s_5 = 0, v_5 = h, and again).
func TestLIFSpikeCeiling(t *testing.T) {
	const steps = 40
	alpha, beta := DefaultConfig().Alpha(), DefaultConfig().SurrogateBeta
	// Unit 0 saturated; units 1-63 random currents from -2 to 40 (seeded), some steps strong, some not.
	r := rand.New(rand.NewPCG(11, 12))
	h := make([][]float32, steps)
	for k := range h {
		h[k] = make([]float32, 64)
		h[k][0] = 1000
		for u := 1; u < 64; u++ {
			h[k][u] = -2 + 42*r.Float32()*r.Float32()
		}
	}
	_, s, err := SimulateLIF(nil, h, alpha, beta)
	if err != nil {
		t.Fatal(err)
	}
	for k := range s {
		if want := float32((k / 2) % 2); s[k][0] != want {
			t.Fatalf("saturated unit, record %d: spike %v, want %v (pattern 0 0 1 1 0 0 1 1 ...)", k, s[k][0], want)
		}
	}
	pairs := 0
	for u := 0; u < 64; u++ {
		for k := 0; k+4 <= len(s); k++ {
			n := s[k][u] + s[k+1][u] + s[k+2][u] + s[k+3][u]
			if n > 2 {
				t.Fatalf("unit %d fires %v times in records %d to %d, want at most 2", u, n, k, k+3)
			}
			if u > 0 && s[k][u] == 1 && s[k+1][u] == 1 {
				pairs++
			}
		}
	}
	if pairs == 0 {
		t.Fatalf("no random unit fired twice in a row: the windows test nothing beyond the saturated unit")
	}
}
