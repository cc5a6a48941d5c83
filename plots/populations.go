package plots

import (
	"fmt"
	"math"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PointGroup is a named set of (x, y) points for Scatter.
type PointGroup struct {
	Name string
	X, Y []float64
}

// scatterShapes tell groups apart without colour.
var scatterShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PlusGlyph{},
	draw.CrossGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}}

// Scatter returns a scatter plot of the groups, each in its own colour and marker shape, with a legend
// above the data (25% headroom).
func Scatter(title, xlabel, ylabel string, groups ...PointGroup) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, ylabel
	p.Add(plotter.NewGrid())
	for i, g := range groups {
		if len(g.X) == 0 || len(g.X) != len(g.Y) {
			return nil, fmt.Errorf("plots: scatter group %q has %d x and %d y values", g.Name, len(g.X), len(g.Y))
		}
		xy := make(plotter.XYs, len(g.X))
		for j := range g.X {
			xy[j] = plotter.XY{X: g.X[j], Y: g.Y[j]}
		}
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, fmt.Errorf("plots: scatter group %q: %w", g.Name, err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: cycle[i%len(cycle)], Radius: vg.Points(3), Shape: scatterShapes[i%len(scatterShapes)]}
		p.Add(s)
		p.Legend.Add(g.Name, s)
	}
	p.Legend.Top = true
	headroom(p)
	return p, nil
}

// MetricBars draws the mean of a non-negative metric per group (values multiplied by scale, e.g. 100 for
// a fraction in percent, whose intervals are then cut at 100) with its 95% confidence interval over seeds
// as error bars and each seed's value as a dot; ylabel names the metric and its unit.
func MetricBars(title, ylabel string, groups []AblationGroup, scale float64) (*Figure, error) {
	bars, err := metricBars(groups, scale)
	if err != nil {
		return nil, err
	}
	hi := math.Inf(1)
	if scale == 100 {
		hi = 100
	}
	p, err := BarsWithin(title+" (mean, 95% CI over seeds)", ylabel, bars, math.NaN(), "", 0, hi)
	if err != nil {
		return nil, err
	}
	return NewFigure(1, 1, 7.5, 4.8).Set(0, 0, PlotPanel{p}), nil
}

// metricBars are MetricBars' bars: scale times the mean and the 95% CI half-width of each group (0 for
// a single value).
func metricBars(groups []AblationGroup, scale float64) ([]Bar, error) {
	bars := make([]Bar, len(groups))
	for i, g := range groups {
		if len(g.Accuracies) == 0 {
			return nil, fmt.Errorf("plots: MetricBars: group %q has no values", g.Label)
		}
		mean, ci := study.MeanCI95(g.Accuracies)
		if math.IsNaN(ci) {
			ci = 0
		}
		bars[i] = Bar{Label: g.Label, Value: scale * mean, Err: scale * ci}
		if len(g.Accuracies) > 1 {
			for _, v := range g.Accuracies {
				bars[i].Points = append(bars[i].Points, scale*v)
			}
		}
	}
	return bars, nil
}

// NSEAccuracy draws, for the runs of a study with study.PopulationMetrics, test accuracy (%) against the
// NSE of the effective input weights at initialisation (left) and after training (right): one group per
// condition name in conds (all its runs, every fraction and seed), labelled by labels.
func NSEAccuracy(runs []study.RunResult, conds, labels []string) (*Figure, error) {
	if len(conds) != len(labels) {
		return nil, fmt.Errorf("plots: NSEAccuracy: %d conditions and %d labels", len(conds), len(labels))
	}
	f := NewFigure(1, 2, 11, 4.8)
	for k, metric := range []string{"nse_init_w1", "nse_trained_w1"} {
		groups, err := nseGroups(runs, conds, labels, metric)
		if err != nil {
			return nil, err
		}
		when := "at initialisation"
		if k == 1 {
			when = "after training"
		}
		p, err := Scatter("Input weights' NSE "+when, "NSE of the effective input weights", "Test accuracy (%)", groups...)
		if err != nil {
			return nil, err
		}
		f.Set(0, k, PlotPanel{p})
	}
	return f, nil
}

// nseGroups are NSEAccuracy's points for one metric: per condition, (metric, test accuracy %) of each run.
func nseGroups(runs []study.RunResult, conds, labels []string, metric string) ([]PointGroup, error) {
	var groups []PointGroup
	for i, c := range conds {
		g := PointGroup{Name: labels[i]}
		for _, r := range runs {
			if r.Condition != c {
				continue
			}
			v, ok := r.Extra[metric]
			if !ok {
				return nil, fmt.Errorf("plots: NSEAccuracy: run %s fraction %v seed %d has no %s", r.Condition, r.Fraction, r.Seed, metric)
			}
			g.X, g.Y = append(g.X, v), append(g.Y, 100*r.TestAccuracy)
		}
		if len(g.X) == 0 {
			return nil, fmt.Errorf("plots: NSEAccuracy: no run of %q", c)
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// SpectraFigure draws the normalised singular values s_i / sum_j s_j (descending, log scale) of the
// initial (left) and trained (right) effective input weights of each model, labelled by labels, with each
// model's NSE in its legend entry.
func SpectraFigure(models []*snn.Model, labels []string) (*Figure, error) {
	if len(models) != len(labels) || len(models) == 0 {
		return nil, fmt.Errorf("plots: SpectraFigure: %d models and %d labels", len(models), len(labels))
	}
	f := NewFigure(1, 2, 11, 4.8)
	for k, when := range []string{"initial", "trained"} {
		series, err := spectrumSeries(models, labels, k == 1)
		if err != nil {
			return nil, err
		}
		p, err := Lines("Singular values of the "+when+" input weights", "Index i (descending)", "s_i / sum s", series...)
		if err != nil {
			return nil, err
		}
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
		lo, hi := math.Inf(1), 0.0
		for _, s := range series {
			for _, v := range s.Y {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		p.Y.Min, p.Y.Max = lo/1.5, hi*8 // log-scale headroom for the legend
		f.Set(0, k, PlotPanel{p})
	}
	return f, nil
}

// spectrumSeries are SpectraFigure's curves: per model, the normalised singular values of its initial or
// trained effective input weights (floored at 1e-12 for the log scale), named with the label and NSE, and
// with the earlier label whose curve it lies on (sameCurve), if any.
func spectrumSeries(models []*snn.Model, labels []string, trained bool) ([]Series, error) {
	var series []Series
	for i, m := range models {
		w := m.InitialEffectiveW1()
		if trained {
			w = m.EffectiveW1()
		}
		sv, err := study.SingularValues(w)
		if err != nil {
			return nil, err
		}
		nse, err := study.NSE(w)
		if err != nil {
			return nil, err
		}
		total := 0.0
		for _, s := range sv {
			total += s
		}
		x, y := make([]float64, len(sv)), make([]float64, len(sv))
		for j, s := range sv {
			y[j], x[j] = math.Max(s/total, 1e-12), float64(j+1)
		}
		name := fmt.Sprintf("%s (NSE %.3f)", labels[i], nse)
		for j, prev := range series {
			if sameCurve(prev.Y, y) {
				name += fmt.Sprintf(" (on %s's line)", labels[j]) // drawn over it, where it cannot be seen
				break
			}
		}
		series = append(series, Series{Name: name, X: x, Y: y})
	}
	return series, nil
}

// sameCurve reports whether a and b have the same length and agree within 1e-4 relative at every point:
// lines that a figure draws one over the other.
func sameCurve(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-4*math.Max(math.Abs(a[i]), math.Abs(b[i])) {
			return false
		}
	}
	return true
}

// PopulationWeights draws the input pathway of an E/I-population model (snn.ArchPopulations): the
// excitatory weights f(W_EE), the inhibitory pathway f(W_IE) f(W_EI) and the effective weights
// W1eff = f(W_EE) - f(W_IE) f(W_EI), fibres on y (left ear first, a line between the ears), excitatory units
// on x, each panel on its own colour scale stated in its title (red positive, blue negative, grey 0); when,
// the figure's title, names the model and its moment.
func PopulationWeights(m *snn.Model, when string) (*Figure, error) {
	inh, err := m.InhibitoryPathway()
	if err != nil {
		return nil, err
	}
	eff := m.EffectiveW1()
	exc := snn.NewMatrix(eff.Rows, eff.Cols)
	for i := range exc.Data {
		exc.Data[i] = eff.Data[i] + inh.Data[i]
	}
	neg := inh.Clone()
	for i, v := range neg.Data {
		neg.Data[i] = -v
	}
	f := NewFigure(1, 3, 14, 5)
	f.Title = when
	for k, p := range []struct {
		title string
		w     snn.Matrix
	}{{"Excitation f(W_EE)", exc}, {"Inhibition -f(W_IE)f(W_EI)", neg}, {"Effective W1eff", eff}} {
		limit := maxAbs(p.w)
		h := NewHeatmap(p.w.Float64(), fmt.Sprintf("%s (±%.2g)", p.title, limit), "Excitatory unit",
			"Input fibre (line: left | right ear)")
		h.ColorMap, h.ColorBar, h.ColorBarLabel = Diverging(limit), true, "weight (own scale)"
		if ear := m.Config.ANFPerEar; ear > 0 && ear < p.w.Rows {
			h.HLines = []float64{float64(p.w.Rows-ear) - 0.5} // row i sits at y = rows-1-i: between fibres ear-1 and ear
		}
		f.Set(0, k, h)
	}
	return f, nil
}
