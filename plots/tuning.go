package plots

import (
	"fmt"
	"image/color"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// TuningFigure draws tuning curves (mean response against IPD, bins over -90..90 degrees) of the hidden
// units, red for excitatory and blue for inhibitory ones (by the hidden-layer mask), beside those of the
// readout units (one line per class, coloured along viridis from the first class, -90 deg, to the last).
func TuningFigure(m *snn.Model, r *snn.Responses, bins int) (*Figure, error) {
	centres, hidden, err := probe.TuningCurves(r.IPD, r.Hidden, bins)
	if err != nil {
		return nil, err
	}
	_, readout, err := probe.TuningCurves(r.IPD, r.Readout, bins)
	if err != nil {
		return nil, err
	}
	if len(hidden) != len(m.Mask2.Signs) {
		return nil, fmt.Errorf("plots: TuningFigure: %d hidden units, the mask has %d", len(hidden), len(m.Mask2.Signs))
	}
	// r.Hidden counts each unit's spikes in one trial (the stimulus's Duration).
	left, err := Lines("Hidden units (red E, blue I)", "IPD (deg)",
		fmt.Sprintf("Mean spikes per trial (%g ms)", m.Config.Duration/snn.Millisecond))
	if err != nil {
		return nil, err
	}
	left.Add(plotter.NewGrid())
	var exc, inh *plotter.Line
	for u, curve := range hidden {
		l, err := plotter.NewLine(curveXY(centres, curve))
		if err != nil {
			return nil, err
		}
		col := color.Color(Red)
		if m.Mask2.Signs[u] < 0 && m.Config.DaleOnHidden() {
			col = Blue
			inh = l
		} else {
			exc = l
		}
		l.Color, l.Width = col, vg.Points(1)
		left.Add(l)
	}
	if exc != nil {
		left.Legend.Add("excitatory", exc)
	}
	if inh != nil {
		left.Legend.Add("inhibitory", inh)
	}
	headroom(left)
	right, err := Lines("Readout units (colour: class, dark -90 to yellow +90 deg)", "IPD (deg)", "Mean readout (sum over time)")
	if err != nil {
		return nil, err
	}
	right.Add(plotter.NewGrid())
	shade := Viridis(0, float64(max(len(readout)-1, 1)))
	for c, curve := range readout {
		l, err := plotter.NewLine(curveXY(centres, curve))
		if err != nil {
			return nil, err
		}
		col, err := shade.At(float64(c))
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = col, vg.Points(1.2)
		right.Add(l)
	}
	return NewFigure(1, 2, 10, 4).Set(0, 0, PlotPanel{left}).Set(0, 1, PlotPanel{right}), nil
}

func curveXY(x, y []float64) plotter.XYs {
	xy := make(plotter.XYs, 0, len(x))
	for i := range x {
		if y[i] == y[i] { // skip empty (NaN) bins
			xy = append(xy, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	return xy
}
