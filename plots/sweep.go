package plots

import (
	"fmt"
	"math"

	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SweepCurves draws test accuracy (%) against the inhibitory fraction for each condition of a sweep
// (study.Summarise rows): the mean over seeds with its 95% confidence interval as error bars, and a dashed
// chance line. Conditions at a single fraction (baselines such as "unconstrained") are drawn as
// horizontal dotted lines at their mean, with thin lines at the ends of its 95% confidence interval,
// labelled with both (the legend says what the thin lines are).
func SweepCurves(rows []study.SweepRow, title string, numClasses int) (*Figure, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("plots: SweepCurves: no rows")
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, "Inhibitory fraction", "Test accuracy (%)"
	p.Add(plotter.NewGrid())
	var order []string
	clipNoted := false
	byCond := map[string][]study.SweepRow{}
	for _, r := range rows {
		if _, ok := byCond[r.Condition]; !ok {
			order = append(order, r.Condition)
		}
		byCond[r.Condition] = append(byCond[r.Condition], r)
	}
	for i, c := range order {
		rs := byCond[c]
		col := cycle[i%len(cycle)]
		if len(rs) == 1 {
			r := rs[0]
			l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 100 * r.Mean}, {X: 1, Y: 100 * r.Mean}})
			if err != nil {
				return nil, err
			}
			l.Color, l.Width, l.Dashes = col, vg.Points(1.2), []vg.Length{vg.Points(1), vg.Points(3)}
			p.Add(l)
			label := fmt.Sprintf("%s (%.1f%%)", c, 100*r.Mean)
			if !math.IsNaN(r.CI95) {
				label = fmt.Sprintf("%s (%.1f%%; thin lines: 95%% CI ± %.1f)", c, 100*r.Mean, 100*r.CI95)
				for _, y := range []float64{max(0, r.Mean-r.CI95), min(1, r.Mean+r.CI95)} {
					b, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 100 * y}, {X: 1, Y: 100 * y}})
					if err != nil {
						return nil, err
					}
					b.Color, b.Width = col, vg.Points(0.5)
					p.Add(b)
				}
			}
			p.Legend.Add(label, l)
			continue
		}
		bars := make([]Bar, len(rs))
		xy := make(plotter.XYs, len(rs))
		for j, r := range rs {
			half := r.CI95
			if math.IsNaN(half) {
				half = 0
			}
			bars[j] = Bar{Value: 100 * r.Mean, Err: 100 * half}
			xy[j] = plotter.XY{X: r.Fraction, Y: 100 * r.Mean}
		}
		pts, cut := barErrors(bars, 0, 100) // an accuracy's interval is cut at 0 and 100
		for j := range pts {
			pts[j].x = rs[j].Fraction
		}
		for j := range cut {
			cut[j].X = rs[int(cut[j].X)].Fraction
		}
		l, s, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = col, vg.Points(1.5)
		s.Color, s.Shape = col, draw.CircleGlyph{}
		p.Add(l, s)
		if pts.any() {
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, err
			}
			eb.Color = col
			p.Add(eb)
		}
		if len(cut) > 0 {
			sc, err := clipMarks(cut, col)
			if err != nil {
				return nil, err
			}
			p.Add(sc)
			if !clipNoted {
				p.Legend.Add("interval clipped at 0 or 100", sc)
				clipNoted = true
			}
		}
		p.Legend.Add(c, l, s)
	}
	chance, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 100 / float64(numClasses)}, {X: 1, Y: 100 / float64(numClasses)}})
	if err != nil {
		return nil, err
	}
	chance.Color, chance.Dashes = Red, []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(chance)
	p.Legend.Add("chance", chance)
	p.Legend.Top, p.Legend.Left = true, true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.02, 1.02, 0, 100
	return NewFigure(1, 1, 6.4, 4.8).Set(0, 0, PlotPanel{p}), nil
}
