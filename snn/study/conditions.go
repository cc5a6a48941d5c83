package study

import (
	"fmt"
	"strings"
)

// Conditions is the one registry of the conditions a sweep can run, in the order the sweep command's
// help names them: the Dale-layer sweeps (both, input, hidden), the unconstrained baseline, the sign
// parametrisations (abs, relu, softplus, clip), the update rules (expgrad, wiggle), the E/I-population
// networks (pop-abs, pop-clip, pop-expgrad, pop-wiggle) and their controls (pop-abs-seedscale,
// pop-abs-stepcorr, pop-lif-abs), and the mask layouts (blocked, random). Names are unique.
func Conditions() []Condition {
	cs := append(DaleConditions(), Unconstrained)
	cs = append(cs, SignConditions()...)
	cs = append(cs, RuleConditions()...)
	cs = append(cs, PopulationConditions()...)
	cs = append(cs, PopulationSeedScale, PopulationStepCorrection, PopulationLIF)
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
// name there is.
func ConditionByName(name string) (Condition, error) {
	for _, c := range Conditions() {
		if c.Name == name {
			return c, nil
		}
	}
	return Condition{}, fmt.Errorf("study: no condition named %q: want one of %s", name, strings.Join(ConditionNames(), ", "))
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
