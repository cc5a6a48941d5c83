package snn

import (
	"fmt"
	"math"
)

// LIFBalance is the outcome of BalanceLIFInhibition: the factors applied to the hidden layer's W_EE
// (EE), W_IE (IE) and W_EI (EI) magnitudes, and what they matched, measured on the calibration data at
// initialisation (rates in spikes per unit and step; a LIF unit's ceiling is 0.5).
type LIFBalance struct {
	EE, IE, EI float64
	// TargetRate is the excitatory units' mean rate in the same network with linear inhibitory units;
	// InhibitoryRate and ExcitatoryRate the LIF network's rates after scaling (RawRate: the inhibitory
	// units' rate before).
	TargetRate, InhibitoryRate, ExcitatoryRate, RawRate float64
	// Ratio is the linear network's mean inhibitory current over its mean excitatory current,
	// (x_k W_IE W_EI) / (x_k W_EE) averaged over (sample, step, unit); the balanced LIF network has the
	// same ratio, (s^I_k W_EI) / (x_k W_EE) with its scaled weights.
	Ratio float64
}

// Apply returns the magnitudes ee * EE, ie * IE and ei * EI.
func (b LIFBalance) Apply(ee, ie, ei Matrix) (Matrix, Matrix, Matrix) {
	scale := func(m Matrix, f float64) Matrix {
		out := m.Clone()
		for i, v := range out.Data {
			out.Data[i] = float32(float64(v) * f)
		}
		return out
	}
	return scale(ee, b.EE), scale(ie, b.IE), scale(ei, b.EI)
}

// BalanceLIFInhibition finds the factors of LIFInitBalanced for a hidden layer with magnitudes ee
// [I, H], ie [I, n_i] and ei [n_i, H] (>= 0) on the data d. The target rate r is the excitatory units'
// mean rate when the inhibitory units are linear (currents x_k (W_EE - W_IE W_EI)), and ρ that network's
// mean inhibitory over mean excitatory current, mean(x_k W_IE W_EI) / mean(x_k W_EE), over (sample,
// step, unit). Then:
//
//  1. IE, by bisection on log IE: the LIF inhibitory units (currents IE x_k W_IE; they receive no
//     inhibition) fire at mean rate r;
//  2. EI(EE) = ρ EE mean(x_k W_EE) / mean(s^I_k W_EI): with W_EE scaled by EE, the excitatory units
//     receive the same fraction ρ of their excitation as inhibition, on average, as the linear network;
//  3. EE, by bisection on log EE: the excitatory units (currents EE x_k W_EE - s^I_k EI W_EI, which
//     scale with EE as a whole) fire at mean rate r.
//
// Both populations then start at the linear network's excitatory rate with its balance of inhibition
// to excitation. Scaling W_EI alone cannot reach r: LIF inhibition arrives in spikes, concentrated on
// the samples that drive the inhibitory units, and on the others the excitatory units fire unopposed.
// It errors when a factor in [1e-4, 1e4] cannot reach its target.
func BalanceLIFInhibition(cfg Config, ee, ie, ei Matrix, d *Dataset) (LIFBalance, error) {
	out := LIFBalance{EE: 1}
	if err := checkDataset(cfg, "LIF inhibition balance", d); err != nil {
		return out, err
	}
	_, sLin, err := simulateHidden(cfg, InhibitoryLinear, composeEI(ee, ie, ei, SignAbs), Matrix{}, Matrix{}, d)
	if err != nil {
		return out, err
	}
	out.TargetRate = mean32(sLin)
	pathway := composeEI(NewMatrix(ee.Rows, ee.Cols), ie, ei, SignAbs) // -(W_IE W_EI)
	excitation := mean32(projectAll(cfg, ee, d))
	out.Ratio = -mean32(projectAll(cfg, pathway, d)) / excitation
	pI := projectAll(cfg, ie, d)
	inhRate := func(f float64) float64 { return mean32(lifSpikesOf(cfg, pI, ie.Cols, f)) }
	out.RawRate = inhRate(1)
	if out.IE, err = bisectRate("W_IE", inhRate, out.TargetRate, true, 1e-4, 1e4); err != nil {
		return out, err
	}
	sI := lifSpikesOf(cfg, pI, ie.Cols, out.IE)
	out.InhibitoryRate = mean32(sI)
	delivered := inhibitionMean(cfg, sI, ei) // per unit factor on W_EI
	if !(delivered > 0) {
		return out, fmt.Errorf("snn: BalanceLIFInhibition: the inhibitory units deliver no inhibition at factor %g on W_IE", out.IE)
	}
	withEE := func(f float64) LIFBalance {
		b := out
		b.EE, b.EI = f, out.Ratio*f*excitation/delivered
		return b
	}
	excRate := func(f float64) float64 {
		see, sie, sei := withEE(f).Apply(ee, ie, ei)
		_, sp, _ := simulateHidden(cfg, InhibitoryLIF, see, sie, sei, d)
		return mean32(sp)
	}
	ef, err := bisectRate("W_EE", excRate, out.TargetRate, true, 1e-4, 1e4)
	if err != nil {
		return out, err
	}
	rI := out.InhibitoryRate
	out = withEE(ef)
	out.InhibitoryRate, out.ExcitatoryRate = rI, excRate(ef)
	return out, nil
}

// bisectRate finds by bisection on log f, f in [lo, hi], where rate(f) crosses target (rate rising
// with f when rising, else falling), to a relative width of 1e-6; it errors when the range does not
// bracket target.
func bisectRate(name string, rate func(float64) float64, target float64, rising bool, lo, hi float64) (float64, error) {
	below := func(f float64) bool { return (rate(f) < target) == rising }
	if !below(lo) || below(hi) {
		return 0, fmt.Errorf("snn: BalanceLIFInhibition: no factor on %s in [%g, %g] gives the target rate %.4f (rates %.4f to %.4f)",
			name, lo, hi, target, rate(lo), rate(hi))
	}
	for hi/lo > 1+1e-6 {
		mid := math.Sqrt(lo * hi)
		if below(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Sqrt(lo * hi), nil
}

// inhibitionMean is the mean over (sample, step, unit) of the inhibitory current s^I_{k} W_EI an
// excitatory unit receives, from the inhibitory spike records sI [n, steps, n_i] (step k reads record k,
// the spikes after step k-1; none at step 0, as readoutSumLIFInh).
func inhibitionMean(cfg Config, sI []float32, ei Matrix) float64 {
	S, ni, H := cfg.NumSteps()-1, ei.Rows, ei.Cols
	n := len(sI) / (S * ni)
	colMean := make([]float64, ni)
	for j := 0; j < ni; j++ {
		for h := 0; h < H; h++ {
			colMean[j] += float64(ei.At(j, h)) / float64(H)
		}
	}
	total := 0.0
	for b := 0; b < n; b++ {
		for k := 0; k < S-1; k++ { // record k+1 (after step k) inhibits step k+1
			for j := 0; j < ni; j++ {
				total += float64(sI[(b*S+k)*ni+j]) * colMean[j]
			}
		}
	}
	return total / float64(n*S)
}

// simulateHidden runs the hidden layer on every sample of d in Go and returns the excitatory units'
// input currents and spike records [n, steps, H] (record k: the spikes after step k). With ie and ei
// empty, w is the layer's effective matrix (linear inhibitory units or none); else w is W_EE and the
// layer has inhibitory units of model units (LIF, delayed or filtered; cfg.InhibitoryDelay for the delay) with
// weights ie [I, n_i] and ei [n_i, H] (magnitudes), as readoutSumLIFInh: p_k = x_k W_EE - s^I_k W_EI,
// s^I_k the units' record k-1 (inhibitoryCells).
func simulateHidden(cfg Config, units InhibitoryUnits, w, ie, ei Matrix, d *Dataset) (currents, spikes []float32, err error) {
	S, H := cfg.NumSteps()-1, w.Cols
	p := projectAll(cfg, w, d)
	if len(ie.Data) > 0 {
		u, ok := inhibitoryModelOf(units)
		if !ok || !u.separate {
			return nil, nil, fmt.Errorf("snn: simulateHidden: inhibitory units %q have no state of their own", units)
		}
		ni := ie.Cols
		sI := make([]float32, d.Len()*S*ni)
		u.newCells(cfg, ni).records(projectAll(cfg, ie, d), d.Len(), sI)
		for b := 0; b < d.Len(); b++ {
			for k := 1; k < S; k++ {
				rec := sI[(b*S+k-1)*ni:][:ni]
				pk := p[(b*S+k)*H:][:H]
				for j, s := range rec {
					if s == 0 {
						continue
					}
					for h := range pk {
						pk[h] -= float32(s * ei.At(j, h)) // a spike's row as it is
					}
				}
			}
		}
	}
	return p, lifSpikesOf(cfg, p, H, 1), nil
}

// projectAll is x_k w for every sample and step of d, [n, steps, w.Cols].
func projectAll(cfg Config, w Matrix, d *Dataset) []float32 {
	S, B, n := cfg.NumSteps()-1, cfg.BatchSize, d.Len()
	cols := newSpikeColumns(cfg, B)
	out := make([]float32, n*S*w.Cols)
	buf := make([]float32, B*S*w.Cols)
	for start := 0; start < n; start += B {
		idx := make([]int, 0, B)
		for i := start; i < min(start+B, n); i++ {
			idx = append(idx, i)
		}
		cols.fill(d, idx, cfg.NumClasses)
		cols.project(w, buf)
		copy(out[start*S*w.Cols:], buf[:len(idx)*S*w.Cols])
	}
	return out
}

// lifSpikesOf runs units LIF units on the currents f*p [n, steps, units] and returns their spike
// records [n, steps, units].
func lifSpikesOf(cfg Config, p []float32, units int, f float64) []float32 {
	c := cfg
	c.NumHidden = units
	S := cfg.NumSteps() - 1
	n := len(p) / (S * units)
	k := newLIFKernel(c)
	in := p
	if f != 1 {
		in = make([]float32, len(p))
		for i, v := range p {
			in[i] = float32(float64(v) * f)
		}
	}
	r := make([]float32, n*units)
	k.forward(in, n, r, true)
	out := make([]float32, len(p))
	k.spikes(n, out)
	return out
}

func mean32(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += float64(v)
	}
	return s / float64(len(x))
}
