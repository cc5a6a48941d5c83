package snn

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// rateCapGrad against values worked by hand: 2 samples, 2 steps, 2 units, unit 0 spiking in 3 of its 4
// records (nu = 0.75) and unit 1 in 1 (0.25); with theta 0.5 and lambda 2, P = 2 (0.25)^2 = 0.125 and
// dP/ds for unit 0 is 2 * 2 * 0.25 / 4 = 0.25, for unit 1 (below the cap) 0. Above every unit's rate
// (theta 0.8) P is 0 and the gradients are left as they were, bit for bit, -0 included.
func TestRateCapGrad(t *testing.T) {
	rec := []float32{1, 0, 1, 1, 1, 0, 0, 0} // [b][k][i]
	cfg := Config{InhibitoryRateCap: 0.5, InhibitoryRateWeight: 2}
	g := []float32{1, 1, 1, 1, 1, 1, 1, 1}
	if p := rateCapGrad(cfg, rec, g, 2, 2, 2); p != 0.125 {
		t.Errorf("penalty %v, want 0.125", p)
	}
	want := []float32{1.25, 1, 1.25, 1, 1.25, 1, 1.25, 1}
	for i := range g {
		if g[i] != want[i] {
			t.Errorf("gradient %v, want %v", g, want)
			break
		}
	}
	// Unit 1 is below the cap while unit 0 is above: unit 1's -0 gradients stay -0.
	negZero := float32(math.Copysign(0, -1))
	g = []float32{1, negZero, 1, negZero, 1, negZero, 1, negZero}
	rateCapGrad(cfg, rec, g, 2, 2, 2)
	for i := 1; i < len(g); i += 2 {
		if math.Float32bits(g[i]) != math.Float32bits(negZero) {
			t.Fatalf("unit 1 (below the cap) changed its -0 gradients: %v", g)
		}
	}
	cfg.InhibitoryRateCap = 0.8
	g = []float32{negZero, 1, negZero, 1, negZero, 1, negZero, 1}
	if p := rateCapGrad(cfg, rec, g, 2, 2, 2); p != 0 {
		t.Errorf("below the cap: penalty %v, want 0", p)
	}
	for i, x := range g {
		if i%2 == 0 && math.Float32bits(x) != math.Float32bits(negZero) || i%2 == 1 && x != 1 {
			t.Fatalf("below the cap the gradients changed: %v", g)
		}
	}
}

// The rate cap is refused, naming the field, its value and what is allowed, without LIF inhibitory units
// and with a cap or weight out of range; both at 0 (the default) or in range with LIF units is accepted.
func TestRateCapValidate(t *testing.T) {
	lif := lifInhConfig()
	delayed := lif
	delayed.InhibitoryUnits, delayed.InhibitoryDelay = InhibitoryDelayed, 2
	cases := []struct {
		field  string
		base   Config
		cap, w float64
	}{
		{"InhibitoryRateWeight", DefaultConfig(), 0.2, 1},
		{"InhibitoryRateWeight", delayed, 0.2, 1},
		{"InhibitoryRateCap", delayed, 0.2, 0},
		{"InhibitoryRateWeight", lif, 0.2, math.Inf(1)},
		{"InhibitoryRateCap", lif, 0, 1},
		{"InhibitoryRateCap", lif, 1, 1},
		{"InhibitoryRateCap", lif, -0.2, 1},
		{"InhibitoryRateWeight", lif, 0.2, 0},
		{"InhibitoryRateWeight", lif, 0.2, -1},
	}
	for _, tc := range cases {
		c := tc.base
		c.InhibitoryRateCap, c.InhibitoryRateWeight = tc.cap, tc.w
		err := c.Validate()
		if err == nil {
			t.Errorf("cap %v, weight %v on %s units: accepted", tc.cap, tc.w, c.InhibitoryUnits)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "Config."+tc.field+" = ") || !strings.Contains(msg, "want ") {
			t.Errorf("cap %v, weight %v: error %q does not name %s, its value and what is allowed", tc.cap, tc.w, msg, tc.field)
		}
	}
	for _, c := range []Config{DefaultConfig(), lif} {
		if err := c.Validate(); err != nil {
			t.Errorf("without the cap: %v", err)
		}
	}
	lif.InhibitoryRateCap, lif.InhibitoryRateWeight = 0.25, 1
	if err := lif.Validate(); err != nil {
		t.Errorf("cap 0.25, weight 1 with LIF units: %v", err)
	}
}

// The cap does what it is for: from DANN's start, where the LIF inhibitory units fire at about 0.39
// spikes per step, 20 Adam steps with a cap of 0.1 leave them firing less than the same 20 steps without
// it (same weights, data and batches), and on those batches below their uncapped rate by more than half
// the distance to the cap. Evaluation does not include the penalty: the capped model's validation loss is
// the same under either configuration, in both formulations.
func TestRateCapLowersRate(t *testing.T) {
	base := lifInhConfig()
	d, err := GenerateStimulus(base, 64, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	rate := func(capped bool) (float64, *Model) {
		cfg := base
		if capped {
			cfg.InhibitoryRateCap, cfg.InhibitoryRateWeight = 0.1, 10
		}
		m, err := NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		s, err := newLIFInhStepper(gobackend.GetBackend(), m)
		if err != nil {
			t.Fatal(err)
		}
		idx := make([]int, cfg.BatchSize)
		var spikes, n float64
		for k := 0; k < 20; k++ {
			for i := range idx {
				idx[i] = (i + k*cfg.BatchSize) % 64
			}
			if _, err := s.step(d, idx); err != nil {
				t.Fatal(err)
			}
			if k >= 15 { // the last 5 steps' records
				for _, x := range s.layer.sI {
					spikes += float64(x)
				}
				n += float64(len(s.layer.sI))
			}
		}
		for j, v := range s.params() {
			sp := paramSpecs(cfg)[j]
			copy(m.rawParams()[j].Data, variableMatrix(v, sp.rows, sp.cols).Data)
		}
		return spikes / n, m
	}
	free, _ := rate(false)
	capped, m := rate(true)
	t.Logf("inhibitory rate over the last 5 of 20 steps: %.3f without the cap, %.3f with a cap of 0.1", free, capped)
	if !(capped < free-(free-0.1)/2) {
		t.Errorf("capped rate %.3f, uncapped %.3f: the cap of 0.1 did not bring it down by half the distance", capped, free)
	}
	for _, f := range []Formulation{FormulationGoKernels, FormulationGraph} {
		var loss [2]float64
		for i, cfg := range []Config{m.Config, base} {
			fwd, err := newBatchForward(gobackend.GetBackend(), cfg, cfg.BatchSize, f)
			if err != nil {
				t.Fatal(err)
			}
			if loss[i], _, err = validate(fwd, m, d); err != nil {
				t.Fatal(err)
			}
		}
		if loss[0] != loss[1] {
			t.Errorf("%s: validation loss %v with the cap, %v without: evaluation must not include the penalty", f, loss[0], loss[1])
		}
	}
}
