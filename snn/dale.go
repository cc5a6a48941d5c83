package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Mask holds the Dale's-law sign of each presynaptic unit of a layer: -1 inhibitory, +1 excitatory.
// Row r of a weight matrix [pre, post] is multiplied by Signs[r].
type Mask struct {
	Signs  []float32
	Layout MaskLayout
}

// NumInhibitory returns how many of n units are inhibitory at the given fraction: the length of the
// notebook's torch.arange(ie_ratio*nb_inputs, dtype=int), which truncates the float64 product to an integer
// (measured with Debian's PyTorch 1.13.1: 7.5 and 4.5 give 7 and 4 entries). Go's float64 product is
// Python's, so the count is the same for every fraction. Where fraction*n is a whole number, as in every configuration the notebooks run (100, 15, 40, 6
// units; every tenth of 200 and 30), truncating and rounding up agree; elsewhere the notebook's rule gives
// fewer, e.g. 7 of 30 at fraction 0.25, and a product just under a whole number in float64 (0.58*50 is
// 28.999999999999996) gives one fewer than the decimal fraction suggests.
func NumInhibitory(n int, fraction float64) int {
	return int(math.Trunc(fraction * float64(n)))
}

// NewMask returns the signs of n presynaptic units with NumInhibitory(n, fraction) of them inhibitory. MaskBlocked
// puts them first (rows 0..k-1, as the notebook); MaskRandom chooses them uniformly with rng.
func NewMask(n int, fraction float64, layout MaskLayout, rng *rand.Rand) (Mask, error) {
	if n <= 0 {
		return Mask{}, fmt.Errorf("snn: NewMask: number of units %d must be > 0", n)
	}
	if math.IsNaN(fraction) || fraction < 0 || fraction > 1 {
		return Mask{}, fmt.Errorf("snn: NewMask: inhibitory fraction %v must be in [0, 1]", fraction)
	}
	k := NumInhibitory(n, fraction)
	signs := make([]float32, n)
	for i := range signs {
		signs[i] = 1
	}
	switch layout {
	case MaskBlocked:
		for i := 0; i < k; i++ {
			signs[i] = -1
		}
	case MaskRandom:
		if rng == nil {
			return Mask{}, fmt.Errorf("snn: NewMask: layout %q needs a random source, got nil", layout)
		}
		for _, i := range rng.Perm(n)[:k] {
			signs[i] = -1
		}
	default:
		return Mask{}, fmt.Errorf("snn: NewMask: layout %q is unknown: want %q or %q", layout, MaskBlocked, MaskRandom)
	}
	return Mask{Signs: signs, Layout: layout}, nil
}

// Inhibitory returns the indices of the inhibitory units, ascending.
func (m Mask) Inhibitory() []int { return m.indices(-1) }

// Excitatory returns the indices of the excitatory units, ascending.
func (m Mask) Excitatory() []int { return m.indices(1) }

func (m Mask) indices(sign float32) []int {
	var idx []int
	for i, s := range m.Signs {
		if s == sign {
			idx = append(idx, i)
		}
	}
	return idx
}
