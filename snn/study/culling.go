package study

import (
	"fmt"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// Culling is what a sign rule left of one trained model's synapses: its constrained weights at exactly 0
// at the end of training out of all of them (snn.Model.Culled) and, under wiggle, the restarts over
// training (the sum of History.Ledger's per-epoch counts; a weight can restart many times, once after
// each of the Steps optimiser steps at most).
type Culling struct {
	Condition   string
	Rule        snn.SignParam
	Seed        uint64
	Zero, Total int
	Restarts    int
	Steps       int
}

// CullingOf reads a trained model's Culling.
func CullingOf(condition string, m *snn.Model) Culling {
	c := Culling{Condition: condition, Rule: m.Config.SignParam, Seed: m.Config.Seed, Steps: m.History.Steps}
	c.Zero, c.Total = m.Culled()
	for _, e := range m.History.Ledger {
		c.Restarts += e.Restarts
	}
	return c
}

// CullingTable is a fixed-width table of cs, one row each: the condition, its rule and seed, the
// constrained weights at 0 at the end of training (count, of all, percent) and, for wiggle, the restarts
// over training and per optimiser step (mean); "-" where the rule restarts nothing.
func CullingTable(cs []Culling) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %-7s %5s  %-26s %22s %10s\n", "condition", "rule", "seed", "weights at 0 at the end", "restarts over training", "per step")
	for _, c := range cs {
		share := 0.0
		if c.Total > 0 {
			share = 100 * float64(c.Zero) / float64(c.Total)
		}
		restarts, per := "-", "-"
		if c.Rule == snn.SignWiggle {
			restarts = thousands(c.Restarts)
			if c.Steps > 0 {
				per = fmt.Sprintf("%.1f", float64(c.Restarts)/float64(c.Steps))
			}
		}
		zero := fmt.Sprintf("%s of %s (%.1f%%)", thousands(c.Zero), thousands(c.Total), share)
		fmt.Fprintf(&b, "%-12s %-7s %5d  %-26s %22s %10s\n", c.Condition, c.Rule, c.Seed, zero, restarts, per)
	}
	return b.String()
}

// thousands writes n with commas between groups of three digits (12,345).
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, ",")
	if neg {
		out = "-" + out
	}
	return out
}

// TestConfig is the configuration of the plan's test run of condition at seed: the condition at the
// learning rate its tuning selected, on the plan's base and fraction, as Test trains it (the run's
// ConfigHash is snn.ConfigKey of it). condition must be one the outcome reports and seed one of the plan's
// test seeds.
func (o Outcome) TestConfig(condition string, seed uint64) (snn.Config, error) {
	i := slices.IndexFunc(o.Tuned, func(t Tuned) bool { return t.Condition == condition })
	if i < 0 {
		names := make([]string, len(o.Tuned))
		for k, t := range o.Tuned {
			names[k] = t.Condition
		}
		return snn.Config{}, fmt.Errorf("study: plan %s has no tuned condition %q (it has %s)", o.Plan.Name, condition, strings.Join(names, ", "))
	}
	if !slices.Contains(o.Plan.TestSeeds, seed) {
		return snn.Config{}, fmt.Errorf("study: plan %s has no test seed %d (its test seeds are %s)", o.Plan.Name, seed, SeedRange(o.Plan.TestSeeds))
	}
	c, err := ConditionByName(condition)
	if err != nil {
		return snn.Config{}, err
	}
	cfg := WithLearningRate(c, o.Tuned[i].Selected).Apply(o.Plan.Base(), o.Plan.Fraction)
	cfg.Seed = seed
	return cfg, cfg.Validate()
}
