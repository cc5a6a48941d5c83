package snn

// Culled counts m's constrained weights whose magnitude is exactly 0, and its constrained weights in all.
// The constrained matrices are those the sign rule acts on, as its projection and wiggle's restarts see
// them: W1 and W2 of ColumnEI's Dale layers; W, W_IE and W_EI of each E/I-population layer and, with
// shunting inhibition, its gains (not its α or biases). A weight's magnitude is the sign rule's f(w)
// (Config.SignParam: |w| for abs, max(w, 0) for relu, w for clip and wiggle), so a zero is a synapse the
// network does not use: under clip one the projection holds at 0, under relu a dead one. Under wiggle
// the count is 0 after training by construction (the rule restarts every zero after every step, the last
// included); see NearZero. A model without Dale's law has none (0, 0).
//
// The count is of the model as it is (History.Ledger counts, per epoch, the zeros of the effective
// matrices, which for the E/I populations compose W - W_IE W_EI and so are not synapses).
func (m *Model) Culled() (zero, total int) {
	m.eachConstrained(func(a float32) {
		if a == 0 {
			zero++
		}
		total++
	})
	return zero, total
}

// NearZero counts m's constrained weights (as Culled) whose magnitude lies in (0, limit]: under wiggle,
// with limit Config.WiggleScale, weights at most as large as a restart makes them.
func (m *Model) NearZero(limit float64) int {
	n := 0
	m.eachConstrained(func(a float32) {
		if a > 0 && float64(a) <= limit {
			n++
		}
	})
	return n
}

// eachConstrained calls f with the magnitude f(w) of every constrained weight of m (see Culled).
func (m *Model) eachConstrained(f func(a float32)) {
	r, ok := m.Config.SignParam.rule()
	if !ok {
		return
	}
	raw := m.rawParams()
	for k, s := range paramSpecs(m.Config) {
		if !constrained(m.Config, s) || k >= len(raw) {
			continue
		}
		for _, v := range raw[k].Data {
			f(r.f(v))
		}
	}
}
