package snn

import (
	"math"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// The split step (sparse input projection in Go, recurrence and Adam in GoMLX) must agree with the
// single-graph step (dense projection, GoMLX autodiff end to end) on the same batch: the loss and the
// weights after three Adam steps, up to float32 summation order.
func TestStepperMatchesSingleGraph(t *testing.T) {
	for _, dales := range []bool{true, false} {
		cfg := DefaultConfig()
		cfg.BatchSize, cfg.DalesLaw = 16, dales
		m, _ := NewModel(cfg)
		d, _ := GenerateStimulus(cfg, 16, 3, 1)
		idx := make([]int, 16)
		for i := range idx {
			idx[i] = i
		}
		ref, err := newTrainer(gobackend.GetBackend(), m)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := newStepper(gobackend.GetBackend(), m)
		if err != nil {
			t.Fatal(err)
		}
		in := newBatchInput(cfg, 16)
		for k := 0; k < 3; k++ {
			in.fill(d, idx, cfg.NumClasses)
			x, y := in.tensors(cfg)
			out, err := ref.step.Call(x, y)
			if err != nil {
				t.Fatal(err)
			}
			want := float64(out[0].Value().(float32))
			got, err := fast.step(d, idx)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("dales=%v step %d: loss %.7f, single graph %.7f", dales, k, got, want)
			}
		}
		for _, p := range []struct {
			name string
			a, b Matrix
		}{
			{"W1", variableMatrix(ref.v1, m.W1.Rows, m.W1.Cols), variableMatrix(fast.v1, m.W1.Rows, m.W1.Cols)},
			{"W2", variableMatrix(ref.v2, m.W2.Rows, m.W2.Cols), variableMatrix(fast.v2, m.W2.Rows, m.W2.Cols)},
		} {
			worst := 0.0
			for i := range p.a.Data {
				worst = math.Max(worst, math.Abs(float64(p.a.Data[i]-p.b.Data[i])))
			}
			if worst > 1e-5 {
				t.Errorf("dales=%v: %s differs by up to %g after 3 steps", dales, p.name, worst)
			}
		}
	}
}
