package snn

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// NewDataset of a generated set's own spikes and IPDs is that set, bit for bit, and a model scores the two
// alike; bad sizes, IPDs and a nil spike function are refused by name.
func TestNewDataset(t *testing.T) {
	cfg := Quick(DefaultConfig())
	_, _, test, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDataset(test.IPD, test.NumSteps, test.NumInputs, test.Spike)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.bits, test.bits) || !reflect.DeepEqual(d.IPD, test.IPD) || d.Count() != test.Count() || d.Count() == 0 {
		t.Fatalf("NewDataset of the test set's spikes differs from it (%d spikes against %d)", d.Count(), test.Count())
	}
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Evaluate(m, test, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Evaluate(m, d, nil)
	if err != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("scores on the rebuilt set %+v (%v), on the generated one %+v", b, err, a)
	}
	none := func(n, t, i int) bool { return false }
	for _, bad := range []struct {
		ipd        []float64
		steps, ins int
		spike      func(n, t, i int) bool
		want       string
	}{
		{nil, 10, 10, none, "no samples"},
		{[]float64{0}, 0, 10, none, "numSteps = 0"},
		{[]float64{0}, 10, -1, none, "numInputs = -1"},
		{[]float64{0, math.NaN()}, 10, 10, none, "ipd[1] = NaN"},
		{[]float64{2}, 10, 10, none, "ipd[0] = 2"},
		{[]float64{0}, 10, 10, nil, "spike is nil"},
		{make([]float64, 1<<20), 1 << 10, 1 << 10, none, "more than"},
	} {
		if _, err := NewDataset(bad.ipd, bad.steps, bad.ins, bad.spike); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("NewDataset(%d samples, %d, %d): %v, want an error containing %q", len(bad.ipd), bad.steps, bad.ins, err, bad.want)
		}
	}
}
