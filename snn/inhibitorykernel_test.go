package snn

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// FitInhibitoryKernel against kernels known exactly, on trials of 20 steps (19 fed) so that 18 lags take
// in the whole past of every record: the delayed units (d = 2 and 3) give h_{d-1} = 1 and every other
// h_m = 0 with no intercept and R2 = 1; the filtered units h_0 = 0 and h_m = (1 - α) α^{m-1} (every
// lag of the trial), R2 = 1; for LIF units the fit's mean record equals snn's own InhibitoryRate on the
// same samples and R2 lies in (0, 1) (spikes are not a linear function of the current). Lags out of
// range and linear inhibitory units are refused with errors that name them.
func TestFitInhibitoryKernel(t *testing.T) {
	base := Quick(lifInhConfig())
	base.Duration = 20e-3
	S := base.NumSteps() - 1
	L := S - 1
	fit := func(units InhibitoryUnits, d int) (InhibitoryKernel, *Model, *Dataset) {
		m, val := unitsNetwork(t, base, units, d)
		k, err := FitInhibitoryKernel(m, val, L)
		if err != nil {
			t.Fatal(err)
		}
		return k, m, val
	}
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.9g, want %.9g (±%g)", what, got, want, tol)
		}
	}
	for _, d := range []int{2, 3} {
		k, _, _ := fit(InhibitoryDelayed, d)
		for m, h := range k.Kernel {
			want := 0.0
			if m == d-1 {
				want = 1
			}
			near("delayed h", h, want, 1e-6)
		}
		near("delayed intercept", k.Intercept, 0, 1e-6)
		near("delayed R2", k.R2, 1, 1e-9)
		near("delayed mean lag", k.MeanLag(), float64(d), 1e-6)
		if k.PeakLag() != d {
			t.Errorf("delayed d=%d: peak lag %d", d, k.PeakLag())
		}
	}
	k, m, _ := fit(InhibitoryFiltered, 0)
	a := m.Config.Alpha()
	near("filtered h_0", k.Kernel[0], 0, 1e-6)
	for j := 1; j <= L; j++ {
		near("filtered h", k.Kernel[j], (1-a)*math.Pow(a, float64(j-1)), 1e-5)
	}
	near("filtered R2", k.R2, 1, 1e-9)
	near("filtered gain", k.Gain(), 1-math.Pow(a, float64(L)), 1e-5)
	k, m, val := fit(InhibitoryLIF, 0)
	rate, err := InhibitoryRate(m, val)
	if err != nil {
		t.Fatal(err)
	}
	near("LIF mean record against InhibitoryRate", k.Rate, rate, 1e-12)
	if !(k.R2 > 0 && k.R2 < 1) || k.Cells != val.Len()*S*base.NumInhibitory {
		t.Errorf("LIF: R2 %v, %d cells (want %d)", k.R2, k.Cells, val.Len()*S*base.NumInhibitory)
	}
	cfg := base
	cfg.InhibitoryUnits = InhibitoryLinear
	lin, _ := NewModel(cfg)
	_, val2, _, _ := GenerateData(cfg)
	for _, c := range []struct {
		m    *Model
		L    int
		want string
	}{
		{lin, 3, `inhibitory units are "linear"`},
		{m, -1, "-1 lags is invalid: want 0 to 18"},
		{m, S, "19 lags is invalid: want 0 to 18"},
	} {
		d := val
		if c.m == lin {
			d = val2
		}
		if _, err := FitInhibitoryKernel(c.m, d, c.L); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}

// kernelFit on synthetic series r_k = c + Σ h_m p_{k-m} (p uniform in [0, 1), seeded; 2 units, 40 samples
// of 30 steps) recovers c = 0.3 and h = (0.2, 0.5, -0.1) and zeros at the other lags, R2 = 1, and the
// mean record; with noise added to r the fit is not exact and R2 falls below 1.
func TestKernelFitSynthetic(t *testing.T) {
	const samples, S, units, L = 40, 30, 2, 5
	c, h := 0.3, []float64{0.2, 0.5, -0.1}
	rng := newRand(7, streamWeights)
	p, r := make([]float32, samples*S*units), make([]float32, samples*S*units)
	for i := range p {
		p[i] = float32(rng.Float64())
	}
	sum := 0.0
	for b := 0; b < samples; b++ {
		for k := 0; k < S; k++ {
			for j := 0; j < units; j++ {
				v := c
				for m, hm := range h {
					if k-m >= 0 {
						v += hm * float64(p[(b*S+k-m)*units+j])
					}
				}
				r[(b*S+k)*units+j] = float32(v)
				sum += float64(float32(v))
			}
		}
	}
	f := newKernelFit(L)
	f.add(p, r, samples, S, units)
	k, err := f.solve()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(k.Intercept-c) > 1e-5 {
		t.Errorf("intercept %v, want %v", k.Intercept, c)
	}
	for m := 0; m <= L; m++ {
		want := 0.0
		if m < len(h) {
			want = h[m]
		}
		if math.Abs(k.Kernel[m]-want) > 1e-5 {
			t.Errorf("h_%d = %v, want %v", m, k.Kernel[m], want)
		}
	}
	if math.Abs(k.R2-1) > 1e-6 || math.Abs(k.Rate-sum/float64(len(r))) > 1e-12 || k.Cells != len(r) {
		t.Errorf("R2 %v, rate %v, %d cells; want 1, %v, %d", k.R2, k.Rate, k.Cells, sum/float64(len(r)), len(r))
	}
	for i := range r {
		r[i] += float32(rng.Float64() - 0.5)
	}
	f = newKernelFit(L)
	f.add(p, r, samples, S, units)
	if k, err = f.solve(); err != nil || !(k.R2 < 0.99) {
		t.Errorf("with noise: R2 %v (%v), want below 0.99", k.R2, err)
	}
}

// ImpulseResponse against the units' known kernels (the quick trials of 99 steps, δ = 1): the delayed
// units (d = 2) respond 1 at lag 1 only and the filtered units (1 - α) α^{m-1} at lag m >= 1, within
// float32 rounding; LIF units do not respond at lag 0 (a record does not read its own step's current:
// exactly 0) and respond at lag 1, their mean record being InhibitoryRate's. Counts are the units times the samples whose perturbed step leaves
// room for the lag. A δ that is not a finite number > 0 is refused, naming it.
func TestImpulseResponse(t *testing.T) {
	base := Quick(lifInhConfig())
	S, L := base.NumSteps()-1, 12
	resp := func(units InhibitoryUnits, d int, delta float64) (InhibitoryResponse, *Model, *Dataset) {
		m, val := unitsNetwork(t, base, units, d)
		r, err := ImpulseResponse(m, val, L, delta)
		if err != nil {
			t.Fatal(err)
		}
		return r, m, val
	}
	r, _, val := resp(InhibitoryDelayed, 2, 1)
	for m, v := range r.Response {
		want := 0.0
		if m == 1 {
			want = 1
		}
		if math.Abs(v-want) > 1e-6 {
			t.Errorf("delayed: response at lag %d = %v, want %v", m, v, want)
		}
		n := 0
		for s := 0; s < val.Len(); s++ {
			if s%S+m < S {
				n += base.NumInhibitory
			}
		}
		if r.Counts[m] != n {
			t.Errorf("lag %d: %d responses counted, want %d", m, r.Counts[m], n)
		}
	}
	r, mod, _ := resp(InhibitoryFiltered, 0, 1)
	a := mod.Config.Alpha()
	for m, v := range r.Response {
		want := 0.0
		if m >= 1 {
			want = (1 - a) * math.Pow(a, float64(m-1))
		}
		if math.Abs(v-want) > 1e-5 {
			t.Errorf("filtered: response at lag %d = %v, want %v", m, v, want)
		}
	}
	r, mod, val = resp(InhibitoryLIF, 0, 0.5)
	if r.Response[0] != 0 || !(r.Response[1] > 0) {
		t.Errorf("LIF: response %v at lag 0 (want exactly 0), %v at lag 1 (want > 0)", r.Response[0], r.Response[1])
	}
	if rate, err := InhibitoryRate(mod, val); err != nil || math.Abs(r.Rate-rate) > 1e-12 {
		t.Errorf("LIF: mean record %v, InhibitoryRate %v (%v)", r.Rate, rate, err)
	}
	for _, delta := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := ImpulseResponse(mod, val, L, delta); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("δ = %v is invalid", delta)) {
			t.Errorf("δ = %v: error %v", delta, err)
		}
	}
}

// unitsNetwork is the untrained model of base with the given inhibitory units (and delay d) and the
// validation set of its configuration.
func unitsNetwork(t *testing.T, base Config, units InhibitoryUnits, d int) (*Model, *Dataset) {
	t.Helper()
	cfg := base
	cfg.InhibitoryUnits, cfg.InhibitoryDelay = units, d
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, val, _, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, val
}
