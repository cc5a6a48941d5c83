package plots

import (
	"fmt"
	"math"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
)

// StimulusExamples draws the notebook's show_examples: one spike raster per sample of d (8 from
// snn.ExampleStimuli), in 2 rows, time step on x and input neuron index on y, each titled with its
// true IPD in whole degrees (truncated, as Python's int()); axis labels on the outer panels only.
func StimulusExamples(d *snn.Dataset) (*Figure, error) {
	n := d.Len()
	if n == 0 || n%2 != 0 {
		return nil, fmt.Errorf("plots: StimulusExamples needs an even, non-zero number of samples, got %d", n)
	}
	cols := n / 2
	// matplotlib's figsize (10, 4) plus room for a figure title (the notebook's show sets one): at 4 inches
	// with a title, the panel with both axis labels drew its data a sixth shorter than the others (its
	// rotated y label no longer fitted beside it).
	f := NewFigure(2, cols, 10, 4.4)
	ear := d.NumInputs / 2 // the left ear's fibres come first, then as many of the right ear's
	var ticks []plot.Tick  // every 50 fibres; each ear's first named, and a line where the right ear's begin
	for i := 0; i < d.NumInputs; i += 50 {
		label := fmt.Sprint(i)
		switch i {
		case 0:
			label = "left 0"
		case ear:
			label = fmt.Sprintf("right %d", i)
		}
		ticks = append(ticks, plot.Tick{Value: float64(d.NumInputs - 1 - i), Label: label})
	}
	for i := 0; i < n; i++ {
		xl, yl := "", ""
		if i >= cols {
			xl = "Time step"
		}
		if i%cols == 0 {
			yl = "Input neuron index"
		}
		h, err := Raster(d.Raster(i), fmt.Sprintf("True IPD = %d deg", int(snn.Degrees(d.IPD[i]))), xl, yl)
		if err != nil {
			return nil, err
		}
		h.YTicks = ticks
		if ear > 0 {
			h.HLines = []float64{float64(d.NumInputs-ear) - 0.5}
		}
		f.Set(i/cols, i%cols, h)
	}
	return f, nil
}

// LossCurves draws the training and validation loss per epoch (the notebook's two curves from train(),
// here with a legend).
func LossCurves(h snn.History) (*Figure, error) {
	if len(h.TrainLoss) == 0 {
		return nil, fmt.Errorf("plots: LossCurves: the history has no epochs")
	}
	p, err := Lines("", "Epoch (0: the first, as the original draws it)", "Loss (cross-entropy, mean over the epoch's batches)", Series{Name: "Training", Y: h.TrainLoss}, Series{Name: "Validation", Y: h.ValLoss})
	if err != nil {
		return nil, err
	}
	return NewFigure(1, 1, 6.4, 4.8).Set(0, 0, PlotPanel{p}), nil
}

// AccuracyReport draws the notebook's report_accuracy figure for one evaluation: on the left the
// histograms of true and estimated IPD (12 bins over -90..90 degrees, legend, title label), on the right
// the confusion matrix normalised per true class, true IPD on x and estimated IPD on y, extent -90..90
// degrees, origin lower, with a colour bar.
func AccuracyReport(ev *snn.Evaluation, label string) (*Figure, error) {
	C := len(ev.Confusion)
	if C == 0 || len(ev.IPDTrue) == 0 {
		return nil, fmt.Errorf("plots: AccuracyReport: empty evaluation")
	}
	deg := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = snn.Degrees(x)
		}
		return out
	}
	title := fmt.Sprintf("%s: true and estimated IPD, accuracy %.1f%%\n(%d samples; the bars overlap where the colours mix)", label, 100*ev.Accuracy, len(ev.IPDTrue))
	hist, err := Histograms(title, "IPD (deg)", C, -90, 90, Hist{"True", deg(ev.IPDTrue)}, Hist{"Estimated", deg(ev.IPDEst)})
	if err != nil {
		return nil, err
	}
	hist.Y.Tick.Marker = plot.ConstantTicks(nil) // plt.yticks([])
	hist.Y.Label.Text = "Samples per bin (no ticks, as the original)"
	cm := NewHeatmap(ev.NormalisedConfusion(), "Confusion matrix (each true IPD's column sums to 1)", "True IPD (deg)", "Estimated IPD (deg)")
	cm.ColorBarLabel = "fraction of the true class"
	cm.Extent = &[4]float64{-90, 90, -90, 90}
	// Labels every 30 degrees and a minor tick every 15, the classes' edges.
	var edges []plot.Tick
	for d := -90; d <= 90; d += 15 {
		t := plot.Tick{Value: float64(d)}
		if d%30 == 0 {
			t.Label = fmt.Sprint(d)
		}
		edges = append(edges, t)
	}
	cm.XTicks, cm.YTicks = edges, edges
	hist.X.Tick.Marker = plot.ConstantTicks(edges)
	cm.OriginLower, cm.ColorBar, cm.Square = true, true, true // aspect='equal', as the original
	cm.ColorMap = Viridis(0, 1)
	return NewFigure(1, 2, 10, 4).Set(0, 0, PlotPanel{hist}).Set(0, 1, cm), nil
}

// binaryImage returns 1 where keep(v) holds, else 0.
func binaryImage(w snn.Matrix, keep func(float32) bool) [][]float64 {
	out := make([][]float64, w.Rows)
	for r := range out {
		out[r] = make([]float64, w.Cols)
		for c := range out[r] {
			if keep(w.At(r, c)) {
				out[r][c] = 1
			}
		}
	}
	return out
}

// WeightSigns reproduces the notebook's "Before learning" / "After learning" images of w > 0 for the
// input layer (neuron index on y, hidden index on x; yellow = 1, purple = 0), as the notebook draws
// them: "Before" is imshow(w1 > 0) of the raw parameter after training (the notebook's w1 was updated
// in place by the optimiser) and "After" is imshow(w1_trained > 0) of the effective weights, which is
// the Dale mask. See probe.SignImage for a caption and SignedWeights for the honest view.
func WeightSigns(m *snn.Model) (*Figure, error) {
	pos := func(v float32) bool { return v > 0 }
	// The original's titles and labels, with what each panel draws, the colours' key and the ears.
	ylabel := fmt.Sprintf("Neuron index (line: right ear from %d)", m.Config.ANFPerEar)
	before := NewHeatmap(binaryImage(m.W1, pos), "The notebook's \"Before learning\":\nit draws the raw w1 after training\nyellow: w > 0, purple: w <= 0",
		"Hidden layer index", ylabel)
	after := NewHeatmap(binaryImage(m.EffectiveW1(), pos), "The notebook's \"After learning\":\nthe effective w1 (the Dale mask)\nyellow: w > 0, purple: w <= 0",
		"Hidden layer index", ylabel)
	before.ColorMap, after.ColorMap = Viridis(0, 1), Viridis(0, 1)
	// Ticks every 50 inputs (row i sits at y = rows-1-i) and a line where the right ear's inputs begin.
	rows, ear := m.W1.Rows, m.Config.ANFPerEar
	var ticks []plot.Tick
	for i := 0; i < rows; i += 50 {
		ticks = append(ticks, plot.Tick{Value: float64(rows - 1 - i), Label: fmt.Sprint(i)})
	}
	for _, h := range []*Heatmap{before, after} {
		h.YTicks = ticks
		if ear > 0 && ear < rows {
			h.HLines = []float64{float64(rows-ear) - 0.5}
		}
	}
	return NewFigure(1, 2, 6.4, 4.8).Set(0, 0, before).Set(0, 1, after), nil
}

// SignedWeights is the honest view of the input weights: the effective signed weights |w|*sign of the
// initial and of the trained model, each on its own diverging colour scale centred at 0 (blue inhibitory,
// red excitatory, grey 0) whose limit (the panel's largest |w|) its title states: trained weights are many
// times the initial ones, and one shared scale would draw the initial panel uniformly grey. Rows are grouped
// by sign (inhibitory first) and marked I / E, with a colour bar each.
//
// Where Dale's law does not constrain the input layer (hidden-only and unconstrained networks) its mask
// says nothing about the weights' signs: the rows are drawn in input order, ungrouped, and the axis says so.
func SignedWeights(m *snn.Model) (*Figure, error) {
	order := append(m.Mask1.Inhibitory(), m.Mask1.Excitatory()...)
	nInh := len(m.Mask1.Inhibitory())
	ylabel := "Input neuron (grouped by sign)"
	if m.Pop == nil && !m.Config.DaleOnInput() {
		order, nInh, ylabel = make([]int, m.W1.Rows), -1, "Input neuron (input layer unconstrained)"
		for i := range order {
			order[i] = i
		}
	}
	initEff, trained := m.InitialEffectiveW1(), m.EffectiveW1()
	rows := len(order)
	grouped := func(w snn.Matrix) [][]float64 {
		out := make([][]float64, rows)
		for i, r := range order {
			out[i] = make([]float64, w.Cols)
			for c := range out[i] {
				out[i][c] = float64(w.At(r, c))
			}
		}
		return out
	}
	// Rows are drawn top-down; in axis units row i sits at y = rows-1-i.
	var ticks []plot.Tick
	var lines []float64
	if nInh > 0 {
		ticks = append(ticks, plot.Tick{Value: float64(rows-1) - float64(nInh-1)/2, Label: fmt.Sprintf("I (%d)", nInh)})
	}
	if nInh >= 0 && nInh < rows {
		ticks = append(ticks, plot.Tick{Value: float64(rows-1) - (float64(nInh)+float64(rows-1))/2, Label: fmt.Sprintf("E (%d)", rows-nInh)})
	}
	for i := 0; nInh < 0 && i < rows; i += 50 {
		ticks = append(ticks, plot.Tick{Value: float64(rows - 1 - i), Label: fmt.Sprint(i)})
	}
	if nInh > 0 && nInh < rows {
		lines = append(lines, float64(rows-nInh)-0.5)
	}
	f := NewFigure(1, 2, 9, 5)
	for i, p := range []struct {
		title string
		w     snn.Matrix
	}{{"Effective weights, initial", initEff}, {"Effective weights, trained", trained}} {
		limit := maxAbs(p.w)
		h := NewHeatmap(grouped(p.w), fmt.Sprintf("%s (scale ±%.2g)", p.title, limit), "Hidden layer index", ylabel)
		h.ColorMap, h.ColorBar, h.YTicks, h.HLines = Diverging(limit), true, ticks, lines
		h.ColorBarLabel = "effective weight"
		f.Set(0, i, h)
	}
	return f, nil
}

// effectiveWeightText says what SignedWeights draws for a network of cfg (snn.Model.EffectiveW1), for a
// caption: under Dale's law on the input layer f(w) times the input's sign with the rule's f
// (snn.SignFormula); an unconstrained input layer's raw weights; for E/I populations the net weight
// f(W_EE) - f(W_IE) f(W_EI) onto each excitatory unit (every input excitatory, the net of either sign), the
// linear part of it where the inhibitory units have a state of their own, or the numerator's weights with
// shunting inhibition.
func effectiveWeightText(cfg snn.Config) string {
	f := snn.SignFormula(cfg.SignParam)
	switch {
	case cfg.Architecture == snn.ArchPopulations && cfg.Inhibition == snn.InhibitionShunting:
		return fmt.Sprintf("effective weight: the numerator's f(W_EE) - f(W_IE) f(W_EI), which the network divides by each step's shunting term; f(w) = %s", f)
	case cfg.Architecture == snn.ArchPopulations && cfg.InhibitoryUnits != "" && cfg.InhibitoryUnits != snn.InhibitoryLinear:
		return fmt.Sprintf("effective weight: the linear part f(W_EE) - f(W_IE) f(W_EI), which the network does not apply as one matrix (its %s inhibitory units have a state); f(w) = %s", cfg.InhibitoryUnits, f)
	case cfg.Architecture == snn.ArchPopulations:
		return fmt.Sprintf("effective weight: the net f(W_EE) - f(W_IE) f(W_EI) onto each excitatory unit (every input is excitatory; the net has either sign); f(w) = %s", f)
	case !cfg.DaleOnInput():
		return "effective weight: the raw weight w (the input layer has no sign constraint)"
	}
	return fmt.Sprintf("effective weight: f(w) times the input's sign, f(w) = %s", f)
}

// maxAbs is the largest |w| of a matrix (1 for an all-zero one, so that a scale exists).
func maxAbs(w snn.Matrix) float64 {
	limit := 0.0
	for _, v := range w.Data {
		limit = math.Max(limit, math.Abs(float64(v)))
	}
	if limit == 0 {
		return 1
	}
	return limit
}

// AblationMask draws the notebook's imshow(w1_trained_new == 0) for an ablated model: 1 (yellow) where
// the effective input weight is exactly zero, with the key in the title and input rows ticked every 50.
func AblationMask(m *snn.Model) (*Figure, error) {
	zero := binaryImage(m.EffectiveW1(), func(v float32) bool { return v == 0 })
	h := NewHeatmap(zero, fmt.Sprintf("Input weights after the cut: %s\nyellow: exactly 0, purple: not 0", zeroRows(zero)),
		"Hidden layer index", "Input neuron index")
	h.ColorMap = Viridis(0, 1)
	rows := m.W1.Rows
	for i := 0; i < rows; i += 50 {
		h.YTicks = append(h.YTicks, plot.Tick{Value: float64(rows - 1 - i), Label: fmt.Sprint(i)})
	}
	return NewFigure(1, 1, 4, 4.8).Set(0, 0, h), nil
}

// zeroRows says which rows of a 0/1 image are 1 throughout: "rows 0-39 (40)" when they are one block,
// else their number.
func zeroRows(img [][]float64) string {
	var rows []int
	for r, row := range img {
		all := len(row) > 0
		for _, v := range row {
			all = all && v == 1
		}
		if all {
			rows = append(rows, r)
		}
	}
	switch {
	case len(rows) == 0:
		return "no whole row"
	case rows[len(rows)-1]-rows[0] == len(rows)-1:
		return fmt.Sprintf("rows %d-%d (%d)", rows[0], rows[len(rows)-1], len(rows))
	}
	return fmt.Sprintf("%d whole rows", len(rows))
}

// AblationGroup is the test accuracy (fraction) of one condition over one or more seeds.
type AblationGroup struct {
	Label      string
	Accuracies []float64
}

// AblationBars draws test accuracy (%) per condition, e.g. the unablated model, the notebook's cut and
// its matched controls, with a dashed chance line; with several seeds per condition the bar is the mean
// and the error bar +-1 standard deviation over seeds.
func AblationBars(groups []AblationGroup, numClasses int) (*Figure, error) {
	return AccuracyBars("Test accuracy after ablation", groups, numClasses, false)
}

// AblationBarsCI is AblationBars with 95% confidence intervals of the mean (Student's t) as error bars.
func AblationBarsCI(groups []AblationGroup, numClasses int) (*Figure, error) {
	return AccuracyBars("Test accuracy after ablation", groups, numClasses, true)
}

// accuracyBars returns the bars AccuracyBars draws: per group the mean accuracy in % and the half-width
// of its error bar (1 SD over seeds, or with ci the 95% confidence interval of the mean; 0 for one seed),
// and whether any group has several seeds.
func accuracyBars(groups []AblationGroup, ci bool) (bars []Bar, multi bool, err error) {
	bars = make([]Bar, len(groups))
	for i, g := range groups {
		if len(g.Accuracies) == 0 {
			return nil, false, fmt.Errorf("plots: AblationBars: condition %q has no accuracies", g.Label)
		}
		mean, sd := study.MeanSD(g.Accuracies)
		if ci && len(g.Accuracies) > 1 {
			_, sd = study.MeanCI95(g.Accuracies)
		}
		bars[i] = Bar{Label: g.Label, Value: 100 * mean, Err: 100 * sd}
		if len(g.Accuracies) > 1 {
			for _, a := range g.Accuracies {
				bars[i].Points = append(bars[i].Points, 100*a)
			}
		}
		multi = multi || len(g.Accuracies) > 1
	}
	return bars, multi, nil
}

// AccuracyBars draws test accuracy (%) per condition with a chance line: the mean over seeds with error
// bars of ±1 SD, or with ci of the 95% confidence interval of the mean; the title says which, and over
// how many seeds when every group has as many.
func AccuracyBars(title string, groups []AblationGroup, numClasses int, ci bool) (*Figure, error) {
	bars, multi, err := accuracyBars(groups, ci)
	if err != nil {
		return nil, err
	}
	seeds := ""
	for i, g := range groups {
		if i == 0 {
			seeds = fmt.Sprintf("%d seeds", len(g.Accuracies))
		} else if len(g.Accuracies) != len(groups[0].Accuracies) {
			seeds = "seeds"
		}
	}
	switch {
	case multi && ci:
		title += fmt.Sprintf(" (mean, 95%% CI over %s)", seeds)
	case multi:
		title += fmt.Sprintf(" (mean ± 1 SD over %s)", seeds)
	}
	p, err := BarsWithin(title, "Test accuracy (%)", bars, 100/float64(numClasses), "chance", 0, 100)
	if err != nil {
		return nil, err
	}
	p.Y.Max = max(p.Y.Max, 100) // 0 to 100, or above it where BarsWithin left room for the legend
	return NewFigure(1, 1, 6.4, 4.8).Set(0, 0, PlotPanel{p}), nil
}

// Groups collects, for bar charts, the test accuracy (or, with a metric name, that Extra metric) of every
// run of each named condition at fraction f, one group per name labelled with it, seeds in the order of
// res. A name without runs at f, or a run without the metric, is an error.
func Groups(res []study.RunResult, f float64, metric string, names ...string) ([]AblationGroup, error) {
	var out []AblationGroup
	for _, n := range names {
		g := AblationGroup{Label: n}
		for _, r := range res {
			if r.Condition != n || r.Fraction != f {
				continue
			}
			v := r.TestAccuracy
			if metric != "" {
				var ok bool
				if v, ok = r.Extra[metric]; !ok {
					return nil, fmt.Errorf("plots: run %s fraction %v seed %d has no metric %q", n, f, r.Seed, metric)
				}
			}
			g.Accuracies = append(g.Accuracies, v)
		}
		if len(g.Accuracies) == 0 {
			return nil, fmt.Errorf("plots: no runs of %q at fraction %v", n, f)
		}
		out = append(out, g)
	}
	return out, nil
}
