package snn

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
)

// signRule is one sign parametrisation or update rule (Config.SignParam): everything the package does
// differently for it, in one entry of signRules. A constrained matrix of raw parameters w has effective
// weights f(w) * sign(row) (a Dale mask's sign, or +1 for the population matrices); the rule gives f,
// where training starts, and what happens after each optimiser step.
//
// Adding a rule takes a SignParam constant (config.go) and an entry here; the sweep's condition registry
// (snn/study) names the rules it compares. Training (Go kernels and single graph), evaluation, the E/I
// populations, checkpoints and validation read the table.
type signRule struct {
	name SignParam
	// formula writes f for figures and notes ("|w|", "max(w, 0)").
	formula string
	// f is the elementwise map raw parameter -> magnitude in Go (float32, as the graph computes it), and
	// node the same map in the graph (its derivative is the rule's gradient).
	f    func(float32) float32
	node func(w *Node) *Node
	// inverse returns a raw parameter whose magnitude f is a >= 0 (the matched initialisation; the E/I
	// populations' initial draws).
	inverse func(a float32) float32
	// init turns an element w of the symmetric uniform draw into a raw initial weight, matched (f(raw) =
	// |w|: SignInitMatched) or not (SignInitSymmetric).
	init func(w float32, matched bool) float32
	// project, if set, maps a constrained matrix's raw weights before the optimiser's step (old) and after
	// it (updated) to the raw weights kept; scale is the matrix's kappa (expGradScales) for rules that
	// need one (scaled).
	project func(old, updated *Node, scale float64) *Node
	scaled  bool
	// wiggle restarts the weights the projection holds at exactly 0 after every step (wiggler).
	wiggle bool
}

func identity(v float32) float32  { return v }
func magnitude(v float32) float32 { return float32(math.Abs(float64(v))) }

// softplusInverse is log(e^a - 1), with a floored at 1e-30 (the inverse tends to -inf as a -> 0).
func softplusInverse(a float32) float32 {
	return float32(math.Log(math.Expm1(math.Max(float64(a), 1e-30))))
}

// clipAtZero is the projection of clip and wiggle: w <- max(w, 0) after the optimiser's step.
func clipAtZero(_, updated *Node, _ float64) *Node { return Max(updated, ZerosLike(updated)) }

// nonNegativeStart is the initialisation of the rules whose raw weights live in w >= 0: |w|, matched or
// not.
func nonNegativeStart(w float32, _ bool) float32 { return magnitude(w) }

// signRules lists every rule, in the order error messages name them.
var signRules = []signRule{
	{name: SignAbs, formula: "|w|", f: magnitude, node: Abs, inverse: identity,
		init: func(w float32, _ bool) float32 { return w }}, // the notebook's draw; f(w) = |w| either way
	{name: SignReLU, formula: "max(w, 0)", f: func(v float32) float32 { return max(v, 0) },
		node:    func(w *Node) *Node { return Max(w, ZerosLike(w)) },
		inverse: identity,
		init: func(w float32, matched bool) float32 {
			if matched {
				return magnitude(w)
			}
			return w
		}},
	{name: SignSoftplus, formula: "softplus(w)", node: Softplus, inverse: softplusInverse,
		f: func(v float32) float32 {
			// log(1 + e^v) = max(v, 0) + log1p(e^-|v|), stable for any v.
			x := float64(v)
			return float32(math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))))
		},
		init: func(w float32, matched bool) float32 {
			if matched {
				return softplusInverse(magnitude(w))
			}
			return w
		}},
	{name: SignClip, formula: "w, projected onto w ≥ 0 after every step", f: identity, node: func(w *Node) *Node { return w }, inverse: identity, init: nonNegativeStart,
		project: clipAtZero},
	{name: SignExpGrad, formula: "w, kept > 0 by multiplicative steps", f: identity, node: func(w *Node) *Node { return w }, inverse: identity, init: nonNegativeStart,
		scaled: true, project: func(old, updated *Node, scale float64) *Node {
			// w <- w * exp(-(w - w_step)/kappa); the exponent is limited to +-expGradLimit per step and the
			// result kept at or above the smallest normal float32, so that float32 neither overflows nor
			// rounds a weight to 0.
			step := ClipScalar(MulScalar(Sub(old, updated), -1/scale), -expGradLimit, expGradLimit)
			w := Mul(old, Exp(step))
			return Max(w, Scalar(w.Graph(), dtypes.Float32, math.SmallestNonzeroFloat32*(1<<23)))
		}},
	{name: SignWiggle, formula: "w, projected onto w ≥ 0 after every step, weights held at 0 restarted at WiggleScale·u", f: identity, node: func(w *Node) *Node { return w }, inverse: identity, init: nonNegativeStart,
		project: clipAtZero, wiggle: true},
}

// expGradLimit bounds SignExpGrad's exponent per step: a weight changes by at most a factor e^10 (the
// rule's steps at the notebook's learning rate are about 0.1).
const expGradLimit = 10

// rule returns p's entry of signRules; ok is false for a name that is not there.
func (p SignParam) rule() (r signRule, ok bool) {
	for _, r := range signRules {
		if r.name == p {
			return r, true
		}
	}
	return signRules[0], false
}

// SignParams lists every sign parametrisation and update rule, in the order of signRules.
func SignParams() []SignParam {
	out := make([]SignParam, len(signRules))
	for i, r := range signRules {
		out[i] = r.name
	}
	return out
}

// signParamList names every rule for error messages: "abs", "relu", ... or "wiggle".
func signParamList() string {
	names := make([]string, len(signRules))
	for i, r := range signRules {
		names[i] = fmt.Sprintf("%q", r.name)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// SignMap is the elementwise map f of a sign parametrisation, the magnitude f(w) an effective weight takes
// from its raw parameter w (float32, as the graph computes it). An unknown name maps as abs.
func SignMap(param SignParam) func(float32) float32 {
	r, _ := param.rule()
	return r.f
}

// SignFormula writes the map f of a sign parametrisation or update rule, the magnitude an effective weight
// f(w) * sign takes from its raw parameter w, for figures and notes: "|w|", "max(w, 0)", "softplus(w)", or w
// and how the rule keeps it non-negative (clip, expgrad, wiggle). An unknown name is written as abs.
func SignFormula(param SignParam) string {
	r, _ := param.rule()
	return r.formula
}

// SignInverse is the inverse of SignMap on magnitudes a >= 0: a raw parameter whose magnitude is a. It is
// exact for every rule that is the identity on w >= 0 (abs, relu, clip, expgrad, wiggle: a itself);
// softplus, which never reaches 0, gives log(e^a - 1) with a floored at 1e-30 (so SignInverse(0) has
// magnitude 1e-30). Probes use it to write edited or ablated weights whatever the rule. An unknown name
// inverts as abs.
func SignInverse(param SignParam) func(float32) float32 {
	r, _ := param.rule()
	return r.inverse
}
