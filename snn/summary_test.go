package snn

import (
	"strings"
	"testing"
)

// Summary states what the model holds: for the notebook's network at fraction 0.5 (blocked mask: rows
// 0..99 inhibitory, 15 of 30 hidden units), its sizes, and sign counts that match the mask (every weight of
// an inhibitory row negative).
func TestSummary(t *testing.T) {
	m, err := NewModel(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary()
	for _, want := range []string{
		"ColumnEI network under Dale's law (both layers, blocked mask): 200 inputs (100 inhibitory), 30 hidden units (15 inhibitory), 12 classes;",
		"6360 trainable parameters, sign rule abs, seed 1.", "Untrained.",
		"Effective W1 [200 x 30]:", "3000 negative", "Effective W2 [30 x 12]:", "180 negative",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	m.History = History{TrainLoss: []float64{2, 1.5}, ValLoss: []float64{2.1, 1.75}, ValAccuracy: []float64{0.3, 0.5}}
	if s := m.Summary(); !strings.Contains(s, "Trained 2 of 50 epochs (adam, learning rate 0.01), kept the weights of epoch 2; last training loss 1.5000, validation loss 1.7500, validation accuracy 50.0%.") {
		t.Errorf("trained summary:\n%s", s)
	}
	capped := lifInhConfig()
	capped.InhibitoryRateCap, capped.InhibitoryRateWeight = 0.25, 100
	mc, err := NewModel(capped)
	if err != nil {
		t.Fatal(err)
	}
	mc.History = m.History
	if s := mc.Summary(); !strings.Contains(s, "validation accuracy 50.0% (the training loss includes the rate cap's penalty, the validation loss does not).") {
		t.Errorf("trained summary with the rate cap:\n%s", s)
	}
}
