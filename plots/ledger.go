package plots

import (
	"fmt"
	"slices"
	"sort"

	"github.com/snn-dales/dales/snn"
)

// LedgerFigure draws, per epoch and per sign parametrisation (map key), the input-layer weights that are
// exactly 0, those with 0 < |w| < 1e-4, and the raw parameters on the other side of 0 than at
// initialisation, w > 0 then and not now or the reverse (snn.WeightLedger.Flipped: under clip, whose
// weights start > 0 and cannot go below 0, these are the weights held at 0), one panel each.
func LedgerFigure(histories map[string]snn.History) (*Figure, error) {
	panels, err := ledgerPanels(histories)
	if err != nil {
		return nil, err
	}
	f := NewFigure(1, 3, 12, 3.8)
	for k, panel := range panels {
		p, err := Lines(panel.title, "Epoch", "Input weights", panel.series...)
		if err != nil {
			return nil, err
		}
		f.Set(0, k, PlotPanel{p})
	}
	return f, nil
}

// ledgerPanel is one panel of LedgerFigure: its title and one line per history (the input layer's count
// at each epoch).
type ledgerPanel struct {
	title  string
	series []Series
}

// ledgerPanels returns the panels LedgerFigure draws, histories in name order; a line at 0 at every epoch is
// named with " (0 throughout)", since lines there hide each other.
func ledgerPanels(histories map[string]snn.History) ([]ledgerPanel, error) {
	if len(histories) == 0 {
		return nil, fmt.Errorf("plots: LedgerFigure: no histories")
	}
	names := make([]string, 0, len(histories))
	for n := range histories {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []ledgerPanel
	for _, panel := range []struct {
		title string
		get   func(snn.WeightLedger) int
	}{
		{"Effective weights exactly 0", func(l snn.WeightLedger) int { return l.Zero }},
		{"Effective weights 0 < |w| < 1e-4", func(l snn.WeightLedger) int { return l.Tiny }},
		{"Raw weights off their initial side of 0\n(w > 0 then and not now, or the reverse;\na weight now exactly 0 counts)", func(l snn.WeightLedger) int { return l.Flipped }},
	} {
		lp := ledgerPanel{title: panel.title}
		for _, n := range names {
			h := histories[n]
			if len(h.Ledger) == 0 {
				return nil, fmt.Errorf("plots: LedgerFigure: %q has no ledger", n)
			}
			y := make([]float64, len(h.Ledger))
			x := make([]float64, len(h.Ledger))
			for e, l := range h.Ledger {
				x[e], y[e] = float64(e+1), float64(panel.get(l.W1))
			}
			name := n
			if !slices.ContainsFunc(y, func(v float64) bool { return v != 0 }) {
				name += " (0 throughout)" // drawn under the others at 0, where it cannot be seen
			}
			lp.series = append(lp.series, Series{Name: name, X: x, Y: y})
		}
		out = append(out, lp)
	}
	return out, nil
}
