package study

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// Conditions is the one registry of the conditions a sweep can run, in the order the sweep command's
// help names them: the Dale-layer sweeps (both, input, hidden), the unconstrained baseline, the sign
// parametrisations (abs, relu, softplus, clip), the update rules (expgrad, wiggle), the E/I-population
// networks (pop-abs, pop-clip, pop-expgrad, pop-wiggle) and their controls (pop-abs-seedscale,
// pop-abs-stepcorr, pop-lif-abs, pop-lif-bal, pop-lif-bal-stepcorr, their linear controls pop-abs-bal,
// pop-abs-bal-stepcorr, those with the LIF units' lag, pop-abs-bal-delay, pop-abs-bal-delay-stepcorr, and with
// their membrane's filter, pop-abs-bal-filter, pop-abs-bal-filter-stepcorr, and the LIF networks with a cap
// on their inhibitory units' rate, pop-lif-bal-cap, pop-lif-bal-cap-stepcorr),
// the paper's recipe and layer (pop-sgd, pop-shunt, pop-shunt-sgd), and the mask layouts (blocked,
// random). Names are unique.
func Conditions() []Condition {
	cs := append(DaleConditions(), Unconstrained)
	cs = append(cs, SignConditions()...)
	cs = append(cs, RuleConditions()...)
	cs = append(cs, PopulationConditions()...)
	cs = append(cs, PopulationSeedScale, PopulationStepCorrection, PopulationLIF, PopulationLIFBalanced, PopulationLIFBalancedStepCorr,
		PopulationBalancedLinear, PopulationBalancedLinearStepCorr, PopulationBalancedDelayed, PopulationBalancedDelayedStepCorr,
		PopulationBalancedFiltered, PopulationBalancedFilteredStepCorr, PopulationLIFCapped, PopulationLIFCappedStepCorr)
	cs = append(cs, PaperConditions()...)
	return append(cs, LayoutConditions()...)
}

// ConditionNames lists the names of Conditions, in its order.
func ConditionNames() []string {
	var names []string
	for _, c := range Conditions() {
		names = append(names, c.Name)
	}
	return names
}

// ConditionByName returns the condition of that name from Conditions, or an error naming it and every
// name there is. A name may carry a learning rate, "pop-abs@lr=0.003": the condition trained at that
// learning rate (WithLearningRate).
func ConditionByName(name string) (Condition, error) {
	base, lr, hasLR := strings.Cut(name, lrSuffix)
	for _, c := range Conditions() {
		if c.Name != base {
			continue
		}
		if !hasLR {
			return c, nil
		}
		v, err := strconv.ParseFloat(lr, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return Condition{}, fmt.Errorf("study: condition %q: the learning rate %q is not a finite number > 0", name, lr)
		}
		return WithLearningRate(c, v), nil
	}
	return Condition{}, fmt.Errorf("study: no condition named %q: want one of %s (optionally with %s<learning rate>, e.g. %q)",
		base, strings.Join(ConditionNames(), ", "), lrSuffix, "pop-abs"+lrSuffix+"0.003")
}

// lrSuffix separates a condition's name from the learning rate it is trained at.
const lrSuffix = "@lr="

// WithLearningRate returns c trained at learning rate lr, named "<c>@lr=<lr>" (lr in Go's shortest
// decimal form, so that the name round-trips through ConditionByName).
func WithLearningRate(c Condition, lr float64) Condition {
	return Condition{Name: c.Name + lrSuffix + strconv.FormatFloat(lr, 'g', -1, 64), Apply: func(b snn.Config, f float64) snn.Config {
		cfg := c.Apply(b, f)
		cfg.LearningRate = lr
		return cfg
	}, Formulation: c.Formulation}
}

// ConditionsByName returns the named conditions in the order given, or an error naming the first unknown
// or repeated one.
func ConditionsByName(names []string) ([]Condition, error) {
	var cs []Condition
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if seen[n] {
			return nil, fmt.Errorf("study: condition %q is listed twice", n)
		}
		seen[n] = true
		c, err := ConditionByName(n)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}
