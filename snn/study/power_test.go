package study

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SeedsFromSpread, on the committed tuning runs of plan populations-tuned, equals the rule computed here
// from the cache files directly: the last-epoch validation accuracies of pop-abs-stepcorr and pop-abs at
// their selected rate (the one their test seeds ran at) on tuning seeds 101-103, their paired sd, its 80%
// upper bound in closed form for 2 degrees of freedom (chi-square(2) quantile -2 ln 0.8), and the seeds
// TOST needs within ±3 points at level 0.05/m with 80% power, at least 10; a larger family needs more.
func TestSeedsFromSpread(t *testing.T) {
	p, _ := TunedPlanByName("populations-tuned")
	results := filepath.Join("..", "..", "notebooks", "results")
	o, _ := committedOutcome(t, p)
	val := func(cond string, seed int) float64 {
		files, _ := filepath.Glob(filepath.Join(results, p.Cache, cond+"@lr=*_f0.500_s11_*.json"))
		if len(files) != 1 {
			t.Fatalf("%s: %d test-seed files", cond, len(files))
		}
		lr := strings.SplitN(strings.TrimPrefix(filepath.Base(files[0]), cond+"@lr="), "_", 2)[0]
		files, _ = filepath.Glob(filepath.Join(results, p.Cache, fmt.Sprintf("%s@lr=%s_f0.500_s%d_*.json", cond, lr, seed)))
		if len(files) != 1 {
			t.Fatalf("%s at %s, seed %d: %d files", cond, lr, seed, len(files))
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Val []float64 `json:"val_accuracy"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return r.Val[len(r.Val)-1]
	}
	var d []float64
	for _, s := range []int{101, 102, 103} {
		d = append(d, val("pop-abs-stepcorr", s)-val("pop-abs", s))
	}
	_, sd := MeanSD(d)
	upper := sd * math.Sqrt(2/(-2*math.Log(0.8)))
	prev := 0
	for _, m := range []int{1, 2, 4} {
		want, err := SeedsForEquivalence(upper, 0.03, 0.05/float64(m), 0.8)
		if err != nil || want == 0 {
			t.Fatalf("m=%d: %d, %v", m, want, err)
		}
		want = max(want, 10)
		got, err := o.SeedsFromSpread([2]string{"pop-abs-stepcorr", "pop-abs"}, m)
		if err != nil || got != want {
			t.Errorf("m=%d: SeedsFromSpread %d (%v), from the files %d", m, got, err, want)
		}
		if got < prev {
			t.Errorf("m=%d: %d seeds, fewer than for a smaller family (%d)", m, got, prev)
		}
		prev = got
	}
	if _, err := o.SeedsFromSpread([2]string{"pop-abs-stepcorr", "pop-abs"}, 0); err == nil {
		t.Error("a family of 0 comparisons: no error")
	}
}

// Every plan that sets its test seeds by a rule has exactly the seeds the rule gives, computed from the
// committed tuning runs of the plan the rule reads (populations-power: 123, from populations-tuned's
// pop-abs-stepcorr against pop-abs in a family of one). A rule that names something the plan does not
// compare, or a plan that is unknown or does not tune both conditions, is refused.
func TestSeedRule(t *testing.T) {
	results := filepath.Join("..", "..", "notebooks", "results")
	ruled := 0
	for _, p := range TunedPlans() {
		if p.SeedRule == nil {
			continue
		}
		ruled++
		n, err := p.RuledSeeds(context.Background(), results)
		if err != nil {
			t.Fatalf("plan %s: %v", p.Name, err)
		}
		if n != len(p.TestSeeds) {
			t.Errorf("plan %s: %d test seeds, its rule gives %d", p.Name, len(p.TestSeeds), n)
		}
		if !strings.Contains(p.Describe(), fmt.Sprintf("Its %d test seeds were set before any test run from plan %s", n, p.SeedRule.From)) {
			t.Errorf("plan %s: Describe does not state its seed rule:\n%s", p.Name, p.Describe())
		}
	}
	if ruled == 0 {
		t.Fatal("no plan sets its test seeds by a rule")
	}
	p, _ := TunedPlanByName("populations-power")
	if n := len(p.TestSeeds); n != 123 || p.TestSeeds[0] != 201 {
		t.Errorf("populations-power: %d test seeds from %d, want 123 from 201 (the rule's value when the plan was fixed)", n, p.TestSeeds[0])
	}
	for _, c := range []struct {
		rule SeedRule
		want string
	}{
		{SeedRule{From: "nowhere", Pair: [2]string{"pop-abs-stepcorr", "pop-abs"}}, `reads plan "nowhere"`},
		{SeedRule{From: "populations-power", Pair: [2]string{"pop-abs-stepcorr", "pop-abs"}}, `reads plan "populations-power"`},
		{SeedRule{From: "populations-tuned", Pair: [2]string{"pop-abs", "pop-abs-stepcorr"}}, "which the plan does not compare"},
		{SeedRule{From: "signs-tuned", Pair: [2]string{"pop-abs-stepcorr", "pop-abs"}}, "which does not tune both"},
		{SeedRule{From: "populations-tuned", Pair: [2]string{"pop-abs-stepcorr", "pop-abs"}}, "whose margin (3) or level (0.05) differ from this plan's (2, 0.05)"},
	} {
		q := p
		r := c.rule
		if strings.Contains(c.want, "margin") {
			q.Margin = 2 // the rule would size seeds for populations-tuned's ±3 points, not this plan's
		}
		q.SeedRule = &r
		if err := q.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("rule %+v: error %v, want one containing %q", c.rule, err, c.want)
		}
	}
	if _, err := (TunedPlan{Name: "x"}).RuledSeeds(context.Background(), results); err == nil {
		t.Error("RuledSeeds of a plan without a rule: no error")
	}
}

// Plan populations-power tuned its two conditions again in its own cache, on populations-tuned's grid and
// tuning seeds: every one of those runs must equal populations-tuned's run of the same configuration (same
// file name: condition, rate, fraction, seed, configuration hash), validation curve and test accuracy bit
// for bit, so the seed rule read the spread of the very runs this plan selected on.
//
// Likewise plan populations-sgd-power's: its pop-sgd tuning runs equal populations-sgd's and its pop-abs
// tuning runs populations-tuned's. That the two plans selected on the same runs holds whether a plan's
// runs were trained for it or copied from the other plan's cache (Sweep.Shared, reused_from naming the
// source); the committed runs were trained for each plan independently, so they also show training
// reproducible (which `sweep -copy=false` regenerates). The test logs how many of the runs it compared
// are copies.
func TestPowerPlanTuningReproduces(t *testing.T) {
	results := filepath.Join("..", "..", "notebooks", "results")
	for _, c := range []struct{ plan, from, pattern string }{
		{"populations-power", "populations-tuned", "*_s10[123]_*.json"},
		{"populations-sgd-power", "populations-sgd", "pop-sgd@*_s10[123]_*.json"},
		{"populations-sgd-power", "populations-tuned", "pop-abs@*_s10[123]_*.json"},
	} {
		samePlanTuning(t, results, c.plan, c.from, c.pattern)
	}
}

// samePlanTuning checks that every tuning run of plan matching pattern equals from's run of the same name.
func samePlanTuning(t *testing.T, results, plan, from, pattern string) {
	t.Helper()
	p, _ := TunedPlanByName(plan)
	files, _ := filepath.Glob(filepath.Join(results, p.Cache, pattern))
	if len(files) < 15 {
		t.Fatalf("%d tuning runs %s in %s, want at least 15 (5 rates, 3 seeds per condition)", len(files), pattern, p.Cache)
	}
	type run struct {
		Val    []float64 `json:"val_accuracy"`
		Test   float64   `json:"test_accuracy"`
		Reused string    `json:"reused_from"`
	}
	read := func(f string) run {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r run
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	copies := 0
	for _, f := range files {
		a, b := read(f), read(filepath.Join(results, from, filepath.Base(f)))
		if a.Reused != "" || b.Reused != "" {
			copies++
		}
		a.Reused, b.Reused = "", ""
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: %v, %s's run %v", filepath.Base(f), a, from, b)
		}
	}
	t.Logf("%s against %s: %d runs compared, %d of them copied from another plan's cache rather than trained for it", plan, from, len(files), copies)
}

// TestPowerSentenceFewTuningSeeds: from 2 tuning seeds (one degree of freedom) the sentence plans
// nothing (the fmnist plan's columnei vs mlp printed "paired sd 0.0, 80% upper bound 0.1 ... detect about
// 0.3 points") and states the test runs' post hoc figure; from 3 it states the planning figures.
func TestPowerSentenceFewTuningSeeds(t *testing.T) {
	for _, c := range []struct {
		tuning      []float64
		want, avoid string
	}{
		{[]float64{0.01, 0.0102}, "The 2 tuning seeds (paired sd 0.0) are too few to estimate the spread a plan needs (at least 3)", "upper bound"},
		{[]float64{0.01, 0.0102, 0.03}, "From the 3 tuning seeds (paired sd 1.1, 80% upper bound", "too few"},
	} {
		test := []float64{-0.06, -0.07, -0.065, -0.08, -0.05}
		p, err := newPower(c.tuning, test, 3, 0.05, planPower, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		got := p.Sentence(100, "points", Lower)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.avoid) || !strings.Contains(got, "the test runs' own paired sd is 1.1") {
			t.Errorf("%d tuning seeds: %q", len(c.tuning), got)
		}
	}
}
