package study

import (
	"context"
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
	results := filepath.Join("..", "..", "notebooks", "results")
	for _, p := range TunedPlans() {
		checked := 0
		tuned, test, _, err := p.Run(context.Background(), results, RunOptions{Workers: 1, CacheOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		o, err := p.Outcome(tuned, test)
		if err != nil {
			t.Fatal(err)
		}
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

// CullingOf reads the model's own counts: an untrained wiggle model with two weights zeroed and a history
// set by hand (a ledger of three epochs with 3 + 0 + 5 restarts, 6 steps); CullingTable's layout is held
// to a table written by hand from those values and a clip row (no restarts).
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
	want := Culling{Condition: "wiggle", Rule: snn.SignWiggle, Seed: 7, Zero: 2, Total: 6360, Restarts: 8, Steps: 6}
	if c != want {
		t.Fatalf("CullingOf = %+v, want %+v", c, want)
	}
	clip := Culling{Condition: "pop-clip", Rule: snn.SignClip, Seed: 501, Zero: 1234, Total: 6444, Steps: 3200}
	got := CullingTable([]Culling{c, clip})
	golden := "condition    rule     seed  weights at 0 at the end    restarts over training   per step\n" +
		"wiggle       wiggle      7  2 of 6,360 (0.0%)                               8        1.3\n" +
		"pop-clip     clip      501  1,234 of 6,444 (19.1%)                          -          -\n"
	if got != golden {
		t.Errorf("CullingTable:\n%s\nwant:\n%s", got, golden)
	}
	for n, s := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := thousands(n); got != s {
			t.Errorf("thousands(%d) = %q, want %q", n, got, s)
		}
	}
}
