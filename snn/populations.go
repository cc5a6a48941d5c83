package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Populations holds the inhibitory pathways of the E/I-population network (ArchPopulations), after
// Cornford et al. 2021, "Learning to live with Dale's principle: ANNs with separate excitatory and
// inhibitory units" (DANN; code: linclab/ltlwdp, ariamis/ei_models.py, class EiDense).
//
// All input fibres are excitatory. The hidden layer has n_e = NumHidden excitatory LIF units, which
// the readout reads, and n_i = NumInhibitory linear inhibitory units driven by the same inputs. With x_t
// the input spikes of step t [I], the excitatory units' input current is
//
//	i_t = W_EE^T x_t - W_EI^T (W_IE^T x_t) = W1eff^T x_t,   W1eff = W_EE - W_IE W_EI   [I, n_e]
//
// (inhibition is subtractive and feed-forward, and a linear inhibitory unit's activity W_IE^T x_t is
// passed on within the step, so the whole layer is the seed's LIF layer with input weights W1eff). The
// readout has the same form on the excitatory spikes, with n_o = NumReadoutInhibitory linear
// inhibitory units: W2eff = W_EE' - W_IE' W_EI' [n_e, C]. Shapes, [pre, post] as Model.W1:
//
//	Model.W1 = W_EE [I, n_e]    IE1 = W_IE [I, n_i]    EI1 = W_EI [n_i, n_e]
//	Model.W2 = W_EE' [n_e, C]   IE2 = W_IE' [n_e, n_o] EI2 = W_EI' [n_o, C]
//
// (the paper's to-from matrices Wex [n_e, d], Wix [n_i, d], Wei [n_e, n_i] transposed). Every matrix
// holds raw parameters mapped to weights >= 0 by Config.SignParam's f: the effective weights are
// f(W_EE) - f(W_IE) f(W_EI). The inhibitory units are linear by default, as in the paper; with
// Config.InhibitoryUnits = InhibitoryLIF they are LIF neurons (as stork's DalianLayer), with
// InhibitoryDelayed linear units that inhibit late, and the layer is no longer a product with one
// effective matrix (see InhibitoryLIF, InhibitoryDelayed): EffectiveW1 is then the weights' linear part,
// W_EE - W_IE W_EI, not what the network computes. The paper's layers have a bias and its hidden
// units are ReLU with layer norm; this network, like the seed's, has no bias.
type Populations struct {
	IE1, EI1, IE2, EI2                 Matrix
	InitIE1, InitEI1, InitIE2, InitEI2 Matrix
	// Shunt holds the shunting parameters under InhibitionShunting (nil otherwise).
	Shunt *Shunt
}

// Clone returns a deep copy (nil for nil).
func (p *Populations) Clone() *Populations {
	if p == nil {
		return nil
	}
	return &Populations{IE1: p.IE1.Clone(), EI1: p.EI1.Clone(), IE2: p.IE2.Clone(), EI2: p.EI2.Clone(),
		InitIE1: p.InitIE1.Clone(), InitEI1: p.InitEI1.Clone(), InitIE2: p.InitIE2.Clone(), InitEI2: p.InitEI2.Clone(),
		Shunt: p.Shunt.Clone()}
}

// popDims are the shapes of IE1, EI1, IE2, EI2 for cfg.
func popDims(cfg Config) [4][2]int {
	I, H, C, ni, no := cfg.NumInputs(), cfg.NumHidden, cfg.NumClasses, cfg.NumInhibitory, cfg.NumReadoutInhibitory
	return [4][2]int{{I, ni}, {ni, H}, {H, no}, {no, C}}
}

// DANNScale is the scale (mean and standard deviation) of DANN's exponential initial weights for a
// layer of fan-in d: sqrt(1/(2d)) for the first layer, sqrt(2 pi/(d (2 pi - 1))) for later ones
// (ariamis/ei_models.py, EiDense_MultipleInt_LayerNorm_WeightInitPolicy.init_weights).
func DANNScale(d int, first bool) float64 {
	if first {
		return math.Sqrt(1 / (2 * float64(d)))
	}
	return math.Sqrt(2 * math.Pi / (float64(d) * (2*math.Pi - 1)))
}

// SeedScaleSigma is PopInitSeedScale's sigma for a layer of ne outputs and ni inhibitory units: the
// effective weight W_EE - W_IE W_EI of dannLayer has variance sigma^2 (1 + 1/ni) (ni > 1: ni independent
// W_IE draws times 1/ni) or sigma^2 (1 - 1/ne) (ni = 1: W_IE is the mean of the row's ne W_EE draws), which
// is set to the seed's uniform variance b^2/3, b = 1/sqrt(ne).
func SeedScaleSigma(ne, ni int) float64 {
	target := 1 / math.Sqrt(3*float64(ne))
	factor := 1 + 1/float64(ni)
	if ni == 1 {
		factor = 1 - 1/float64(ne)
	}
	return target / math.Sqrt(factor)
}

// dannLayer draws one DANN layer, [pre, post] magnitudes: ee [d, ne] exponential with scale sigma,
// ie [d, ni] exponential with scale sigma (for ni = 1: the mean of ee over the excitatory units, as the
// paper's output layer) and ei [ni, ne] = 1/ni.
func dannLayer(d, ne, ni int, sigma float64, rng *rand.Rand) (ee, ie, ei Matrix) {
	ee, ie, ei = NewMatrix(d, ne), NewMatrix(d, ni), NewMatrix(ni, ne)
	for i := range ee.Data {
		ee.Data[i] = float32(rng.ExpFloat64() * sigma)
	}
	if ni == 1 {
		for r := 0; r < d; r++ {
			s := 0.0
			for c := 0; c < ne; c++ {
				s += float64(ee.At(r, c))
			}
			ie.Data[r] = float32(s / float64(ne))
		}
	} else {
		for i := range ie.Data {
			ie.Data[i] = float32(rng.ExpFloat64() * sigma)
		}
	}
	for i := range ei.Data {
		ei.Data[i] = float32(1 / float64(ni))
	}
	return ee, ie, ei
}

// DANNLayer draws one layer of DANN's initialisation (PopInitDANN's distributions) with exponential
// scale sigma, [pre, post] magnitudes: ee [d, ne], ie [d, ni] (for ni = 1 the mean of ee over the
// excitatory units) and ei [ni, ne] = 1/ni. Package ratenet draws its DANN layers with it.
func DANNLayer(d, ne, ni int, sigma float64, rng *rand.Rand) (ee, ie, ei Matrix) {
	return dannLayer(d, ne, ni, sigma, rng)
}

// absUniform is InitUniform's draw with every entry made non-negative.
func absUniform(rows, cols int, rng *rand.Rand) Matrix {
	m := InitUniform(rows, cols, rng)
	for i, v := range m.Data {
		m.Data[i] = float32(math.Abs(float64(v)))
	}
	return m
}

// newPopulationModel draws the initial weights of an ArchPopulations model (cfg validated) from the
// seed's population stream: magnitudes by cfg.PopInit, then raw parameters with f(raw) = magnitude.
func newPopulationModel(cfg Config) (*Model, error) {
	I, H, C, ni, no := cfg.NumInputs(), cfg.NumHidden, cfg.NumClasses, cfg.NumInhibitory, cfg.NumReadoutInhibitory
	rng := newRand(cfg.Seed, streamPopWeights)
	var w1, ie1, ei1, w2, ie2, ei2 Matrix
	switch cfg.PopInit {
	case PopInitUniform:
		w1, ie1, ei1 = absUniform(I, H, rng), absUniform(I, ni, rng), absUniform(ni, H, rng)
		w2, ie2, ei2 = absUniform(H, C, rng), absUniform(H, no, rng), absUniform(no, C, rng)
	case PopInitSeedScale:
		w1, ie1, ei1 = dannLayer(I, H, ni, cfg.PopInitGain*SeedScaleSigma(H, ni), rng)
		w2, ie2, ei2 = dannLayer(H, C, no, cfg.PopInitGain*SeedScaleSigma(C, no), rng)
	default:
		w1, ie1, ei1 = dannLayer(I, H, ni, cfg.PopInitGain*DANNScale(I, true), rng)
		w2, ie2, ei2 = dannLayer(H, C, no, cfg.PopInitGain*DANNScale(H, false), rng)
	}
	if cfg.LIFInhibitoryInit == LIFInitBalanced { // LIF or (the matched control) linear inhibitory units
		bal, err := balanceOnTraining(cfg, w1, ie1, ei1)
		if err != nil {
			return nil, err
		}
		w1, ie1, ei1 = bal.Apply(w1, ie1, ei1)
	}
	raw := func(m Matrix) Matrix { return rawForMagnitude(m, cfg.SignParam) }
	w1, ie1, ei1, w2, ie2, ei2 = raw(w1), raw(ie1), raw(ei1), raw(w2), raw(ie2), raw(ei2)
	pos := Mask{Signs: ones(I), Layout: MaskBlocked}
	pos2 := Mask{Signs: ones(H), Layout: MaskBlocked}
	p := &Populations{IE1: ie1, EI1: ei1, IE2: ie2, EI2: ei2,
		InitIE1: ie1.Clone(), InitEI1: ei1.Clone(), InitIE2: ie2.Clone(), InitEI2: ei2.Clone()}
	if cfg.Shunting() {
		p.Shunt = newShunt(cfg)
	}
	return &Model{Config: cfg, W1: w1, W2: w2, Mask1: pos, Mask2: pos2, InitW1: w1.Clone(), InitW2: w2.Clone(), Pop: p}, nil
}

// rawForMagnitude returns raw parameters whose sign map f gives the magnitudes a (>= 0): a itself for
// every parametrisation that is the identity on w >= 0, log(e^a - 1) for softplus.
func rawForMagnitude(a Matrix, param SignParam) Matrix {
	r, _ := param.rule()
	out := a.Clone()
	for i, v := range out.Data {
		out.Data[i] = r.inverse(v)
	}
	return out
}

// composeEI returns f(ee) - f(ie) f(ei), the effective weights of a population layer (float32 products
// summed in float64 over the inhibitory units, in order). f is applied once per entry (it was applied
// once per product, a twentieth of an E/I-population training step at the notebook's sizes).
func composeEI(ee, ie, ei Matrix, param SignParam) Matrix {
	f := SignMap(param)
	fie, fei := positive(ie, param), positive(ei, param)
	ni := ie.Cols
	out := NewMatrix(ee.Rows, ee.Cols)
	for r := 0; r < ee.Rows; r++ {
		a := fie.Data[r*ni : (r+1)*ni]
		for c := 0; c < ee.Cols; c++ {
			s := 0.0
			for k, x := range a {
				s += float64(x * fei.Data[k*ee.Cols+c])
			}
			out.Set(r, c, f(ee.At(r, c))-float32(s))
		}
	}
	return out
}

// positive returns f(w) for every entry: the non-negative weights a population matrix applies.
func positive(w Matrix, param SignParam) Matrix {
	return EffectiveParam(w, Mask{Signs: ones(w.Rows)}, true, param)
}

// InhibitoryPathway is f(W_IE) f(W_EI) [I, NumHidden]: the part of the input weights that passes through
// the hidden layer's inhibitory units (EffectiveW1 = f(W_EE) - InhibitoryPathway). It errors for a model
// of another architecture.
func (m *Model) InhibitoryPathway() (Matrix, error) {
	if m.Pop == nil {
		return Matrix{}, fmt.Errorf("snn: InhibitoryPathway: the model's architecture is %q, want %q", m.Config.Architecture, ArchPopulations)
	}
	p := m.Config.SignParam
	zero := NewMatrix(m.W1.Rows, m.W1.Cols)
	neg := composeEI(zero, m.Pop.IE1, m.Pop.EI1, p)
	for i, v := range neg.Data {
		neg.Data[i] = -v
	}
	return neg, nil
}

// checkPopulations verifies the shapes and presence of m.Pop against the architecture.
func (m *Model) checkPopulations() error {
	if m.Config.Architecture != ArchPopulations {
		if m.Pop != nil {
			return fmt.Errorf("snn: a model of architecture %q has population weights: want Pop nil, or Architecture %q", m.Config.Architecture, ArchPopulations)
		}
		return nil
	}
	if m.Pop == nil {
		return fmt.Errorf("snn: a model of architecture %q has no population weights: want Pop with IE1, EI1, IE2 and EI2 (NewModel builds them)", ArchPopulations)
	}
	d := popDims(m.Config)
	names := []string{"IE1", "EI1", "IE2", "EI2"}
	for k, w := range []Matrix{m.Pop.IE1, m.Pop.EI1, m.Pop.IE2, m.Pop.EI2} {
		if err := checkShape(names[k], w, d[k][0], d[k][1]); err != nil {
			return err
		}
	}
	for k, w := range []Matrix{m.Pop.InitIE1, m.Pop.InitEI1, m.Pop.InitIE2, m.Pop.InitEI2} {
		if err := checkShape("Init"+names[k], w, d[k][0], d[k][1]); err != nil {
			return err
		}
	}
	switch {
	case m.Config.Shunting() && m.Pop.Shunt == nil:
		return fmt.Errorf("snn: a model with Inhibition %q has no shunting parameters: want Pop.Shunt (NewModel builds it)", InhibitionShunting)
	case !m.Config.Shunting() && m.Pop.Shunt != nil:
		return fmt.Errorf("snn: a model with Inhibition %q has shunting parameters: want Pop.Shunt nil", m.Config.Inhibition)
	case m.Pop.Shunt != nil:
		return m.Pop.Shunt.check(m.Config)
	}
	return nil
}

// balanceOnTraining is BalanceLIFInhibition on the first balanceBatches batches of cfg's training set,
// computed for LIF inhibitory units whatever cfg's are (linear and delayed ones get the same factors).
func balanceOnTraining(cfg Config, ee, ie, ei Matrix) (LIFBalance, error) {
	cfg.InhibitoryUnits, cfg.InhibitoryDelay = InhibitoryLIF, 0
	train, _, _, err := GenerateData(cfg)
	if err != nil {
		return LIFBalance{}, err
	}
	return BalanceLIFInhibition(cfg, ee, ie, ei, train.Subset(firstN(BalanceSamples(cfg))))
}

// LIFBalanceOf returns the balance LIFInitBalanced applies to a model of cfg (validated; LIF inhibitory
// units, or linear ones started balanced): the factors and the rates they matched with LIF inhibitory
// units, computed from the population initialisation as NewModel does.
func LIFBalanceOf(cfg Config) (LIFBalance, error) {
	if err := cfg.Validate(); err != nil {
		return LIFBalance{}, err
	}
	if !cfg.LIFInhibition() && cfg.LIFInhibitoryInit != LIFInitBalanced {
		return LIFBalance{}, fmt.Errorf("snn: LIFBalanceOf: the configuration's inhibitory units are %q and start %q, want %q units or the %q start",
			cfg.InhibitoryUnits, cfg.LIFInhibitoryInit, InhibitoryLIF, LIFInitBalanced)
	}
	raw := cfg // the population initialisation, whose magnitudes inputWeights returns for LIF units
	raw.LIFInhibitoryInit, raw.InhibitoryUnits, raw.InhibitoryDelay = LIFInitPopulation, InhibitoryLIF, 0
	m, err := newPopulationModel(raw)
	if err != nil {
		return LIFBalance{}, err
	}
	w := m.inputWeights()
	return balanceOnTraining(cfg, w.ee, w.ie, w.ei)
}

// BalanceSamples is the number of training samples LIFInitBalanced measures its rates on.
func BalanceSamples(cfg Config) int {
	return min(cfg.BatchSize*cfg.TrainBatches, balanceBatches*cfg.BatchSize)
}

// balanceBatches is how many training batches LIFInitBalanced measures its rates on (the first ones).
const balanceBatches = 8

func firstN(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
