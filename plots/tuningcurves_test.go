package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"testing"

	"github.com/snn-dales/dales/snn/study"
)

// The tuning figure draws each condition's mean validation accuracy (%) at log10 of each learning rate
// and rings the selected points; a selection off the curve is refused.
func TestTuningCurves(t *testing.T) {
	tuned := []study.Tuned{
		{Condition: "abs", Selected: 0.01, Curve: []study.TuningPoint{{LearningRate: 0.001, Mean: 0.5}, {LearningRate: 0.01, Mean: 0.7}, {LearningRate: 0.1, Mean: 0.2}}},
		{Condition: "clip", Selected: 0.1, Curve: []study.TuningPoint{{LearningRate: 0.01, Mean: 0.4}, {LearningRate: 0.1, Mean: 0.6}}},
	}
	lines, sel, err := tuningSeries(tuned)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Name != "abs" || math.Abs(lines[0].X[2]-(-1)) > 1e-12 || math.Abs(lines[0].Y[1]-70) > 1e-9 {
		t.Errorf("lines %+v", lines)
	}
	if len(sel) != 2 || math.Abs(sel[0].X-(-2)) > 1e-12 || math.Abs(sel[0].Y-70) > 1e-9 || math.Abs(sel[1].Y-60) > 1e-9 {
		t.Errorf("selected points %v, want (-2, 70) and (-1, 60)", sel)
	}
	f, err := TuningCurves("Tuning", tuned)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "tuning", f, "Tuning", "abs", "clip", "selected", "learning rate (log scale)", "0.001", "0.01")
	tuned[1].Selected = 0.5
	if _, _, err := tuningSeries(tuned); err == nil {
		t.Error("a selected rate off the curve was drawn")
	}
}

// The outcome's bars are the plan's conditions in order with their test accuracies, titled with the
// plan's name and test seeds read from the plan.
func TestOutcomeBars(t *testing.T) {
	p, err := study.TunedPlanByName("signs-tuned")
	if err != nil {
		t.Fatal(err)
	}
	o := study.Outcome{Plan: p, Tuned: []study.Tuned{{Condition: "relu"}, {Condition: "abs"}},
		Test: map[string][]float64{"abs": {0.8, 0.9}, "relu": {0.5, 0.7}}}
	gs := OutcomeGroups(o)
	if len(gs) != 2 || gs[0].Label != "relu" || gs[0].Accuracies[1] != 0.7 || gs[1].Label != "abs" {
		t.Errorf("groups %+v, want relu then abs with their accuracies", gs)
	}
	f, err := OutcomeBars(o)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "outcome", f, "signs-tuned: test accuracy at the selected learning rates", "(test seeds 11-20; mean ± 1 SD over seeds)", "relu", "abs")
}

// Each condition of the registry keeps one colour and dash pattern in every tuning figure, whatever its
// position there, and no two conditions share one; a name outside the registry is drawn by its position.
func TestTuningCurveStyles(t *testing.T) {
	names := study.ConditionNames()
	type style struct {
		c      color.Color
		dashes string
	}
	seen := map[style]string{}
	for k, n := range names {
		c, d := conditionStyle(k)
		st := style{c, fmt.Sprint(d)}
		if other, ok := seen[st]; ok {
			t.Fatalf("conditions %s and %s share a style (%v, %v)", other, n, c, d)
		}
		seen[st] = n
	}
	curve := []study.TuningPoint{{LearningRate: 0.01, Mean: 0.5}}
	a, _, err := tuningSeries([]study.Tuned{{Condition: "pop-abs", Selected: 0.01, Curve: curve}, {Condition: "both", Selected: 0.01, Curve: curve}})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := tuningSeries([]study.Tuned{{Condition: "both", Selected: 0.01, Curve: curve}, {Condition: "mlp", Selected: 0.01, Curve: curve},
		{Condition: "pop-abs", Selected: 0.01, Curve: curve}})
	if err != nil {
		t.Fatal(err)
	}
	if a[0].Style != b[2].Style || a[1].Style != b[0].Style || a[0].Style != slices.Index(names, "pop-abs")+1 || a[0].Style == a[1].Style {
		t.Errorf("styles by position, not by condition: %d %d in one figure, %d %d in the other", a[0].Style, a[1].Style, b[2].Style, b[0].Style)
	}
	sgd, _, err := tuningSeries([]study.Tuned{{Condition: "pop-sgd", Selected: 0.01, Curve: curve}, {Condition: "pop-abs", Selected: 0.01, Curve: curve}})
	if err != nil || sgd[0].Name != "pop-sgd (SGD)" || sgd[1].Name != "pop-abs" {
		t.Errorf("SGD's curve not marked, or Adam's marked: %q, %q (%v)", sgd[0].Name, sgd[1].Name, err)
	}
	if b[1].Style != len(names)+2 {
		t.Errorf("mlp, not a registry condition, at position 1: style %d, want %d (one no registry condition has)", b[1].Style, len(names)+2)
	}
}
