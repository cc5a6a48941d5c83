package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/snn-dales/dales/snn/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PhasePanel is one panel of PhaseCurves: a network's curves (study.PhaseCurves) under a title. Absolute
// marks curves of networks trained with an offset per sample (study.PhaseCurvesPerSample): their x axis is
// the offset itself, and their test sets, with an offset per sample, have no place on it.
type PhasePanel struct {
	Title    string
	Curves   []study.PhaseCurve
	Absolute bool
	// Partner, if set, are the same networks trained with an offset per sample, measured at the offsets of
	// Curves (study.PhasePartnerCurves): each a thin green line, their mean dashed.
	Partner []study.PhaseCurve
	// Zoom sets the y axis from the data instead of 0 to 100: one range for every zoomed panel of the figure,
	// so that they compare (phaseZoom); the chance line is drawn only where it falls inside.
	Zoom bool
}

// PhaseCurves draws each panel's networks' test-style accuracy (%) on fresh samples at phase offsets 0,
// 30, ..., 330 degrees of the carrier after their training set's (the point at 360 repeats 0, closing the
// cycle): one thin line per network, their mean as a thick line, the partners' mean dashed (PhasePanel.Partner),
// each network's own test set as a dot at its shift, joined by a short vertical line to that network's
// own curve there (testLinks), and chance (1/numClasses) dashed. Panels fill cols
// columns, row by row.
func PhaseCurves(title string, panels []PhasePanel, cols, numClasses int) (*Figure, error) {
	if len(panels) == 0 || cols <= 0 {
		return nil, fmt.Errorf("plots: PhaseCurves: %d panels in %d columns", len(panels), cols)
	}
	if numClasses < 2 {
		return nil, fmt.Errorf("plots: PhaseCurves: %d classes, want at least 2", numClasses)
	}
	rows := (len(panels) + cols - 1) / cols
	f := NewFigure(rows, min(cols, len(panels)), 5.2*float64(min(cols, len(panels))), 4.2*float64(rows))
	f.Title = title
	chance := 100 / float64(numClasses)
	// The zoomed panels' common range, from all their data.
	zlo, zhi, zoomed := 100.0, 0.0, false
	for _, pn := range panels {
		if len(pn.Curves) == 0 {
			return nil, fmt.Errorf("plots: PhaseCurves: panel %q has no networks", pn.Title)
		}
		n := len(pn.Curves[0].Accuracy)
		for j, c := range append(slices.Clone(pn.Curves), pn.Partner...) {
			if len(c.Accuracy) != n {
				return nil, fmt.Errorf("plots: PhaseCurves: panel %q: network %d has %d offsets, network 0 %d", pn.Title, j, len(c.Accuracy), n)
			}
			if !pn.Zoom {
				continue
			}
			zoomed = true
			zlo, zhi = min(zlo, 100*slices.Min(c.Accuracy)), max(zhi, 100*slices.Max(c.Accuracy))
			if !math.IsNaN(c.TestShift) {
				zlo, zhi = min(zlo, 100*c.TestAccuracy), max(zhi, 100*c.TestAccuracy)
			}
		}
	}
	var zoom phaseRange
	if zoomed {
		zoom = phaseZoom(zlo, zhi)
	}
	for i, pn := range panels {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s (%d networks)", pn.Title, len(pn.Curves))
		if len(pn.Curves) == 1 {
			p.Title.Text = pn.Title + " (1 network)"
		}
		p.X.Label.Text, p.Y.Label.Text = "Phase offset after the training set's (degrees of the carrier)", "Accuracy (%)"
		if pn.Absolute {
			p.X.Label.Text = "Phase offset (degrees of the carrier; trained with an offset per sample)"
		}
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 360, 0, 100
		p.X.Tick.Marker, p.Y.Tick.Marker = stepTicks{60}, stepTicks{20}
		if pn.Zoom {
			p.Y.Min, p.Y.Max = zoom.min, zoom.max
			p.Y.Tick.Marker = stepTicks{10}
		}
		p.Add(plotter.NewGrid())
		first, mean, err := addPhaseCurves(p, pn.Curves, color.NRGBA{0x55, 0x55, 0x55, 0x90}, Blue, nil)
		if err != nil {
			return nil, err
		}
		p.Legend.Add("one network", first)
		p.Legend.Add("mean", mean)
		if len(pn.Partner) > 0 {
			_, pm, err := addPhaseCurves(p, pn.Partner, color.NRGBA{0x2c, 0xa0, 0x2c, 0x50}, Green, []vg.Length{vg.Points(6), vg.Points(3)})
			if err != nil {
				return nil, err
			}
			p.Legend.Add(fmt.Sprintf("trained with an offset per sample (%d; thin: each)", len(pn.Partner)), pm)
		}
		var tests plotter.XYs
		for _, link := range testLinks(pn.Curves) {
			l, err := plotter.NewLine(link)
			if err != nil {
				return nil, err
			}
			l.Color, l.Width = Orange, vg.Points(0.8)
			p.Add(l)
			tests = append(tests, link[1])
		}
		if len(tests) > 0 {
			s, err := plotter.NewScatter(tests)
			if err != nil {
				return nil, err
			}
			s.Color, s.Radius, s.Shape = Orange, vg.Points(3), draw.CircleGlyph{}
			p.Add(s)
			p.Legend.Add("its test set, at its offset (joined to its line)", s)
		}
		if chance >= p.Y.Min && chance <= p.Y.Max {
			c, err := plotter.NewLine(plotter.XYs{{X: 0, Y: chance}, {X: 360, Y: chance}})
			if err != nil {
				return nil, err
			}
			c.Color, c.Width, c.Dashes = Grey, vg.Points(1), []vg.Length{vg.Points(1.5), vg.Points(2.5)}
			p.Add(c)
			p.Legend.Add(fmt.Sprintf("chance (%.1f%%)", chance), c)
		}
		p.Legend.Top, p.Legend.Left = false, false
		p.Legend.YOffs = vg.Points(26) // above the chance line
		// Zoomed, the legend takes the room phaseZoom left under the data, or above it.
		if pn.Zoom {
			p.Legend.Top, p.Legend.YOffs = zoom.legendTop, 0
		}
		f.Set(i/cols, i%cols, PlotPanel{p})
	}
	return f, nil
}

// addPhaseCurves draws each curve (accuracy in %, at 360 k/n degrees, the cycle closed at 360) as a thin line
// of colour thin, and their mean as a thick line of colour mean with dashes (nil: solid); it returns the first
// thin line and the mean's line, for a legend.
func addPhaseCurves(p *plot.Plot, curves []study.PhaseCurve, thin, mean color.Color, dashes []vg.Length) (first, avg *plotter.Line, err error) {
	n := len(curves[0].Accuracy)
	m := make(plotter.XYs, n+1)
	for j, c := range curves {
		xy := make(plotter.XYs, n+1)
		for k := 0; k <= n; k++ {
			xy[k] = plotter.XY{X: 360 * float64(k) / float64(n), Y: 100 * c.Accuracy[k%n]}
			m[k].X, m[k].Y = xy[k].X, m[k].Y+xy[k].Y/float64(len(curves))
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, nil, err
		}
		l.Color, l.Width = thin, vg.Points(0.6)
		p.Add(l)
		if j == 0 {
			first = l
		}
	}
	if avg, err = plotter.NewLine(m); err != nil {
		return nil, nil, err
	}
	avg.Color, avg.Width, avg.Dashes = mean, vg.Points(2.5), dashes
	p.Add(avg)
	return first, avg, nil
}

// testLinks returns, for each curve with a test shift (in cycles, [0, 1)), the vertical segment from its
// own curve at that offset to its test set's accuracy, in the figure's units (degrees, %): point 0 on the
// curve, point 1 the test-set dot. The curve between two measured offsets is the straight line drawn
// between them (linear in the offset; the cycle closes from the last offset back to the first at 360).
func testLinks(curves []study.PhaseCurve) []plotter.XYs {
	var links []plotter.XYs
	for _, c := range curves {
		n := len(c.Accuracy)
		if math.IsNaN(c.TestShift) || n == 0 {
			continue
		}
		pos := c.TestShift * float64(n) // in offsets' units
		k := int(math.Floor(pos))
		frac := pos - float64(k)
		a, b := c.Accuracy[((k%n)+n)%n], c.Accuracy[((k+1)%n+n)%n]
		x := 360 * c.TestShift
		links = append(links, plotter.XYs{{X: x, Y: 100 * (a + frac*(b-a))}, {X: x, Y: 100 * c.TestAccuracy}})
	}
	return links
}

// phaseRange is a zoomed y axis (%) and where its legend goes.
type phaseRange struct {
	min, max  float64
	legendTop bool
}

// phaseZoom returns the y axis for data from lo to hi (%): 5 points of room on one side and, on the other,
// room for the legend, a third of the data's span (at least 15 points), all rounded out to 10. The legend
// goes under the data where that stays at or above 0, else above it where that stays at or below 100, else
// the axis is 0 to 100 with the legend at the bottom.
func phaseZoom(lo, hi float64) phaseRange {
	pad := max(15, (hi-lo+5)/3)
	switch {
	case lo-pad >= 0:
		return phaseRange{min: 10 * math.Floor((lo-pad)/10), max: min(100, 10*math.Ceil((hi+5)/10))}
	case hi+pad <= 100:
		return phaseRange{min: max(0, 10*math.Floor((lo-5)/10)), max: 10 * math.Ceil((hi+pad)/10), legendTop: true}
	}
	return phaseRange{min: 0, max: 100}
}
