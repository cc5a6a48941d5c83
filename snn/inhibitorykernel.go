package snn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// InhibitoryKernel is a linear description of what a model's inhibitory units with a state of their own
// (Config.InhibitoryUnits: InhibitoryLIF, InhibitoryDelayed, InhibitoryFiltered) pass on: the
// least-squares fit, pooled over units, samples and steps, of
//
//	r_k ≈ c + Σ_{m=0}^{L} h_m p_{k-m}     (p_j = 0 for j < 0)
//
// where p_k = W_IE^T x_k is a unit's input current at step k and r_k its record k, which inhibits the
// excitatory units' step k+1: an input reaches the excitatory units m+1 steps after it arrived through
// h_m. For the delayed units with delay d the fit is h_{d-1} = 1 and every other h_m = 0, c = 0 (exactly,
// up to rounding); for the filtered units h_0 = 0 and h_m = (1 - α) α^{m-1} (truncated at L); for LIF
// units it is the best linear kernel from input current to spikes on the data's input statistics, with
// R2 saying how much of the spikes' variance it explains (threshold and reset are not linear; NaN when
// the units never spike).
type InhibitoryKernel struct {
	Units     InhibitoryUnits
	Kernel    []float64 // h_0 .. h_L
	Intercept float64   // c
	R2        float64   // 1 - residual / total sum of squares of r
	// Rate is the mean record (spikes per unit and step for LIF units).
	Rate float64
	// Cells is the number of (sample, step, unit) records fitted.
	Cells int
}

// Gain is Σ h_m: the record a constant input current of 1 would add in the long run (the filtered
// units' 1 - α^(L+1), the delayed units' 1).
func (k InhibitoryKernel) Gain() float64 { return floats.Sum(k.Kernel) }

// MeanLag is Σ (m+1) h_m / Σ h_m: the mean delay, in steps, from an input to the excitatory step it
// inhibits (the filtered units' 1 + 1/(1 - α) for a long kernel).
func (k InhibitoryKernel) MeanLag() float64 {
	s := 0.0
	for m, h := range k.Kernel {
		s += float64(m+1) * h
	}
	return s / k.Gain()
}

// PeakLag is m+1 for the largest h_m: the delay at which an input inhibits most.
func (k InhibitoryKernel) PeakLag() int { return peakLag(k.Kernel) }

// peakLag is m+1 for the largest v[m] (the first of equals; 1 for an empty v).
func peakLag(v []float64) int {
	if len(v) == 0 {
		return 1
	}
	return floats.MaxIdx(v) + 1
}

// FitInhibitoryKernel fits m's InhibitoryKernel with lags 0..L on the samples of d: the units' input
// currents as the network applies them (float32 row sums of f(W_IE), as in training) and their records
// from the same code as training (the units' Go kernels).
func FitInhibitoryKernel(m *Model, d *Dataset, L int) (InhibitoryKernel, error) {
	cfg, S, u, err := separateUnitsOf(m, d, "inhibitory kernel", L)
	if err != nil {
		return InhibitoryKernel{}, err
	}
	f := newKernelFit(L)
	eachInhibitoryBatch(m, u, d, func(idx []int, p, rec []float32, _ inhibitoryCells) {
		f.add(p, rec, len(idx), S, cfg.NumInhibitory)
	})
	out, err := f.solve()
	out.Units = cfg.InhibitoryUnits
	return out, err
}

// kernelFit accumulates the normal equations of InhibitoryKernel's least squares over series of inputs
// p and records r (lags 0..L and an intercept, last).
type kernelFit struct {
	L, n     int
	xtx, xty []float64 // X'X's upper triangle (row-major, n x n) and X'y
	x        []float64
	sy, syy  float64
	cells    int
}

func newKernelFit(L int) *kernelFit {
	n := L + 2
	return &kernelFit{L: L, n: n, xtx: make([]float64, n*n), xty: make([]float64, n), x: make([]float64, n)}
}

// add takes samples series of S steps and units units each, p and r laid out [sample, step, unit]
// (p_j = 0 before a series' step 0).
func (f *kernelFit) add(p, r []float32, samples, S, units int) {
	n, x := f.n, f.x
	for b := 0; b < samples; b++ {
		for k := 0; k < S; k++ {
			for j := 0; j < units; j++ {
				for lag := 0; lag <= f.L; lag++ {
					x[lag] = 0
					if k-lag >= 0 {
						x[lag] = float64(p[(b*S+k-lag)*units+j])
					}
				}
				x[n-1] = 1
				y := float64(r[(b*S+k)*units+j])
				for a := 0; a < n; a++ {
					f.xty[a] += x[a] * y
					row := f.xtx[a*n:]
					for c := a; c < n; c++ {
						row[c] += x[a] * x[c]
					}
				}
				f.sy, f.syy = f.sy+y, f.syy+y*y
				f.cells++
			}
		}
	}
}

// solve returns the least-squares kernel, intercept, R2, mean record and cell count (Units unset).
func (f *kernelFit) solve() (InhibitoryKernel, error) {
	n := f.n
	sym := mat.NewSymDense(n, f.xtx) // reads the upper triangle
	var ch mat.Cholesky
	if f.cells == 0 || !ch.Factorize(sym) {
		return InhibitoryKernel{}, fmt.Errorf("snn: inhibitory kernel: the input currents do not determine %d lags (the normal equations are singular): too few samples or silent inputs", f.L+1)
	}
	beta := mat.NewVecDense(n, nil)
	if err := ch.SolveVecTo(beta, mat.NewVecDense(n, f.xty)); err != nil {
		return InhibitoryKernel{}, fmt.Errorf("snn: inhibitory kernel: %w", err)
	}
	out := InhibitoryKernel{Kernel: make([]float64, f.L+1), Intercept: beta.AtVec(n - 1), Cells: f.cells, Rate: f.sy / float64(f.cells)}
	for lag := range out.Kernel {
		out.Kernel[lag] = beta.AtVec(lag)
	}
	// Residual sum of squares from the normal equations: y'y - 2 β'X'y + β'X'Xβ = y'y - β'X'y at the optimum.
	fitted := 0.0
	for a := 0; a < n; a++ {
		fitted += beta.AtVec(a) * f.xty[a]
	}
	total := f.syy - f.sy*f.sy/float64(f.cells)
	out.R2 = 1 - (f.syy-fitted)/total // NaN when every record is the same (silent units)
	return out, nil
}

// eachInhibitoryBatch runs m's inhibitory units (model u) on the samples of d batch by batch: for each
// batch (its samples idx) it fills p [batch, S, n_i] with the units' input currents as the network
// applies them (float32 row sums of f(W_IE), as in training) and rec with their records (the units' Go
// kernels), then calls f, which may run cells again.
func eachInhibitoryBatch(m *Model, u inhibitoryModel, d *Dataset, f func(idx []int, p, rec []float32, cells inhibitoryCells)) {
	cfg := m.Config
	S, ni, B := cfg.NumSteps()-1, cfg.NumInhibitory, cfg.BatchSize
	ie := m.inputWeights().ie
	cols, cells := newSpikeColumns(cfg, B), u.newCells(cfg, ni)
	p, rec := make([]float32, B*S*ni), make([]float32, B*S*ni)
	for start := 0; start < d.Len(); start += B {
		idx := make([]int, 0, B)
		for s := start; s < min(start+B, d.Len()); s++ {
			idx = append(idx, s)
		}
		cols.fill(d, idx, cfg.NumClasses)
		cols.project(ie, p)
		cells.records(p, B, rec)
		f(idx, p, rec, cells)
	}
}

// separateUnitsOf checks that m has inhibitory units with a state of their own and subtractive
// inhibition, that d suits it and that L lags fit in its trials; it returns the configuration, the steps
// fed and the units' model.
func separateUnitsOf(m *Model, d *Dataset, what string, L int) (Config, int, inhibitoryModel, error) {
	if err := m.check(); err != nil {
		return Config{}, 0, inhibitoryModel{}, err
	}
	cfg := m.Config
	if err := checkDataset(cfg, what, d); err != nil {
		return Config{}, 0, inhibitoryModel{}, err
	}
	u, ok := inhibitoryModelOf(cfg.InhibitoryUnits)
	if !ok || !cfg.separateInhibition() || cfg.Shunting() {
		return Config{}, 0, inhibitoryModel{}, fmt.Errorf("snn: %s: the model's inhibitory units are %q with %q inhibition, want %s units with subtractive inhibition",
			what, cfg.InhibitoryUnits, cfg.Inhibition, separateUnitNames())
	}
	S := cfg.NumSteps() - 1
	if L < 0 || L >= S {
		return Config{}, 0, inhibitoryModel{}, fmt.Errorf("snn: %s: %d lags is invalid: want 0 to %d (the steps fed less one)", what, L, S-1)
	}
	return cfg, S, u, nil
}

// separateUnitNames lists the inhibitory-unit models with a state of their own, for messages.
func separateUnitNames() string {
	var names []string
	for _, u := range inhibitoryModels {
		if u.separate {
			names = append(names, fmt.Sprintf("%q", u.name))
		}
	}
	return fmt.Sprint(names)
}

// InhibitoryResponse is the mean response of a model's inhibitory units to a small extra input current:
// Response[m] is (r'_{j+m} - r_{j+m}) / δ averaged over units and samples, where r are a unit's records
// on a sample's own input currents and r' its records with δ added to its input at one step j (step
// sample mod S, S the steps fed, so that every step is perturbed equally often over consecutive
// samples); responses past the last step are not counted (Counts[m] says how many were). Record j+m
// inhibits the excitatory step j+m+1: delay m+1. Unlike InhibitoryKernel it is a causal measurement,
// free of the inputs' correlations over time, but taken at the units' operating points on these inputs:
// for LIF units it depends on δ (threshold), and Response[0] is 0 (a record does not depend on the
// current of its own step). For the delayed and filtered units it is their kernel exactly (up to float32
// rounding).
type InhibitoryResponse struct {
	Units    InhibitoryUnits
	Delta    float64
	Response []float64
	Counts   []int
	// Rate is the mean record on the samples' own currents (spikes per unit and step for LIF units, whose
	// ceiling is 0.5: a unit resets for a step after each spike).
	Rate float64
}

// Sum is Σ_m Response[m]: the extra record an input of δ adds over the lags measured, per δ.
func (r InhibitoryResponse) Sum() float64 { return floats.Sum(r.Response) }

// PeakLag is m+1 for the largest Response[m]: the delay at which an input adds most.
func (r InhibitoryResponse) PeakLag() int { return peakLag(r.Response) }

// ImpulseResponse measures m's InhibitoryResponse to δ at lags 0..L on the samples of d, with the units'
// Go kernels (as in training) on their input currents as the network applies them.
func ImpulseResponse(m *Model, d *Dataset, L int, delta float64) (InhibitoryResponse, error) {
	cfg, S, u, err := separateUnitsOf(m, d, "impulse response", L)
	if err != nil {
		return InhibitoryResponse{}, err
	}
	if !(delta > 0) || math.IsInf(delta, 0) {
		return InhibitoryResponse{}, fmt.Errorf("snn: impulse response: δ = %v is invalid: want a finite number > 0", delta)
	}
	ni, B := cfg.NumInhibitory, cfg.BatchSize
	rec1 := make([]float32, B*S*ni)
	out := InhibitoryResponse{Units: cfg.InhibitoryUnits, Delta: delta, Response: make([]float64, L+1), Counts: make([]int, L+1)}
	eachInhibitoryBatch(m, u, d, func(idx []int, p, rec []float32, cells inhibitoryCells) {
		for _, v := range rec[:len(idx)*S*ni] {
			out.Rate += float64(v)
		}
		for b, s := range idx {
			j := s % S
			for c := 0; c < ni; c++ {
				p[(b*S+j)*ni+c] += float32(delta)
			}
		}
		cells.records(p, B, rec1)
		for b, s := range idx {
			j := s % S
			for lag := 0; lag <= L && j+lag < S; lag++ {
				for c := 0; c < ni; c++ {
					i := (b*S+j+lag)*ni + c
					out.Response[lag] += float64(rec1[i]-rec[i]) / delta
				}
				out.Counts[lag] += ni
			}
		}
	})
	for lag := range out.Response {
		if out.Counts[lag] > 0 {
			out.Response[lag] /= float64(out.Counts[lag])
		}
	}
	out.Rate /= float64(d.Len() * S * ni)
	return out, nil
}
