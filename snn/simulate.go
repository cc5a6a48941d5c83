package snn

import "fmt"

// Responses are per-sample activities of a trained network, computed by a plain Go simulation of the
// same equations as the graph (float64): the spike count of each hidden unit over the records the
// readout reads, and the readout summed over time.
type Responses struct {
	IPD     []float64   // radians, per sample
	Hidden  [][]float64 // [sample][hidden unit] spike counts
	Readout [][]float64 // [sample][class] readout membrane summed over time (before ReadoutScale)
}

// Simulate runs m on every sample of d and records its Responses.
func Simulate(m *Model, d *Dataset) (*Responses, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := checkDataset(m.Config, "simulation", d); err != nil {
		return nil, err
	}
	cfg := m.Config
	if cfg.Shunting() {
		return nil, fmt.Errorf("snn: Simulate does not compute shunting inhibition (Config.Inhibition %q): use Evaluate for its accuracy", cfg.Inhibition)
	}
	T, H, C := cfg.NumSteps(), cfg.NumHidden, cfg.NumClasses
	alpha := cfg.Alpha()
	in, w2 := m.inputWeights(), m.EffectiveW2()
	r := &Responses{IPD: append([]float64(nil), d.IPD...), Hidden: make([][]float64, d.Len()), Readout: make([][]float64, d.Len())}
	cols := newSpikeColumns(cfg, 1)
	p := make([]float32, (T-1)*H)
	separate := cfg.separateInhibition()
	ni := cfg.NumInhibitory
	var pI []float32
	model, _ := inhibitoryModelOf(cfg.InhibitoryUnits)
	if separate {
		pI = make([]float32, (T-1)*ni)
	}
	for n := 0; n < d.Len(); n++ {
		cols.fill(d, []int{n}, C)
		var units simUnits
		if separate {
			// Excitatory input x W_EE here; the inhibitory units' records are subtracted per step below.
			cols.project(in.ee, p)
			cols.project(in.ie, pI)
			units = model.newSim(cfg, ni) // each sample from rest
		} else {
			cols.project(in.eff, p)
		}
		v, s := make([]float64, H), make([]float64, H)
		u, sum := make([]float64, C), make([]float64, C)
		counts := make([]float64, H)
		for t := 0; t < T-1; t++ {
			// Readout: u_{t+1} = alpha*u_t + s_t W2 (s_t is the record before this step's update).
			for c := 0; c < C; c++ {
				h := 0.0
				for j := 0; j < H; j++ {
					if s[j] != 0 {
						h += float64(w2.At(j, c))
					}
				}
				u[c] = alpha*u[c] + h
				sum[c] += u[c]
			}
			// Hidden layer, the notebook's update order; inhibitory units with a state of their own
			// (LIF, delayed or filtered) inhibit with their record before step t and advance after.
			var sI []float64
			if units != nil {
				sI = units.record()
			}
			for j := 0; j < H; j++ {
				h := float64(p[t*H+j])
				for k := 0; k < len(sI); k++ {
					if sI[k] != 0 {
						h -= sI[k] * float64(in.ei.At(k, j))
					}
				}
				newV := (alpha*v[j] + h) * (1 - s[j])
				s[j] = 0
				if v[j]-Threshold > 0 {
					s[j] = 1
					if t+1 <= T-2 { // records 1..T-2 reach the readout
						counts[j]++
					}
				}
				v[j] = newV
			}
			if units != nil {
				units.advance(pI[t*ni:][:ni])
			}
		}
		r.Hidden[n], r.Readout[n] = counts, sum
	}
	return r, nil
}
