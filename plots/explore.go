package plots

import (
	"encoding/base64"
	"fmt"
	"html"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// exploreDPI is the resolution of the panel's images (small: they are redrawn on every move).
const exploreDPI = 80

// FractionCurve draws a view's test accuracy (%) against the inhibitory fraction: the mean over cached
// seeds at each fraction with each seed as a dot (the mean's line broken where a tenth has no run, not
// drawn across it), the selected fraction marked (a ring, and a vertical line when nothing is cached
// there), the unconstrained network's mean as a dashed line with a band of ± its SD over seeds, and
// chance as a dotted line. The title names the selection.
//
// For a network whose inhibitory fraction is not a control (View.FractionApplies false) there is no
// fraction axis: it draws the selected network's and the unconstrained network's test accuracy as bars.
func FractionCurve(v study.View) (*Figure, error) {
	chance := 100 / float64(snn.DefaultConfig().NumClasses)
	if !v.FractionApplies {
		groups := []AblationGroup{{Label: v.Selection.Label(), Accuracies: v.Selected.Accuracies}}
		if len(v.Reference.Accuracies) > 0 && v.Selection.Condition != "unconstrained" {
			groups = append(groups, AblationGroup{Label: study.Selection{Condition: "unconstrained"}.Label(), Accuracies: v.Reference.Accuracies})
		}
		if len(groups[0].Accuracies) == 0 {
			groups = groups[1:]
		}
		if len(groups) == 0 {
			p := plot.New()
			p.Title.Text = v.Selection.Title() + ": no cached run"
			return NewFigure(1, 1, 5.6, 4.2).Set(0, 0, PlotPanel{p}), nil
		}
		return AccuracyBars(v.Selection.Title(), groups, snn.DefaultConfig().NumClasses, false)
	}
	p := plot.New()
	p.Title.Text = v.Selection.Title()
	p.X.Label.Text, p.Y.Label.Text = "Inhibitory fraction", "Test accuracy (%)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.05, 1.05, 0, 100
	var dots plotter.XYs
	var means []plotter.XYs // runs of consecutive tenths
	for i, pt := range v.Curve {
		if i == 0 || pt.Fraction-v.Curve[i-1].Fraction > 0.1+1e-9 {
			means = append(means, nil)
		}
		means[len(means)-1] = append(means[len(means)-1], plotter.XY{X: pt.Fraction, Y: 100 * pt.Mean()})
		for _, a := range pt.Accuracies {
			dots = append(dots, plotter.XY{X: pt.Fraction, Y: 100 * a})
		}
	}
	hline := func(y float64, c color.Color, dashes []vg.Length, name string) error {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.05, Y: y}, {X: 1.05, Y: y}})
		if err != nil {
			return err
		}
		l.Color, l.Dashes, l.Width = c, dashes, vg.Points(1)
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}
	if err := hline(chance, Grey, []vg.Length{vg.Points(1.5), vg.Points(2.5)}, fmt.Sprintf("chance (1/%d = %.1f%%)", snn.DefaultConfig().NumClasses, chance)); err != nil {
		return nil, err
	}
	if len(v.Reference.Accuracies) > 0 {
		m, sd := study.MeanSD(v.Reference.Accuracies)
		label := fmt.Sprintf("unconstrained: %.1f%% (1 seed)", 100*m)
		if len(v.Reference.Accuracies) > 1 && !math.IsNaN(sd) {
			band, err := plotter.NewPolygon(plotter.XYs{{X: -0.05, Y: 100 * (m - sd)}, {X: 1.05, Y: 100 * (m - sd)},
				{X: 1.05, Y: 100 * (m + sd)}, {X: -0.05, Y: 100 * (m + sd)}})
			if err != nil {
				return nil, err
			}
			band.Color, band.LineStyle.Width = color.NRGBA{0x2c, 0xa0, 0x2c, 0x30}, 0
			p.Add(band)
			label = fmt.Sprintf("unconstrained: %.1f ± %.1f%% (mean ± SD, %s)", 100*m, 100*sd, seeds(len(v.Reference.Accuracies)))
		}
		if err := hline(100*m, Green, []vg.Length{vg.Points(6), vg.Points(3)}, label); err != nil {
			return nil, err
		}
	}
	if len(dots) > 0 {
		for i, mean := range means {
			l, pts, err := plotter.NewLinePoints(mean)
			if err != nil {
				return nil, err
			}
			l.Color, pts.Color, l.Width = Blue, Blue, vg.Points(2)
			p.Add(l, pts)
			if i == 0 {
				p.Legend.Add("mean over cached seeds", l, pts)
			}
		}
		s, err := plotter.NewScatter(dots)
		if err != nil {
			return nil, err
		}
		s.Color, s.Radius = color.NRGBA{0x1f, 0x77, 0xb4, 0x80}, vg.Points(1.5)
		p.Add(s)
		p.Legend.Add("one seed", s)
	}
	sel := v.Selected
	if len(sel.Accuracies) > 0 {
		ring, err := plotter.NewScatter(plotter.XYs{{X: sel.Fraction, Y: 100 * sel.Mean()}})
		if err != nil {
			return nil, err
		}
		ring.Color, ring.Radius, ring.Shape = Red, vg.Points(7), draw.RingGlyph{}
		p.Add(ring)
		p.Legend.Add(fmt.Sprintf("selected: %.1f%% (%s)", 100*sel.Mean(), seeds(len(sel.Accuracies))), ring)
	} else {
		l, err := plotter.NewLine(plotter.XYs{{X: sel.Fraction, Y: 0}, {X: sel.Fraction, Y: 100}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = Red, vg.Points(1)
		p.Add(l)
		p.Legend.Add("selected: no cached run", l)
	}
	// The legend sits in the lower left, above the chance line; ticks every 10 points.
	p.Legend.Top, p.Legend.Left, p.Legend.YOffs = false, true, vg.Points(28)
	p.Y.Tick.Marker = stepTicks{10}
	p.Add(plotter.NewGrid())
	return NewFigure(1, 1, 5.6, 4.2).Set(0, 0, PlotPanel{p}), nil
}

// ExploreAblation draws a view's ablation bars (test accuracy after each cut, over the seeds that carry
// the ablation metrics); nil when the view has none.
func ExploreAblation(v study.View) (*Figure, error) {
	if len(v.Ablation) == 0 {
		return nil, nil
	}
	var groups []AblationGroup
	for _, b := range v.Ablation {
		groups = append(groups, AblationGroup{Label: b.Label, Accuracies: b.Accuracies})
	}
	k := "k"
	if v.CutRows > 0 {
		k = fmt.Sprintf("k = %d", v.CutRows)
	}
	return AccuracyBars(fmt.Sprintf("Test accuracy, intact and after each cut of %s input rows\n(%s)", k, v.Selection.Title()), groups, snn.DefaultConfig().NumClasses, false)
}

// ExploreHTML is the panel's drawing of a view: a header naming the selection and what was read, the
// accuracy-against-fraction figure, the ablation bars and the weight images of the cached model (each
// where the caches have it, else a line saying why not), as one <div> whose data-selection attribute is
// the selection's Key and data-runs, data-ablation and data-model say what it shows (for a browser test
// to read). Images are inline PNGs, so the HTML stands alone.
func ExploreHTML(v study.View) (string, error) {
	var b strings.Builder
	model := ""
	if v.Model != "" {
		model = filepath.Base(v.Model)
	}
	fmt.Fprintf(&b, `<div class="snn-explore-view" data-selection="%s" data-runs="%d" data-selected-seeds="%d" data-ablation="%d" data-model="%s">`,
		html.EscapeString(v.Selection.Key()), v.Runs(), len(v.Selected.Seeds), len(v.Ablation), html.EscapeString(model))
	fmt.Fprintf(&b, `<p style="font-family:sans-serif;margin:4px 0"><b>%s</b><br>selected point: %s; %s</p>`,
		html.EscapeString(v.Selection.Title()), html.EscapeString(pointText(v.Selected)), html.EscapeString(runsText(v)))
	if len(v.Notes) > 0 {
		b.WriteString(`<ul style="font-family:sans-serif;font-size:small;margin:2px 0">`)
		for _, n := range v.Notes {
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(n))
		}
		b.WriteString("</ul>")
	}
	b.WriteString(`<div style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start">`)
	curve, err := FractionCurve(v)
	if err != nil {
		return "", err
	}
	type named struct {
		f    *Figure
		name string
	}
	figs := []named{{curve, "curve"}}
	if f, err := ExploreAblation(v); err != nil {
		return "", err
	} else if f != nil {
		figs = append(figs, named{f, "ablation"})
	}
	// A checkpoint damaged or removed since the index was made costs the weight images, not the panel.
	if f, err := ExploreWeights(v); err != nil {
		fmt.Fprintf(&b, `<p class="snn-explore-error" style="font-family:sans-serif;color:#b00">weights not drawn: %s</p>`, html.EscapeString(err.Error()))
	} else if f != nil {
		figs = append(figs, named{f, "weights"})
	}
	for _, f := range figs {
		png, err := f.f.PNG(exploreDPI)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, `<img class="snn-explore-%s" alt="%s" src="data:image/png;base64,%s"/>`, f.name, f.name,
			base64.StdEncoding.EncodeToString(png))
	}
	b.WriteString("</div></div>")
	return b.String(), nil
}

// ExploreWeights draws the input weights of a view's model (SignedWeights), titled with its seed, that
// seed's run's test accuracy at the selected point and what the effective weight is for its network
// (effectiveWeightText); nil when the view has no model.
func ExploreWeights(v study.View) (*Figure, error) {
	if v.Model == "" {
		return nil, nil
	}
	m, err := snn.LoadCheckpoint(v.Model)
	if err != nil {
		return nil, err
	}
	f, err := SignedWeights(m)
	if err != nil {
		return nil, err
	}
	f.Title = fmt.Sprintf("Input weights of one cached model of this selection (%s; %s)", modelRunText(v), effectiveWeightText(m.Config))
	return f, nil
}

// modelRunText names the seed of the view's model and its run's test accuracy at the selected point.
func modelRunText(v study.View) string {
	if math.IsNaN(v.ModelAccuracy) {
		return fmt.Sprintf("seed %d, which has no cached run at this point", v.ModelSeed)
	}
	return fmt.Sprintf("seed %d, whose cached run scored %.1f%%", v.ModelSeed, 100*v.ModelAccuracy)
}

// runsText says how many cached runs the view draws and where they sit.
func runsText(v study.View) string {
	n := v.Runs() - len(v.Reference.Files)
	points := fmt.Sprintf("%d cached runs drawn at %d %s", n, len(v.Curve), plural(len(v.Curve), "point", "points"))
	if len(v.Reference.Files) > 0 && v.Selection.Condition != "unconstrained" {
		ref := "the reference line"
		if !v.FractionApplies {
			ref = "the reference bar"
		}
		points += fmt.Sprintf(", and %d of the unconstrained network's (%s)", len(v.Reference.Files), ref)
	}
	return points
}

// plural is one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pointText states a point's mean and spread over seeds, or that none is cached.
func pointText(p study.Point) string {
	if len(p.Accuracies) == 0 {
		return "no cached run"
	}
	m, sd := study.MeanSD(p.Accuracies)
	if len(p.Accuracies) == 1 || math.IsNaN(sd) {
		return fmt.Sprintf("%.1f%% test accuracy (1 seed: %d)", 100*m, p.Seeds[0])
	}
	return fmt.Sprintf("%.1f ± %.1f%% test accuracy (mean ± SD over %d seeds)", 100*m, 100*sd, len(p.Accuracies))
}

// stepTicks label every multiple of step in the axis' range.
type stepTicks struct{ step float64 }

func (t stepTicks) Ticks(min, max float64) []plot.Tick {
	if !(t.step > 0) || !(max >= min) || math.IsInf(min, 0) || math.IsInf(max, 0) || (max-min)/t.step > 1e4 {
		return nil
	}
	var out []plot.Tick
	for v := math.Ceil(min/t.step) * t.step; v <= max; v += t.step {
		out = append(out, plot.Tick{Value: v, Label: fmt.Sprintf("%g", v)})
	}
	return out
}

// seeds is "1 seed" or "n seeds".
func seeds(n int) string {
	if n == 1 {
		return "1 seed"
	}
	return fmt.Sprintf("%d seeds", n)
}
