package ratenet

import (
	"fmt"
	"math"
	"math/rand/v2"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/snn-dales/dales/snn"
)

// Hidden is the hidden layer's size: E excitatory and I inhibitory units (the MLP has E units).
type Hidden struct{ E, I int }

// param is one trainable array of a model, [rows, cols] row-major: its initial values and how the SGD
// step treats it: its gradient is multiplied by factor (DANN's correction; 1 elsewhere) and with clamp
// it is set to max(0, value) after the step (the paper's update policies).
type param struct {
	name       string
	rows, cols int
	init       []float32
	factor     float64
	clamp      bool
}

// Kind is one model of the comparison: its parameters, drawn for a hidden size from rng, and its
// forward pass, logits [batch, Classes] from the parameter nodes (in params order) and x [batch, Pixels].
type Kind struct {
	Name   string
	params func(h Hidden, rng *rand.Rand) []param
	logits func(h Hidden, p []*Node, x *Node) *Node
}

// Kinds lists the models, one entry each:
//
//	mlp:      h = relu(x W1 + b1) [E units], logits = h W2 + b2; He-normal weights (std sqrt(1/784), then
//	          sqrt(2/E)), zero biases (ltlwdp's DenseLayer, HeNormalInit).
//	columnei: h = relu(x W1 + b1) [E + I units, W1 >= 0: the pixels are excitatory], logits =
//	          h (D W2) + b2 with D = +1 on the E rows and -1 on the I rows and W2 >= 0; W1 exponential with
//	          scale sqrt(1/784) and b1 = -784 sqrt(1/784) 0.2860 (Fashion-MNIST's pixel mean: the paper's
//	          PostiveWeightInitPolicy centres the first layer with its bias); W2's excitatory rows
//	          exponential with scale sigma_e = sqrt(1/((2 pi - 1)/(2 pi) (E + E^2/I))), its inhibitory rows
//	          with scale (E/I) sigma_e (ColumnEiWeightInitPolicy); weights clamped at 0 after each step
//	          (ColumnEiSGD).
//	dann:     h = relu(ShuntNode(x; layer 1)) [E units, I inhibitory], logits = ShuntNode(h; layer 2) with one
//	          inhibitory unit; snn.DANNLayer draws, snn.ShuntAlpha, gain 1, bias 0 (the paper's
//	          EiDenseWithShunt_MultipleInt_LayerNorm_WeightInitPolicy); DANN's corrected gradients (W_IE by
//	          1/sqrt(n_e), W_EI by 1/d, alpha by 1/(sqrt(n_e) d)) and every weight and gain clamped at 0
//	          after each step (DalesANN_cSGD_UpdatePolicy).
func Kinds() []Kind {
	return []Kind{
		{Name: "mlp", params: mlpParams, logits: func(h Hidden, p []*Node, x *Node) *Node {
			return dense(relu(dense(x, p[0], p[1])), p[2], p[3])
		}},
		{Name: "columnei", params: columnEIParams, logits: func(h Hidden, p []*Node, x *Node) *Node {
			signs := make([]float32, h.E+h.I)
			for i := range signs {
				signs[i] = 1
				if i >= h.E {
					signs[i] = -1
				}
			}
			d := Reshape(Const(x.Graph(), signs), h.E+h.I, 1)
			w2 := Mul(BroadcastToDims(d, h.E+h.I, Classes), p[2])
			return dense(relu(dense(x, p[0], p[1])), w2, p[3])
		}},
		{Name: "dann", params: dannParams, logits: func(h Hidden, p []*Node, x *Node) *Node {
			hid := relu(snn.ShuntNode(x, p[0], p[1], p[2], p[3], p[4], p[5]))
			return snn.ShuntNode(hid, p[6], p[7], p[8], p[9], p[10], p[11])
		}},
	}
}

// KindByName returns the named Kind.
func KindByName(name string) (Kind, error) {
	var names []string
	for _, k := range Kinds() {
		if k.Name == name {
			return k, nil
		}
		names = append(names, fmt.Sprintf("%q", k.Name))
	}
	return Kind{}, fmt.Errorf("ratenet: model %q is unknown: want one of %v", name, names)
}

// dense is x w + b, b [1, n] broadcast over the rows of x.
func dense(x, w, b *Node) *Node {
	y := Dot(x, w).Product()
	return Add(y, BroadcastToDims(b, y.Shape().Dimensions...))
}

func fill(n int, v float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func normal(n int, sd float64, rng *rand.Rand) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64() * sd)
	}
	return s
}

func exponential(n int, scale float64, rng *rand.Rand) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.ExpFloat64() * scale)
	}
	return s
}

func mlpParams(h Hidden, rng *rand.Rand) []param {
	return []param{
		{"w1", Pixels, h.E, normal(Pixels*h.E, math.Sqrt(1/float64(Pixels)), rng), 1, false},
		{"b1", 1, h.E, fill(h.E, 0), 1, false},
		{"w2", h.E, Classes, normal(h.E*Classes, math.Sqrt(2/float64(h.E)), rng), 1, false},
		{"b2", 1, Classes, fill(Classes, 0), 1, false},
	}
}

// fashionPixelMean is the mean pixel value of Fashion-MNIST's training images (as ltlwdp's
// PostiveWeightInitPolicy gives it).
const fashionPixelMean = 0.2860

func columnEIParams(h Hidden, rng *rand.Rand) []param {
	n := h.E + h.I
	sigma1 := math.Sqrt(1 / float64(Pixels))
	denom := (2*math.Pi - 1) / (2 * math.Pi) * (float64(h.E) + float64(h.E*h.E)/float64(h.I))
	sigmaE := math.Sqrt(1 / denom)
	sigmaI := float64(h.E) / float64(h.I) * sigmaE
	w2 := append(exponential(h.E*Classes, sigmaE, rng), exponential(h.I*Classes, sigmaI, rng)...)
	return []param{
		{"w1", Pixels, n, exponential(Pixels*n, sigma1, rng), 1, true},
		{"b1", 1, n, fill(n, float32(-float64(Pixels)*sigma1*fashionPixelMean)), 1, false},
		{"w2", n, Classes, w2, 1, true},
		{"b2", 1, Classes, fill(Classes, 0), 1, false},
	}
}

func dannParams(h Hidden, rng *rand.Rand) []param {
	var ps []param
	for layer, l := range []struct{ d, ne, ni int }{{Pixels, h.E, h.I}, {h.E, Classes, 1}} {
		ee, ie, ei := snn.DANNLayer(l.d, l.ne, l.ni, snn.DANNScale(l.d, layer == 0), rng)
		ne, d := float64(l.ne), float64(l.d)
		name := func(s string) string { return fmt.Sprintf("%s%d", s, layer+1) }
		ps = append(ps,
			param{name("ee"), l.d, l.ne, ee.Data, 1, true},
			param{name("ie"), l.d, l.ni, ie.Data, 1 / math.Sqrt(ne), true},
			param{name("ei"), l.ni, l.ne, ei.Data, 1 / d, true},
			param{name("alpha"), 1, l.ni, fill(l.ni, float32(snn.ShuntAlpha(l.d))), 1 / (math.Sqrt(ne) * d), false},
			param{name("gain"), 1, l.ne, fill(l.ne, 1), 1, true},
			param{name("bias"), 1, l.ne, fill(l.ne, 0), 1, false})
	}
	return ps
}

// relu is max(x, 0).
func relu(x *Node) *Node { return MaxScalar(x, 0.0) }
