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

// stepper runs one training step in three parts, so that the input projection never multiplies the
// binary input spikes as dense floats:
//
//  1. Go: p = x W1eff from the spike lists (spikeColumns.project);
//  2. graph "grad": the recurrence, readout and loss from p and W2, with GoMLX autodiff giving
//     dLoss/dp and dLoss/dW2 (raw parameter, through |w|*sign);
//  3. Go: dLoss/dW1eff = x^T dLoss/dp (spikeColumns.projectGrad); then graph "apply": the chain rule
//     through |w|*sign for W1 and GoMLX's Adam on both parameters (one optimiser step).
//
// The numbers are those of the single-graph formulation up to float32 summation order.
type stepper struct {
	cfg    Config
	store  *model.Store
	v1, v2 *model.Variable
	grad   *model.Exec
	apply  *model.Exec
	cols   *spikeColumns
	p, gW1 []float32
	signs1 []float32
}

func newStepper(backend compute.Backend, m *Model) (*stepper, error) {
	cfg, B := m.Config, m.Config.BatchSize
	I, H := cfg.NumInputs(), cfg.NumHidden
	store, v1, v2, err := newWeightStore(m)
	if err != nil {
		return nil, err
	}
	signs1, signs2 := m.Mask1.Signs, m.Mask2.Signs
	grad, err := model.NewExec(backend, store, func(scope *model.Scope, p, y *Node) (*Node, *Node, *Node) {
		g := p.Graph()
		w2raw := v2.NodeValue(g)
		w2 := effectiveWeights(w2raw, signs2, cfg.DaleOnHidden(), cfg.SignParam)
		loss := lossFromReadout(cfg, readoutFromCurrents(cfg, p, w2, B), y)
		grads := Gradient(loss, p, w2raw)
		return loss, grads[0], grads[1]
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
		if cfg.SignParam == SignClip { // projection onto the feasible set w >= 0 of the constrained layers
			if cfg.DaleOnInput() {
				v1.SetNodeValue(Max(v1.NodeValue(g), ZerosLike(w1raw)))
			}
			if cfg.DaleOnHidden() {
				v2.SetNodeValue(Max(v2.NodeValue(g), ZerosLike(v2.NodeValue(g))))
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build update graph: %w", err)
	}
	return &stepper{cfg: cfg, store: store, v1: v1, v2: v2, grad: grad, apply: apply,
		cols: newSpikeColumns(cfg, B), p: make([]float32, (cfg.NumSteps()-1)*B*H), gW1: make([]float32, I*H),
		signs1: signs1}, nil
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
	s.cols.project(EffectiveParam(w1, Mask{Signs: s.signs1}, cfg.DaleOnInput(), cfg.SignParam), s.p)
	pT := tensors.FromFlatDataAndDimensions(s.p, len(s.p)/H, H)
	yT := tensors.FromFlatDataAndDimensions(s.cols.labels, len(s.cols.labels))
	out, err := s.grad.Call(pT, yT)
	pT.FinalizeAll()
	yT.FinalizeAll()
	if err != nil {
		return 0, err
	}
	loss := float64(tensors.ToScalar[float32](out[0]))
	gP := tensors.MustCopyFlatData[float32](out[1])
	s.cols.projectGrad(gP, I, H, s.gW1)
	gW1T := tensors.FromFlatDataAndDimensions(s.gW1, I, H)
	_, err = s.apply.Call(gW1T, out[2])
	gW1T.FinalizeAll()
	for _, t := range out {
		t.FinalizeAll()
	}
	return loss, err
}
