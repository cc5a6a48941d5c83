package plots

import (
	"fmt"
	"math"
	"slices"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tuningSeries returns the lines TuningCurves draws: per condition, log10 of each learning rate of its
// curve against the mean validation accuracy in %, in the style of its place among study.ConditionNames (the
// same in every figure; for a name not there, such as the rate networks', one past the registry's by its
// position), named with
// " (SGD)" where the condition trains with SGD, and the selected point.
func tuningSeries(tuned []study.Tuned) (lines []Series, selected plotter.XYs, err error) {
	if len(tuned) == 0 {
		return nil, nil, fmt.Errorf("plots: TuningCurves: no tuned conditions")
	}
	names := study.ConditionNames()
	for i, t := range tuned {
		s := Series{Name: t.Condition, Style: slices.Index(names, t.Condition) + 1}
		if s.Style == 0 && len(names)+i < maxStyles { // a name not there: a style no registry condition has
			s.Style = len(names) + i + 1
		}
		if c, err := study.ConditionByName(t.Condition); err == nil && c.Apply(snn.DefaultConfig(), 0.5).Optimizer == snn.OptimizerSGD {
			s.Name += " (SGD)" // its learning rates are SGD's, on the same axis as Adam's
		}
		found := false
		for _, p := range t.Curve {
			s.X = append(s.X, math.Log10(p.LearningRate))
			s.Y = append(s.Y, 100*p.Mean)
			if p.LearningRate == t.Selected {
				selected = append(selected, plotter.XY{X: math.Log10(p.LearningRate), Y: 100 * p.Mean})
				found = true
			}
		}
		if !found {
			return nil, nil, fmt.Errorf("plots: TuningCurves: %s's selected learning rate %g is not on its curve", t.Condition, t.Selected)
		}
		lines = append(lines, s)
	}
	return lines, selected, nil
}

// TuningCurves draws the tuning curves of an equal tuning budget: mean validation accuracy (%) over the
// tuning seeds against the learning rate (log scale, ticks labelled with the grid's rates), one line per
// condition, each selected learning rate marked with a ring. The accuracy axis runs from 0 to 100 and
// the legend sits at the lower left, below the curves' start.
func TuningCurves(title string, tuned []study.Tuned) (*Figure, error) {
	lines, sel, err := tuningSeries(tuned)
	if err != nil {
		return nil, err
	}
	p, err := Lines(title, "learning rate (log scale)", "validation accuracy (%), mean over tuning seeds (a diverged run counts 0)",
		lines...)
	if err != nil {
		return nil, err
	}
	sc, err := plotter.NewScatter(sel)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = draw.RingGlyph{}, vg.Points(5)
	p.Add(sc)
	p.Legend.Add("selected", sc)
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), vg.Points(6)
	p.Y.Min, p.Y.Max = 0, 100
	p.X.Tick.Marker = rateTicks(tuned)
	return NewFigure(1, 1, 8, 6).Set(0, 0, PlotPanel{p}), nil
}

// rateTicks labels log10 positions with the learning rates of the curves (every rate of any curve).
type rateTicks []study.Tuned

func (r rateTicks) Ticks(min, max float64) []plot.Tick {
	seen := map[float64]bool{}
	var ticks []plot.Tick
	for _, t := range r {
		for _, p := range t.Curve {
			x := math.Log10(p.LearningRate)
			if !seen[x] && x >= min-1e-9 && x <= max+1e-9 {
				seen[x] = true
				ticks = append(ticks, plot.Tick{Value: x, Label: fmt.Sprintf("%.2g", p.LearningRate)})
			}
		}
	}
	return ticks
}

// OutcomeGroups returns a tuned plan's test accuracies as bar groups, one per condition in the plan's
// order, seeds in the plan's test-seed order.
func OutcomeGroups(o study.Outcome) []AblationGroup {
	var gs []AblationGroup
	for _, t := range o.Tuned {
		gs = append(gs, AblationGroup{Label: t.Condition, Accuracies: o.Test[t.Condition]})
	}
	return gs
}

// OutcomeBars draws a tuned plan's test accuracies (mean +- 1 SD over its test seeds, each condition at
// its selected learning rate), titled on two lines with the plan's name and test seeds.
func OutcomeBars(o study.Outcome) (*Figure, error) {
	bars, _, err := accuracyBars(OutcomeGroups(o), false)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%s: test accuracy at the selected learning rates\n(test seeds %s; mean ± 1 SD over seeds)", o.Plan.Name,
		study.SeedRange(o.Plan.TestSeeds))
	p, err := BarsWithin(title, "Test accuracy (%)", bars, 100/float64(o.Plan.Base().NumClasses), "chance", 0, 100)
	if err != nil {
		return nil, err
	}
	p.Y.Max = max(p.Y.Max, 100) // 0 to 100, or above it where BarsWithin left room for the legend
	return NewFigure(1, 1, 8, 5).Set(0, 0, PlotPanel{p}), nil
}
