package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// readoutSumShunt is the whole network with shunting inhibition in one graph, the direct formulation
// of the equations of shunt.go: from x [I, (T-1)*batch] (column t*batch + b holds step t of sample b)
// and both layers' applied parameters (ee, ie, ei, alpha, gain, bias each), the hidden currents
// z [H, (T-1)*batch] = ShuntNode(x^T)^T for all steps at once, the LIF recurrence on their per-step
// slices (returned as hs, for the gradient in linear time), and the readout m [batch, C] from the spike
// records (shuntReadout's sum, records in this layout).
func readoutSumShunt(cfg Config, l1, l2 [6]*Node, x *Node, batch int) (m, z *Node, hs []*Node) {
	T, H, C := cfg.NumSteps(), cfg.NumHidden, cfg.NumClasses
	alpha, beta := cfg.Alpha(), cfg.SurrogateBeta
	c := ReadoutWeights(T, alpha)
	g := x.Graph()
	z = Transpose(ShuntNode(Transpose(x, 0, 1), l1[0], l1[1], l1[2], l1[3], l1[4], l1[5]), 0, 1) // [H, (T-1)B]
	p := Reshape(z, H, T-1, batch)
	v := Zeros(g, shapes.Make(dtypes.Float32, H, batch))
	s := v
	var records []*Node
	for start := 0; start < T-1; start += chunkSteps {
		end := min(start+chunkSteps, T-1)
		chunk := Slice(p, AxisRange(), AxisRange(start, end), AxisRange())
		for k := start; k < end; k++ {
			h := Reshape(Slice(chunk, AxisRange(), AxisElem(k-start), AxisRange()), H, batch)
			hs = append(hs, h)
			v, s = LIFStep(v, s, h, alpha, beta) // s is record k+1
			records = append(records, s)
		}
	}
	sp := Transpose(Concatenate(records, 1), 0, 1) // [(T-1)B, H], row k*B + b = s_{k+1} of sample b
	u := Reshape(ShuntNode(sp, l2[0], l2[1], l2[2], l2[3], l2[4], l2[5]), T-1, batch, C)
	w := make([]float32, T-1)
	for k := range w {
		w[k] = float32(c[k+1])
	}
	m = DotGeneral(u, []int{0}, nil, Const(g, w), []int{0}, nil) // [B, C]
	m = Add(m, BroadcastToDims(MulScalar(l2[5], c[0]), batch, C))
	return m, z, hs
}

// graphShuntStepper is the single-graph training step of a network with shunting inhibition: forward,
// autodiff for the readout and the recurrence, the hidden layer's parameters through its currents (one
// product per step's gradient, linear in steps, as linearTimeGradient), and the optimiser.
type graphShuntStepper struct{ graphExecStep }

func newGraphShuntStepper(backend compute.Backend, m *Model) (*graphShuntStepper, error) {
	cfg, B := m.Config, m.Config.BatchSize
	store, vars, err := newParamStore(m)
	if err != nil {
		return nil, err
	}
	opt, err := newOptimizer(cfg)
	if err != nil {
		return nil, err
	}
	specs := paramSpecs(cfg)
	scales := expGradScales(cfg, m.initRawParams())
	step, err := model.NewExec(backend, store, func(scope *model.Scope, inputs []*Node) []*Node {
		x, y := inputs[0], inputs[1]
		g := x.Graph()
		var raw1, raw2 []*Node
		var k1, k2 []int
		for k, s := range specs {
			if s.layer == 1 {
				raw1, k1 = append(raw1, vars[k].NodeValue(g)), append(k1, k)
			} else {
				raw2, k2 = append(raw2, vars[k].NodeValue(g)), append(k2, k)
			}
		}
		mOut, z, hs := readoutSumShunt(cfg, shuntLayerNodes(cfg, raw1), shuntLayerNodes(cfg, raw2), x, B)
		loss := lossFromReadout(cfg, mOut, y)
		g2 := Gradient(loss, append(append([]*Node{}, hs...), raw2...)...)
		G := Concatenate(g2[:len(hs)], 1) // [H, (T-1)B], z's layout
		g1 := Gradient(ReduceAllSum(Mul(z, StopGradient(G))), raw1...)
		grads := make([]*Node, len(specs))
		for j, k := range k1 {
			grads[k] = g1[j]
		}
		for j, k := range k2 {
			grads[k] = g2[len(hs)+j]
		}
		updateWithGradients(cfg, scope, g, vars, grads, opt, scales)
		return []*Node{loss}
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build training graph (shunting): %w", err)
	}
	return &graphShuntStepper{newGraphExecStep(step, vars, cfg, B)}, nil
}

func (s *graphShuntStepper) step(d *Dataset, idx []int) (float64, error) { return s.run(d, idx, nil) }

// graphShuntForward is the single-graph forward pass of a network with shunting inhibition:
// (x, both layers' applied parameters, labels) -> (m [batch, classes], mean NLL loss).
type graphShuntForward struct {
	cfg  Config
	exec *Exec
	in   *batchInput
}

func newGraphShuntForward(backend compute.Backend, cfg Config, batch int) (*graphShuntForward, error) {
	exec, err := NewExec(backend, func(inputs []*Node) []*Node {
		var l1, l2 [6]*Node
		copy(l1[:], inputs[1:7])
		copy(l2[:], inputs[7:13])
		m, _, _ := readoutSumShunt(cfg, l1, l2, inputs[0], batch)
		return []*Node{m, lossFromReadout(cfg, m, inputs[13])}
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph (shunting): %w", err)
	}
	return &graphShuntForward{cfg: cfg, exec: exec, in: newBatchInput(cfg, batch)}, nil
}

func (f *graphShuntForward) batchSize() int { return f.in.batch }

func (f *graphShuntForward) run(w inputWeights, _ *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	if w.shunt == nil {
		return nil, 0, fmt.Errorf("snn: the forward pass of shunting inhibition needs both layers' shunting parameters")
	}
	f.in.fill(d, idx, f.cfg.NumClasses)
	x, y := f.in.tensors(f.cfg)
	args := append([]*tensors.Tensor{x}, w.shunt[0].tensors()...)
	args = append(args, w.shunt[1].tensors()...)
	args = append(args, y)
	out, err := callFreeing(f.exec.Call, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	return finishForward(out)
}
