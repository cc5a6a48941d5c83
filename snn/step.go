package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
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
	v1, v2 *model.Variable
	grad   *model.Exec
	apply  *model.Exec
	cols   *spikeColumns
	lif    *lifKernel
	p, gW1 []float32
	r      []float32 // weighted spike sums [batch, hidden]
	signs1 []float32
	// used1 and used2 are the effective weights the last step computed with: W1eff as given to the input
	// projection, W2eff as the grad graph computed it (for tests of Dale's law on what the network applied).
	used1, used2 Matrix
}

func newStepper(backend compute.Backend, m *Model) (*stepper, error) {
	cfg, B := m.Config, m.Config.BatchSize
	I, H := cfg.NumInputs(), cfg.NumHidden
	store, v1, v2, err := newWeightStore(m)
	if err != nil {
		return nil, err
	}
	signs1, signs2 := m.Mask1.Signs, m.Mask2.Signs
	grad, err := model.NewExec(backend, store, func(scope *model.Scope, inputs []*Node) []*Node {
		r, y := inputs[0], inputs[1]
		g := r.Graph()
		w2raw := v2.NodeValue(g)
		w2 := effectiveWeights(w2raw, signs2, cfg.DaleOnHidden(), cfg.SignParam)
		loss := lossFromReadout(cfg, Dot(r, w2).Product(), y)
		grads := Gradient(loss, r, w2raw)
		return []*Node{loss, grads[0], grads[1], w2} // w2: the effective weights the step used
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build training graph: %w", err)
	}
	opt, ok := optimizer.Adam().LearningRate(cfg.LearningRate).Epsilon(cfg.AdamEpsilon).Done().(interface {
		UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
	})
	if !ok {
		return nil, fmt.Errorf("snn: GoMLX's Adam does not take precomputed gradients")
	}
	apply, err := model.NewExec(backend, store, func(scope *model.Scope, gW1eff, gW2 *Node) {
		g := gW1eff.Graph()
		w1raw := v1.NodeValue(g)
		// d(loss)/d(w1) through w1eff = |w1|*sign, with GoMLX's own derivative of the layer map.
		gW1 := Gradient(ReduceAllSum(Mul(effectiveWeights(w1raw, signs1, cfg.DaleOnInput(), cfg.SignParam), StopGradient(gW1eff))), w1raw)[0]
		_ = v2.NodeValue(g) // marks w2 as used by this graph, so that Adam updates it
		byName := map[string]*Node{"w1": gW1, "w2": gW2}
		var grads []*Node
		for v := range scope.IterVariables() {
			if v.Trainable && v.InUseByGraph(g) {
				grads = append(grads, byName[v.Name()])
			}
		}
		if len(grads) != 2 {
			panic(fmt.Sprintf("snn: the update graph found %d trainable variables, want w1 and w2", len(grads)))
		}
		opt.UpdateGraphWithGradients(scope, grads, dtypes.Float32)
		projectClip(cfg, g, v1, v2)
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build update graph: %w", err)
	}
	return &stepper{cfg: cfg, store: store, v1: v1, v2: v2, grad: grad, apply: apply,
		cols: newSpikeColumns(cfg, B), lif: newLIFKernel(cfg), p: make([]float32, (cfg.NumSteps()-1)*B*H),
		gW1: make([]float32, I*H), r: make([]float32, B*H), signs1: signs1}, nil
}

// projectClip adds to an update graph, under SignClip, the projection of the constrained layers' raw
// weights onto the feasible set w >= 0 (after the optimiser's update).
func projectClip(cfg Config, g *Graph, v1, v2 *model.Variable) {
	if cfg.SignParam != SignClip {
		return
	}
	for _, v := range []struct {
		on bool
		v  *model.Variable
	}{{cfg.DaleOnInput(), v1}, {cfg.DaleOnHidden(), v2}} {
		if v.on {
			w := v.v.NodeValue(g)
			v.v.SetNodeValue(Max(w, ZerosLike(w)))
		}
	}
}

// newWeightStore puts the raw weights of m in a new GoMLX store as the trainable variables w1 and w2.
func newWeightStore(m *Model) (store *model.Store, v1, v2 *model.Variable, err error) {
	store = model.NewStore()
	scope := store.RootScope()
	if v1, err = scope.CreateVariable("w1", matrixTensor(m.W1)); err != nil {
		return nil, nil, nil, fmt.Errorf("snn: create w1: %w", err)
	}
	if v2, err = scope.CreateVariable("w2", matrixTensor(m.W2)); err != nil {
		return nil, nil, nil, fmt.Errorf("snn: create w2: %w", err)
	}
	return store, v1, v2, nil
}

// step takes one Adam step on samples idx of d and returns the batch loss.
func (s *stepper) step(d *Dataset, idx []int) (float64, error) {
	cfg := s.cfg
	I, H := cfg.NumInputs(), cfg.NumHidden
	s.cols.fill(d, idx, cfg.NumClasses)
	w1 := variableMatrix(s.v1, I, H)
	s.used1 = EffectiveParam(w1, Mask{Signs: s.signs1}, cfg.DaleOnInput(), cfg.SignParam)
	s.cols.project(s.used1, s.p)
	B := s.cols.batch
	s.lif.forward(s.p, B, s.r, true)
	rT := tensors.FromFlatDataAndDimensions(s.r, B, H)
	yT := tensors.FromFlatDataAndDimensions(s.cols.labels, len(s.cols.labels))
	out, err := s.grad.Call(rT, yT)
	rT.FinalizeAll()
	yT.FinalizeAll()
	if err != nil {
		return 0, err
	}
	loss := float64(tensors.ToScalar[float32](out[0]))
	s.used2 = Matrix{Rows: H, Cols: cfg.NumClasses, Data: tensors.MustCopyFlatData[float32](out[3])}
	s.lif.backward(s.p, B, tensors.MustCopyFlatData[float32](out[1]))
	s.cols.projectGrad(s.p, I, H, s.gW1)
	gW1T := tensors.FromFlatDataAndDimensions(s.gW1, I, H)
	_, err = s.apply.Call(gW1T, out[2])
	gW1T.FinalizeAll()
	for _, t := range out {
		t.FinalizeAll()
	}
	return loss, err
}

func (s *stepper) variables() (v1, v2 *model.Variable) { return s.v1, s.v2 }

// trainStep is one formulation of the training step: stepper (Go kernels) or graphStepper (one graph).
type trainStep interface {
	// step takes one Adam step on samples idx of d and returns the batch loss.
	step(d *Dataset, idx []int) (float64, error)
	// variables are the raw weights w1 and w2 as the step updates them.
	variables() (v1, v2 *model.Variable)
}

// batchForward is one formulation of the forward pass without gradients: forwardExec or graphForward.
type batchForward interface {
	// run evaluates samples idx of d (at most one batch) with effective weights w1 [I, H] and w2 [H, C];
	// m is the readout summed over time, [batch][classes] flattened.
	run(w1 Matrix, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error)
	batchSize() int
}
