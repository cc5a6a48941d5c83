package snn

// Culled counts m's constrained weights whose magnitude is exactly 0, and its constrained weights in all.
// The constrained matrices are those the sign rule acts on, as its projection and wiggle's restarts see
// them: W1 and W2 of ColumnEI's Dale layers; W, W_IE and W_EI of each E/I-population layer and, with
// shunting inhibition, its gains (not its α or biases). A weight's magnitude is
// the sign rule's f(w) (Config.SignParam: |w| for abs, max(w, 0) for relu, w for clip and wiggle), so a
// zero is a synapse the network does not use: under clip one the projection holds at 0, under wiggle one
// not restarted since the last step (the rule restarts them after every step), under relu a dead one. A
// model without Dale's law has none (0, 0).
//
// The count is of the model as it is (History.Ledger counts, per epoch, the zeros of the effective
// matrices, which for the E/I populations compose W - W_IE W_EI and so are not synapses).
func (m *Model) Culled() (zero, total int) {
	r, ok := m.Config.SignParam.rule()
	if !ok {
		return 0, 0
	}
	raw := m.rawParams()
	for k, s := range paramSpecs(m.Config) {
		if !constrained(m.Config, s) || k >= len(raw) {
			continue
		}
		for _, v := range raw[k].Data {
			if r.f(v) == 0 {
				zero++
			}
		}
		total += len(raw[k].Data)
	}
	return zero, total
}
