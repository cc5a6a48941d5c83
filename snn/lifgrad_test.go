package snn

import (
	"math"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// The kernel's backward pass must give GoMLX autodiff's gradient of the same recurrence built as a graph
// (spikeSumFromCurrents), for the loss L = sum(r * G) with a fixed G.
func TestLIFKernelBackwardMatchesAutodiff(t *testing.T) {
	cfg := DefaultConfig()
	const B = 4
	m, _ := NewModel(cfg)
	d, _ := GenerateStimulus(cfg, B, 3, 1)
	cols := newSpikeColumns(cfg, B)
	cols.fill(d, []int{0, 1, 2, 3}, cfg.NumClasses)
	H := cfg.NumHidden
	p := make([]float32, (cfg.NumSteps()-1)*B*H)
	cols.project(m.EffectiveW1(), p)
	G := make([]float32, B*H)
	for i := range G {
		G[i] = float32(math.Sin(float64(i)))
	}
	exec := MustNewExec(gobackend.GetBackend(), func(p, g *Node) (*Node, *Node) {
		r := spikeSumFromCurrents(cfg, p, B)
		return r, Gradient(ReduceAllSum(Mul(r, g)), p)[0]
	})
	out := exec.MustCall(tensors.FromFlatDataAndDimensions(append([]float32(nil), p...), len(p)/H, H),
		tensors.FromFlatDataAndDimensions(G, B, H))
	wantR, wantG := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])
	k := newLIFKernel(cfg)
	r := make([]float32, B*H)
	k.forward(p, B, r, true)
	for i := range r {
		if r[i] != wantR[i] {
			t.Fatalf("r[%d] = %v, graph %v", i, r[i], wantR[i])
		}
	}
	k.backward(p, B, G)
	bad, nonzero := 0, 0
	for i := range p {
		if math.Abs(float64(p[i]-wantG[i])) > 1e-5*math.Max(1, math.Abs(float64(wantG[i]))) {
			if bad < 10 {
				t.Errorf("dL/dp[%d] (sample %d, step %d, unit %d) = %v, autodiff %v", i, i/(H*(cfg.NumSteps()-1)),
					(i/H)%(cfg.NumSteps()-1), i%H, p[i], wantG[i])
			}
			bad++
		}
		if wantG[i] != 0 {
			nonzero++
		}
	}
	if nonzero == 0 {
		t.Fatal("autodiff's gradient is all zero: the comparison would be vacuous")
	}
	if bad > 0 {
		t.Errorf("%d of %d gradient entries differ", bad, len(p))
	}
}

// spikeSumFromCurrents builds, in one graph, what lifKernel computes in Go: the weighted time sum of the
// hidden spikes r = sum_j c_j s_j [batch, hidden] (see ReadoutWeights) from the hidden layer's input
// currents p [batch*(T-1), hidden], row b*(T-1) + t holding x_t W1eff of sample b. The recurrence runs
// on [batch, hidden], with the projection sliced in two levels (chunks, then steps) so that each slice's
// zero-padded gradient stays small. It is the autodiff reference for the kernel's backward pass.
func spikeSumFromCurrents(cfg Config, p *Node, batch int) *Node {
	T := cfg.NumSteps()
	H := cfg.NumHidden
	alpha, beta := cfg.Alpha(), cfg.SurrogateBeta
	c := ReadoutWeights(T, alpha)
	g := p.Graph()
	p = Reshape(p, batch, T-1, H)
	v := Zeros(g, shapes.Make(dtypes.Float32, batch, H))
	s := v
	weighted := v // sum_j c_j s_j; s_0 = 0 contributes nothing.
	for start := 0; start < T-1; start += chunkSteps {
		end := min(start+chunkSteps, T-1)
		chunk := Slice(p, AxisRange(), AxisRange(start, end))
		for k := start; k < end; k++ {
			h := Reshape(Slice(chunk, AxisRange(), AxisElem(k-start)), batch, H)
			v, s = LIFStep(v, s, h, alpha, beta) // s is record k+1
			if c[k+1] != 0 {
				weighted = Add(weighted, MulScalar(s, c[k+1]))
			}
		}
	}
	return weighted
}
