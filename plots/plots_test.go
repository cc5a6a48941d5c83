package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// svgTexts parses an SVG document as XML (failing the test on any error) and returns its text contents.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	inText, root := false, ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
			}
			inText = el.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root != "svg" {
		t.Fatalf("root element is %q, want svg", root)
	}
	return texts
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return img
}

// checkFigure renders f as SVG and PNG and checks the texts and the pixel size.
func checkFigure(t *testing.T, name string, f *Figure, wantTexts ...string) image.Image {
	t.Helper()
	svg, err := f.SVG()
	if err != nil {
		t.Fatalf("%s: SVG: %v", name, err)
	}
	texts := strings.Join(svgTexts(t, svg), "\n")
	for _, w := range wantTexts {
		if !strings.Contains(texts, w) {
			t.Errorf("%s: SVG lacks the text %q", name, w)
		}
	}
	data, err := f.PNG(100)
	if err != nil {
		t.Fatalf("%s: PNG: %v", name, err)
	}
	img := decodePNG(t, data)
	wantW, wantH := int(math.Round(f.Width.Points()*100/72)), int(math.Round(f.Height.Points()*100/72))
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("%s: PNG is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), wantW, wantH)
	}
	return img
}

// centroid returns the mean position of the pixels exactly equal to c, and their count.
func centroid(img image.Image, c color.Color) (x, y float64, n int) {
	r0, g0, b0, _ := c.RGBA()
	b := img.Bounds()
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			r, g, bb, _ := img.At(px, py).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && bb>>8 == b0>>8 {
				x += float64(px)
				y += float64(py)
				n++
			}
		}
	}
	if n > 0 {
		x, y = x/float64(n), y/float64(n)
	}
	return
}

func fixedExperiment(t *testing.T) *snn.Experiment {
	t.Helper()
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A deterministic "trained" model: the initial weights with some signs flipped and scaled.
	for i := range m.W1.Data {
		if i%7 == 0 {
			m.W1.Data[i] = -3 * m.W1.Data[i]
		}
	}
	m.History = snn.History{TrainLoss: []float64{2.4, 1.5, 1.1, 0.9}, ValLoss: []float64{2.3, 1.6, 1.3, 1.2}}
	C := 12
	ev := &snn.Evaluation{Accuracy: 0.5, AbsErrorDeg: 10, Confusion: make([][]float64, C)}
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]float64, C)
		ev.Confusion[i][i] = 10
	}
	for k := 0; k < 120; k++ {
		ipd := -math.Pi/2 + math.Pi*(float64(k)+0.5)/120
		ev.IPDTrue = append(ev.IPDTrue, ipd)
		ev.IPDEst = append(ev.IPDEst, snn.Continuise(snn.Discretise(ipd, C), C))
	}
	return &snn.Experiment{Config: cfg, Trained: m, Initial: m, TrainEval: ev, TestEval: ev}
}

func TestNotebookFigures(t *testing.T) {
	x := fixedExperiment(t)
	ex, err := snn.ExampleStimuli(x.Config, 8)
	if err != nil {
		t.Fatal(err)
	}
	f, err := StimulusExamples(ex)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "stimulus", f, "True IPD = -90 deg", "True IPD = -64 deg", "True IPD = 90 deg",
		"Time step", "Input neuron index", "left 0", "right 100")
	// Each raster marks where the right ear's fibres begin, between rows 99 and 100.
	if r := f.Panels[0].(*Heatmap); len(r.HLines) != 1 || r.HLines[0] != 99.5 || len(r.YTicks) != 4 || r.YTicks[2].Label != "right 100" {
		t.Errorf("stimulus raster: lines %v, ticks %v; want a line at 99.5 and rows 0, 50, 100, 150 ticked", r.HLines, r.YTicks)
	}

	f, _ = LossCurves(x.Trained.History)
	checkFigure(t, "loss", f, "Epoch", "Loss", "Training", "Validation")

	f, _ = AccuracyReport(x.TestEval, "Test")
	checkFigure(t, "accuracy", f, fmt.Sprintf("Test: true and estimated IPD, accuracy %.1f%%", 100*x.TestEval.Accuracy), "IPD (deg)", "True", "Estimated",
		"Confusion matrix", "True IPD (deg)", "Estimated IPD (deg)", "Samples per bin")

	f, _ = WeightSigns(x.Trained)
	checkFigure(t, "weight signs", f, "Before learning", "it draws the raw w1 after training", "After learning", "the effective w1 (the Dale mask)", "Neuron index", "Hidden layer index",
		"yellow: w > 0, purple: w <= 0", "right ear from 100")
	// The ticks name input rows every 50, 100 (where the right ear begins) among them, and a line marks it.
	sign := f.Panels[0].(*Heatmap)
	var tickRows []string
	for _, tk := range sign.YTicks {
		tickRows = append(tickRows, tk.Label)
	}
	if strings.Join(tickRows, ",") != "0,50,100,150" || len(sign.HLines) != 1 || sign.HLines[0] != 99.5 {
		t.Errorf("sign image ticks %v, lines %v; want rows 0,50,100,150 and a line at y = 99.5 (between rows 99 and 100)", tickRows, sign.HLines)
	}

	f, _ = SignedWeights(x.Trained)
	checkFigure(t, "signed weights", f, "Effective weights, initial", "Effective weights, trained", "I (40)", "E (160)", "effective weight")

	abl, rows, err := probe.AblateCut(x.Trained, probe.CutNotebook, 1)
	if err != nil || len(rows) != 40 {
		t.Fatal(err)
	}
	f, _ = AblationMask(abl)
	img := checkFigure(t, "ablation mask", f, "Input weights after the cut: rows 0-39 (40)", "yellow: exactly 0, purple: not 0", "Input neuron index")
	tickRows = tickRows[:0]
	for _, tk := range f.Panels[0].(*Heatmap).YTicks {
		tickRows = append(tickRows, tk.Label)
	}
	if strings.Join(tickRows, ",") != "0,50,100,150" {
		t.Errorf("ablation mask ticks %v; want input rows 0,50,100,150", tickRows)
	}
	// Rows 0..39 are zeroed (yellow, drawn at the top), the rest are not (purple).
	yellow, purple := Viridis(0, 1).Anchors[8], Viridis(0, 1).Anchors[0]
	_, yy, ny := centroid(img, yellow)
	_, yp, np := centroid(img, purple)
	if ny == 0 || np == 0 || yy >= yp || float64(ny)/float64(ny+np) < 0.15 || float64(ny)/float64(ny+np) > 0.25 {
		t.Errorf("ablation mask: zeroed rows %d px centred at y=%.0f, kept %d px at y=%.0f; want 20%% zeroed, on top", ny, yy, np, yp)
	}

	f, err = AblationBars([]AblationGroup{{"none", []float64{0.7, 0.72, 0.68}}, {"notebook", []float64{0.1, 0.11, 0.09}},
		{"excitatory", []float64{0.4, 0.45, 0.42}}, {"random", []float64{0.65, 0.66, 0.64}}}, 12)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "ablation bars", f, "Test accuracy (%)", "none", "notebook", "excitatory", "random", "chance", "SD")
}

// Pixel probes on the confusion-matrix heat map: a matrix whose cells each have a distinct value lands
// with row 0 at the bottom (origin lower), column 0 on the left, and its brightest cell where it is.
func TestConfusionHeatmapPixels(t *testing.T) {
	// [est][true]: brightest at est 2, true 0 (top left with origin lower); dimmest at est 0, true 2.
	conf := [][]float64{{0.4, 0.2, 0.0}, {0.3, 0.5, 0.1}, {1.0, 0.6, 0.8}}
	h := NewHeatmap(conf, "Confusion matrix", "True IPD", "Estimated IPD")
	h.Extent, h.OriginLower, h.ColorMap, h.ColorBar = &[4]float64{-90, 90, -90, 90}, true, Viridis(0, 1), true
	img := checkFigure(t, "heatmap", NewFigure(1, 1, 5, 4).Set(0, 0, h), "Confusion matrix")
	type probe struct {
		est, true int
		x, y      float64
	}
	var ps []probe
	for _, c := range [][2]int{{2, 0}, {0, 2}, {1, 1}, {0, 0}, {2, 2}} {
		x, y, n := centroid(img, h.Colour(conf[c[0]][c[1]]))
		if n < 100 {
			t.Fatalf("cell est=%d true=%d: only %d pixels of its colour", c[0], c[1], n)
		}
		ps = append(ps, probe{c[0], c[1], x, y})
	}
	bright, dim, centre, bottomLeft, topRight := ps[0], ps[1], ps[2], ps[3], ps[4]
	if !(bright.x < centre.x && bright.y < centre.y) {
		t.Errorf("brightest cell (est 2, true 0) at (%.0f, %.0f), want left of and above the centre (%.0f, %.0f)", bright.x, bright.y, centre.x, centre.y)
	}
	if !(dim.x > centre.x && dim.y > centre.y) {
		t.Errorf("cell (est 0, true 2) at (%.0f, %.0f), want right of and below the centre", dim.x, dim.y)
	}
	if !(bottomLeft.x < topRight.x && bottomLeft.y > topRight.y) {
		t.Errorf("origin lower: cell (0,0) at (%.0f, %.0f) should be bottom-left of (2,2) at (%.0f, %.0f)", bottomLeft.x, bottomLeft.y, topRight.x, topRight.y)
	}
}

// The diverging scale maps 0 to its neutral grey, negative to blue and positive to red, and the
// rendered image shows the zero cell in that grey.
func TestDivergingNeutralAtZero(t *testing.T) {
	cm := Diverging(2)
	zero, _ := cm.At(0)
	r, g, b, _ := zero.RGBA()
	if d := math.Max(math.Abs(float64(r)-float64(g)), math.Abs(float64(g)-float64(b))); d > 0x300 {
		t.Errorf("colour at 0 is %v, not a neutral grey", zero)
	}
	neg, _ := cm.At(-2)
	pos, _ := cm.At(2)
	if nr, _, nb, _ := neg.RGBA(); nb <= nr {
		t.Errorf("most negative colour %v is not blue", neg)
	}
	if pr, _, pb, _ := pos.RGBA(); pr <= pb {
		t.Errorf("most positive colour %v is not red", pos)
	}
	h := NewHeatmap([][]float64{{-2, 0, 2}}, "signed", "", "")
	h.ColorMap = cm
	img := checkFigure(t, "diverging", NewFigure(1, 1, 4, 2).Set(0, 0, h), "signed")
	xn, _, nn := centroid(img, h.Colour(-2))
	x0, _, n0 := centroid(img, zero)
	xp, _, np := centroid(img, h.Colour(2))
	if nn < 50 || n0 < 50 || np < 50 || !(xn < x0 && x0 < xp) {
		t.Errorf("cells -2, 0, 2 at x = %.0f, %.0f, %.0f (%d, %d, %d px): want left to right", xn, x0, xp, nn, n0, np)
	}
}

func TestWriteAllAndErrors(t *testing.T) {
	x := fixedExperiment(t)
	abl, err := probe.AblateInputs(x.Trained, []int{0, 1}, "two rows")
	if err != nil {
		t.Fatal(err)
	}
	figs, err := ExperimentFigures(x, []probe.AblationResult{{Cut: probe.CutNotebook, Model: abl, TestEval: x.TestEval, TrainEval: x.TrainEval}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := WriteAll(dir, figs)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2*len(figs) || len(figs) != 8 {
		t.Fatalf("%d files for %d figures, want 16 for 8", len(paths), len(figs))
	}
	// Every saved figure names its configuration (issue 22: the committed figures carried none).
	want := ConfigTitle(x.Config)
	for _, f := range figs {
		svg, err := f.Figure.SVG()
		if err != nil {
			t.Fatal(err)
		}
		words := strings.Join(svgTexts(t, svg), " ")
		if f.Figure.Title != want || !strings.Contains(words, "IE_RATIO") {
			t.Errorf("figure %s: title %q, want %q drawn", f.Name, f.Figure.Title, want)
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(p) == ".png" {
			decodePNG(t, data)
		} else {
			svgTexts(t, data)
		}
	}
	if err := figs[0].Figure.Save(filepath.Join(dir, "x.pdf")); err == nil || !strings.Contains(err.Error(), ".pdf") {
		t.Errorf("unsupported extension: %v", err)
	}
	if _, err := figs[0].Figure.PNG(5); err == nil {
		t.Error("5 dpi accepted")
	}
	if _, err := LossCurves(snn.History{}); err == nil {
		t.Error("empty history accepted")
	}
	if _, err := AblationBars([]AblationGroup{{"none", nil}}, 12); err == nil {
		t.Error("condition without accuracies accepted")
	}
	if _, err := Histograms("", "", 0, 0, 1); err == nil {
		t.Error("0 bins accepted")
	}
}

func TestSweepCurves(t *testing.T) {
	rows := study.Summarise([]study.RunResult{
		{RunKey: study.RunKey{Condition: "both", Fraction: 0, Seed: 1}, TestAccuracy: 0.4},
		{RunKey: study.RunKey{Condition: "both", Fraction: 0, Seed: 2}, TestAccuracy: 0.46},
		{RunKey: study.RunKey{Condition: "both", Fraction: 0.5, Seed: 1}, TestAccuracy: 0.78},
		{RunKey: study.RunKey{Condition: "both", Fraction: 0.5, Seed: 2}, TestAccuracy: 0.8},
		{RunKey: study.RunKey{Condition: "unconstrained", Fraction: 0.5, Seed: 1}, TestAccuracy: 0.85},
		{RunKey: study.RunKey{Condition: "unconstrained", Fraction: 0.5, Seed: 2}, TestAccuracy: 0.87},
	})
	f, err := SweepCurves(rows, "Inhibitory fraction sweep", 12)
	if err != nil {
		t.Fatal(err)
	}
	// The baseline's label carries its mean and 95% CI half-width: (0.85, 0.87) -> 86.0 +- 12.706*0.01 = 12.7.
	checkFigure(t, "sweep", f, "Inhibitory fraction sweep", "Inhibitory fraction", "Test accuracy (%)", "both",
		"unconstrained (86.0%; thin lines: 95% CI ± 12.7)", "chance")
	if _, err := SweepCurves(nil, "", 12); err == nil {
		t.Error("no rows accepted")
	}
}

func TestTuningFigure(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.W1.Data {
		m.W1.Data[i] *= 4
	}
	d, _ := snn.GenerateStimulus(cfg, 48, 1, 1)
	r, err := snn.Simulate(m, d)
	if err != nil {
		t.Fatal(err)
	}
	f, err := TuningFigure(m, r, 12)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "tuning", f, "Hidden units (red E, blue I)", "Readout units", "IPD (deg)", "excitatory", "inhibitory")
}

func TestLedgerAndCIBars(t *testing.T) {
	h := func(z int) snn.History {
		return snn.History{Ledger: []snn.LedgerEntry{{W1: snn.WeightLedger{Zero: z, Tiny: 1, Flipped: 10}},
			{W1: snn.WeightLedger{Zero: z + 5, Tiny: 2, Flipped: 20}}}}
	}
	f, err := LedgerFigure(map[string]snn.History{"abs": h(0), "relu": h(3000)})
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "ledger", f, "Effective weights exactly 0", "Raw weights off their initial side of 0", "a weight now exactly 0 counts", "abs", "relu", "Epoch")
	// The lines the figure draws: per panel, one line per history in name order, the count at each epoch.
	panels, err := ledgerPanels(map[string]snn.History{"abs": h(0), "relu": h(3000)})
	if err != nil {
		t.Fatal(err)
	}
	want := [][][]float64{{{0, 5}, {3000, 3005}}, {{1, 2}, {1, 2}}, {{10, 20}, {10, 20}}} // Zero, Tiny, Flipped
	for k, p := range panels {
		for i, s := range p.series {
			if s.Name != []string{"abs", "relu"}[i] || !slices.Equal(s.Y, want[k][i]) || !slices.Equal(s.X, []float64{1, 2}) {
				t.Errorf("ledger panel %q line %d: %s at %v = %v, want %v", p.title, i, s.Name, s.X, s.Y, want[k][i])
			}
		}
	}
	// A line at 0 at every epoch (hidden under others there) says so in its name; one that leaves 0 once does not.
	flat := snn.History{Ledger: []snn.LedgerEntry{{W1: snn.WeightLedger{Tiny: 1}}, {W1: snn.WeightLedger{}}}}
	panels, err = ledgerPanels(map[string]snn.History{"abs": h(0), "softplus": flat})
	if err != nil {
		t.Fatal(err)
	}
	for k, wantName := range []string{"softplus (0 throughout)", "softplus", "softplus (0 throughout)"} {
		if got := panels[k].series[1].Name; got != wantName || panels[k].series[0].Name != "abs" {
			t.Errorf("ledger panel %d: names %q, %q; want abs, %q", k, panels[k].series[0].Name, got, wantName)
		}
	}
	groups := []AblationGroup{{"none", []float64{0.7, 0.72, 0.75}}, {"notebook", []float64{0.1, 0.12, 0.11}}, {"one", []float64{0.3}}}
	f, err = AblationBarsCI(groups, 12)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "CI bars", f, "95% CI", "none", "notebook")
	// The bars the figure draws: mean in %, and the 95% interval's half-width t(0.975, 2) * sd / sqrt(3) with
	// t(0.975, 2) = 4.302652729911275 (a t table); sd by hand: 0.025166114784235836 and 0.01 (n-1). One seed:
	// no interval.
	bars, _, err := accuracyBars(groups, true)
	if err != nil {
		t.Fatal(err)
	}
	const t2 = 4.302652729911275
	for i, w := range []Bar{{"none", 100 * 2.17 / 3, 100 * t2 * 0.025166114784235836 / math.Sqrt(3), nil},
		{"notebook", 11, 100 * t2 * 0.01 / math.Sqrt(3), nil}, {"one", 30, 0, nil}} {
		if b := bars[i]; b.Label != w.Label || math.Abs(b.Value-w.Value) > 1e-9 || math.Abs(b.Err-w.Err) > 1e-9 {
			t.Errorf("CI bar %d = %+v, want %+v", i, b, w)
		}
	}
	sd, _, _ := accuracyBars(groups[:1], false)
	if w := 100 * 0.025166114784235836; math.Abs(sd[0].Err-w) > 1e-9 {
		t.Errorf("SD bar: error %v, want %v", sd[0].Err, w)
	}
	// Each seed is a dot over its bar (a single seed's bar has none: the bar is the value).
	if pts := bars[0].Points; len(pts) != 3 || pts[0] != 70 || pts[2] != 75 || bars[2].Points != nil {
		t.Errorf("seed dots %v and %v", pts, bars[2].Points)
	}
}

// An accuracy interval never leaves [0, 100]: it is cut at the limit and the cut end is marked (issue 22).
// By hand: 3 seeds 99, 100, 50: mean 83, SD 28.583 (n-1), so the upper whisker (111.6) is cut to 17 above
// the bar; a bar at 10 with SD 15 is cut at 0 below.
func TestIntervalsClippedToAxis(t *testing.T) {
	bars, _, err := accuracyBars([]AblationGroup{{"hi", []float64{0.99, 1, 0.5}}, {"lo", []float64{0.1, 0.1}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	bars[1].Err = 15
	errs, cut := barErrors(bars, 0, 100)
	if math.Abs(errs[0].up-17) > 1e-9 || math.Abs(errs[0].down-28.583211855912904) > 1e-9 {
		t.Errorf("bar 0 whisker down %v up %v, want 28.583 and 17", errs[0].down, errs[0].up)
	}
	if errs[1].down != 10 || errs[1].up != 15 {
		t.Errorf("bar 1 whisker down %v up %v, want 10 and 15", errs[1].down, errs[1].up)
	}
	if len(cut) != 2 || cut[0].X != 0 || cut[0].Y != 100 || cut[1].X != 1 || cut[1].Y != 0 {
		t.Errorf("cut ends %v, want (0, 100) and (1, 0)", cut)
	}
	f, err := AccuracyBars("clipped", []AblationGroup{{"hi", []float64{0.99, 1, 0.5}}}, 12, false)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "clipped bars", f, "interval clipped at the axis", "one seed")
}

// The figure fixes of issue 13, checked on the values the figures use.
func TestFigureFixes(t *testing.T) {
	// The confusion matrix is square (aspect='equal'), inside a wide panel.
	ev := &snn.Evaluation{Confusion: [][]float64{{1, 0}, {0, 1}}, IPDTrue: []float64{0.1, -0.1}, IPDEst: []float64{0.1, -0.1}}
	f, err := AccuracyReport(ev, "Test")
	if err != nil {
		t.Fatal(err)
	}
	cm := f.Panels[1].(*Heatmap)
	p, err := cm.Plot()
	if err != nil {
		t.Fatal(err)
	}
	c := draw.New(vgimg.New(5*vg.Inch, 4*vg.Inch))
	da := p.DataCanvas(squareData(p, c))
	if w, h := da.Max.X-da.Min.X, da.Max.Y-da.Min.Y; !cm.Square || math.Abs(float64(w-h)) > 0.5 {
		t.Errorf("confusion matrix data area %v x %v pt, want square", w, h)
	}
	// Initial and trained signed weights each on their own scale, stated in the title.
	cfg := snn.DefaultConfig()
	m, _ := snn.NewModel(cfg)
	for i := range m.W1.Data {
		m.W1.Data[i] *= 7 // "trained" weights 7 times the initial ones
	}
	f, err = SignedWeights(m)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []snn.Matrix{m.InitialEffectiveW1(), m.EffectiveW1()} {
		h := f.Panels[i].(*Heatmap)
		limit := maxAbs(w)
		if got := h.ColorMap.Max(); math.Abs(got-limit) > 1e-12 || !strings.Contains(h.Title, fmt.Sprintf("±%.2g", limit)) {
			t.Errorf("panel %d: scale %v, title %q; want ±%.2g", i, got, h.Title, limit)
		}
	}
	if a, b := f.Panels[0].(*Heatmap).ColorMap.Max(), f.Panels[1].(*Heatmap).ColorMap.Max(); math.Abs(b/a-7) > 1e-6 {
		t.Errorf("scales %v and %v, want the second 7 times the first", a, b)
	}
	if h := f.Panels[1].(*Heatmap); len(h.YTicks) != 2 || h.YTicks[0].Label != "I (100)" || h.YLabel != "Input neuron (grouped by sign)" {
		t.Errorf("Dale's law on the input layer: ticks %v, label %q; want the rows grouped I (100), E (100)", h.YTicks, h.YLabel)
	}
	// Without Dale's law on the input layer the mask says nothing about the signs: rows in input order.
	cfg.DaleLayers = snn.DaleHidden
	m, _ = snn.NewModel(cfg)
	f, _ = SignedWeights(m)
	if h := f.Panels[1].(*Heatmap); h.YLabel != "Input neuron (input layer unconstrained)" || len(h.HLines) != 0 || h.YTicks[0].Label != "0" ||
		h.Data[0][3] != float64(m.EffectiveW1().At(0, 3)) {
		t.Errorf("hidden-only Dale: label %q, lines %v, ticks %v; want input order, ungrouped", h.YLabel, h.HLines, h.YTicks)
	}
	// Lines: each series its own dash pattern, the first drawn widest; headroom for the legend.
	lp, err := Lines("t", "x", "y", Series{Name: "a", Y: []float64{0, 10}}, Series{Name: "b", Y: []float64{0, 10}})
	if err != nil {
		t.Fatal(err)
	}
	xy := plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 10}}
	l0, _ := seriesLine(xy, 0, 2)
	l1, _ := seriesLine(xy, 1, 2)
	if len(l0.Dashes) == len(l1.Dashes) || l0.Width <= l1.Width {
		t.Errorf("two identical series are not distinguishable: dashes %v / %v, widths %v / %v", l0.Dashes, l1.Dashes, l0.Width, l1.Width)
	}
	if lp.Y.Max < 10*4.0/3-1e-9 {
		t.Errorf("y max %v leaves no headroom above the data (10) for the legend", lp.Y.Max)
	}
	hp, _ := Histograms("h", "x", 2, 0, 2, Hist{"a", []float64{0.5, 0.5, 1.5}})
	if hp.Y.Max < 2*4.0/3-1e-9 {
		t.Errorf("histogram y max %v leaves no headroom above its tallest bin (2)", hp.Y.Max)
	}
}

// A title wider than its figure or panel is wrapped onto lines that fit (issue 22: the mirror's
// configuration line ran off both sides of a narrow figure): every line the SVG draws fits the width,
// and together they hold every word.
func TestLongTitlesWrap(t *testing.T) {
	long := "30 hidden units, IE_RATIO 0.2, Dale's law true, tau 5 ms, lr 0.01, 50 epochs, seed 1, and more words to be sure"
	figTitle := text.Style{Font: font.From(plot.DefaultFont, 13), Handler: plot.DefaultTextHandler}
	for _, c := range []struct {
		name       string
		fig, panel string
		sty        text.Style
	}{{"figure title", long, "short", figTitle}, {"panel title", "", long, plot.New().Title.TextStyle}} {
		f := NewFigure(1, 1, 4, 4).Set(0, 0, NewHeatmap([][]float64{{0, 1}, {1, 0}}, c.panel, "x", "y"))
		f.Title = c.fig
		svg, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		texts := svgTexts(t, svg)
		words := map[string]bool{}
		for _, s := range texts {
			for _, w := range strings.Fields(s) {
				words[w] = true
			}
			if s == long {
				t.Errorf("%s: drawn on one line %v wide in a %v figure", c.name, c.sty.Width(long), f.Width)
			}
			if w := c.sty.Width(s); w > f.Width {
				t.Errorf("%s: line %q is %v wide, the figure %v", c.name, s, w, f.Width)
			}
		}
		for _, w := range strings.Fields(long) {
			if !words[w] {
				t.Errorf("%s: the wrapped title lost the word %q: %q", c.name, w, texts)
			}
		}
	}
	if got := wrapTitle(figTitle, "short", 100); got != "short" {
		t.Errorf("a short title became %q", got)
	}
}

// Every colour bar says what its colours measure; the confusion matrix says how it is normalised.
func TestColorBarLabelled(t *testing.T) {
	ev := &snn.Evaluation{Confusion: [][]float64{{1, 0}, {0, 1}}, IPDTrue: []float64{0.1, -0.1}, IPDEst: []float64{0.1, -0.1}}
	f, err := AccuracyReport(ev, "Test")
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "confusion", f, "fraction of the true class", "column sums to 1")
}

// TestIntTicks checks the heat maps' index ticks: labels at a readable step, at most 7 of them, every
// index a minor tick up to 60 cells (gonum's default labelled only 0 and 25 of 30 hidden units).
func TestIntTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		labels   string
	}{
		{-0.5, 29.5, "0,5,10,15,20,25"}, // 30 hidden units
		{-0.5, 199.5, "0,50,100,150"},   // 200 inputs
		{-0.5, 11.5, "0,2,4,6,8,10"},    // 12 classes
		{-0.5, 4.5, "0,1,2,3,4"},
		{-0.5, 99.5, "0,20,40,60,80"},
		{-0.5, 999.5, "0,200,400,600,800"},
		{-0.5, 149.5, "0,25,50,75,100,125"},
	} {
		ticks := intTicks{}.Ticks(c.min, c.max)
		var labels []string
		minor := 0
		for _, tk := range ticks {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			} else {
				minor++
			}
		}
		if strings.Join(labels, ",") != c.labels {
			t.Errorf("[%g, %g]: labels %v, want %s", c.min, c.max, labels, c.labels)
		}
		if cells := int(c.max - c.min); (cells <= 60) != (len(ticks) == cells) {
			t.Errorf("[%g, %g]: %d ticks (%d minor) for %d cells", c.min, c.max, len(ticks), minor, cells)
		}
	}
}

// A bar chart bounded at 100 whose data reach its top quarter gets room above 100 for the legend, ticked
// only up to 100; one whose data stay lower keeps gonum's own axis.
func TestBarsLegendRoom(t *testing.T) {
	high := []Bar{{Label: "a", Value: 90, Err: 5, Points: []float64{85, 96}}, {Label: "b", Value: 40, Err: 10}}
	p, err := BarsWithin("high", "Silent units (%)", high, math.NaN(), "", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0 || p.Y.Max != 125 {
		t.Errorf("data up to 96 on [0, 100]: y axis %g to %g, want 0 to 125", p.Y.Min, p.Y.Max)
	}
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	var major []float64
	for _, tk := range ticks {
		if tk.Label != "" {
			major = append(major, tk.Value)
		}
	}
	if len(major) == 0 || slices.Max(major) != 100 {
		t.Errorf("labelled ticks %v, want the highest at 100", major)
	}
	low := []Bar{{Label: "a", Value: 50, Err: 20, Points: []float64{40, 70}}, {Label: "b", Value: 30, Err: 5}}
	q, err := BarsWithin("low", "Silent units (%)", low, math.NaN(), "", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if q.Y.Max > 100 {
		t.Errorf("data up to 75 on [0, 100]: y axis up to %g, want no room added", q.Y.Max)
	}
	if _, capped := q.Y.Tick.Marker.(cappedTicks); capped {
		t.Error("data up to 75: ticks capped, want gonum's own")
	}
	// The accuracy bars, which fix their axis at 100, keep the room (they had set 100 over it).
	f, err := AccuracyBars("high", []AblationGroup{{"a", []float64{0.9, 0.95, 0.92}}, {"b", []float64{0.5, 0.6}}}, 12, false)
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Panels[0].(PlotPanel).Plot; p.Y.Max != 125 {
		t.Errorf("AccuracyBars with data up to 95: y axis up to %g, want 125", p.Y.Max)
	}
	f, err = AccuracyBars("low", []AblationGroup{{"a", []float64{0.5, 0.55}}, {"b", []float64{0.3, 0.4}}}, 12, false)
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Panels[0].(PlotPanel).Plot; p.Y.Max != 100 {
		t.Errorf("AccuracyBars with data up to 55: y axis up to %g, want 100", p.Y.Max)
	}
}

// Dots of more than 30 seeds per bar are drawn small and translucent (manyPoints): 31 seeds are many, 30 not.
func TestManyPoints(t *testing.T) {
	bars := func(n int) []Bar {
		return []Bar{{Label: "a", Value: 1}, {Label: "b", Value: 2, Points: make([]float64, n)}}
	}
	if manyPoints(bars(30)) || !manyPoints(bars(31)) {
		t.Errorf("manyPoints: 30 points %v, 31 points %v; want false, true", manyPoints(bars(30)), manyPoints(bars(31)))
	}
}
