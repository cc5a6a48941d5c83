package snn

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/core/graph"
)

// Shunting inhibition (Config.Inhibition = InhibitionShunting), the layer of Cornford et al. 2021 that
// their experiments use (linclab/ltlwdp, ariamis/ei_models.py, EiDenseWithShunt): inhibition both
// subtracts from and divides the excitatory drive. For one layer with presynaptic activity x [d] (one
// step), n_e excitatory and n_i inhibitory units, weights >= 0 as in Populations ([pre, post]) and per
// layer a log-scale alpha [n_i], a gain g [n_e] >= 0 and a bias b [n_e]:
//
//	z_E = W_EE^T x                     [n_e]   excitatory drive
//	z_I = W_IE^T x                     [n_i]   the inhibitory units (linear)
//	ẑ   = z_E - W_EI^T z_I             [n_e]   subtractive inhibition (today's layer)
//	γ   = (e^alpha ⊙ W_EI)^T z_I + ε   [n_e]   divisive inhibition (row k of W_EI scaled by e^alpha_k)
//	z   = g ⊙ ẑ / γ + b                [n_e]
//
// with ε = 1e-8 (the paper's). In this spiking network z is the input current of a step: for the hidden
// layer x = x_k, the input spikes of step k, and z enters the LIF recurrence where W1eff^T x_k enters
// without shunting, v_{k+1} = (alpha_m v_k + z) (1 - s_k); for the readout x = s_j, the hidden spike
// record j, and z is the readout's input current, v_{j+1} = alpha_m v_j + z (so the readout sums
// c_j z(s_j) over records, the bias included for every record). A step with no presynaptic spike
// has ẑ = 0 and γ = ε, so its current is exactly b. The division makes a step's current depend on which
// presynaptic units spiked more than on how many: shunting standardises the drive, the paper's point,
// here at every time step.
//
// Initialisation (EiDenseWithShunt_MultipleInt_LayerNorm_WeightInitPolicy): the weights as PopInitDANN,
// alpha = log sqrt((2 pi - 1)/d) (d the fan-in), g = 1, b = 0. g goes through the sign parametrisation
// like the weights (the paper clamps it at 0 under SGD); alpha and b are free. DANN's corrected update
// (Config.DANNCorrection) divides alpha's gradient by sqrt(n_e) d (cSGD_Mixin).
//
// Gradients, from dz = dL/dz of one step (what backpropagation through time gives the currents):
//
//	dẑ = g ⊙ dz / γ,   dγ = -g ⊙ dz ⊙ ẑ / γ²,   dg = dz ⊙ ẑ / γ,   db = dz
//	dz_E = dẑ,   dz_I = -W_EI dẑ + (e^alpha ⊙ W_EI) dγ
//	dW_EI[k, j] = z_I[k] (e^alpha_k dγ_j - dẑ_j),   dalpha_k = e^alpha_k z_I[k] sum_j W_EI[k, j] dγ_j
//
// and dW_EE = x dz_E^T, dW_IE = x dz_I^T summed over steps and samples (the input projection's gradient).
// shuntCell and shuntCellGrad compute these in Go; shuntNode in the graph (autodiff), which the tests
// compare.
const shuntEpsilon = 1e-8

// Inhibition is how the inhibitory units of an ArchPopulations network act on the excitatory ones.
type Inhibition string

const (
	// InhibitionSubtractive is the layer of Populations: the excitatory current is W1eff^T x with
	// W1eff = W_EE - W_IE W_EI (the paper's EiDense).
	InhibitionSubtractive Inhibition = "subtractive"
	// InhibitionShunting adds the paper's divisive term, its gain and its bias (EiDenseWithShunt; see
	// the equations above). Linear inhibitory units, PopInitDANN and the parametrisations abs or clip
	// only.
	InhibitionShunting Inhibition = "shunting"
)

// Shunting reports whether the network's inhibition is shunting (InhibitionShunting).
func (c Config) Shunting() bool {
	return c.Architecture == ArchPopulations && c.Inhibition == InhibitionShunting
}

// Shunt holds the shunting parameters of both layers of an ArchPopulations model with
// InhibitionShunting, as row vectors: Alpha1 [1, n_i], Gain1 and Bias1 [1, NumHidden]; Alpha2 [1, n_o],
// Gain2 and Bias2 [1, NumClasses]. Gains are raw parameters (f(raw) >= 0 is applied, as for the
// weights); alphas and biases are applied as they are. Init* are their values before training.
type Shunt struct {
	Alpha1, Gain1, Bias1, Alpha2, Gain2, Bias2                         Matrix
	InitAlpha1, InitGain1, InitBias1, InitAlpha2, InitGain2, InitBias2 Matrix
}

// Clone returns a deep copy (nil for nil).
func (s *Shunt) Clone() *Shunt {
	if s == nil {
		return nil
	}
	c := *s
	for _, p := range c.all() {
		*p = p.Clone()
	}
	return &c
}

// all lists pointers to every array, trained then initial, each in the order Alpha1, Gain1, Bias1,
// Alpha2, Gain2, Bias2 (the checkpoint's order).
func (s *Shunt) all() []*Matrix {
	return []*Matrix{&s.Alpha1, &s.Gain1, &s.Bias1, &s.Alpha2, &s.Gain2, &s.Bias2,
		&s.InitAlpha1, &s.InitGain1, &s.InitBias1, &s.InitAlpha2, &s.InitGain2, &s.InitBias2}
}

// shuntDims are the shapes of Alpha1, Gain1, Bias1, Alpha2, Gain2, Bias2 for cfg.
func shuntDims(cfg Config) [6][2]int {
	H, C, ni, no := cfg.NumHidden, cfg.NumClasses, cfg.NumInhibitory, cfg.NumReadoutInhibitory
	return [6][2]int{{1, ni}, {1, H}, {1, H}, {1, no}, {1, C}, {1, C}}
}

// ShuntAlpha is the paper's initial alpha for a layer of fan-in d: log sqrt((2 pi - 1)/d).
func ShuntAlpha(d int) float64 { return math.Log(math.Sqrt((2*math.Pi - 1) / float64(d))) }

// newShunt draws nothing: the paper's initial alpha (per layer), gain 1 (as a raw parameter of param)
// and bias 0.
func newShunt(cfg Config) *Shunt {
	d := shuntDims(cfg)
	full := func(k int, v float32) Matrix {
		m := NewMatrix(d[k][0], d[k][1])
		for i := range m.Data {
			m.Data[i] = v
		}
		return m
	}
	r, _ := cfg.SignParam.rule()
	g := r.inverse(1)
	s := &Shunt{Alpha1: full(0, float32(ShuntAlpha(cfg.NumInputs()))), Gain1: full(1, g), Bias1: full(2, 0),
		Alpha2: full(3, float32(ShuntAlpha(cfg.NumHidden))), Gain2: full(4, g), Bias2: full(5, 0)}
	s.InitAlpha1, s.InitGain1, s.InitBias1 = s.Alpha1.Clone(), s.Gain1.Clone(), s.Bias1.Clone()
	s.InitAlpha2, s.InitGain2, s.InitBias2 = s.Alpha2.Clone(), s.Gain2.Clone(), s.Bias2.Clone()
	return s
}

// check verifies the shapes against cfg.
func (s *Shunt) check(cfg Config) error {
	d := shuntDims(cfg)
	names := []string{"Alpha1", "Gain1", "Bias1", "Alpha2", "Gain2", "Bias2"}
	for k, p := range s.all() {
		name := names[k%6]
		if k >= 6 {
			name = "Init" + name
		}
		if err := checkShape(name, *p, d[k%6][0], d[k%6][1]); err != nil {
			return err
		}
	}
	return nil
}

// shuntLayer is one layer's shunting as applied: weights >= 0 (ee [d, n_e], ie [d, n_i], ei [n_i, n_e]),
// expAlpha = e^alpha [n_i], gain = f(raw gain) [n_e] and bias [n_e].
type shuntLayer struct {
	ee, ie, ei     Matrix
	alpha          []float32
	expAlpha       []float32
	gain, bias     []float32
	ne, ni, fanIn  int
	eiScaled       Matrix // e^alpha_k W_EI[k, :]
	eiT, eiScaledT Matrix // [n_e, n_i] transposes, for the per-cell sums over k
	// ei, eiScaled [n_i, nePad], gain and bias [nePad] with their rows padded with zeros to nePad, a
	// multiple of 8: whole vectors for the avx2 set's cells (shuntCellAVX2). Copies: a shuntLayer is a
	// snapshot of the parameters (newShuntLayer is called again after every update), and gain and bias may
	// alias the model's matrices, which the copies would not follow.
	pad   shuntPadded
	nePad int
}

// shuntPadded holds a shuntLayer's per-unit parameters with rows padded to nePad (shuntLayer.pad).
type shuntPadded struct{ ei, eiScaled, gain, bias []float32 }

// shuntLayers returns both layers of m as applied (m must have InhibitionShunting).
func (m *Model) shuntLayers() (l1, l2 shuntLayer, err error) {
	if m.Pop == nil || m.Pop.Shunt == nil {
		return l1, l2, fmt.Errorf("snn: the model has no shunting parameters (Config.Inhibition %q)", m.Config.Inhibition)
	}
	p, s := m.Config.SignParam, m.Pop.Shunt
	l1 = newShuntLayer(positive(m.W1, p), positive(m.Pop.IE1, p), positive(m.Pop.EI1, p), s.Alpha1, positive(s.Gain1, p), s.Bias1)
	l2 = newShuntLayer(positive(m.W2, p), positive(m.Pop.IE2, p), positive(m.Pop.EI2, p), s.Alpha2, positive(s.Gain2, p), s.Bias2)
	return l1, l2, nil
}

// newShuntLayer builds a layer from applied parameters (alpha as given; gain already f(raw)).
func newShuntLayer(ee, ie, ei, alpha, gain, bias Matrix) shuntLayer {
	l := shuntLayer{ee: ee, ie: ie, ei: ei, alpha: alpha.Data, gain: gain.Data, bias: bias.Data, ne: ee.Cols, ni: ie.Cols, fanIn: ee.Rows}
	l.expAlpha = make([]float32, l.ni)
	for k := range l.expAlpha {
		l.expAlpha[k] = float32(math.Exp(float64(alpha.Data[k])))
	}
	l.eiScaled = NewMatrix(l.ni, l.ne)
	l.eiT, l.eiScaledT = NewMatrix(l.ne, l.ni), NewMatrix(l.ne, l.ni)
	l.nePad = (l.ne + 7) / 8 * 8
	l.pad = shuntPadded{ei: make([]float32, l.ni*l.nePad), eiScaled: make([]float32, l.ni*l.nePad),
		gain: make([]float32, l.nePad), bias: make([]float32, l.nePad)}
	copy(l.pad.gain, l.gain)
	copy(l.pad.bias, l.bias)
	for k := 0; k < l.ni; k++ {
		for j := 0; j < l.ne; j++ {
			w := ei.At(k, j)
			ws := l.expAlpha[k] * w
			l.eiScaled.Set(k, j, ws)
			l.eiT.Set(j, k, w)
			l.eiScaledT.Set(j, k, ws)
			l.pad.ei[k*l.nePad+j] = w
			l.pad.eiScaled[k*l.nePad+j] = ws
		}
	}
	return l
}

// projection returns [ee | ie], [d, n_e + n_i]: one input projection gives z_E and z_I together.
func (l shuntLayer) projection() Matrix { return sideBySide(l.ee, l.ie) }

// sideBySide returns [a | b], the columns of b after those of a (a and b with the same rows).
func sideBySide(a, b Matrix) Matrix {
	w := NewMatrix(a.Rows, a.Cols+b.Cols)
	for r := 0; r < a.Rows; r++ {
		copy(w.Data[r*w.Cols:], a.Data[r*a.Cols:(r+1)*a.Cols])
		copy(w.Data[r*w.Cols+a.Cols:], b.Data[r*b.Cols:(r+1)*b.Cols])
	}
	return w
}

// shuntCell computes one step's current z [n_e] from zEI = [z_E | z_I] [n_e + n_i] (see the equations
// at the top), in float32 with sums over the inhibitory units in float64. Here and in shuntCellGrad every
// product that meets an addition is rounded explicitly (float32(...), float64(...)), which keeps the
// compiler from fusing them (it may, from GOAMD64=v3): the numbers are those of the vector kernels
// (kernelSet.shuntCell) and of every GOAMD64 level.
func (l shuntLayer) shuntCell(zEI, z []float32) {
	zi := zEI[l.ne:]
	for j := 0; j < l.ne; j++ {
		sub, div := 0.0, 0.0
		wt, ws := l.eiT.Data[j*l.ni:][:l.ni], l.eiScaledT.Data[j*l.ni:][:l.ni]
		for k, v := range zi {
			sub += float64(wt[k] * v)
			div += float64(ws[k] * v)
		}
		zhat := zEI[j] - float32(sub)
		gamma := float32(div) + shuntEpsilon
		z[j] = float32(l.gain[j]*(zhat/gamma)) + l.bias[j]
	}
}

// shuntGrads accumulates the gradients of a layer's shunting parameters over cells.
type shuntGrads struct {
	ei              []float64 // dL/dW_EI as applied [n_i, n_e]
	alpha, gain, bs []float64 // dL/dalpha [n_i], dL/dg (applied) [n_e], dL/db [n_e]
	terms           shuntTerms
}

// shuntTerms is the working space of a vector kernel's shuntCellGrad (the avx2 set's, which keeps it with
// the gradients it accumulates: one per sample, used by one goroutine at a time): a cell's terms of the
// two sums over excitatory units, [n_i, nePad] each, dzi[k*nePad + j] = float32(-W_EI[k, j] dẑ_j +
// e^alpha_k W_EI[k, j] dγ_j) and alpha[k*nePad + j] = e^alpha_k z_I[k] W_EI[k, j] dγ_j.
type shuntTerms struct {
	dzi   []float32
	alpha []float64
}

func newShuntGrads(l shuntLayer) *shuntGrads {
	// Each slice has room for a vector of 8 past its end, which the vector cells read (and never write).
	f := func(n int) []float64 { return make([]float64, n, n+8) }
	return &shuntGrads{ei: f(l.ni * l.ne), alpha: f(l.ni), gain: f(l.ne), bs: f(l.ne)}
}

// add adds o to g.
func (g *shuntGrads) add(o *shuntGrads) {
	for _, p := range [][2][]float64{{g.ei, o.ei}, {g.alpha, o.alpha}, {g.gain, o.gain}, {g.bs, o.bs}} {
		for i, v := range p[1] {
			p[0][i] += v
		}
	}
}

// shuntCellGrad turns dz [n_e] of one step into dzEI = [dz_E | dz_I] [n_e + n_i] (written over out) and
// accumulates the parameter gradients into g, from the cell's zEI (see the equations at the top).
func (l shuntLayer) shuntCellGrad(zEI, dz, out []float32, g *shuntGrads) {
	zi := zEI[l.ne:]
	dzi := out[l.ne:][:l.ni]
	clear(dzi)
	for j := 0; j < l.ne; j++ {
		sub, div := 0.0, 0.0
		wt, ws := l.eiT.Data[j*l.ni:][:l.ni], l.eiScaledT.Data[j*l.ni:][:l.ni]
		for k, v := range zi {
			sub += float64(wt[k] * v)
			div += float64(ws[k] * v)
		}
		zhat := float64(zEI[j] - float32(sub))
		gamma := float64(float32(div) + shuntEpsilon)
		d := float64(dz[j])
		gain := float64(l.gain[j])
		dzhat := gain * d / gamma
		dgamma := -gain * d * zhat / (gamma * gamma)
		g.gain[j] += d * zhat / gamma
		g.bs[j] += d
		out[j] = float32(dzhat)
		for k := 0; k < l.ni; k++ {
			ea := float64(l.expAlpha[k])
			dzi[k] += float32(float64(-float64(wt[k])*dzhat) + float64(float64(ws[k])*dgamma))
			g.ei[k*l.ne+j] += float64(float64(zi[k]) * (float64(ea*dgamma) - dzhat))
			g.alpha[k] += float64(ea * float64(zi[k]) * float64(wt[k]) * dgamma)
		}
	}
}

// ShuntNode builds the shunting layer in the graph for n steps at once: x [n, d] (one row per step), ee
// [d, n_e], ie [d, n_i], ei [n_i, n_e] (weights >= 0), alpha [1, n_i], gain [1, n_e] (>= 0) and bias
// [1, n_e]; returns z [n, n_e] = gain * (x ee - (x ie) ei) / ((x ie)(e^alpha * ei) + ε) + bias, ε = 1e-8
// (Cornford et al.'s EiDenseWithShunt, used with Config.Inhibition = InhibitionShunting), whose autodiff
// the Go gradients are tested against.
func ShuntNode(x, ee, ie, ei, alpha, gain, bias *Node) *Node {
	ze := Dot(x, ee).Product()                                                                // [n, n_e]
	zi := Dot(x, ie).Product()                                                                // [n, n_i]
	zhat := Sub(ze, Dot(zi, ei).Product())                                                    // [n, n_e]
	scaled := Mul(ei, BroadcastToDims(Transpose(Exp(alpha), 0, 1), ei.Shape().Dimensions...)) // e^alpha_k W_EI[k, :]
	gamma := AddScalar(Dot(zi, scaled).Product(), shuntEpsilon)
	dims := zhat.Shape().Dimensions
	return Add(Mul(BroadcastToDims(gain, dims...), Div(zhat, gamma)), BroadcastToDims(bias, dims...))
}
