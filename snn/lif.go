package snn

import "math"

// lifKernel runs the hidden LIF layer and the readout's weighted time sum of its spikes, forward and
// backward (backpropagation through time with the surrogate gradient), in Go, one sample at a time.
//
// Forward, for each sample and hidden unit, with v_0 = s_0 = 0 and p_k the input current of step k
// (k = 0..T-2, the steps the notebook feeds), exactly the graph's LIFStep and ReadoutWeights:
//
//	v_{k+1} = (alpha*v_k + p_k) * (1 - s_k)
//	s_{k+1} = H(v_k - 1)
//	r       = sum_{k=0}^{T-2} c_{k+1} s_{k+1}        r [batch, hidden]
//
// Backward, from G = dL/dr, for k = T-2 down to 0, carrying gv = dL/dv_{k+1} and gs = dL/ds_{k+1}
// (gv = 0 and gs = c_{T-1} G = 0 at the start):
//
//	dL/dp_k   = (1 - s_k) gv
//	dL/dv_k   = alpha (1 - s_k) gv + S'(v_k - 1) gs
//	dL/ds_k   = -(alpha v_k + p_k) gv + c_k G
//
// with S'(x) = beta sigmoid(beta x) (1 - sigmoid(beta x)), the notebook's surrogate. These are the
// derivatives GoMLX's autodiff takes of the graph (the reset term (1 - s_k) is not detached, as in the
// notebook); TestStepperMatchesSingleGraph checks them against it. Float32 throughout, in the graph's
// order of operations, so the forward pass equals the graph's bit for bit.
//
// Work and memory are linear in time steps, hidden units and batch: the forward pass keeps only the
// membrane v_k of every step ([batch, T-1, hidden] float32; s_k is recomputed from v_{k-1}), and the
// backward pass overwrites the currents p with their gradient. Samples are independent, so they run in
// parallel on the available cores with results that do not depend on scheduling.
type lifKernel struct {
	steps, hidden int     // T-1 steps fed, hidden units
	alpha, beta   float32 // membrane decay exp(-DT/Tau) and surrogate steepness
	c             []float32
	c8            []float32 // c with each entry repeated 8 times: the avx2 set loads c_t as a vector
	v             []float32 // membrane before each step, [batch, steps, hidden]; kept by forward for backward
}

func newLIFKernel(cfg Config) *lifKernel {
	T := cfg.NumSteps()
	c64 := ReadoutWeights(T, cfg.Alpha())
	c := make([]float32, T)
	for i, x := range c64 {
		c[i] = float32(x)
	}
	c8 := make([]float32, 0, 8*T)
	for _, x := range c {
		c8 = append(c8, x, x, x, x, x, x, x, x)
	}
	return &lifKernel{steps: T - 1, hidden: cfg.NumHidden, alpha: float32(cfg.Alpha()),
		beta: float32(cfg.SurrogateBeta), c: c, c8: c8}
}

// forward computes r [batch, hidden] from the currents p [batch, steps, hidden]. With keep it records
// the membranes for backward.
func (k *lifKernel) forward(p []float32, batch int, r []float32, keep bool) {
	S, H := k.steps, k.hidden
	if keep && len(k.v) < batch*S*H {
		k.v = make([]float32, batch*S*H)
	}
	run := kernels.lifForward
	parallelChunks(batch, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			var vKeep []float32
			if keep {
				vKeep = k.v[b*S*H : (b+1)*S*H]
			}
			run(k, p[b*S*H:(b+1)*S*H], vKeep, r[b*H:(b+1)*H])
		}
	})
}

// backward turns p [batch, steps, hidden] (the currents given to the last forward with keep) into
// dL/dp in place, from gr = dL/dr [batch, hidden].
func (k *lifKernel) backward(p []float32, batch int, gr []float32) {
	S, H := k.steps, k.hidden
	run := kernels.lifBackward
	parallelChunks(batch, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			run(k, p[b*S*H:(b+1)*S*H], k.v[b*S*H:(b+1)*S*H], gr[b*H:(b+1)*H])
		}
	})
}

// lifForwardScalar is kernelSet.lifForward in plain Go, one hidden unit after another within a step. The
// explicit float32 conversions of products keep the compiler from fusing a multiply and an add (which Go
// allows, and does with GOAMD64=v3 or higher): every product is rounded, as in the graph and the vector
// kernels.
func lifForwardScalar(k *lifKernel, p, vKeep, r []float32) {
	S, H := k.steps, k.hidden
	v, s := make([]float32, H), make([]float32, H)
	clear(r)
	for t := 0; t < S; t++ {
		pt := p[t*H:][:H]
		if vKeep != nil {
			copy(vKeep[t*H:][:H], v)
		}
		ct := k.c[t+1]
		for h := range v {
			vn := (float32(k.alpha*v[h]) + pt[h]) * (1 - s[h])
			var sn float32
			if v[h]-Threshold > 0 {
				sn = 1
			}
			v[h], s[h] = vn, sn
			if ct != 0 {
				r[h] += float32(sn * ct)
			}
		}
	}
}

// lifBackwardScalar is kernelSet.lifBackward in plain Go (products rounded explicitly, as in
// lifForwardScalar).
func lifBackwardScalar(k *lifKernel, p, v, g []float32) { lifBackward1(k, p, v, g, nil) }

// lifBackwardSpikesScalar is lifBackwardScalar with the spike records' direct gradients gS [steps,
// hidden] (gS[k] = dL/ds_{k+1}) in place of c_{k+1} g.
func lifBackwardSpikesScalar(k *lifKernel, p, v, gS []float32) { lifBackward1(k, p, v, nil, gS) }

// lifBackward1 runs the backward recurrence one hidden unit at a time, from the readout's gradient g
// (dL/ds_k = c_k g, gS nil) or from the spike records' own gradients gS (dL/ds_k = gS[k-1], 0 for k = 0;
// g nil).
func lifBackward1(k *lifKernel, p, v, g, gS []float32) {
	S, H := k.steps, k.hidden
	a := k.alpha
	gv, gs := make([]float32, H), make([]float32, H)
	var cg []float32 // c_t g, for the readout's gradient
	if gS == nil {
		cg = make([]float32, H)
		for h := range gs {
			gs[h] = k.c[S] * g[h]
		}
	} else {
		copy(gs, gS[(S-1)*H:][:H])
	}
	for t := S - 1; t >= 0; t-- {
		pt := p[t*H:][:H]
		vt := v[t*H:][:H]
		var vprev, direct []float32 // v_{t-1}, whose threshold crossing is s_t, and dL/ds_t from outside
		if t > 0 {
			vprev = v[(t-1)*H:][:H]
		}
		if gS == nil {
			for h, gh := range g {
				cg[h] = float32(k.c[t] * gh)
			}
			direct = cg
		} else if t > 0 {
			direct = gS[(t-1)*H:][:H]
		}
		for h := range gv {
			keepOn := float32(1) // 1 - s_t
			if t > 0 && vprev[h]-Threshold > 0 {
				keepOn = 0
			}
			gvh, gsh := gv[h], gs[h]
			x := vt[h] - Threshold
			gv[h] = float32(a*keepOn*gvh) + float32(surrogateGrad(x, k.beta)*gsh)
			var d float32
			if direct != nil {
				d = direct[h]
			}
			gs[h] = float32(-(float32(a*vt[h])+pt[h])*gvh) + d
			pt[h] = keepOn * gvh
		}
	}
}

// surrogateGrad is SurrogateGrad for one float32 value, computed as the graph computes it: y = beta*x
// and sigma(y) in float32, sigma from float64 (1/(1 + e^-y) for y >= 0, e^y/(1 + e^y) below, as GoMLX's
// pure-Go backend does), then beta * (sigma * (1 - sigma)) in float32. With exp64 accurate to a few
// float64 ulps, sigma rounds to the same float32 as the graph's.
func surrogateGrad(x, beta float32) float32 {
	y := float64(beta * x)
	var sg float32
	if y >= 0 {
		sg = float32(1 / (1 + exp64(-y)))
	} else {
		e := exp64(y)
		sg = float32(e / (1 + e))
	}
	return (sg * (1 - sg)) * beta
}

// exp64 is e^x for x <= 0 (the only arguments surrogateGrad needs), in the table-driven form of
// Tang (1989): x = (64 m + j) ln2/64 + r with |r| <= ln2/128, e^x = 2^m * 2^(j/64) * e^r, with 2^(j/64)
// from a table of 64 values and e^r by its Taylor polynomial to degree 5 (truncation below 4e-17). Below
// -708 it returns 0 (float64 underflow). Its relative error against math.Exp is below 1e-15
// (TestExp64); it costs a fraction of math.Exp, which was a quarter of the training step.
func exp64(x float64) float64 {
	if x < -708 {
		return 0
	}
	k := int64(float64(x*exp64Inv) - 0.5)                                // round(x*64/ln2) for x <= 0
	r := (x - float64(float64(k)*exp64Hi)) - float64(float64(k)*exp64Lo) // products rounded: no fused multiply-add
	j := k & 63
	m := (k - j) / 64
	// p = 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r/120)))), Horner's rule with every product rounded.
	q := 1.0 / 120
	q = 1.0/24 + float64(r*q)
	q = 1.0/6 + float64(r*q)
	q = 1.0/2 + float64(r*q)
	q = 1 + float64(r*q)
	p := 1 + float64(r*q)
	return p * exp2Table[j] * math.Float64frombits(uint64(m+1023)<<52)
}

// exp64's constants: 64/ln 2, and ln 2 / 64 in two parts as math.Exp splits ln 2 (hi has 32 significant
// bits, so k*hi is exact for the |k| < 2^17 used here).
const (
	exp64Inv = 64 / math.Ln2
	exp64Hi  = 6.93147180369123816490e-01 / 64
	exp64Lo  = 1.90821492927058770002e-10 / 64
)

// exp2Table[j] = 2^(j/64).
var exp2Table = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return
}()

// backwardSpikes is backward for a readout that is not a fixed weighting of the spike records (shunting
// inhibition): gS [batch, steps, hidden] holds dL/ds_{k+1}, the gradient of each spike record the
// forward pass produced at step k, directly (backward has c_{k+1} G in its place). It turns p into
// dL/dp in place, as backward.
func (k *lifKernel) backwardSpikes(p []float32, batch int, gS []float32) {
	S, H := k.steps, k.hidden
	run := kernels.lifBackwardSpikes
	parallelChunks(batch, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			run(k, p[b*S*H:(b+1)*S*H], k.v[b*S*H:(b+1)*S*H], gS[b*S*H:(b+1)*S*H])
		}
	})
}

// spikes writes the spike records of the last forward with keep, out[b, k, h] = s_{k+1} =
// H(v_k - 1) for k = 0..steps-1 ([batch, steps, hidden], the records the readout reads after step k).
//
// The record's bits are chosen without a branch (1.0 is 0x3f800000), since whether a unit spiked is as
// unpredictable as the spikes. Measured, that gained little: this loop took 6.1% of a shunting run's profile
// and 5.5% after (2026-12-04, within that VM's noise); its time is mostly the stores, the records' buffer
// having left the cache since the last step (snn/bench/PERFORMANCE.md).
func (k *lifKernel) spikes(batch int, out []float32) {
	v := k.v[:batch*k.steps*k.hidden]
	out = out[:len(v)]
	for i, x := range v {
		var bits uint32
		if x-Threshold > 0 {
			bits = 0x3f800000
		}
		out[i] = math.Float32frombits(bits)
	}
}
