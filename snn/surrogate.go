package snn

import (
	. "github.com/gomlx/gomlx/core/graph"
)

// Spike is the Heaviside spike function with the notebook's sigmoid surrogate gradient (SurrGradSpike):
//
//	forward:  S(x) = 1 if x > 0 else 0            (exactly 0 or 1)
//	backward: dS/dx ~ beta * sigmoid(beta*x) * (1 - sigmoid(beta*x))
//
// The surrogate is the derivative of sigmoid(beta*x) (Zenke & Ganguli 2018, "SuperSpike"; Neftci, Mostafa
// & Zenke 2019). The forward value is the step itself; the surrogate path enters as z - StopGradient(z),
// which is exactly 0 for finite x, so the forward pass is bit-exact 0/1.
func Spike(x *Node, beta float64) *Node {
	step := ConvertDType(GreaterThan(x, ZerosLike(x)), x.DType())
	z := IdentityWithCustomGradient(x, func(x, v *Node) *Node {
		return Mul(v, SurrogateGrad(x, beta))
	})
	return Add(StopGradient(step), Sub(z, StopGradient(z)))
}

// SurrogateGrad is beta * sigmoid(beta*x) * (1 - sigmoid(beta*x)), the notebook's sigmoid_deriv.
func SurrogateGrad(x *Node, beta float64) *Node {
	s := Sigmoid(MulScalar(x, beta))
	return MulScalar(Mul(s, OneMinus(s)), beta)
}
