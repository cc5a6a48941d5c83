package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var cycle = []color.Color{Blue, Orange, Green, Red, Purple, Grey}

// Series is a named sequence of y values at x = 0, 1, 2, ... (or at X when set).
type Series struct {
	Name string
	X, Y []float64
	// Style, if above 0, fixes the series' colour and dash pattern as conditionStyle(Style-1), so that a
	// condition looks the same in every figure (tuning curves); 0 takes its position's (the colour cycle).
	Style int
}

// tab10 is matplotlib's ten-colour cycle, which conditionStyle walks.
var tab10 = []color.Color{Blue, Orange, Green, Red, Purple, color.RGBA{0x8c, 0x56, 0x4b, 0xff}, color.RGBA{0xe3, 0x77, 0xc2, 0xff},
	Grey, color.RGBA{0xbc, 0xbd, 0x22, 0xff}, color.RGBA{0x17, 0xbe, 0xcf, 0xff}}

// conditionStyle is style k's colour and dash pattern: tab10's colour k mod 10 with dash pattern k/10 (solid for
// the first ten, then dashed, dotted, dash-dot), so maxStyles styles, each a different pair.
const maxStyles = 40

func conditionStyle(k int) (color.Color, []vg.Length) {
	return tab10[k%len(tab10)], seriesDashes[(k/len(tab10))%len(seriesDashes)]
}

// seriesDashes are the dash patterns of successive series (solid, dashed, dotted, dash-dot): lines that
// coincide stay distinguishable, as colours alone do not when one is drawn over another.
var seriesDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(6), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)}}

// Lines returns a line plot of the series with a legend (matplotlib's colour cycle; each series also has
// its own dash pattern and width, drawn widest first, so a series that hides another still shows it).
// The y axis gets 25% headroom above the data for the legend.
func Lines(title, xlabel, ylabel string, series ...Series) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, ylabel
	for i, s := range series {
		if len(s.Y) == 0 {
			return nil, fmt.Errorf("plots: series %q is empty", s.Name)
		}
		if s.X != nil && len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plots: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
		}
		xy := make(plotter.XYs, len(s.Y))
		for j, y := range s.Y {
			xy[j] = plotter.XY{X: float64(j), Y: y}
			if s.X != nil {
				xy[j].X = s.X[j]
			}
		}
		l, err := seriesLine(xy, i, len(series))
		if err != nil {
			return nil, fmt.Errorf("plots: series %q: %w", s.Name, err)
		}
		if s.Style > 0 {
			l.Color, l.Dashes = conditionStyle(s.Style - 1)
		}
		p.Add(l)
		if s.Name != "" {
			p.Legend.Add(s.Name, l)
		}
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	headroom(p)
	return p, nil
}

// seriesLine is the line of series i of n: its cycle colour, dash pattern, and a width from 3 pt (the
// first, drawn first) down to 1.5 pt (the last).
func seriesLine(xy plotter.XYs, i, n int) (*plotter.Line, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = cycle[i%len(cycle)], vg.Points(1.5+1.5*float64(n-1-i)/float64(max(n-1, 1)))
	l.Dashes = seriesDashes[i%len(seriesDashes)]
	return l, nil
}

// headroom raises the y axis' maximum to leave a quarter of the plot above the data, where the legend
// (at the top) covers nothing.
func headroom(p *plot.Plot) {
	lo, hi := p.Y.Min, p.Y.Max
	if hi > lo {
		p.Y.Max = hi + (hi-lo)/3 // the data fill 3/4 of the axis
	}
}

// Hist is a named set of values for Histograms.
type Hist struct {
	Name   string
	Values []float64
}

// Histograms overlays histograms of the sets on shared bins: n equal bins over [lo, hi] (values outside
// are counted in the edge bins). Later sets are drawn over earlier ones, as repeated plt.hist calls.
func Histograms(title, xlabel string, n int, lo, hi float64, sets ...Hist) (*plot.Plot, error) {
	if n <= 0 || !(hi > lo) {
		return nil, fmt.Errorf("plots: histogram needs n > 0 bins over lo < hi, got %d over [%v, %v]", n, lo, hi)
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text = title, xlabel
	w := (hi - lo) / float64(n)
	for i, s := range sets {
		bins := make([]plotter.HistogramBin, n)
		for b := range bins {
			bins[b] = plotter.HistogramBin{Min: lo + float64(b)*w, Max: lo + float64(b+1)*w}
		}
		for _, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			b := min(max(int(math.Floor((v-lo)/w)), 0), n-1)
			bins[b].Weight++
		}
		fill := cycle[i%len(cycle)]
		if i > 0 { // later sets translucent so that earlier ones stay visible
			r, g, b, _ := fill.RGBA()
			fill = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xb0}
		}
		h := &plotter.Histogram{Bins: bins, Width: w, FillColor: fill,
			LineStyle: draw.LineStyle{Color: cycle[i%len(cycle)], Width: vg.Points(0.5)}}
		p.Add(h)
		if s.Name != "" {
			p.Legend.Add(s.Name, h)
		}
	}
	p.Legend.Top = true
	p.X.Min, p.X.Max = lo, hi
	headroom(p)
	return p, nil
}

// Bar is one bar of Bars: a value with an optional error (half-width of the error bar; 0 draws none).
type Bar struct {
	Label      string
	Value, Err float64
	// Points are the values behind the bar (one per seed), drawn as dots over it; none when empty.
	Points []float64
}

// Bars returns a bar chart with error bars and, when reference is not NaN, a dashed horizontal line at
// reference labelled refLabel (e.g. chance level); each bar's Points are drawn as dots over it.
func Bars(title, ylabel string, bars []Bar, reference float64, refLabel string) (*plot.Plot, error) {
	return BarsWithin(title, ylabel, bars, reference, refLabel, 0, math.Inf(1))
}

// BarsWithin is Bars for values that cannot leave [lo, hi] (accuracies in %: 0 to 100): an error bar
// that would leave it is cut at the limit, and the cut end is marked with a triangle (legend: "interval
// clipped at the axis").
func BarsWithin(title, ylabel string, bars []Bar, reference float64, refLabel string, lo, hi float64) (*plot.Plot, error) {
	if len(bars) == 0 {
		return nil, fmt.Errorf("plots: bar chart %q has no bars", title)
	}
	p := plot.New()
	p.Title.Text, p.Y.Label.Text = title, ylabel
	p.Add(plotter.NewGrid())
	vals := make(plotter.Values, len(bars))
	labels := make([]string, len(bars))
	for i, b := range bars {
		vals[i], labels[i] = b.Value, b.Label
	}
	errs, clipped := barErrors(bars, lo, hi)
	bc, err := plotter.NewBarChart(vals, vg.Points(28))
	if err != nil {
		return nil, fmt.Errorf("plots: bar chart %q: %w", title, err)
	}
	bc.Color, bc.LineStyle.Width = Blue, 0
	p.Add(bc)
	if errs.any() {
		eb, err := plotter.NewYErrorBars(errs)
		if err != nil {
			return nil, err
		}
		eb.LineStyle.Width = vg.Points(1.2)
		p.Add(eb)
	}
	if dots := barPoints(bars); len(dots) > 0 {
		sc, err := plotter.NewScatter(dots)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Shape, sc.GlyphStyle.Radius, sc.GlyphStyle.Color = draw.CircleGlyph{}, vg.Points(2), color.Black
		if manyPoints(bars) { // smaller and translucent, so that the bar and its interval show through
			sc.GlyphStyle.Radius, sc.GlyphStyle.Color = vg.Points(1.2), color.NRGBA{0, 0, 0, 0x60}
		}
		p.Add(sc)
		p.Legend.Add("one seed", sc)
	}
	if len(clipped) > 0 {
		sc, err := clipMarks(clipped, Red)
		if err != nil {
			return nil, err
		}
		p.Add(sc)
		p.Legend.Add("interval clipped at the axis", sc)
	}
	if !math.IsNaN(reference) {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: reference}, {X: float64(len(bars)) - 0.5, Y: reference}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Dashes, l.Width = Red, []vg.Length{vg.Points(4), vg.Points(3)}, vg.Points(1.2)
		p.Add(l)
		p.Legend.Add(refLabel, l)
	}
	p.Legend.Top = true
	p.NominalX(labels...)
	p.Y.Min = lo
	legendRoom(p, bars, lo, hi)
	slantLabels(p, labels)
	return p, nil
}

// legendRoom gives a bar chart bounded above by hi room for its legend (top right) where the data reach the
// top quarter of [lo, hi]: the axis runs to hi plus a quarter of the span, ticked only up to hi, so the legend
// sits above the highest possible value instead of on the bars, intervals or dots.
func legendRoom(p *plot.Plot, bars []Bar, lo, hi float64) {
	if math.IsInf(hi, 0) || math.IsNaN(hi) || math.IsInf(lo, 0) || hi <= lo {
		return
	}
	top := math.Inf(-1)
	for _, b := range bars {
		top = max(top, min(hi, b.Value+b.Err))
		for _, v := range b.Points {
			top = max(top, v)
		}
	}
	if top <= lo+0.75*(hi-lo) {
		return
	}
	p.Y.Max = hi + (hi-lo)/4
	p.Y.Tick.Marker = cappedTicks{p.Y.Tick.Marker, hi}
}

// cappedTicks are the ticks Ticker gives the axis cut at Max (those of the values' own range), at or below it.
type cappedTicks struct {
	plot.Ticker
	Max float64
}

func (c cappedTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range c.Ticker.Ticks(min, math.Min(max, c.Max)) {
		if t.Value <= c.Max+1e-9*math.Max(1, math.Abs(c.Max)) {
			out = append(out, t)
		}
	}
	return out
}

// barErrors returns the error bars of bars cut to [lo, hi], and the cut ends (x, limit).
func barErrors(bars []Bar, lo, hi float64) (errorPoints, plotter.XYs) {
	errs := make(errorPoints, len(bars))
	var clipped plotter.XYs
	for i, b := range bars {
		down, up := b.Err, b.Err
		if b.Err > 0 && b.Value-down < lo {
			down = b.Value - lo
			clipped = append(clipped, plotter.XY{X: float64(i), Y: lo})
		}
		if b.Err > 0 && b.Value+up > hi {
			up = hi - b.Value
			clipped = append(clipped, plotter.XY{X: float64(i), Y: hi})
		}
		errs[i] = errorPoint{x: float64(i), y: b.Value, err: b.Err, down: down, up: up}
	}
	return errs, clipped
}

// clipMarks marks the cut ends of error bars (barErrors) with triangles of colour col.
func clipMarks(cut plotter.XYs, col color.Color) (*plotter.Scatter, error) {
	sc, err := plotter.NewScatter(cut)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Shape, sc.GlyphStyle.Radius, sc.GlyphStyle.Color = draw.TriangleGlyph{}, vg.Points(4), col
	return sc, nil
}

// barPoints places each bar's Points over it, spread evenly across the middle half of the bar.
func barPoints(bars []Bar) plotter.XYs {
	var out plotter.XYs
	for i, b := range bars {
		n := len(b.Points)
		for j, v := range b.Points {
			dx := 0.0
			if n > 1 {
				dx = -0.15 + 0.3*float64(j)/float64(n-1)
			}
			out = append(out, plotter.XY{X: float64(i) + dx, Y: v})
		}
	}
	return out
}

// manyPoints reports whether some bar has more than 30 points (seeds), which full-size dots would bury.
func manyPoints(bars []Bar) bool {
	return slices.ContainsFunc(bars, func(b Bar) bool { return len(b.Points) > 30 })
}

// slantLabels turns the x tick labels of a bar chart by 30 degrees when they would not fit side by side
// (more than 6 bars, or any label longer than 10 characters with more than 4 bars), so that they never
// overlap.
func slantLabels(p *plot.Plot, labels []string) {
	long := false
	for _, l := range labels {
		long = long || len(l) > 10
	}
	if len(labels) > 6 || long && len(labels) > 4 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
}

// errorPoint is an error bar of half-width err around y, drawn from y-down to y+up (down and up are err
// unless cut at an axis limit).
type errorPoint struct{ x, y, err, down, up float64 }
type errorPoints []errorPoint

func (e errorPoints) Len() int                        { return len(e) }
func (e errorPoints) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e errorPoints) YError(i int) (float64, float64) { return e[i].down, e[i].up }
func (e errorPoints) any() bool {
	for _, p := range e {
		if p.err > 0 {
			return true
		}
	}
	return false
}

// Raster returns a spike raster as a Panel: raster is [time][neuron] 0/1 (snn.Dataset.Raster), drawn
// as the notebook's imshow(spikes.T, cmap=gray_r): time on x, neuron index on y (0 at the top), spikes
// black.
func Raster(raster [][]float64, title, xlabel, ylabel string) (*Heatmap, error) {
	if len(raster) == 0 || len(raster[0]) == 0 {
		return nil, fmt.Errorf("plots: raster %q is empty", title)
	}
	T, N := len(raster), len(raster[0])
	data := make([][]float64, N)
	for i := range data {
		data[i] = make([]float64, T)
		for t := 0; t < T; t++ {
			if len(raster[t]) != N {
				return nil, fmt.Errorf("plots: raster %q step %d has %d neurons, step 0 has %d", title, t, len(raster[t]), N)
			}
			data[i][t] = raster[t][i]
		}
	}
	h := NewHeatmap(data, title, xlabel, ylabel)
	h.ColorMap = GrayR(0, 1)
	return h, nil
}
