package snn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Each parametrisation's map, by hand (softplus values log(1 + e^w) from a calculator), on a row of
// sign +1 and the same row with sign -1; and the graph's map agrees with the Go one.
func TestSignParams(t *testing.T) {
	w := Matrix{Rows: 2, Cols: 4, Data: []float32{-0.5, 0, 0.25, 2, -0.5, 0, 0.25, 2}}
	mask := Mask{Signs: []float32{1, -1}}
	want := map[SignParam][]float64{
		SignAbs:      {0.5, 0, 0.25, 2},
		SignReLU:     {0, 0, 0.25, 2},
		SignSoftplus: {0.47407698418010663, 0.6931471805599453, 0.8259394198788436, 2.1269280110429727},
		SignClip:     {-0.5, 0, 0.25, 2},
	}
	for param, row := range want {
		got := EffectiveParam(w, mask, true, param)
		exec := MustNewExec(gobackend.GetBackend(), func(x *Node) *Node { return effectiveWeights(x, mask.Signs, true, param) })
		out, err := exec.Call(matrixTensor(w))
		if err != nil {
			t.Fatal(err)
		}
		graph := tensors.MustCopyFlatData[float32](out[0])
		for c, v := range row {
			for r, s := range []float64{1, -1} {
				i := r*4 + c
				if math.Abs(float64(got.Data[i])-s*v) > 1e-7 {
					t.Errorf("%s: Go f(%v) * %v = %v, want %v", param, w.Data[i], s, got.Data[i], s*v)
				}
				if math.Abs(float64(graph[i])-float64(got.Data[i])) > 1e-6 {
					t.Errorf("%s: graph %v, Go %v at %d", param, graph[i], got.Data[i], i)
				}
			}
		}
	}
}

// Every rule writes its map for figures, as config.go defines it, and an unknown name is written as abs.
func TestSignFormula(t *testing.T) {
	want := map[SignParam]string{SignAbs: "|w|", SignReLU: "max(w, 0)", SignSoftplus: "softplus(w)",
		SignClip: "w, projected onto w ≥ 0 after every step", SignExpGrad: "w, kept > 0 by multiplicative steps",
		SignWiggle: "w, projected onto w ≥ 0 after every step, weights held at 0 restarted at WiggleScale·u", "no-such-rule": "|w|"}
	for _, p := range SignParams() {
		if _, ok := want[p]; !ok {
			t.Errorf("rule %q has no golden formula here", p)
		}
	}
	for p, f := range want {
		if got := SignFormula(p); got != f {
			t.Errorf("SignFormula(%q) = %q, want %q", p, got, f)
		}
	}
}

// Every parametrisation keeps Dale's signs through training; clip keeps its raw weights >= 0; the
// ledger has an entry per epoch; relu starts with about half of its input weights at exactly 0.
func TestSignParamsTraining(t *testing.T) {
	for _, param := range []SignParam{SignAbs, SignReLU, SignSoftplus, SignClip} {
		cfg := tinyConfig()
		cfg.SignParam, cfg.InhibitoryFraction = param, 0.2
		_, m := tinyRun(t, cfg)
		checkAppliedSigns(t, string(param), m)
		if len(m.History.Ledger) != cfg.Epochs {
			t.Fatalf("%s: %d ledger entries for %d epochs", param, len(m.History.Ledger), cfg.Epochs)
		}
		last := m.History.Ledger[cfg.Epochs-1]
		switch param {
		case SignClip:
			for _, w := range [][]float32{m.W1.Data, m.W2.Data} {
				for _, v := range w {
					if v < 0 {
						t.Fatalf("clip: raw weight %v < 0 after projection", v)
					}
				}
			}
		case SignReLU: // matched init: no weight starts at 0; training culls some (11% in 2 epochs here)
			if frac := float64(last.W1.Zero) / float64(len(m.W1.Data)); frac < 0.02 {
				t.Errorf("relu: %.1f%% of the input weights at exactly 0 after training, expected some culled", 100*frac)
			}
		case SignSoftplus:
			if last.W1.Zero != 0 {
				t.Errorf("softplus: %d effective weights exactly 0", last.W1.Zero)
			}
		}
	}
}

// Under SignInitMatched every parametrisation starts from the effective weights of abs (same seed), to
// float32 rounding of softplus's inverse; under SignInitSymmetric relu starts with about half its input
// synapses at exactly 0 and softplus near log 2. The values read are the model's own effective weights.
func TestSignInitMatchesAbs(t *testing.T) {
	base := DefaultConfig()
	base.InhibitoryFraction = 0.2
	ref, _ := NewModel(base)
	want := ref.InitialEffectiveW1()
	for _, p := range []SignParam{SignReLU, SignSoftplus, SignClip} {
		cfg := base
		cfg.SignParam = p
		m, err := NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := m.InitialEffectiveW1()
		worst := 0.0
		for i := range got.Data {
			worst = math.Max(worst, math.Abs(float64(got.Data[i]-want.Data[i])))
		}
		if worst > 1e-6 {
			t.Errorf("%s matched: initial effective W1 differs from abs's by up to %g", p, worst)
		}
		if g2, w2 := m.EffectiveW2(), ref.EffectiveW2(); math.Abs(float64(g2.Data[3]-w2.Data[3])) > 1e-6 {
			t.Errorf("%s matched: W2[3] %v, abs %v", p, g2.Data[3], w2.Data[3])
		}
	}
	cfg := base
	cfg.SignParam, cfg.SignInit = SignReLU, SignInitSymmetric
	m, _ := NewModel(cfg)
	zeros := 0
	for _, v := range m.InitialEffectiveW1().Data {
		if v == 0 {
			zeros++
		}
	}
	if zeros < 2700 || zeros > 3300 { // half of 6000, binomial sd 39
		t.Errorf("relu symmetric: %d of 6000 initial effective weights are 0, want about 3000", zeros)
	}
	cfg.SignInit = "lognormal"
	if _, err := NewModel(cfg); err == nil || !strings.Contains(err.Error(), "SignInit") {
		t.Errorf("unknown SignInit: error %v", err)
	}
}

// A sign rule is one table entry: a rule added here (f(w) = w^2, not one of the package's) validates,
// initialises, trains with the Go kernels and with the single graph to the same losses and weights, and
// keeps Dale's signs, with no other change to the package.
func TestSignRuleIsOneEntry(t *testing.T) {
	const square SignParam = "square"
	saved := signRules
	defer func() { signRules = saved }()
	signRules = append(slices.Clone(saved), signRule{name: square, f: func(v float32) float32 { return v * v }, node: Square,
		inverse: func(a float32) float32 { return float32(math.Sqrt(float64(a))) },
		init: func(w float32, matched bool) float32 {
			if matched {
				return float32(math.Sqrt(math.Abs(float64(w))))
			}
			return w
		}})
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.SignParam, cfg.InhibitoryFraction = 16, square, 0.2
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the added rule does not validate: %v", err)
	}
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := NewModel(func() Config { c := cfg; c.SignParam = SignAbs; return c }())
	if got, want := m.InitialEffectiveW1(), ref.InitialEffectiveW1(); !matricesClose(got, want, 1e-6) {
		t.Error("matched init: the added rule does not start from abs's effective weights")
	}
	d, _ := GenerateStimulus(cfg, 32, 3, 1)
	fast, err := newStepper(gobackend.GetBackend(), m)
	if err != nil {
		t.Fatal(err)
	}
	graph, err := newGraphStepper(gobackend.GetBackend(), m)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		idx := make([]int, 16)
		for i := range idx {
			idx[i] = (i*5 + k*3) % 32
		}
		a, err := fast.step(d, idx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := graph.step(d, idx)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(a-b) > 1e-5*math.Max(1, math.Abs(b)) {
			t.Errorf("step %d: Go kernels loss %v, single graph %v", k, a, b)
		}
	}
	w1 := variableMatrix(fast.params()[0], m.W1.Rows, m.W1.Cols)
	if g1 := variableMatrix(graph.params()[0], m.W1.Rows, m.W1.Cols); !matricesClose(w1, g1, 3e-5) {
		t.Error("the two formulations' input weights differ after 3 steps")
	}
	if slices.Equal(w1.Data, m.W1.Data) {
		t.Fatal("the input weights did not move: the comparison is vacuous")
	}
	trained := m.Clone()
	trained.W1, trained.W2 = w1, variableMatrix(fast.params()[1], m.W2.Rows, m.W2.Cols)
	if slices.Equal(trained.W2.Data, m.W2.Data) {
		t.Fatal("the readout weights did not move")
	}
	checkAppliedSigns(t, "square", trained) // f >= 0: the signs come from the masks, as for abs
}

// matricesClose reports whether a and b have the same shape and agree within tol elementwise.
func matricesClose(a, b Matrix, tol float64) bool {
	if a.Rows != b.Rows || a.Cols != b.Cols {
		return false
	}
	for i := range a.Data {
		if math.Abs(float64(a.Data[i]-b.Data[i])) > tol {
			return false
		}
	}
	return true
}
