package plots

import (
	"testing"

	"github.com/snn-dales/dales/snn/study"
)

func TestPhaseCurves(t *testing.T) {
	curve := func(seed uint64, base float64) study.PhaseCurve {
		c := study.PhaseCurve{Seed: seed, TestShift: 0.25, TestAccuracy: base - 0.1}
		for k := 0; k < 12; k++ {
			c.Accuracy = append(c.Accuracy, base-0.02*float64(k%6))
		}
		return c
	}
	panels := []PhasePanel{{"LIF |w|", []study.PhaseCurve{curve(1, 0.6), curve(2, 0.5)}},
		{"LIF |w| capped", []study.PhaseCurve{curve(1, 0.7), curve(2, 0.65)}}, {"third", []study.PhaseCurve{curve(1, 0.4)}}}
	f, err := PhaseCurves("Accuracy at shifted phase offsets", panels, 2, 12)
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows != 2 || f.Cols != 2 || f.Panels[3] != nil {
		t.Errorf("3 panels in 2 columns: grid %dx%d, fourth cell %v; want 2x2 with the fourth empty", f.Rows, f.Cols, f.Panels[3])
	}
	checkFigure(t, "phase", f, "Accuracy at shifted phase offsets", "LIF |w| (2 networks)", "LIF |w| capped (2 networks)",
		"third (1 network)", "Phase offset after the training set's (degrees of the carrier)", "Accuracy (%)", "one network", "mean",
		"its test set, at its offset", "chance (8.3%)")
	for _, bad := range []struct {
		panels     []PhasePanel
		cols, ncls int
	}{
		{nil, 2, 12}, {panels, 0, 12}, {panels, 2, 1}, {[]PhasePanel{{"empty", nil}}, 1, 12},
		{[]PhasePanel{{"ragged", []study.PhaseCurve{curve(1, 0.5), {Seed: 2, Accuracy: []float64{0.5}}}}}, 1, 12},
	} {
		if _, err := PhaseCurves("x", bad.panels, bad.cols, bad.ncls); err == nil {
			t.Errorf("%d panels, %d columns, %d classes accepted, want an error", len(bad.panels), bad.cols, bad.ncls)
		}
	}
}
