package plots

import (
	"math"
	"slices"
	"strings"
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
	panels := []PhasePanel{{Title: "LIF |w|", Curves: []study.PhaseCurve{curve(1, 0.6), curve(2, 0.5)}},
		{Title: "LIF |w| capped", Curves: []study.PhaseCurve{curve(1, 0.7), curve(2, 0.65)}},
		{Title: "third", Curves: []study.PhaseCurve{curve(1, 0.4)}}}
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
	// Curves of networks trained with an offset per sample: the offset itself on the x axis, no test-set dots.
	abs := []study.PhaseCurve{curve(1, 0.7), curve(2, 0.65)}
	for i := range abs {
		abs[i].TestShift = math.NaN()
	}
	g, err := PhaseCurves("Per sample", []PhasePanel{{Title: "per-sample", Curves: abs, Absolute: true}}, 1, 12)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "phase-absolute", g, "Phase offset (degrees of the carrier; trained with an offset per sample)", "mean")
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if texts := strings.Join(svgTexts(t, svg), "\n"); strings.Contains(texts, "its test set") || strings.Contains(texts, "training set's") {
		t.Errorf("the per-sample panel names a test-set dot or a training offset:\n%s", texts)
	}
	// A zoomed panel with the partners' curves: the y axis from 20 (the lowest point, 40, less 15, rounded
	// down) to 80 (70 + 5, rounded up), no chance line below it, the partners in the legend.
	zoomed, err := PhaseCurves("Zoomed", []PhasePanel{{Title: "zoomed", Curves: []study.PhaseCurve{curve(1, 0.6), curve(2, 0.5)},
		Partner: abs, Zoom: true}}, 1, 12)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "phase-zoomed", zoomed, "trained with an offset per sample (2; thin: each)", "20", "80")
	zsvg, err := zoomed.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"chance", "10", "90", "100"} {
		if slices.Contains(svgTexts(t, zsvg), absent) || (absent == "chance" && strings.Contains(strings.Join(svgTexts(t, zsvg), "\n"), absent)) {
			t.Errorf("the zoomed panel shows %q", absent)
		}
	}
	for _, bad := range []struct {
		panels     []PhasePanel
		cols, ncls int
	}{
		{nil, 2, 12}, {panels, 0, 12}, {panels, 2, 1}, {[]PhasePanel{{Title: "empty"}}, 1, 12},
		{[]PhasePanel{{Title: "ragged", Curves: []study.PhaseCurve{curve(1, 0.5), {Seed: 2, Accuracy: []float64{0.5}}}}}, 1, 12},
		{[]PhasePanel{{Title: "ragged partner", Curves: []study.PhaseCurve{curve(1, 0.5)}, Partner: []study.PhaseCurve{{Seed: 1, Accuracy: []float64{0.5}}}}}, 1, 12},
	} {
		if _, err := PhaseCurves("x", bad.panels, bad.cols, bad.ncls); err == nil {
			t.Errorf("%d panels, %d columns, %d classes accepted, want an error", len(bad.panels), bad.cols, bad.ncls)
		}
	}
}

// TestPhaseTestLinks checks the segments that join each test-set dot to its own network's curve, against
// values worked by hand from the curve's straight pieces (12 offsets, 30 degrees apart).
func TestPhaseTestLinks(t *testing.T) {
	acc := []float64{0.50, 0.60, 0.70, 0.40, 0.55, 0.65, 0.35, 0.45, 0.75, 0.80, 0.30, 0.20}
	for _, tc := range []struct {
		name        string
		shift, test float64
		wantX, onY  float64 // degrees, and the curve there in %
	}{
		{"on an offset", 0.25, 0.52, 90, 40},             // offset 3
		{"between two offsets", 0.2, 0.61, 72, 58},       // from 70% at 60 to 40% at 90, 12/30 of the way: 70 - 0.4 * 30
		{"across the cycle's end", 0.975, 0.33, 351, 41}, // from 20% at 330 to 50% at 360, 21/30 of the way: 20 + 0.7 * 30
		{"at zero", 0, 0.48, 0, 50},                      // offset 0
	} {
		links := testLinks([]study.PhaseCurve{{Seed: 1, Accuracy: acc, TestShift: tc.shift, TestAccuracy: tc.test}})
		if len(links) != 1 || len(links[0]) != 2 {
			t.Fatalf("%s: %v, want one segment of two points", tc.name, links)
		}
		l := links[0]
		if math.Abs(l[0].X-tc.wantX) > 1e-9 || math.Abs(l[1].X-tc.wantX) > 1e-9 || math.Abs(l[0].Y-tc.onY) > 1e-9 ||
			math.Abs(l[1].Y-100*tc.test) > 1e-9 {
			t.Errorf("%s: segment %v, want (%g, %g) to (%g, %g)", tc.name, l, tc.wantX, tc.onY, tc.wantX, 100*tc.test)
		}
	}
	if links := testLinks([]study.PhaseCurve{{Seed: 1, Accuracy: acc, TestShift: math.NaN()}}); len(links) != 0 {
		t.Errorf("a curve without a test shift got %v, want no segment", links)
	}
}
