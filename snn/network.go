package snn

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"
)

// LIFStep is one update of the notebook's hidden layer (layer1), on any shape (here [hidden, batch]):
//
//	v'  = (alpha*v + h) * (1 - s)     reset by the spike of the previous step
//	s'  = S(v - Threshold)            spike from the previous membrane value
//
// where v is the membrane, s the last spike, h the input current of the step and S Spike. The spike of
// step k is computed from v before the step's input is added, as the notebook does.
func LIFStep(v, s, h *Node, alpha, beta float64) (vNext, sNext *Node) {
	vNext = Mul(Add(MulScalar(v, alpha), h), OneMinus(s))
	sNext = Spike(AddScalar(v, -Threshold), beta)
	return
}

// ReadoutWeights returns c_j, the weight of the hidden spikes of record j in the sum over time of the
// notebook's membrane_only readout. The readout runs v_0 = 0, v_{t+1} = alpha*v_t + W2^T s_t for
// t = 0..T-2 and the loss uses sum_t v_t, which equals sum_j c_j W2^T s_j with
//
//	c_j = sum_{k=0}^{T-2-j} alpha^k   (j = 0..T-2),   c_{T-1} = 0.
func ReadoutWeights(numSteps int, alpha float64) []float64 {
	c := make([]float64, numSteps)
	for j := 0; j <= numSteps-2; j++ {
		for k := 0; k <= numSteps-2-j; k++ {
			c[j] += math.Pow(alpha, float64(k))
		}
	}
	return c
}

// effectiveWeights builds f(w) * sign(row) (Dale's law, f by the sign parametrisation) or w itself.
func effectiveWeights(w *Node, signs []float32, dalesLaw bool, param SignParam) *Node {
	if !dalesLaw {
		return w
	}
	r, _ := param.rule()
	return Mul(r.node(w), InsertAxes(Const(w.Graph(), signs), -1))
}

// chunkSteps is the number of time steps sliced at once from the input projection before slicing single
// steps: slicing in two levels keeps each slice's (zero-padded) gradient small.
const chunkSteps = 10

// lossFromReadout is the mean NLL of log_softmax(ReadoutScale * m) for m [batch, classes] and int32
// labels [batch] (PyTorch's NLLLoss(LogSoftmax(m))).
func lossFromReadout(cfg Config, m, labels *Node) *Node {
	logp := LogSoftmax(MulScalar(m, cfg.ReadoutScale), 1)
	return Neg(ReduceAllMean(ReduceSum(Mul(logp, OneHot(labels, cfg.NumClasses, logp.DType())), 1)))
}
