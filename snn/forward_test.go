package snn

import (
	"math"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// notebookLogits is a literal float64 port of the notebook's snn(): layer1 then membrane_only, summed
// over time and scaled, for one sample x [T][I] (reference for the graph's reformulated forward pass).
func notebookLogits(cfg Config, w1, w2 Matrix, x [][]float64) []float64 {
	T, H, C, I := cfg.NumSteps(), cfg.NumHidden, cfg.NumClasses, cfg.NumInputs()
	alpha := cfg.Alpha()
	v, s := make([]float64, H), make([]float64, H)
	sRec := [][]float64{append([]float64(nil), s...)}
	for t := 0; t < T-1; t++ {
		newV := make([]float64, H)
		for u := 0; u < H; u++ {
			h := 0.0
			for i := 0; i < I; i++ {
				h += x[t][i] * float64(w1.At(i, u))
			}
			newV[u] = (alpha*v[u] + h) * (1 - s[u])
		}
		for u := 0; u < H; u++ {
			s[u] = 0
			if v[u]-1 > 0 {
				s[u] = 1
			}
		}
		v = newV
		sRec = append(sRec, append([]float64(nil), s...))
	}
	out, sum := make([]float64, C), make([]float64, C)
	for t := 0; t < T-1; t++ {
		for c := 0; c < C; c++ {
			h := 0.0
			for u := 0; u < H; u++ {
				h += sRec[t][u] * float64(w2.At(u, c))
			}
			out[c] = alpha*out[c] + h
			sum[c] += out[c]
		}
	}
	for c := range sum {
		sum[c] *= cfg.ReadoutScale
	}
	return sum
}

// The graph's forward pass (one input projection, two-level slicing, collapsed readout) must give the
// notebook's logits for the same weights and spikes.
func TestForwardMatchesNotebookLoops(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ANFPerEar, cfg.NumHidden, cfg.Duration, cfg.BatchSize = 10, 6, 25e-3, 4
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Scale the weights up so that hidden units spike.
	for i := range m.W1.Data {
		m.W1.Data[i] *= 4
	}
	d, err := GenerateStimulus(cfg, cfg.BatchSize, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := newForward(gobackend.GetBackend(), cfg, cfg.BatchSize)
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := m.EffectiveW1(), m.EffectiveW2()
	mOut, _, err := fwd.run(inputWeights{eff: w1}, matrixTensor(w2), d, []int{0, 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	spiking := 0.0
	for n := 0; n < cfg.BatchSize; n++ {
		want := notebookLogits(cfg, w1, w2, d.Raster(n))
		for c := range want {
			got := cfg.ReadoutScale * float64(mOut[n*cfg.NumClasses+c])
			spiking += math.Abs(want[c])
			if math.Abs(got-want[c]) > 1e-5 {
				t.Errorf("sample %d class %d: graph logit %.7f, notebook loops %.7f", n, c, got, want[c])
			}
		}
	}
	if spiking == 0 {
		t.Fatal("no hidden spikes reached the readout: the comparison would be vacuous")
	}
}
