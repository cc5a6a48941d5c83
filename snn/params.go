package snn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// paramRole says what a trainable matrix is in its layer.
type paramRole int

const (
	roleMain  paramRole = iota // W1 or W2: the ColumnEI weights, or a population layer's W_EE
	roleIE                     // W_IE: inputs of a population layer's inhibitory units
	roleEI                     // W_EI: the inhibitory units' weights onto the layer's outputs
	roleAlpha                  // shunting: log-scale of each inhibitory unit's divisive weight (free)
	roleGain                   // shunting: the outputs' gain (through the sign parametrisation, >= 0)
	roleBias                   // shunting: the outputs' bias (free)
)

// paramSpec describes one trainable matrix: its variable name, layer (1: input, 2: readout), role and
// shape.
type paramSpec struct {
	name       string
	layer      int
	role       paramRole
	rows, cols int
}

// paramSpecs lists the trainable matrices of cfg in store order: w1, w2, then for ArchPopulations ie1,
// ei1, ie2, ei2, then with shunting inhibition alpha1, gain1, bias1, alpha2, gain2, bias2 (row vectors).
func paramSpecs(cfg Config) []paramSpec {
	I, H, C := cfg.NumInputs(), cfg.NumHidden, cfg.NumClasses
	a, _ := cfg.arch()
	return append([]paramSpec{{"w1", 1, roleMain, I, H}, {"w2", 2, roleMain, H, C}}, a.extraSpecs(cfg)...)
}

// rawParams returns m's raw trainable matrices in paramSpecs order (shared, not copied).
func (m *Model) rawParams() []Matrix {
	var out []Matrix
	for _, p := range m.paramPointers(false) {
		out = append(out, *p)
	}
	return out
}

// initRawParams returns m's initial raw matrices in paramSpecs order.
func (m *Model) initRawParams() []Matrix {
	var out []Matrix
	for _, p := range m.paramPointers(true) {
		out = append(out, *p)
	}
	return out
}

// setRawParams sets m's raw trainable matrices from w, in paramSpecs order.
func (m *Model) setRawParams(w []Matrix) {
	for k, p := range m.paramPointers(false) {
		*p = w[k]
	}
}

// paramPointers points at m's trainable matrices (or their initial values) in paramSpecs order.
func (m *Model) paramPointers(initial bool) []*Matrix {
	out := []*Matrix{&m.W1, &m.W2}
	if initial {
		out = []*Matrix{&m.InitW1, &m.InitW2}
	}
	if p := m.Pop; p != nil {
		if initial {
			out = append(out, &p.InitIE1, &p.InitEI1, &p.InitIE2, &p.InitEI2)
		} else {
			out = append(out, &p.IE1, &p.EI1, &p.IE2, &p.EI2)
		}
		if s := p.Shunt; s != nil {
			all := s.all()
			if initial {
				out = append(out, all[6:]...)
			} else {
				out = append(out, all[:6]...)
			}
		}
	}
	return out
}

// newParamStore puts the raw weights of m in a new GoMLX store as trainable variables named as
// paramSpecs.
func newParamStore(m *Model) (*model.Store, []*model.Variable, error) {
	store := model.NewStore()
	scope := store.RootScope()
	raw := m.rawParams()
	var vars []*model.Variable
	for k, s := range paramSpecs(m.Config) {
		v, err := scope.CreateVariable(s.name, matrixTensor(raw[k]))
		if err != nil {
			return nil, nil, fmt.Errorf("snn: create %s: %w", s.name, err)
		}
		vars = append(vars, v)
	}
	return store, vars, nil
}

// layerNodes builds a layer's effective weights from the nodes of its raw matrices (paramSpecs order
// within the layer): f(w) * sign(row) for ArchColumnEI (raw = [w]), f(ee) - f(ie) f(ei) for
// ArchPopulations (raw = [ee, ie, ei]).
func layerNodes(cfg Config, layer int, raw []*Node, signs []float32) *Node {
	a, _ := cfg.arch()
	return a.layerNode(cfg, layer, raw, signs)
}

// positiveNode is positive in the graph: f(w), the weights >= 0 a population matrix applies.
func positiveNode(cfg Config, w *Node) *Node {
	return effectiveWeights(w, ones(w.Shape().Dimensions[0]), true, cfg.SignParam)
}

// newOptimizer returns cfg's optimiser as one that takes precomputed gradients.
func newOptimizer(cfg Config) (interface {
	optimizer.Interface
	UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
}, error) {
	var o optimizer.Interface
	if cfg.Optimizer == OptimizerSGD {
		o = optimizer.StochasticGradientDescent().WithLearningRate(cfg.LearningRate).WithDecay(false).Done()
	} else {
		o = optimizer.Adam().LearningRate(cfg.LearningRate).Epsilon(cfg.AdamEpsilon).Done()
	}
	u, ok := o.(interface {
		optimizer.Interface
		UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
	})
	if !ok {
		return nil, fmt.Errorf("snn: GoMLX's %s optimiser does not take precomputed gradients", cfg.Optimizer)
	}
	return u, nil
}

// dannFactor is DANN's correction factor (cSGD_Mixin) for a population matrix: 1/sqrt(n_e) for W_IE and
// 1/d for W_EI, with n_e the layer's excitatory outputs and d its fan-in; 1 for every other matrix and
// without Config.DANNCorrection.
func dannFactor(cfg Config, s paramSpec) float64 {
	if !cfg.DANNCorrection {
		return 1
	}
	ne, d := cfg.NumHidden, cfg.NumInputs()
	if s.layer == 2 {
		ne, d = cfg.NumClasses, cfg.NumHidden
	}
	switch s.role {
	case roleIE:
		return 1 / math.Sqrt(float64(ne))
	case roleEI:
		return 1 / float64(d)
	case roleAlpha:
		return 1 / (math.Sqrt(float64(ne)) * float64(d))
	}
	return 1
}

// dannCorrection scales a population matrix's gradient by dannFactor (the paper's corrected update),
// unless Config.DANNCorrectStep moves the factor to the optimiser's step.
func dannCorrection(cfg Config, s paramSpec, g *Node) *Node {
	if f := dannFactor(cfg, s); f != 1 && !cfg.DANNCorrectStep {
		return MulScalar(g, f)
	}
	return g
}

// constrained reports whether the matrix of spec s is sign-constrained under cfg (a shunting layer's
// alpha and bias never are; its gain is, as the paper clamps it at 0).
func constrained(cfg Config, s paramSpec) bool {
	if s.role == roleAlpha || s.role == roleBias {
		return false
	}
	if s.layer == 1 {
		return cfg.DaleOnInput()
	}
	return cfg.DaleOnHidden()
}

// expGradScales is, per trainable matrix, kappa of SignExpGrad's multiplicative step: Config.ExpGradScale,
// or when that is 0 the mean initial magnitude f(raw) of the matrix (0 where the rule does not apply).
func expGradScales(cfg Config, init []Matrix) []float64 {
	sc := make([]float64, len(init))
	if r, _ := cfg.SignParam.rule(); !r.scaled {
		return sc
	}
	for k, s := range paramSpecs(cfg) {
		if !constrained(cfg, s) {
			continue
		}
		if cfg.ExpGradScale > 0 {
			sc[k] = cfg.ExpGradScale
			continue
		}
		sum := 0.0
		for _, v := range init[k].Data {
			sum += math.Abs(float64(v))
		}
		sc[k] = sum / float64(len(init[k].Data))
	}
	return sc
}

// updateWithGradients adds to graph g one optimiser step on vars with the gradients grads (paramSpecs
// order), DANN's correction of the gradients (or, with DANNCorrectStep, of the steps) where configured,
// then what the sign parametrisation does after an
// additive step: clip and wiggle project onto w >= 0; expgrad turns the step into the multiplicative
// w <- w * exp(-(w - w_additive)/scale).
func updateWithGradients(cfg Config, scope *model.Scope, g *Graph, vars []*model.Variable, grads []*Node,
	opt interface {
		UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
	}, scales []float64) {
	specs := paramSpecs(cfg)
	byName := map[string]*Node{}
	old := make([]*Node, len(vars))
	for k, v := range vars {
		byName[v.Name()] = dannCorrection(cfg, specs[k], grads[k])
		old[k] = v.NodeValue(g)
	}
	var ordered []*Node
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			ordered = append(ordered, byName[v.Name()])
		}
	}
	if len(ordered) != len(vars) {
		panic(fmt.Sprintf("snn: the update graph found %d trainable variables, want %d", len(ordered), len(vars)))
	}
	opt.UpdateGraphWithGradients(scope, ordered, dtypes.Float32)
	if cfg.DANNCorrectStep {
		for k, v := range vars {
			if f := dannFactor(cfg, specs[k]); f != 1 {
				v.SetNodeValue(Add(old[k], MulScalar(Sub(v.NodeValue(g), old[k]), f)))
			}
		}
	}
	rule, _ := cfg.SignParam.rule()
	for k, v := range vars {
		if constrained(cfg, specs[k]) && rule.project != nil {
			v.SetNodeValue(rule.project(old[k], v.NodeValue(g), scales[k]))
		}
	}
}

// wiggler restarts, under SignWiggle, the constrained weights the projection holds at exactly 0 at
// WiggleScale * u, u uniform in (0, 1], drawn from the seed's wiggle stream in variable and index order.
type wiggler struct {
	cfg Config
	rng *rand.Rand
	// restarts counts the weights restarted so far.
	restarts int
}

func newWiggler(cfg Config) *wiggler {
	if r, _ := cfg.SignParam.rule(); !r.wiggle {
		return nil
	}
	return &wiggler{cfg: cfg, rng: newRand(cfg.Seed, streamWiggle)}
}

// count is the number of weights restarted so far (0 for a nil wiggler).
func (w *wiggler) count() int {
	if w == nil {
		return 0
	}
	return w.restarts
}

// apply restarts the zeros of vars (no-op for a nil wiggler) and returns how many it restarted.
func (w *wiggler) apply(vars []*model.Variable) (int, error) {
	if w == nil {
		return 0, nil
	}
	n := 0
	for k, s := range paramSpecs(w.cfg) {
		if !constrained(w.cfg, s) {
			continue
		}
		data := tensors.MustCopyFlatData[float32](vars[k].MustValue())
		changed := false
		for i, v := range data {
			if v == 0 {
				data[i] = float32(w.cfg.WiggleScale * (1 - w.rng.Float64()))
				changed = true
				n++
				w.restarts++
			}
		}
		if changed {
			if err := vars[k].SetValue(tensors.FromFlatDataAndDimensions(data, s.rows, s.cols)); err != nil {
				return n, fmt.Errorf("snn: wiggle %s: %w", s.name, err)
			}
		}
	}
	return n, nil
}
