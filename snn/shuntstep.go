package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// shuntStepper is the Go-kernel training step of a network with shunting inhibition (Config.Shunting):
//
//  1. Go: z_E and z_I of every (sample, step) from the spike lists, one projection of [W_EE | W_IE];
//  2. Go: the hidden layer's shunted currents (shuntCell) and the LIF recurrence, keeping its membranes;
//  3. graph "grad": the readout from the spike records (shuntReadout: shunting per record, summed over
//     records with the readout's weights c_j), the loss, and by autodiff dL/d(spike records) and the
//     readout's raw-parameter gradients;
//  4. Go: backpropagation through time from the spike records' gradients (lifKernel.backwardSpikes),
//     then through the shunting (shuntCellGrad) to z_E, z_I and the hidden layer's W_EI, alpha, gain
//     and bias, then dW_EE, dW_IE = x^T dz (spikeColumns.projectGrad);
//  5. graph "apply": the chain rule through the sign parametrisation, DANN's correction where set, the
//     optimiser and clip's projection, as for every network.
//
// The numbers are those of the single-graph formulation (graphShuntStepper) up to float32 summation
// order (TestShuntStepperMatchesSingleGraph).
type shuntStepper struct {
	cfg            Config
	store          *model.Store
	vars           []*model.Variable
	grad, apply    *model.Exec
	cols           *spikeColumns
	lif            *lifKernel
	wig            *wiggler
	l1, l2         []int     // paramSpecs indices of each layer: ee, ie, ei, alpha, gain, bias
	zEI, p, r, sp  []float32 // [B*S, n_e+n_i], [B*S, n_e], [B, n_e], [B*S, n_e]
	gz, gW         []float32 // [B*S, n_e+n_i], [I, n_e+n_i]
	perSample      []*shuntGrads
	ne, ni, inputs int
}

// shuntLayerNodes returns a layer's applied parameters from its raw nodes in paramSpecs order (ee, ie,
// ei, alpha, gain, bias): f(raw) for the weights and the gain, alpha and bias as they are.
func shuntLayerNodes(cfg Config, raw []*Node) [6]*Node {
	return [6]*Node{positiveNode(cfg, raw[0]), positiveNode(cfg, raw[1]), positiveNode(cfg, raw[2]), raw[3],
		positiveNode(cfg, raw[4]), raw[5]}
}

// shuntReadout is m [batch, C] = sum_j c_j z(s_j) of a shunting readout from the spike records sp
// [batch*S, H] (row b*S + k holds s_{k+1} of sample b, S = NumSteps-1) and the readout's applied
// parameters l (ee, ie, ei, alpha, gain, bias, as shuntNode takes them). Record 0 is silent, so its
// current is the bias: it adds c_0 b.
func shuntReadout(cfg Config, sp *Node, l [6]*Node, batch int) *Node {
	T, C := cfg.NumSteps(), cfg.NumClasses
	c := ReadoutWeights(T, cfg.Alpha())
	w := make([]float32, T-1)
	for k := range w {
		w[k] = float32(c[k+1])
	}
	z := Reshape(ShuntNode(sp, l[0], l[1], l[2], l[3], l[4], l[5]), batch, T-1, C)
	m := DotGeneral(z, []int{1}, nil, Const(sp.Graph(), w), []int{0}, nil) // [B, C]
	return Add(m, BroadcastToDims(MulScalar(l[5], c[0]), batch, C))
}

func newShuntStepper(backend compute.Backend, m *Model) (*shuntStepper, error) {
	cfg, B := m.Config, m.Config.BatchSize
	I, H, ni := cfg.NumInputs(), cfg.NumHidden, cfg.NumInhibitory
	S := cfg.NumSteps() - 1
	store, vars, err := newParamStore(m)
	if err != nil {
		return nil, err
	}
	specs := paramSpecs(cfg)
	s := &shuntStepper{cfg: cfg, store: store, vars: vars, cols: newSpikeColumns(cfg, B), lif: newLIFKernel(cfg),
		wig: newWiggler(cfg), ne: H, ni: ni, inputs: I,
		zEI: make([]float32, B*S*(H+ni)), p: make([]float32, B*S*H), r: make([]float32, B*H), sp: make([]float32, B*S*H),
		gz: make([]float32, B*S*(H+ni)), gW: make([]float32, I*(H+ni))}
	for k, sp := range specs {
		if sp.layer == 1 {
			s.l1 = append(s.l1, k)
		} else {
			s.l2 = append(s.l2, k)
		}
	}
	s.grad, err = model.NewExec(backend, store, func(scope *model.Scope, inputs []*Node) []*Node {
		sp, y := inputs[0], inputs[1]
		g := sp.Graph()
		raw2 := make([]*Node, len(s.l2))
		for j, k := range s.l2 {
			raw2[j] = vars[k].NodeValue(g)
		}
		loss := lossFromReadout(cfg, shuntReadout(cfg, sp, shuntLayerNodes(cfg, raw2), B), y)
		return append([]*Node{loss}, Gradient(loss, append([]*Node{sp}, raw2...)...)...)
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build training graph (shunting): %w", err)
	}
	s.apply, err = newApplyExec(backend, store, m, vars, s.l1, s.l2, "shunting", func(raw1 []*Node) []*Node {
		l := shuntLayerNodes(cfg, raw1)
		return l[:]
	})
	if err != nil {
		return nil, err
	}
	for range B {
		s.perSample = append(s.perSample, &shuntGrads{})
	}
	return s, nil
}

// layer1 returns the hidden layer as the variables hold it now, applied.
func (s *shuntStepper) layer1() shuntLayer {
	specs := paramSpecs(s.cfg)
	raw := make([]Matrix, len(s.l1))
	for j, k := range s.l1 {
		raw[j] = variableMatrix(s.vars[k], specs[k].rows, specs[k].cols)
	}
	p := s.cfg.SignParam
	return newShuntLayer(positive(raw[0], p), positive(raw[1], p), positive(raw[2], p), raw[3], positive(raw[4], p), raw[5])
}

// hiddenCurrents fills s.zEI and the hidden layer's currents s.p for the batch in s.cols, and runs the
// LIF recurrence keeping its membranes.
func hiddenCurrents(l shuntLayer, cols *spikeColumns, lif *lifKernel, zEI, p, r []float32) {
	B, S := cols.batch, cols.steps
	w := l.ne + l.ni
	cols.project(l.projection(), zEI)
	cell := kernels.shuntCell
	parallelChunks(B*S, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			cell(&l, zEI[c*w:(c+1)*w], p[c*l.ne:(c+1)*l.ne])
		}
	})
	lif.forward(p, B, r, true)
}

// step takes one optimiser step on samples idx of d and returns the batch loss.
func (s *shuntStepper) step(d *Dataset, idx []int) (float64, error) {
	cfg := s.cfg
	B, S, H := s.cols.batch, s.cols.steps, s.ne
	s.cols.fill(d, idx, cfg.NumClasses)
	l1 := s.layer1()
	hiddenCurrents(l1, s.cols, s.lif, s.zEI, s.p, s.r)
	s.lif.spikes(B, s.sp)
	out, loss, err := callRecords(s.grad.Call, s.sp, B*S, H, s.cols.labels)
	if err != nil {
		return 0, err
	}
	defer freeAll(out)
	s.lif.backwardSpikes(s.p, B, tensors.MustCopyFlatData[float32](out[1]))
	// Through the shunting, per sample (each sample's parameter gradients summed over its steps, then
	// the samples in order: the result does not depend on the number of cores).
	w := s.ne + s.ni
	cellGrad := kernels.shuntCellGrad
	parallelChunks(B, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			g := newShuntGrads(l1)
			for t := 0; t < S; t++ {
				c := b*S + t
				cellGrad(&l1, s.zEI[c*w:(c+1)*w], s.p[c*H:(c+1)*H], s.gz[c*w:(c+1)*w], g)
			}
			s.perSample[b] = g
		}
	})
	total := newShuntGrads(l1)
	for _, g := range s.perSample {
		total.add(g)
	}
	s.cols.projectGrad(s.gz, s.inputs, w, s.gW)
	gEE, gIE := NewMatrix(s.inputs, s.ne), NewMatrix(s.inputs, s.ni)
	for i := 0; i < s.inputs; i++ {
		copy(gEE.Data[i*s.ne:(i+1)*s.ne], s.gW[i*w:i*w+s.ne])
		copy(gIE.Data[i*s.ni:(i+1)*s.ni], s.gW[i*w+s.ne:(i+1)*w])
	}
	f32 := func(v []float64) []float32 {
		o := make([]float32, len(v))
		for i, x := range v {
			o[i] = float32(x)
		}
		return o
	}
	in := []*tensors.Tensor{matrixTensor(gEE), matrixTensor(gIE),
		tensors.FromFlatDataAndDimensions(f32(total.ei), s.ni, s.ne),
		tensors.FromFlatDataAndDimensions(f32(total.alpha), 1, s.ni),
		tensors.FromFlatDataAndDimensions(f32(total.gain), 1, s.ne),
		tensors.FromFlatDataAndDimensions(f32(total.bs), 1, s.ne)}
	if err := applyStep(s.apply, s.wig, s.vars, in, out[2:2+len(s.l2)]); err != nil {
		return 0, err
	}
	return loss, nil
}

func (s *shuntStepper) params() []*model.Variable { return s.vars }

func (s *shuntStepper) restarts() int { return s.wig.count() }

// shuntForward is the Go-kernel forward pass of a shunting network without gradients: the hidden layer
// in Go (hiddenCurrents), then the graph (spike records, readout parameters, labels) -> (m, loss).
type shuntForward struct {
	cfg           Config
	exec          *Exec
	cols          *spikeColumns
	lif           *lifKernel
	zEI, p, r, sp []float32
	batch         int
}

func newShuntForward(backend compute.Backend, cfg Config, batch int) (*shuntForward, error) {
	exec, err := NewExec(backend, func(inputs []*Node) []*Node {
		sp, y := inputs[0], inputs[7]
		m := shuntReadout(cfg, sp, [6]*Node{inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], inputs[6]}, batch)
		return []*Node{m, lossFromReadout(cfg, m, y)}
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph (shunting): %w", err)
	}
	S, H, ni := cfg.NumSteps()-1, cfg.NumHidden, cfg.NumInhibitory
	return &shuntForward{cfg: cfg, exec: exec, cols: newSpikeColumns(cfg, batch), lif: newLIFKernel(cfg),
		zEI: make([]float32, batch*S*(H+ni)), p: make([]float32, batch*S*H), r: make([]float32, batch*H),
		sp: make([]float32, batch*S*H), batch: batch}, nil
}

func (f *shuntForward) batchSize() int { return f.batch }

func (f *shuntForward) run(w inputWeights, _ *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	if w.shunt == nil {
		return nil, 0, fmt.Errorf("snn: the forward pass of shunting inhibition needs both layers' shunting parameters")
	}
	S, H := f.cols.steps, f.cfg.NumHidden
	f.cols.fill(d, idx, f.cfg.NumClasses)
	hiddenCurrents(w.shunt[0], f.cols, f.lif, f.zEI, f.p, f.r)
	f.lif.spikes(f.batch, f.sp)
	args := []*tensors.Tensor{tensors.FromFlatDataAndDimensions(f.sp, f.batch*S, H)}
	args = append(args, w.shunt[1].tensors()...)
	args = append(args, tensors.FromFlatDataAndDimensions(f.cols.labels, f.batch))
	out, err := callFreeing(f.exec.Call, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	return finishForward(out)
}

// tensors returns the layer's applied parameters as tensors in shuntNode's order (ee, ie, ei, alpha,
// gain, bias; the vectors as [1, n]).
func (l shuntLayer) tensors() []*tensors.Tensor {
	return []*tensors.Tensor{matrixTensor(l.ee), matrixTensor(l.ie), matrixTensor(l.ei),
		tensors.FromFlatDataAndDimensions(append([]float32(nil), l.alpha...), 1, l.ni),
		tensors.FromFlatDataAndDimensions(append([]float32(nil), l.gain...), 1, l.ne),
		tensors.FromFlatDataAndDimensions(append([]float32(nil), l.bias...), 1, l.ne)}
}
