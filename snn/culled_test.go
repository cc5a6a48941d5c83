package snn

import (
	"context"
	"testing"
)

// Culled against counts set by hand: each case zeroes (or, for relu, makes negative) chosen raw weights of
// an untrained model and expects exactly those among the constrained matrices to be counted, out of
// the sizes of the matrices the rule constrains. The sizes are the notebook's (200 inputs, 30 hidden
// units, 12 classes; the E/I populations 27 excitatory and 3 inhibitory hidden units, 1 inhibitory
// readout unit: popDims). An untrained model has no exact zeros (checked first).
func TestModelCulled(t *testing.T) {
	const I, H, C = 200, 30, 12
	columnEI := func(p SignParam, layers DaleLayers, dale bool) Config {
		c := DefaultConfig()
		c.SignParam, c.DaleLayers, c.DalesLaw = p, layers, dale
		return c
	}
	pop := func(p SignParam) Config {
		c := DefaultConfig()
		c.Architecture, c.SignParam, c.NumHidden = ArchPopulations, p, 27
		return c
	}
	shunting := func() Config {
		c := pop(SignClip)
		c.Inhibition = InhibitionShunting
		return c
	}
	popTotal := I*27 + I*3 + 3*27 + 27*C + 27*1 + 1*C
	set := func(v float32, at ...int) func(*Matrix) {
		return func(w *Matrix) {
			for _, i := range at {
				w.Data[i] = v
			}
		}
	}
	for _, c := range []struct {
		name        string
		cfg         Config
		edit        func(m *Model)
		zero, total int
	}{
		{"clip, both layers", columnEI(SignClip, DaleBoth, true),
			func(m *Model) { set(0, 0, 7, 5999)(&m.W1); set(0, 3, 359)(&m.W2) }, 5, I*H + H*C},
		{"wiggle, input layer only: the readout's zeros are not constrained", columnEI(SignWiggle, DaleInput, true),
			func(m *Model) { set(0, 1, 2)(&m.W1); set(0, 4)(&m.W2) }, 2, I * H},
		{"clip, readout only", columnEI(SignClip, DaleHidden, true),
			func(m *Model) { set(0, 1, 2)(&m.W1); set(0, 4)(&m.W2) }, 1, H * C},
		{"abs: negative raw weights are not culled, zeros are", columnEI(SignAbs, DaleBoth, true),
			func(m *Model) { set(-0.5, 10, 11)(&m.W1); set(0, 12)(&m.W1) }, 1, I*H + H*C},
		{"shunting: the gains are constrained, α and the biases not", shunting(),
			func(m *Model) {
				set(0, 0)(&m.Pop.Shunt.Gain1)
				set(0, 1)(&m.Pop.Shunt.Gain2)
				set(0, 0)(&m.Pop.Shunt.Alpha1)
				set(0, 0)(&m.Pop.Shunt.Bias1)
			}, 2, popTotal + 27 + C},
		{"relu: negative raw weights are dead", columnEI(SignReLU, DaleBoth, true),
			func(m *Model) { set(-0.5, 10, 11)(&m.W1); set(0, 12)(&m.W2) }, 3, I*H + H*C},
		{"no Dale's law", columnEI(SignClip, DaleBoth, false),
			func(m *Model) { set(0, 0)(&m.W1) }, 0, 0},
		{"E/I populations, clip: every matrix of both layers", pop(SignClip),
			func(m *Model) {
				set(0, 0)(&m.W1)
				set(0, 1)(&m.Pop.IE1)
				set(0, 2)(&m.Pop.EI1)
				set(0, 3)(&m.W2)
				set(0, 4)(&m.Pop.IE2)
				set(0, 5, 11)(&m.Pop.EI2)
			}, 7, popTotal},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := NewModel(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if z, _ := m.Culled(); z != 0 && c.cfg.SignParam != SignReLU {
				t.Fatalf("untrained model: %d culled, want 0", z)
			}
			if c.cfg.SignParam == SignReLU { // relu's start f^-1(|w|) can be anything; make it positive first
				for _, w := range []*Matrix{&m.W1, &m.W2} {
					for i := range w.Data {
						w.Data[i] = 0.1
					}
				}
			}
			c.edit(m)
			if z, n := m.Culled(); z != c.zero || n != c.total {
				t.Errorf("Culled() = %d of %d, want %d of %d", z, n, c.zero, c.total)
			}
			// NearZero over the whole range counts every non-zero constrained weight; a limit below every
			// magnitude counts none.
			if got := m.NearZero(1e9); got != c.total-c.zero {
				t.Errorf("NearZero(1e9) = %d, want %d (the non-zero constrained weights)", got, c.total-c.zero)
			}
			if got := m.NearZero(1e-30); got != 0 {
				t.Errorf("NearZero(1e-30) = %d, want 0", got)
			}
		})
	}
}

// Wiggle's restart count against clip's zeros: from the same start and data, one optimiser step under
// clip and under wiggle is the same step up to the projection, so the weights wiggle restarts after it
// (its ledger's count) are exactly those clip holds at 0 (Culled), on both architectures. A large rate
// (0.1) sends many weights to 0 in that step.
func TestWiggleRestartCountIsClipZeros(t *testing.T) {
	for _, arch := range []Architecture{ArchColumnEI, ArchPopulations} {
		counts := map[SignParam]int{}
		for _, p := range []SignParam{SignClip, SignWiggle} {
			cfg := Quick(DefaultConfig())
			cfg.Architecture, cfg.SignParam, cfg.LearningRate, cfg.Epochs, cfg.TrainBatches = arch, p, 0.1, 1, 1
			if arch == ArchPopulations {
				cfg.NumHidden = 27
			}
			train, val, _, err := GenerateData(cfg)
			if err != nil {
				t.Fatal(err)
			}
			m, err := NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Train(context.Background(), m, train, val, TrainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if out.History.Steps != 1 || len(out.History.Ledger) != 1 {
				t.Fatalf("%s %s: %d steps, %d ledger entries, want 1 and 1", arch, p, out.History.Steps, len(out.History.Ledger))
			}
			zero, _ := out.Culled()
			if p == SignClip {
				counts[p] = zero
				continue
			}
			counts[p] = out.History.Ledger[0].Restarts
			if zero != 0 {
				t.Errorf("%s wiggle: %d weights at 0 after its restarts", arch, zero)
			}
		}
		if counts[SignClip] == 0 || counts[SignWiggle] != counts[SignClip] {
			t.Errorf("%s: wiggle restarted %d weights after the first step, clip holds %d at 0 (want equal, > 0)", arch,
				counts[SignWiggle], counts[SignClip])
		}
	}
}
