package snn

import (
	"fmt"
	"math"
	"strings"
)

// Summary describes a model in a few lines, for a notebook: its architecture and sizes, its sign rule,
// how it was trained (epochs, the weights it kept, final losses, numerics) and its effective weights
// (range, and for Dale's law the signs the network applies).
func (m *Model) Summary() string {
	c := m.Config
	var b strings.Builder
	switch {
	case c.Architecture == ArchPopulations:
		fmt.Fprintf(&b, "E/I-population network: %d inputs (all excitatory), %d excitatory and %d %s inhibitory hidden units (%s inhibition), %d classes; ",
			c.NumInputs(), c.NumHidden, c.NumInhibitory, c.InhibitoryUnits, c.Inhibition, c.NumClasses)
	case c.DalesLaw:
		fmt.Fprintf(&b, "ColumnEI network under Dale's law (%s layers, %s mask): %d inputs (%d inhibitory), %d hidden units (%d inhibitory), %d classes; ",
			c.DaleLayers, c.Layout, c.NumInputs(), len(m.Mask1.Inhibitory()), c.NumHidden, len(m.Mask2.Inhibitory()), c.NumClasses)
	default:
		fmt.Fprintf(&b, "Unconstrained network: %d inputs, %d hidden units, %d classes; ", c.NumInputs(), c.NumHidden, c.NumClasses)
	}
	fmt.Fprintf(&b, "%d trainable parameters, sign rule %s, seed %d.\n", c.NumParams(), c.SignParam, c.Seed)
	h := m.History
	if n := len(h.TrainLoss); n > 0 {
		kept := n
		if h.RestoredBest {
			kept = h.BestEpoch + 1
		}
		fmt.Fprintf(&b, "Trained %d of %d epochs (%s, learning rate %g), kept the weights of epoch %d; last training loss %.4f, validation loss %.4f",
			n, c.Epochs, c.Optimizer, c.LearningRate, kept, h.TrainLoss[n-1], h.ValLoss[len(h.ValLoss)-1])
		if len(h.ValAccuracy) > 0 {
			fmt.Fprintf(&b, ", validation accuracy %.1f%%", 100*h.ValAccuracy[len(h.ValAccuracy)-1])
		}
		if c.rateCapOn() {
			fmt.Fprintf(&b, " (the training loss includes the rate cap's penalty, the validation loss does not)")
		}
		if h.Numerics != "" {
			fmt.Fprintf(&b, "; numerics %s", h.Numerics)
		}
		b.WriteString(".\n")
	} else {
		b.WriteString("Untrained.\n")
	}
	for i, w := range []Matrix{m.EffectiveW1(), m.EffectiveW2()} {
		lo, hi, neg, pos := math.Inf(1), math.Inf(-1), 0, 0
		for _, v := range w.Data {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
			if v < 0 {
				neg++
			} else if v > 0 {
				pos++
			}
		}
		fmt.Fprintf(&b, "Effective W%d [%d x %d]: values %.3g to %.3g, %d positive, %d negative, %d zero.\n",
			i+1, w.Rows, w.Cols, lo, hi, pos, neg, len(w.Data)-pos-neg)
	}
	return b.String()
}
