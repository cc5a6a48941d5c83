package snn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The spike index lists exactly the spikes of the dataset's bits, step by step in increasing fibre order,
// for the fed steps 0..NumSteps-2, for a dataset and a subset of it (including a step-count where a
// sample's bits do not fill whole words), in both fibre widths; a dataset of more than 256 fibres is
// listed with two-byte fibre numbers.
func TestSpikeIndexMatchesBits(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ANFPerEar, cfg.Duration = 7, 0.013 // 14 fibres x 13 steps = 182 bits: 3 words, the last partly used
	d, err := GenerateStimulus(cfg, 20, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	wideCfg := cfg
	wideCfg.ANFPerEar = 129 // 258 fibres: more than one byte numbers
	wide, err := GenerateStimulus(wideCfg, 3, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !d.spikes().narrow || wide.spikes().narrow {
		t.Fatalf("narrow lists: %v for %d fibres, %v for %d; want true, false",
			d.spikes().narrow, d.NumInputs, wide.spikes().narrow, wide.NumInputs)
	}
	for _, ds := range []*Dataset{d, d.Subset([]int{19, 3, 3, 0}), wide} {
		ix := ds.spikes()
		if ds.spikes() != ix {
			t.Error("the index is rebuilt on every call")
		}
		checkSpikeIndex(t, ds, ix)
		if ds.NumInputs <= 256 {
			checkSpikeIndex(t, ds, newSpikeIndex(ds, true))
		}
	}
}

func checkSpikeIndex(t *testing.T, ds *Dataset, ix *spikeIndex) {
	t.Helper()
	listed := 0
	for n := 0; n < ds.Len(); n++ {
		for st := 0; st < ds.NumSteps-1; st++ {
			want := []int{}
			for i := 0; i < ds.NumInputs; i++ {
				if ds.Spike(n, st, i) {
					want = append(want, i)
				}
			}
			if got := ix.stepFibres(n, st); !slices.Equal(got, want) {
				t.Fatalf("%d fibres, narrow %v: sample %d step %d: index lists %v, bits say %v",
					ds.NumInputs, ix.narrow, n, st, got, want)
			}
			listed += len(want)
		}
	}
	if listed == 0 || listed != ix.len() || listed != len(ix.fibres8)+len(ix.fibres16) {
		t.Errorf("%d spikes in the fed steps, the index holds %d (%d + %d listed)", listed, ix.len(),
			len(ix.fibres8), len(ix.fibres16))
	}
}

// stepFibres returns the fibres that spiked at step t of sample n.
func (ix *spikeIndex) stepFibres(n, t int) []int {
	k := n*ix.steps + t
	if ix.narrow {
		return toInts(ix.fibres8[ix.start[k]:ix.start[k+1]])
	}
	return toInts(ix.fibres16[ix.start[k]:ix.start[k+1]])
}

func toInts[F fibre](f []F) []int {
	out := make([]int, len(f))
	for i, x := range f {
		out[i] = int(x)
	}
	return out
}

// The input projection and its gradient read the one-byte and the two-byte lists of the same spikes to
// the same numbers, bit for bit, for a batch with a silent pad at its end.
func TestProjectionSameForBothFibreWidths(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Duration = 0.02
	d, err := GenerateStimulus(cfg, 5, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	H := 30
	w := Matrix{Rows: d.NumInputs, Cols: H, Data: make([]float32, d.NumInputs*H)}
	for i := range w.Data {
		w.Data[i] = float32(rng.NormFloat64())
	}
	g := make([]float32, (cfg.NumSteps()-1)*6*H) // the gradient of the projection, the same for both
	for i := range g {
		g[i] = float32(rng.NormFloat64())
	}
	var outs, grads [2][]float32
	for k, wide := range []bool{false, true} {
		cols := newSpikeColumns(cfg, 6)
		cols.fill(d, []int{4, 0, 2, 2, 1}, cfg.NumClasses)
		cols.index = newSpikeIndex(d, wide)
		if cols.index.narrow == wide {
			t.Fatalf("wide %v: the index is narrow %v", wide, cols.index.narrow)
		}
		outs[k] = make([]float32, cols.steps*cols.batch*H)
		for i := range outs[k] {
			outs[k][i] = 7 // the pad's rows must be set to 0
		}
		cols.project(w, outs[k])
		grads[k] = make([]float32, len(w.Data))
		cols.projectGrad(g, d.NumInputs, H, grads[k])
	}
	assertBits(t, "projection, two-byte lists", outs[1], outs[0])
	assertBits(t, "projection gradient, two-byte lists", grads[1], grads[0])
	pad := outs[0][5*(cfg.NumSteps()-1)*H:]
	for i, v := range pad {
		if v != 0 {
			t.Fatalf("the silent pad's current %d is %v, want 0", i, v)
		}
	}
	nonzero := 0
	for _, v := range outs[0] {
		if v != 0 {
			nonzero++
		}
	}
	if nonzero == 0 {
		t.Fatal("the projection is all zeros: the test compares nothing")
	}
}
