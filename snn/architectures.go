package snn

import (
	"fmt"
	"math"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
)

// architecture is one way the network realises Dale's law (Config.Architecture): everything the
// package does differently for it, in one entry of architectures. Data that only one architecture has
// (Model.Pop, the population matrices of checkpoints) follows from the model itself.
type architecture struct {
	name Architecture
	// validate adds the architecture's own checks of c through bad (field, value, what is allowed).
	validate func(c Config, bad func(field string, value any, allowed string))
	// allConstrained is true when every matrix is sign-constrained whatever DalesLaw and DaleLayers say.
	allConstrained bool
	// extraSpecs lists the trainable matrices beyond w1 and w2, in store order (paramSpecs).
	extraSpecs func(c Config) []paramSpec
	// newModel draws an untrained model of a validated configuration.
	newModel func(c Config) (*Model, error)
	// layerNode builds a layer's effective weights in the graph from its raw matrices (paramSpecs order
	// within the layer), and partNode what one raw matrix contributes as applied.
	layerNode func(c Config, layer int, raw []*Node, signs []float32) *Node
	partNode  func(c Config, layer int, raw *Node, signs []float32) *Node
	// applied1 computes in Go the input weights a step applies from layer 1's raw matrices (paramSpecs
	// order within the layer), and the parts as applied (f(raw), with the row signs where they apply).
	applied1 func(c Config, raw []Matrix, signs []float32) (w Matrix, parts []Matrix)
}

// architectures lists every architecture, in the order error messages name them. (Set in init: its
// entries call Config methods that look it up.)
var architectures []architecture

func init() { architectures = architectureTable() }

func architectureTable() []architecture {
	return []architecture{
		{
			name: ArchColumnEI,
			validate: func(c Config, bad func(string, any, string)) {
				if c.InhibitoryUnits != InhibitoryLinear {
					bad("InhibitoryUnits", fmt.Sprintf("%q", c.InhibitoryUnits), fmt.Sprintf("%q unless Architecture is %q", InhibitoryLinear, ArchPopulations))
				}
				if c.InhibitoryDelay != 0 {
					bad("InhibitoryDelay", c.InhibitoryDelay, fmt.Sprintf("0 unless Architecture is %q", ArchPopulations))
				}
				if c.LIFInhibitoryInit != LIFInitPopulation {
					bad("LIFInhibitoryInit", fmt.Sprintf("%q", c.LIFInhibitoryInit), fmt.Sprintf("%q unless Architecture is %q", LIFInitPopulation, ArchPopulations))
				}
				if c.DANNCorrection {
					bad("DANNCorrection", c.DANNCorrection, fmt.Sprintf("false unless Architecture is %q (it scales the gradients of W_IE and W_EI)", ArchPopulations))
				}
				if c.Inhibition != InhibitionSubtractive {
					bad("Inhibition", fmt.Sprintf("%q", c.Inhibition), fmt.Sprintf("%q unless Architecture is %q", InhibitionSubtractive, ArchPopulations))
				}
			},
			extraSpecs: func(Config) []paramSpec { return nil },
			newModel:   newColumnEIModel,
			layerNode: func(c Config, layer int, raw []*Node, signs []float32) *Node {
				return effectiveWeights(raw[0], signs, c.daleOn(layer), c.SignParam)
			},
			partNode: func(c Config, layer int, raw *Node, signs []float32) *Node {
				return effectiveWeights(raw, signs, c.daleOn(layer), c.SignParam)
			},
			applied1: func(c Config, raw []Matrix, signs []float32) (Matrix, []Matrix) {
				w := EffectiveParam(raw[0], Mask{Signs: signs}, c.DaleOnInput(), c.SignParam)
				return w, []Matrix{w}
			},
		},
		{
			name:           ArchPopulations,
			allConstrained: true,
			validate: func(c Config, bad func(string, any, string)) {
				for _, f := range []struct {
					name string
					v    int
				}{{"NumInhibitory", c.NumInhibitory}, {"NumReadoutInhibitory", c.NumReadoutInhibitory}} {
					if f.v <= 0 {
						bad(f.name, f.v, "an integer > 0")
					}
				}
				if c.DaleLayers != DaleBoth {
					bad("DaleLayers", fmt.Sprintf("%q", c.DaleLayers), fmt.Sprintf("%q with Architecture %q (every matrix of its populations is sign-constrained)", DaleBoth, ArchPopulations))
				}
				if !c.DalesLaw {
					bad("DalesLaw", c.DalesLaw, fmt.Sprintf("true with Architecture %q (its populations are Dale's law; use %q without it)", ArchPopulations, ArchColumnEI))
				}
				if c.PopInit != PopInitDANN && c.PopInit != PopInitSeedScale && c.PopInit != PopInitUniform {
					bad("PopInit", fmt.Sprintf("%q", c.PopInit), fmt.Sprintf("%q, %q or %q", PopInitDANN, PopInitSeedScale, PopInitUniform))
				}
				if !(c.PopInitGain > 0) || math.IsInf(c.PopInitGain, 0) {
					bad("PopInitGain", c.PopInitGain, "a finite number > 0")
				}
				if _, ok := inhibitoryModelOf(c.InhibitoryUnits); !ok {
					bad("InhibitoryUnits", fmt.Sprintf("%q", c.InhibitoryUnits), inhibitoryModelNames())
				}
				switch {
				case c.InhibitoryUnits == InhibitoryDelayed && (c.InhibitoryDelay < 1 || c.NumSteps() >= 3 && c.InhibitoryDelay > c.NumSteps()-2):
					bad("InhibitoryDelay", c.InhibitoryDelay, fmt.Sprintf("an integer from 1 to %d (NumSteps - 2) with InhibitoryUnits %q", c.NumSteps()-2, InhibitoryDelayed))
				case c.InhibitoryUnits != InhibitoryDelayed && c.InhibitoryDelay != 0:
					bad("InhibitoryDelay", c.InhibitoryDelay, fmt.Sprintf("0 unless InhibitoryUnits is %q", InhibitoryDelayed))
				}
				switch {
				case c.LIFInhibitoryInit == LIFInitPopulation:
				case c.LIFInhibitoryInit == LIFInitBalanced && c.Inhibition == InhibitionSubtractive:
				case c.LIFInhibitoryInit == LIFInitBalanced:
					bad("LIFInhibitoryInit", fmt.Sprintf("%q", c.LIFInhibitoryInit), fmt.Sprintf("%q unless Inhibition is %q (the balance is defined for subtractive inhibition)", LIFInitPopulation, InhibitionSubtractive))
				default:
					bad("LIFInhibitoryInit", fmt.Sprintf("%q", c.LIFInhibitoryInit), fmt.Sprintf("%q or %q", LIFInitPopulation, LIFInitBalanced))
				}
				switch c.Inhibition {
				case InhibitionSubtractive:
				case InhibitionShunting:
					if c.InhibitoryUnits != InhibitoryLinear {
						bad("InhibitoryUnits", fmt.Sprintf("%q", c.InhibitoryUnits), fmt.Sprintf("%q with Inhibition %q", InhibitoryLinear, InhibitionShunting))
					}
					if c.PopInit != PopInitDANN {
						bad("PopInit", fmt.Sprintf("%q", c.PopInit), fmt.Sprintf("%q with Inhibition %q (the paper's initialisation of its gain and alpha)", PopInitDANN, InhibitionShunting))
					}
					if c.SignParam != SignAbs && c.SignParam != SignClip {
						bad("SignParam", fmt.Sprintf("%q", c.SignParam), fmt.Sprintf("%q or %q with Inhibition %q", SignAbs, SignClip, InhibitionShunting))
					}
				default:
					bad("Inhibition", fmt.Sprintf("%q", c.Inhibition), fmt.Sprintf("%q or %q", InhibitionSubtractive, InhibitionShunting))
				}
			},
			extraSpecs: func(c Config) []paramSpec {
				d := popDims(c)
				specs := []paramSpec{{"ie1", 1, roleIE, d[0][0], d[0][1]}, {"ei1", 1, roleEI, d[1][0], d[1][1]},
					{"ie2", 2, roleIE, d[2][0], d[2][1]}, {"ei2", 2, roleEI, d[3][0], d[3][1]}}
				if c.Shunting() {
					s := shuntDims(c)
					specs = append(specs, paramSpec{"alpha1", 1, roleAlpha, s[0][0], s[0][1]}, paramSpec{"gain1", 1, roleGain, s[1][0], s[1][1]},
						paramSpec{"bias1", 1, roleBias, s[2][0], s[2][1]}, paramSpec{"alpha2", 2, roleAlpha, s[3][0], s[3][1]},
						paramSpec{"gain2", 2, roleGain, s[4][0], s[4][1]}, paramSpec{"bias2", 2, roleBias, s[5][0], s[5][1]})
				}
				return specs
			},
			newModel: newPopulationModel,
			layerNode: func(c Config, _ int, raw []*Node, _ []float32) *Node {
				return Sub(positiveNode(c, raw[0]), Dot(positiveNode(c, raw[1]), positiveNode(c, raw[2])).Product())
			},
			partNode: func(c Config, _ int, raw *Node, _ []float32) *Node { return positiveNode(c, raw) },
			applied1: func(c Config, raw []Matrix, _ []float32) (Matrix, []Matrix) {
				parts := make([]Matrix, len(raw))
				for k, w := range raw {
					parts[k] = positive(w, c.SignParam)
				}
				// The parts are already f(raw): compose them with the identity map.
				return composeEI(parts[0], parts[1], parts[2], SignClip), parts
			},
		},
	}
}

// arch returns the configuration's entry of architectures; ok is false for a name that is not there
// (Validate refuses it; the entry returned is then the first).
func (c Config) arch() (a architecture, ok bool) {
	for _, a := range architectures {
		if a.name == c.Architecture {
			return a, true
		}
	}
	return architectures[0], false
}

// daleOn reports whether Dale's law constrains layer 1 (input) or 2 (readout).
func (c Config) daleOn(layer int) bool {
	if layer == 1 {
		return c.DaleOnInput()
	}
	return c.DaleOnHidden()
}

// archList names every architecture for error messages: "column-ei" or "populations".
func archList() string {
	var names []string
	for _, a := range architectures {
		names = append(names, fmt.Sprintf("%q", a.name))
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
