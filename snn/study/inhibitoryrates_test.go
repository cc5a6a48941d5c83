package study

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// PlanInhibitoryRates on a plan of one quick condition with LIF inhibitory units at two test seeds: each
// row's rates are snn.InhibitoryRate of the seed's initial model and of the model of the plan's test run
// (trained again independently by snn.RunExperiment), on that configuration's validation set, and its
// accuracies the model's and the outcome's for that seed; linear inhibitory units are refused before any
// model is trained.
// InhibitoryRateTable's rows and summary are held to values worked by hand.
func TestPlanInhibitoryRates(t *testing.T) {
	p := TunedPlan{Name: "tinyrate", Conditions: []string{"pop-lif-bal"}, Fraction: 0.5, TestSeeds: []uint64{11, 12},
		Base: func() snn.Config { return snn.Quick(tunedBase()) }}
	o := Outcome{Plan: p, Tuned: []Tuned{{Condition: "pop-lif-bal", Selected: 0.01}},
		Test: map[string][]float64{"pop-lif-bal": {0.25, 0.5}}, From: map[string]string{"pop-lif-bal": "tinyrate"}}
	nb := &Notebook{Results: t.TempDir(), Log: io.Discard}
	rows, err := nb.PlanInhibitoryRates(o, "pop-lif-bal")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	for i, r := range rows {
		cfg, err := o.TestConfig("pop-lif-bal", p.TestSeeds[i])
		if err != nil {
			t.Fatal(err)
		}
		x, err := snn.RunExperiment(t.Context(), cfg, snn.TrainOptions{})
		if err != nil {
			t.Fatal(err)
		}
		initial, _ := snn.InhibitoryRate(x.Initial, x.Validation)
		trained, _ := snn.InhibitoryRate(x.Trained, x.Validation)
		units, _, err := snn.InhibitoryUnitRates(x.Trained, x.Validation)
		if err != nil {
			t.Fatal(err)
		}
		want := InhibitoryRateRow{Condition: "pop-lif-bal", Seed: p.TestSeeds[i], Initial: initial, Trained: trained,
			TrainedMaxUnit: slices.Max(units), TestAccuracy: x.TestEval.Accuracy, RunAccuracy: o.Test["pop-lif-bal"][i]}
		if r != want {
			t.Errorf("seed %d: %+v, want %+v", p.TestSeeds[i], r, want)
		}
	}
	lin := o
	lin.Plan.Conditions, lin.Tuned = []string{"pop-abs-bal"}, []Tuned{{Condition: "pop-abs-bal", Selected: 0.01}}
	empty := &Notebook{Results: t.TempDir(), Log: io.Discard}
	if _, err := empty.PlanInhibitoryRates(lin, "pop-abs-bal"); err == nil || !strings.Contains(err.Error(), `pop-abs-bal has "linear" inhibitory units`) {
		t.Errorf("linear units: error %v", err)
	}
	if models, _ := filepath.Glob(filepath.Join(empty.Results, "models", "*")); len(models) != 0 {
		t.Errorf("linear units: %v trained before the error", models)
	}
	hand := []InhibitoryRateRow{
		{"a", 1, 0.1, 0.49, 0.495, 0.4, 0.4}, {"a", 2, 0.1, 0.3, 0.499, 0.6, 0.6}, {"a", 3, 0.2, 0.46, 0.47, 0.5, 0.5},
	}
	got := InhibitoryRateTable(hand)
	for _, want := range []string{
		"a                          1     0.100     0.490     0.495  40.0 (40.0)\n",
		"a: trained rates 0.300 to 0.490, 2 of 3 seeds at 0.45 or more; busiest single unit 0.499\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("InhibitoryRateTable:\n%s\nwant it to contain %q", got, want)
		}
	}
}
