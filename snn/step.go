package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// stepper runs one training step in five parts, so that the input projection never multiplies the
// binary input spikes as dense floats and the recurrence costs time linear in its length:
//
//  1. Go: p = x W1eff from the spike lists (spikeColumns.project);
//  2. Go: the LIF recurrence and the readout's weighted time sum r of the spikes (lifKernel.forward);
//  3. graph "grad": the readout r W2eff and the loss, with GoMLX autodiff giving dLoss/dr and dLoss/dW2
//     (raw parameter, through the sign parametrisation);
//  4. Go: backpropagation through time, dLoss/dp (lifKernel.backward), then dLoss/dW1eff = x^T dLoss/dp
//     (spikeColumns.projectGrad);
//  5. graph "apply": the chain rule through the sign parametrisation for W1 and GoMLX's Adam on both
//     parameters (one optimiser step), with clip's projection.
//
// The numbers are those of the single-graph formulation (graphStepper) up to float32 summation order.
type stepper struct {
	cfg    Config
	store  *model.Store
	vars   []*model.Variable // paramSpecs order
	grad   *model.Exec
	apply  *model.Exec
	cols   *spikeColumns
	lif    *lifKernel
	wig    *wiggler
	p, gW1 []float32
	r      []float32 // weighted spike sums [batch, hidden]
	signs1 []float32
	// used1 and used2 are the effective weights the last step computed with: W1eff as given to the input
	// projection, W2eff as the grad graph computed it (for tests of Dale's law on what the network applied).
	used1, used2 Matrix
	// usedParts are the matrices those were made of (usedMatrices: f(raw), times the row sign for
	// ColumnEI), in paramSpecs order: layer 1's as the projection's weights were built from, layer 2's
	// as the grad graph computed them.
	usedParts []Matrix
}

func newStepper(backend compute.Backend, m *Model) (*stepper, error) {
	cfg, B := m.Config, m.Config.BatchSize
	I, H := cfg.NumInputs(), cfg.NumHidden
	store, vars, err := newParamStore(m)
	if err != nil {
		return nil, err
	}
	specs := paramSpecs(cfg)
	var l1, l2 []int // indices of each layer's matrices
	for k, s := range specs {
		if s.layer == 1 {
			l1 = append(l1, k)
		} else {
			l2 = append(l2, k)
		}
	}
	grad, err := newReadoutGradExec(backend, store, cfg, vars, l2, m.Mask2.Signs)
	if err != nil {
		return nil, err
	}
	signs1 := m.Mask1.Signs
	apply, err := newApplyExec(backend, store, m, vars, l1, l2, "", func(raw1 []*Node) []*Node {
		return []*Node{layerNodes(cfg, 1, raw1, signs1)}
	})
	if err != nil {
		return nil, err
	}
	return &stepper{cfg: cfg, store: store, vars: vars, grad: grad, apply: apply,
		cols: newSpikeColumns(cfg, B), lif: newLIFKernel(cfg), p: make([]float32, (cfg.NumSteps()-1)*B*H),
		gW1: make([]float32, I*H), r: make([]float32, B*H), signs1: signs1, wig: newWiggler(cfg)}, nil
}

// newReadoutGradExec builds the graph "grad" of the Go-kernel steps whose hidden layer ends in the
// readout's weighted spike sums r [batch, H]: (r, labels) -> (loss, dLoss/dr, dLoss/d(raw) of layer 2's
// matrices (spec indices l2, in order), W2eff as applied, layer 2's used parts (usedNode)).
func newReadoutGradExec(backend compute.Backend, store *model.Store, cfg Config, vars []*model.Variable, l2 []int,
	signs2 []float32) (*model.Exec, error) {
	grad, err := model.NewExec(backend, store, func(scope *model.Scope, inputs []*Node) []*Node {
		r, y := inputs[0], inputs[1]
		g := r.Graph()
		raw2 := make([]*Node, len(l2))
		for j, k := range l2 {
			raw2[j] = vars[k].NodeValue(g)
		}
		w2 := layerNodes(cfg, 2, raw2, signs2)
		loss := lossFromReadout(cfg, Dot(r, w2).Product(), y)
		grads := Gradient(loss, append([]*Node{r}, raw2...)...)
		out := append([]*Node{loss}, grads...)
		out = append(out, w2) // the effective weights the step used
		for _, w := range raw2 {
			out = append(out, usedNode(cfg, 2, w, signs2))
		}
		return out
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build training graph: %w", err)
	}
	return grad, nil
}

// newApplyExec builds the graph "apply" that ends every Go-kernel step. Its inputs are the gradients
// dLoss/dA_j of the matrices A_j = applied(raw1) that layer 1 applied (the step's Go code computes them),
// then dLoss/d(raw) of layer 2's matrices (spec indices l2, in order). It takes the chain rule through
// applied with GoMLX's own derivative, d/d(raw1) of sum_j <A_j, stop(dLoss/dA_j)>, then DANN's
// correction where set, the optimiser and clip's projection (updateWithGradients). what names the
// network in an error ("" for none).
func newApplyExec(backend compute.Backend, store *model.Store, m *Model, vars []*model.Variable, l1, l2 []int,
	what string, applied func(raw1 []*Node) []*Node) (*model.Exec, error) {
	cfg := m.Config
	if what != "" {
		what = " (" + what + ")"
	}
	opt, err := newOptimizer(cfg)
	if err != nil {
		return nil, err
	}
	scales := expGradScales(cfg, m.initRawParams())
	apply, err := model.NewExec(backend, store, func(scope *model.Scope, inputs []*Node) []*Node {
		g := inputs[0].Graph()
		raw1 := make([]*Node, len(l1))
		for j, k := range l1 {
			raw1[j] = vars[k].NodeValue(g)
		}
		a := applied(raw1)
		var sum *Node
		for j := range a {
			t := ReduceAllSum(Mul(a[j], StopGradient(inputs[j])))
			if sum == nil {
				sum = t
			} else {
				sum = Add(sum, t)
			}
		}
		g1 := Gradient(sum, raw1...)
		grads := make([]*Node, len(vars))
		for j, k := range l1 {
			grads[k] = g1[j]
		}
		for j, k := range l2 {
			_ = vars[k].NodeValue(g) // marks the variable as used by this graph, so that the optimiser updates it
			grads[k] = inputs[len(a)+j]
		}
		updateWithGradients(cfg, scope, g, vars, grads, opt, scales)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build update graph%s: %w", what, err)
	}
	return apply, nil
}

// usedNode is usedMatrices for one raw matrix node of a layer.
func usedNode(cfg Config, layer int, raw *Node, signs []float32) *Node {
	a, _ := cfg.arch()
	return a.partNode(cfg, layer, raw, signs)
}

// step takes one optimiser step on samples idx of d and returns the batch loss.
func (s *stepper) step(d *Dataset, idx []int) (float64, error) {
	cfg := s.cfg
	I, H, C := cfg.NumInputs(), cfg.NumHidden, cfg.NumClasses
	specs := paramSpecs(cfg)
	s.cols.fill(d, idx, cfg.NumClasses)
	var l1, l2 []int // spec indices of each layer's matrices
	var raw1 []Matrix
	for k, sp := range specs {
		if sp.layer == 1 {
			l1, raw1 = append(l1, k), append(raw1, variableMatrix(s.vars[k], sp.rows, sp.cols))
		} else {
			l2 = append(l2, k)
		}
	}
	// Layer 1's weights as applied, and its matrices' parts (f(raw), with the row signs under ColumnEI),
	// computed once: the projection uses them and the test hooks read them.
	s.usedParts = make([]Matrix, len(specs))
	a, _ := cfg.arch()
	var parts []Matrix
	s.used1, parts = a.applied1(cfg, raw1, s.signs1)
	for j, k := range l1 {
		s.usedParts[k] = parts[j]
	}
	s.cols.project(s.used1, s.p)
	B := s.cols.batch
	s.lif.forward(s.p, B, s.r, true)
	out, loss, err := callRecords(s.grad.Call, s.r, B, H, s.cols.labels)
	if err != nil {
		return 0, err
	}
	defer freeAll(out)
	n2 := len(l2)
	s.used2 = Matrix{Rows: H, Cols: C, Data: tensors.MustCopyFlatData[float32](out[2+n2])}
	for j, k := range l2 {
		s.usedParts[k] = Matrix{Rows: specs[k].rows, Cols: specs[k].cols, Data: tensors.MustCopyFlatData[float32](out[3+n2+j])}
	}
	s.lif.backward(s.p, B, tensors.MustCopyFlatData[float32](out[1]))
	s.cols.projectGrad(s.p, I, H, s.gW1)
	if err := applyStep(s.apply, s.wig, s.vars, []*tensors.Tensor{tensors.FromFlatDataAndDimensions(s.gW1, I, H)}, out[2:2+n2]); err != nil {
		return 0, err
	}
	return loss, nil
}

// applyStep ends a Go-kernel step: the graph "apply" (newApplyExec) on layer 1's gradients g1 (made by
// the step's Go code, freed here) and layer 2's g2 (the grad graph's outputs, freed by the caller), then
// wiggle's restarts.
func applyStep(apply *model.Exec, wig *wiggler, vars []*model.Variable, g1, g2 []*tensors.Tensor) error {
	_, err := apply.Call(append(tensorsAny(g1), tensorsAny(g2)...)...)
	for _, t := range g1 {
		t.FinalizeAll()
	}
	if err != nil {
		return err
	}
	_, err = wig.apply(vars)
	return err
}

func tensorsAny(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

func (s *stepper) params() []*model.Variable { return s.vars }

func (s *stepper) restarts() int { return s.wig.count() }

// trainStep is one formulation of the training step: stepper (Go kernels) or graphStepper (one graph).
type trainStep interface {
	// step takes one optimiser step on samples idx of d and returns the batch loss.
	step(d *Dataset, idx []int) (float64, error)
	// params are the raw trainable matrices as the step updates them, in paramSpecs order.
	params() []*model.Variable
	// restarts is the number of weights SignWiggle has restarted so far (0 under other rules).
	restarts() int
}

// batchForward is one formulation of the forward pass without gradients: forwardExec or graphForward.
type batchForward interface {
	// run evaluates samples idx of d (at most one batch) with input weights w (Model.inputWeights) and
	// effective readout weights w2 [H, C]; m is the readout summed over time, [batch][classes] flattened.
	run(w inputWeights, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error)
	batchSize() int
}
