package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// The population figures draw what they are given: PopulationWeights' three panels are f(W_EE), minus
// the inhibitory pathway and W1eff, each on its own scale (its max |w|, stated in the title), and the
// first minus the second's magnitude is the third; SpectraFigure's curves are the normalised singular
// values with each model's NSE in the legend; NSEAccuracy's points are the runs' metrics; MetricBars'
// error bars are the 95% CIs.
func TestPopulationFigures(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.Architecture, cfg.NumHidden = snn.ArchPopulations, 27
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := PopulationWeights(m, "initial")
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "population weights", f, "initial", "Excitation f(W_EE)", "Inhibition", "Effective W1eff", "Input fibre")
	inh, _ := m.InhibitoryPathway()
	eff := m.EffectiveW1()
	exc, neg := snn.NewMatrix(eff.Rows, eff.Cols), snn.NewMatrix(eff.Rows, eff.Cols)
	for i := range eff.Data {
		exc.Data[i], neg.Data[i] = eff.Data[i]+inh.Data[i], -inh.Data[i]
	}
	for k, w := range []snn.Matrix{exc, neg, eff} {
		h := f.Panels[k].(*Heatmap)
		limit := maxAbs(w)
		if got := h.ColorMap.Max(); math.Abs(got-limit) > 1e-12 || !strings.Contains(h.Title, fmt.Sprintf("±%.2g", limit)) {
			t.Errorf("panel %d: scale %v, title %q, want ±%.2g", k, got, h.Title, limit)
		}
		if h.Data[3][5] != float64(w.At(3, 5)) {
			t.Errorf("panel %d draws %v at (3, 5), want %v", k, h.Data[3][5], w.At(3, 5))
		}
		// The ears' boundary between fibres 99 and 100 (row i at y = 199 - i) and the colour bar's label.
		if len(h.HLines) != 1 || h.HLines[0] != 99.5 || h.ColorBarLabel == "" {
			t.Errorf("panel %d: lines %v, colour bar label %q; want a line at 99.5 and a label", k, h.HLines, h.ColorBarLabel)
		}
	}
	col, _ := snn.NewModel(snn.DefaultConfig())
	if _, err := PopulationWeights(col, "x"); err == nil {
		t.Error("PopulationWeights drew a ColumnEI model")
	}

	sf, err := SpectraFigure([]*snn.Model{col, m}, []string{"column", "pop"})
	if err != nil {
		t.Fatal(err)
	}
	nse, _ := study.NSE(m.InitialEffectiveW1())
	checkFigure(t, "spectra", sf, fmt.Sprintf("pop (NSE %.3f)", nse), "Singular values of the initial input weights")
	series, err := spectrumSeries([]*snn.Model{col, m}, []string{"column", "pop"}, false)
	if err != nil {
		t.Fatal(err)
	}
	sv, _ := study.SingularValues(m.InitialEffectiveW1())
	total := 0.0
	for _, s := range sv {
		total += s
	}
	for j, s := range sv {
		if math.Abs(series[1].Y[j]-s/total) > 1e-12 || series[1].X[j] != float64(j+1) {
			t.Fatalf("curve point %d = (%v, %v), want (%d, %v)", j, series[1].X[j], series[1].Y[j], j+1, s/total)
		}
	}
	if strings.Contains(series[1].Name, "line") {
		t.Errorf("the population model's spectrum is said to lie on ColumnEI's: %q", series[1].Name)
	}
	// The same model twice: the second curve lies on the first, and its name says so.
	twice, err := spectrumSeries([]*snn.Model{m, m}, []string{"pop", "again"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("again (NSE %.3f) (on pop's line)", nse); twice[1].Name != want || strings.Contains(twice[0].Name, "line") {
		t.Errorf("names %q, %q; want the second %q", twice[0].Name, twice[1].Name, want)
	}
	runs := []study.RunResult{
		{RunKey: study.RunKey{Condition: "a", Fraction: 0.5, Seed: 1}, TestAccuracy: 0.5, Extra: map[string]float64{"nse_init_w1": 0.9, "nse_trained_w1": 0.8}},
		{RunKey: study.RunKey{Condition: "a", Fraction: 0.2, Seed: 1}, TestAccuracy: 0.7, Extra: map[string]float64{"nse_init_w1": 0.91, "nse_trained_w1": 0.85}},
		{RunKey: study.RunKey{Condition: "b", Fraction: 0.5, Seed: 1}, TestAccuracy: 0.6, Extra: map[string]float64{"nse_init_w1": 0.95, "nse_trained_w1": 0.9}},
	}
	nf, err := NSEAccuracy(runs, []string{"a", "b"}, []string{"A", "B"})
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "NSE accuracy", nf, "A", "B", "NSE of the effective input weights")
	gs, err := nseGroups(runs, []string{"a", "b"}, []string{"A", "B"}, "nse_trained_w1")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 || gs[0].X[0] != 0.8 || gs[0].Y[0] != 50 || gs[0].X[1] != 0.85 || gs[0].Y[1] != 70 || gs[1].X[0] != 0.9 || gs[1].Y[0] != 60 {
		t.Errorf("trained-NSE points %+v", gs)
	}
	if _, err := NSEAccuracy(runs, []string{"c"}, []string{"C"}); err == nil {
		t.Error("a condition without runs drew")
	}

	vals := []float64{0.1, 0.3, 0.2}
	mb, err := MetricBars("Silent", "Silent units (%)", []AblationGroup{{"x", vals}}, 100)
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, "metric bars", mb, "Silent units (%)", "95% CI")
	mean, ci := study.MeanCI95(vals)
	bars, _ := metricBars([]AblationGroup{{"x", vals}}, 100)
	if math.Abs(bars[0].Value-100*mean) > 1e-9 || math.Abs(bars[0].Err-100*ci) > 1e-9 {
		t.Errorf("bar %+v, want %v ± %v", bars[0], 100*mean, 100*ci)
	}
}

// Bar labels are slanted when they would collide (many bars, or long labels) and level otherwise.
func TestSlantedBarLabels(t *testing.T) {
	bars := func(labels ...string) []Bar {
		var b []Bar
		for _, l := range labels {
			b = append(b, Bar{Label: l, Value: 1})
		}
		return b
	}
	for _, c := range []struct {
		labels []string
		slant  bool
	}{
		{[]string{"a", "b", "c"}, false},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, true},
		{[]string{"unconstrained", "ColumnEI 0.5", "pop-abs", "pop-clip", "pop-wiggle"}, true},
		{[]string{"unconstrained", "ColumnEI 0.5", "pop-abs"}, false},
	} {
		p, err := Bars("t", "y", bars(c.labels...), math.NaN(), "")
		if err != nil {
			t.Fatal(err)
		}
		if got := p.X.Tick.Label.Rotation != 0; got != c.slant {
			t.Errorf("%v: slanted %v, want %v", c.labels, got, c.slant)
		}
	}
}
