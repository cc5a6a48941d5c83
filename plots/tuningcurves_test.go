package plots

import (
	"math"
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
	checkFigure(t, "tuning", f, "Tuning", "abs", "clip", "selected", "learning rate (log10)")
	tuned[1].Selected = 0.5
	if _, _, err := tuningSeries(tuned); err == nil {
		t.Error("a selected rate off the curve was drawn")
	}
}
