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

// NumInhibitory returns how many of n units are inhibitory at the given fraction: ceil(fraction*n), the
// length of torch.arange(fraction*n) for a float end. The notebook passes dtype=int, with which some
// PyTorch versions truncate the end first (floor); the two agree wherever fraction*n is a whole number, as
// in every configuration the notebooks run (100, 15, 40, 6 units). A tolerance of 1e-9 absorbs binary
// rounding (0.7*30 is 21.000000000000004 in float64).
func NumInhibitory(n int, fraction float64) int {
	return int(math.Ceil(fraction*float64(n) - 1e-9))
}

// NewMask returns the signs of n presynaptic units with ceil(fraction*n) of them inhibitory. MaskBlocked
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
