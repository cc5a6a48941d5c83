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

// TestPhaseZoom checks the zoomed axis against ranges worked by hand (pad = max(15, (hi - lo + 5)/3)), and that
// PhaseCurves gives every zoomed panel of a figure the one range and puts the legend where phaseZoom says.
func TestPhaseZoom(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   phaseRange
	}{
		{40, 70, phaseRange{min: 20, max: 80}},                  // pad 15: 25 -> 20, 75 -> 80, legend below
		{65.5, 86.2, phaseRange{min: 50, max: 100}},             // pad 15: 50.5 -> 50, 91.2 -> 100
		{1.4, 62, phaseRange{min: 0, max: 90, legendTop: true}}, // pad 21.9: no room below 0; -3.6 -> 0, 83.9 -> 90
		{5, 98, phaseRange{min: 0, max: 100}},                   // pad 32.7: no room either side
	} {
		if got := phaseZoom(tc.lo, tc.hi); got != tc.want {
			t.Errorf("phaseZoom(%g, %g) = %+v, want %+v", tc.lo, tc.hi, got, tc.want)
		}
	}
	flat := func(seed uint64, acc float64) study.PhaseCurve {
		c := study.PhaseCurve{Seed: seed, TestShift: 0.5, TestAccuracy: acc}
		for range 12 {
			c.Accuracy = append(c.Accuracy, acc)
		}
		return c
	}
	// Panel a's data span 40-70, panel b's 2-62: together 2-70, pad 24.3, legend above: 0 to 100 (94.3 -> 100).
	f, err := PhaseCurves("shared", []PhasePanel{
		{Title: "a", Curves: []study.PhaseCurve{flat(1, 0.4), flat(2, 0.7)}, Zoom: true},
		{Title: "b", Curves: []study.PhaseCurve{flat(1, 0.02), flat(2, 0.62)}, Zoom: true},
		{Title: "c, not zoomed", Curves: []study.PhaseCurve{flat(1, 0.5)}}}, 3, 12)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []phaseRange{{0, 100, true}, {0, 100, true}, {0, 100, false}} {
		p := f.Panels[i].(PlotPanel).Plot
		if p.Y.Min != want.min || p.Y.Max != want.max || p.Legend.Top != want.legendTop {
			t.Errorf("panel %d: y %g to %g, legend on top %v; want %+v", i, p.Y.Min, p.Y.Max, p.Legend.Top, want)
		}
	}
	g, err := PhaseCurves("shared", []PhasePanel{
		{Title: "a", Curves: []study.PhaseCurve{flat(1, 0.6), flat(2, 0.7)}, Zoom: true},
		{Title: "b", Curves: []study.PhaseCurve{flat(1, 0.5), flat(2, 0.55)}, Zoom: true}}, 2, 12)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // together 50-70: pad 15, 35 -> 30, 75 -> 80
		if p := g.Panels[i].(PlotPanel).Plot; p.Y.Min != 30 || p.Y.Max != 80 || p.Legend.Top {
			t.Errorf("panel %d: y %g to %g, legend on top %v; want 30 to 80, legend below", i, p.Y.Min, p.Y.Max, p.Legend.Top)
		}
	}
}
