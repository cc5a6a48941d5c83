package snn

import "fmt"

// HiddenDrive runs m's hidden layer (Go kernels) on every sample of d and returns, per (sample, step
// k = 0..NumSteps-2, hidden unit) in that order, the input current p_k the unit receives at step k and
// its spike record s_{k+1} after the step. For the subtractive layers the current is W1eff^T x_k; with
// shunting inhibition it is the shunted current (see Shunt). Networks with LIF inhibitory units are
// given their own LIF simulation: the current then includes the inhibitory spikes (x_k W_EE - s^I_k W_EI).
func HiddenDrive(m *Model, d *Dataset) (currents, spikes []float32, err error) {
	if err := m.check(); err != nil {
		return nil, nil, err
	}
	cfg := m.Config
	if err := checkDataset(cfg, "hidden drive", d); err != nil {
		return nil, nil, err
	}
	if cfg.separateInhibition() {
		w := m.inputWeights()
		return simulateHidden(cfg, cfg.InhibitoryUnits, w.ee, w.ie, w.ei, d)
	}
	S, H, B := cfg.NumSteps()-1, cfg.NumHidden, cfg.BatchSize
	cols, lif := newSpikeColumns(cfg, B), newLIFKernel(cfg)
	p, r, sp := make([]float32, B*S*H), make([]float32, B*H), make([]float32, B*S*H)
	var l1 shuntLayer
	var zEI []float32
	if cfg.Shunting() {
		if l1, _, err = m.shuntLayers(); err != nil {
			return nil, nil, err
		}
		zEI = make([]float32, B*S*(H+cfg.NumInhibitory))
	}
	w1 := m.EffectiveW1()
	for start := 0; start < d.Len(); start += B {
		idx := make([]int, 0, B)
		for n := start; n < min(start+B, d.Len()); n++ {
			idx = append(idx, n)
		}
		cols.fill(d, idx, cfg.NumClasses)
		if cfg.Shunting() {
			hiddenCurrents(l1, cols, lif, zEI, p, r)
		} else {
			cols.project(w1, p)
			lif.forward(p, B, r, true)
		}
		lif.spikes(B, sp)
		n := len(idx) * S * H
		currents, spikes = append(currents, p[:n]...), append(spikes, sp[:n]...)
	}
	return currents, spikes, nil
}

// InhibitoryRate is the mean rate (spikes per unit and step) of the hidden layer's LIF inhibitory units
// (Config.InhibitoryUnits = InhibitoryLIF) on d; it errors for other models.
func InhibitoryRate(m *Model, d *Dataset) (float64, error) {
	sp, _, err := inhibitorySpikes(m, d, "InhibitoryRate")
	if err != nil {
		return 0, err
	}
	return mean32(sp), nil
}

// InhibitoryUnitRates is InhibitoryRate unit by unit: each LIF inhibitory unit's spikes per step on d, [n_i]
// (their mean over the units is InhibitoryRate, up to rounding), and InhibitoryRate itself, from the same
// simulation.
func InhibitoryUnitRates(m *Model, d *Dataset) (units []float64, mean float64, err error) {
	sp, n, err := inhibitorySpikes(m, d, "InhibitoryUnitRates")
	if err != nil {
		return nil, 0, err
	}
	units = make([]float64, n)
	for i, s := range sp {
		units[i%n] += float64(s)
	}
	for i := range units {
		units[i] /= float64(len(sp) / n)
	}
	return units, mean32(sp), nil
}

// inhibitorySpikes returns the LIF inhibitory units' spike records on d, [samples, S, n_i] with S = T-1, and
// n_i; what names the caller in the errors.
func inhibitorySpikes(m *Model, d *Dataset, what string) ([]float32, int, error) {
	if err := m.check(); err != nil {
		return nil, 0, err
	}
	if !m.Config.LIFInhibition() {
		return nil, 0, fmt.Errorf("snn: %s: the model's inhibitory units are %q, want %q", what, m.Config.InhibitoryUnits, InhibitoryLIF)
	}
	if err := checkDataset(m.Config, "inhibitory rate", d); err != nil {
		return nil, 0, err
	}
	w := m.inputWeights()
	return lifSpikesOf(m.Config, projectAll(m.Config, w.ie, d), w.ie.Cols, 1), w.ie.Cols, nil
}
