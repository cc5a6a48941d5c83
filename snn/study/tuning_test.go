package study

import (
	"context"
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
	for _, g := range [][]float64{{0.001, 0.01}, {0.001, 0.00316227766, 0.01, 0.0316227766, 0.1}} {
		if err := checkGrid(g); err != nil {
			t.Errorf("%v: %v", g, err)
		}
	}
	for _, g := range [][]float64{{0.01}, {0.01, 0.001}, {0.001, 0.01, 0.02}, {0, 0.1}, {0.1, math.Inf(1)}} {
		if err := checkGrid(g); err == nil {
			t.Errorf("%v accepted", g)
		}
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
	out, notes, err := tu.Run(context.Background(), base, dir, 2, onRun)
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
	if _, _, err := tu.Run(context.Background(), base, dir, 2, onRun); err != nil || trained != 0 {
		t.Errorf("second run: %v, %d trained (want 0: all cached)", err, trained)
	}
	bad := tu
	bad.Seeds = []uint64{1, 1}
	if _, _, err := bad.Run(context.Background(), base, dir, 2, nil); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("repeated tuning seed: %v", err)
	}
}
