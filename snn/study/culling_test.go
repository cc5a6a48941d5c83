package study

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// TestConfig against what the plans' sweeps trained: for every tuned plan, every condition its outcome
// reports and every test seed, snn.ConfigKey of TestConfig equals the configuration hash the committed
// test run of that condition and seed records (the hash Test's sweep computed from the configuration it
// trained). Unknown conditions and seeds outside the plan's test seeds are errors that name them.
func TestOutcomeTestConfig(t *testing.T) {
	for _, p := range TunedPlans() {
		checked := 0
		o, test := committedOutcome(t, p)
		hash := map[string]map[uint64]string{}
		for _, r := range test {
			name, _, _ := strings.Cut(r.Condition, lrSuffix)
			if hash[name] == nil {
				hash[name] = map[uint64]string{}
			}
			hash[name][r.Seed] = r.ConfigHash
		}
		for _, tu := range o.Tuned {
			for _, seed := range p.TestSeeds {
				cfg, err := o.TestConfig(tu.Condition, seed)
				if err != nil {
					t.Fatalf("plan %s: %v", p.Name, err)
				}
				want, ok := hash[tu.Condition][seed]
				if !ok {
					t.Fatalf("plan %s: no test run of %s at seed %d", p.Name, tu.Condition, seed)
				}
				if got := snn.ConfigKey(cfg); got != want {
					t.Errorf("plan %s: %s seed %d: TestConfig's key %s, the run's %s", p.Name, tu.Condition, seed, got, want)
				}
				checked++
			}
		}
		if want := len(p.Conditions) * len(p.TestSeeds); checked < want {
			t.Errorf("plan %s: %d test runs checked, want at least its own %d", p.Name, checked, want)
		}
		if p.Name != "populations-wiggle" {
			continue
		}
		if _, err := o.TestConfig("pop-abs", p.TestSeeds[0]); err == nil || !strings.Contains(err.Error(), `no tuned condition "pop-abs"`) {
			t.Errorf("TestConfig of a condition the plan does not tune: error %v", err)
		}
		if _, err := o.TestConfig("wiggle", 11); err == nil || !strings.Contains(err.Error(), "no test seed 11 (its test seeds are 501-520)") {
			t.Errorf("TestConfig at a seed outside the plan's: error %v", err)
		}
	}
}

// CullingOf reads the model's own counts (snn.Model.Culled and NearZero are tested in package snn): an
// untrained wiggle model with two weights zeroed and a history set by hand (a ledger of three epochs with 3 + 0 + 5
// restarts, 6 steps); CullingTable's layout is held to a table written by hand from those values, with
// accuracies set, and a clip row (no restarts, not scored).
func TestCulling(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.SignParam, cfg.Seed = snn.SignWiggle, 7
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.W1.Data[0], m.W2.Data[5] = 0, 0
	m.History.Ledger = []snn.LedgerEntry{{Restarts: 3}, {}, {Restarts: 5}}
	m.History.Steps = 6
	c := CullingOf("wiggle", m)
	if !math.IsNaN(c.TestAccuracy) || !math.IsNaN(c.RunAccuracy) {
		t.Errorf("CullingOf scored the model: %v, %v", c.TestAccuracy, c.RunAccuracy)
	}
	c.TestAccuracy, c.RunAccuracy = 0.8125, 0.8125
	want := Culling{Condition: "wiggle", Rule: snn.SignWiggle, Seed: 7, Zero: 2, Total: 6360, Near: m.NearZero(0.01), Limit: 0.01,
		Restarts: 8, LastRestarts: 5, Steps: 6, LastSteps: 2, TestAccuracy: 0.8125, RunAccuracy: 0.8125}
	if c != want {
		t.Fatalf("CullingOf = %+v, want %+v", c, want)
	}
	c.Near = 41 // the untrained draw's own count varies with the seed; the table is held for this value
	clip := Culling{Condition: "pop-clip", Rule: snn.SignClip, Seed: 501, Zero: 1234, Total: 6444, Near: 1005, Limit: 0.01, Steps: 3200,
		TestAccuracy: math.NaN(), RunAccuracy: math.NaN()}
	got := CullingTable([]Culling{c, clip})
	golden := "condition    rule      seed  test % (run)   at 0 at the end          in (0, 0.01]      restarts   per update\n" +
		"wiggle       wiggle       7  81.2 (81.2)    2 of 6,360 (0.0%)        41                       8          2.5\n" +
		"pop-clip     clip       501  -              1,234 of 6,444 (19.1%)   1,005                    -            -\n" +
		"(restarts: over all of training; per update: their mean per optimiser step, one batch's update, in the last epoch)\n"
	if got != golden {
		t.Errorf("CullingTable:\n%s\nwant:\n%s", got, golden)
	}
	for n, s := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := thousands(n); got != s {
			t.Errorf("thousands(%d) = %q, want %q", n, got, s)
		}
	}
}

// PlanCulling on a plan of two quick conditions (snn.Quick: 3 epochs of 8 batches) at test seed 501: each
// model is trained once and kept under the notebook's results (a second call loads it and gives the same
// rows), its test accuracy is the one snn.RunExperiment gives the same configuration (trained again
// independently), the committed run's accuracy is the outcome's first test seed's, and wiggle's restarts
// are the model's ledger's. In quick mode a missing committed model is an error that says so.
func TestPlanCulling(t *testing.T) {
	p := TunedPlan{Name: "tiny", Conditions: []string{"wiggle", "clip"}, Fraction: 0.5, TestSeeds: []uint64{501, 502},
		Base: func() snn.Config { return snn.Quick(tunedBase()) }}
	o := Outcome{Plan: p, Tuned: []Tuned{{Condition: "wiggle", Selected: 0.01}, {Condition: "clip", Selected: 0.01}},
		Test: map[string][]float64{"wiggle": {0.5, 0.1}, "clip": {0.25, 0.1}}}
	nb := &Notebook{Results: t.TempDir(), Log: io.Discard}
	cs, err := nb.PlanCulling(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Condition != "wiggle" || cs[1].Condition != "clip" {
		t.Fatalf("rows %+v", cs)
	}
	for i, c := range cs {
		cfg, err := o.TestConfig(c.Condition, 501)
		if err != nil {
			t.Fatal(err)
		}
		x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Seed != 501 || c.TestAccuracy != x.TestEval.Accuracy || c.RunAccuracy != o.Test[c.Condition][0] {
			t.Errorf("%s: seed %d, accuracy %v (run %v), want 501, %v (%v)", c.Condition, c.Seed, c.TestAccuracy, c.RunAccuracy,
				x.TestEval.Accuracy, o.Test[c.Condition][0])
		}
		if want := CullingOf(c.Condition, x.Trained); c.Zero != want.Zero || c.Restarts != want.Restarts || c.Steps != 24 {
			t.Errorf("%s: %+v, the independent run's %+v (24 steps)", c.Condition, c, want)
		}
		if (i == 0) != (c.Restarts > 0) {
			t.Errorf("%s: %d restarts", c.Condition, c.Restarts)
		}
		if _, err := os.Stat(filepath.Join(nb.Results, "models", "tiny_"+c.Condition+"_s501.ckpt")); err != nil {
			t.Error(err)
		}
	}
	again, err := nb.PlanCulling(o)
	if err != nil || fmt.Sprint(again) != fmt.Sprint(cs) {
		t.Errorf("second call: %v, %+v; first %+v", err, again, cs)
	}
	nb.Quick = true
	if _, err := nb.PlanCulling(o); err == nil || !strings.Contains(err.Error(), "quick mode trains no model of plan tiny") {
		t.Errorf("quick mode without committed models: error %v", err)
	}
}

// PlanResponses on a plan of one quick condition with LIF inhibitory units (pop-lif-bal, snn.Quick) at
// test seed 11: its rows are the impulse responses, at each δ, of the model snn.RunExperiment trains for
// the same configuration (trained again independently), on that configuration's validation set; the text
// names the seed, rate and plan and gives the model's test accuracy beside the outcome's. In quick mode a
// missing committed model is an error.
func TestPlanResponses(t *testing.T) {
	p := TunedPlan{Name: "tinylif", Conditions: []string{"pop-lif-bal"}, Fraction: 0.5, TestSeeds: []uint64{11},
		Base: func() snn.Config { return snn.Quick(tunedBase()) }}
	o := Outcome{Plan: p, Tuned: []Tuned{{Condition: "pop-lif-bal", Selected: 0.0316228}},
		Test: map[string][]float64{"pop-lif-bal": {0.375}}, From: map[string]string{"pop-lif-bal": "tinylif"}}
	nb := &Notebook{Results: t.TempDir(), Log: io.Discard}
	rows, text, err := nb.PlanResponses(o, "pop-lif-bal", 6, []float64{0.1, 1})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := o.TestConfig("pop-lif-bal", 11)
	if err != nil {
		t.Fatal(err)
	}
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	for i, delta := range []float64{0.1, 1} {
		want, err := snn.ImpulseResponse(x.Trained, x.Validation, 6, delta)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(rows[i].Response) != fmt.Sprint(want) || rows[i].Condition != "pop-lif-bal, trained" || rows[i].Samples != x.Validation.Len() {
			t.Errorf("row %d: %+v, want %+v on %d samples", i, rows[i], want, x.Validation.Len())
		}
	}
	wantText := fmt.Sprintf("pop-lif-bal, trained: seed 11 at learning rate 0.0316228 (plan tinylif's test run), test accuracy %.1f%% (the committed run: 37.5%%)",
		100*x.TestEval.Accuracy)
	if text != wantText {
		t.Errorf("text %q, want %q", text, wantText)
	}
	if _, err := os.Stat(filepath.Join(nb.Results, "models", "tinylif_pop-lif-bal_s11.ckpt")); err != nil {
		t.Error(err)
	}
	nb.Quick = true
	if _, _, err := nb.PlanResponses(o, "pop-lif-bal", 6, []float64{0.1}); err == nil || !strings.Contains(err.Error(), "quick mode trains no model of plan tinylif") {
		t.Errorf("quick mode without committed models: error %v", err)
	}
}
