package study

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// A condition name may carry a learning rate; the name round-trips and the configuration has the rate.
func TestConditionWithLearningRate(t *testing.T) {
	c, err := ConditionByName("pop-abs@lr=0.003")
	if err != nil {
		t.Fatal(err)
	}
	cfg := c.Apply(snn.DefaultConfig(), 0.5)
	if c.Name != "pop-abs@lr=0.003" || cfg.LearningRate != 0.003 || cfg.Architecture != snn.ArchPopulations {
		t.Errorf("%q: learning rate %v, architecture %q", c.Name, cfg.LearningRate, cfg.Architecture)
	}
	for _, bad := range []string{"pop-abs@lr=0", "pop-abs@lr=x", "pop-abs@lr=Inf", "nope@lr=0.1"} {
		if _, err := ConditionByName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckGrid(t *testing.T) {
	for _, one := range []bool{false, true} {
		for _, g := range [][]float64{{0.001, 0.01}, {0.001, 0.00316227766, 0.01, 0.0316227766, 0.1}} {
			if err := checkGrid(g, one); err != nil {
				t.Errorf("%v: %v", g, err)
			}
		}
		for _, g := range [][]float64{{}, {0.01, 0.001}, {0.001, 0.01, 0.02}, {0, 0.1}, {0.1, math.Inf(1)}, {0}, {math.NaN()}} {
			if err := checkGrid(g, one); err == nil {
				t.Errorf("%v accepted (one rate allowed: %v)", g, one)
			}
		}
	}
	// One rate is a fixed learning rate: only for a grid that is never extended.
	if err := checkGrid([]float64{0.01}, false); err == nil || !strings.Contains(err.Error(), "MaxExtensions 0") {
		t.Errorf("one rate on an extensible grid: %v", err)
	}
	if err := checkGrid([]float64{0.01}, true); err != nil {
		t.Errorf("one fixed rate: %v", err)
	}
	if got := extend([]float64{0.001, 0.01, 0.1}, true); got[0] != 0.0001 || len(got) != 4 {
		t.Errorf("extend low: %v", got)
	}
	if got := extend([]float64{0.001, 0.01, 0.1}, false); got[3] != 1 || len(got) != 4 {
		t.Errorf("extend high: %v", got)
	}
}

// The curve of a condition averages the kept epoch's validation accuracy over the tuning seeds; the
// selection is the curve's first maximum.
func TestTuningCurveAndSelection(t *testing.T) {
	c, _ := ConditionByName("both")
	run := func(lr float64, seed uint64, val ...float64) RunResult {
		return RunResult{RunKey: RunKey{WithLearningRate(c, lr).Name, 0.5, seed}, Epochs: len(val), KeptEpoch: len(val), ValAccuracy: val}
	}
	res := []RunResult{run(0.001, 1, 0.1, 0.3), run(0.001, 2, 0.2, 0.5), run(0.01, 1, 0.6, 0.7), run(0.01, 2, 0.5, 0.5),
		run(0.1, 1, 0.2, 0.4), run(0.1, 2, 0.3, 0.2)}
	res[3].KeptEpoch = 1 // restored epoch 1: 0.5, not the last
	cv, err := curve(res, c, []float64{0.001, 0.01, 0.1}, []uint64{1, 2}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.4, 0.6, 0.3} {
		if math.Abs(cv[i].Mean-want) > 1e-12 {
			t.Errorf("lr %v: mean %v, want %v", cv[i].LearningRate, cv[i].Mean, want)
		}
	}
	if k := best(cv); cv[k].LearningRate != 0.01 {
		t.Errorf("selected %v, want 0.01", cv[k].LearningRate)
	}
	if _, err := curve(res[:5], c, []float64{0.001, 0.01, 0.1}, []uint64{1, 2}, 0.5); err == nil || !strings.Contains(err.Error(), "seed 2") {
		t.Errorf("a missing run: %v", err)
	}
	res[0].ValAccuracy = nil
	if _, err := curve(res, c, []float64{0.001, 0.01, 0.1}, []uint64{1, 2}, 0.5); err == nil {
		t.Error("a run without validation accuracies was used")
	}
}

// Tuning trains every grid point on the tuning seeds (cached), extends a grid whose selection sits at an
// edge up to MaxExtensions, and a second call trains nothing.
func TestTuningRun(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 2
	tu := Tuning{Conditions: []string{"both"}, Grid: []float64{0.001, 0.01}, Seeds: []uint64{1, 2}, Fraction: 0.5, MaxExtensions: 1}
	dir := t.TempDir()
	trained := 0
	onRun := func(done, total int, r RunResult, cached bool) {
		if !cached {
			trained++
		}
	}
	out, notes, err := tu.Run(context.Background(), base, dir, RunOptions{Workers: 2, OnRun: onRun})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Extended != 1 || len(out[0].Curve) != 3 || trained != 6 {
		t.Fatalf("tuned %+v, %d runs trained; want one extension (a 2-point grid always selects an edge), 3 points, 6 runs", out, trained)
	}
	k := best(out[0].Curve)
	atEdge := k == 0 || k == len(out[0].Curve)-1
	if atEdge != (len(notes) == 1 && strings.Contains(notes[0], "at the edge of its grid after 1 extensions")) {
		t.Errorf("selection at index %d of %d, notes %q: want a note exactly when it stayed at the edge", k, len(out[0].Curve), notes)
	}
	if out[0].Selected != out[0].Curve[k].LearningRate {
		t.Errorf("selected %v, curve's maximum at %v", out[0].Selected, out[0].Curve[k].LearningRate)
	}
	trained = 0
	if _, _, err := tu.Run(context.Background(), base, dir, RunOptions{Workers: 2, OnRun: onRun}); err != nil || trained != 0 {
		t.Errorf("second run: %v, %d trained (want 0: all cached)", err, trained)
	}
	bad := tu
	bad.Seeds = []uint64{1, 1}
	if _, _, err := bad.Run(context.Background(), base, dir, RunOptions{Workers: 2}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("repeated tuning seed: %v", err)
	}
}

// A sweep that records divergence caches a diverged run as a result (accuracies 0, Diverged), reads it
// back instead of retraining it, and tuning counts it as validation accuracy 0; without the option the
// same run stops the sweep with snn.ErrDiverged.
func TestSweepRecordsDivergence(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	huge := Condition{Name: "huge-readout", Apply: func(c snn.Config, f float64) snn.Config {
		c = DaleConditions()[0].Apply(c, f)
		c.ReadoutScale = 1e38
		return c
	}}

	s := &Sweep{Base: base, Conditions: []Condition{huge}, Fractions: []float64{0.5}, Seeds: []uint64{1}}
	if _, err := s.Run(context.Background()); !errors.Is(err, snn.ErrDiverged) {
		t.Fatalf("without RecordDivergence: %v, want snn.ErrDiverged", err)
	}
	s.CacheDir, s.RecordDivergence = t.TempDir(), true
	trained := 0
	s.OnRun = func(_, _ int, _ RunResult, cached bool) {
		if !cached {
			trained++
		}
	}
	for pass := 0; pass < 2; pass++ {
		res, err := s.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r := res[0]; !r.Diverged || r.TestAccuracy != 0 {
			t.Fatalf("pass %d: %+v, want a diverged run", pass, r)
		}
		if v, err := KeptValAccuracy(res[0]); err != nil || v != 0 {
			t.Errorf("validation accuracy of a diverged run: %v, %v; want 0", v, err)
		}
	}
	if trained != 1 {
		t.Errorf("%d trainings over two passes, want 1 (the diverged run read back from the cache)", trained)
	}
}

// The committed plans of issue 21 are valid: at least 5 learning rates over 100x, at least 10 test seeds
// disjoint from the tuning seeds and from seeds 1-5, every compared condition run. A plan that reuses a
// seed, compares a condition it does not run or shrinks the grid is refused.
func TestTunedPlans(t *testing.T) {
	for _, p := range TunedPlans() {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	p := TunedPlans()[0]
	for name, edit := range map[string]func(*TunedPlan){
		"test seed 3":  func(q *TunedPlan) { q.TestSeeds = append([]uint64{3}, q.TestSeeds[1:]...) },
		"tuning seed":  func(q *TunedPlan) { q.TestSeeds = append([]uint64{101}, q.TestSeeds[1:]...) },
		"9 test seeds": func(q *TunedPlan) { q.TestSeeds = q.TestSeeds[:9] },
		"not run":      func(q *TunedPlan) { q.Questions = []PlannedQuestion{{"x", [][2]string{{"relu", "both"}}}} },
		"3-point grid": func(q *TunedPlan) { q.Tuning.Grid = []float64{0.001, 0.01, 0.1} },
		"30x grid":     func(q *TunedPlan) { q.Tuning.Grid = []float64{0.001, 0.002, 0.004, 0.008, 0.016} },
		"pair twice": func(q *TunedPlan) {
			q.Questions = append(q.Questions, PlannedQuestion{"again", [][2]string{{"pop-abs", "both"}}})
		},
		"unknown cond.": func(q *TunedPlan) { q.Conditions = append(q.Conditions, "pop-nope") },
	} {
		q := p
		q.Conditions = append([]string(nil), p.Conditions...)
		q.TestSeeds = append([]uint64(nil), p.TestSeeds...)
		q.Questions = append([]PlannedQuestion(nil), p.Questions...)
		edit(&q)
		if err := q.Validate(); err == nil {
			t.Errorf("%s: a broken plan was accepted", name)
		}
	}
}

// A plan's test runs train every condition at its selected learning rate on the test seeds, and refuse
// a condition without a tuned rate.
func TestTunedPlanTest(t *testing.T) {
	p := TunedPlans()[1] // signs-tuned
	base := tinyConfig()
	base.Epochs = 1
	p.Base = func() snn.Config { return base }
	var tuned []Tuned
	for i, c := range p.Conditions {
		tuned = append(tuned, Tuned{Condition: c, Selected: []float64{0.001, 0.01, 0.003, 0.1}[i]})
	}
	p.TestSeeds = []uint64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	res, _, err := p.Test(context.Background(), t.TempDir(), tuned, RunOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(p.Conditions)*10 || res[0].Condition != "abs@lr=0.001" || res[10].Condition != "relu@lr=0.01" || res[10].Seed != 11 {
		t.Errorf("%d runs, first %+v, eleventh %+v", len(res), res[0].RunKey, res[10].RunKey)
	}
	if _, _, err := p.Test(context.Background(), t.TempDir(), tuned[:3], RunOptions{Workers: 2}); err == nil || !strings.Contains(err.Error(), "clip") {
		t.Errorf("a condition without a tuned rate: %v", err)
	}
}
