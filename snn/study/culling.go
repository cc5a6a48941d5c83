package study

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// Culling is what a sign rule left of one trained model's synapses: its constrained weights at exactly 0
// at the end of training out of all of them (snn.Model.Culled), those in (0, WiggleScale] (NearZero: no
// larger than a restart of wiggle makes them), and under wiggle the restarts (History.Ledger's per-epoch
// counts) over training and in the last epoch, with the optimiser steps of each. A restart count is of
// events, not of weights: a weight can restart many times, once after each step at most; which weights
// restarted is not recorded.
type Culling struct {
	Condition   string
	Rule        snn.SignParam
	Seed        uint64
	Zero, Total int
	// Near counts the weights in (0, Limit]; Limit is the model's WiggleScale.
	Near  int
	Limit float64
	// Restarts over training (Steps steps) and in its last epoch (LastSteps steps).
	Restarts, LastRestarts int
	Steps, LastSteps       int
	// TestAccuracy is the model's test accuracy and RunAccuracy the committed run's of the same
	// configuration (PlanCulling); NaN when not scored.
	TestAccuracy, RunAccuracy float64
}

// CullingOf reads a trained model's Culling (its accuracies NaN: see PlanCulling).
func CullingOf(condition string, m *snn.Model) Culling {
	c := Culling{Condition: condition, Rule: m.Config.SignParam, Seed: m.Config.Seed, Steps: m.History.Steps,
		Limit: m.Config.WiggleScale, TestAccuracy: math.NaN(), RunAccuracy: math.NaN()}
	c.Zero, c.Total = m.Culled()
	c.Near = m.NearZero(c.Limit)
	for _, e := range m.History.Ledger {
		c.Restarts += e.Restarts
	}
	if n := len(m.History.Ledger); n > 0 {
		c.LastRestarts = m.History.Ledger[n-1].Restarts
		c.LastSteps = m.History.Steps / n
	}
	return c
}

// CullingTable is a fixed-width table of cs, one row each: the condition, its rule and seed, its test
// accuracy with the committed run's in brackets ("-" when not scored), the constrained weights at 0 at
// the end of training (count, of all, percent) and in (0, Limit], and for wiggle the restarts over
// training and per optimiser step in the last epoch (mean); "-" where the rule restarts nothing; then a
// line that says so.
func CullingTable(cs []Culling) string {
	var b strings.Builder
	limit := "in (0, limit]"
	if len(cs) > 0 {
		limit = fmt.Sprintf("in (0, %g]", cs[0].Limit)
	}
	fmt.Fprintf(&b, "%-12s %-8s %5s  %-14s %-24s %-13s %12s %12s\n", "condition", "rule", "seed", "test % (run)",
		"at 0 at the end", limit, "restarts", "per update")
	for _, c := range cs {
		share := 0.0
		if c.Total > 0 {
			share = 100 * float64(c.Zero) / float64(c.Total)
		}
		acc := "-"
		if !math.IsNaN(c.TestAccuracy) {
			acc = fmt.Sprintf("%.1f (%.1f)", 100*c.TestAccuracy, 100*c.RunAccuracy)
		}
		restarts, per := "-", "-"
		if c.Rule == snn.SignWiggle {
			restarts = thousands(c.Restarts)
			if c.LastSteps > 0 {
				per = fmt.Sprintf("%.1f", float64(c.LastRestarts)/float64(c.LastSteps))
			}
		}
		zero := fmt.Sprintf("%s of %s (%.1f%%)", thousands(c.Zero), thousands(c.Total), share)
		fmt.Fprintf(&b, "%-12s %-8s %5d  %-14s %-24s %-13s %12s %12s\n", c.Condition, c.Rule, c.Seed, acc, zero,
			thousands(c.Near), restarts, per)
	}
	b.WriteString("(restarts: over all of training; per update: their mean per optimiser step, one batch's update, in the last epoch)\n")
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

// PlanCulling returns the Culling of each of the outcome's plan's own conditions at its first test seed
// (the model of planModel), with the model's test accuracy beside the committed run's.
func (nb *Notebook) PlanCulling(o Outcome) ([]Culling, error) {
	var out []Culling
	for _, name := range o.Plan.Conditions {
		m, x, err := nb.planModel(o, name)
		if err != nil {
			return nil, err
		}
		c := CullingOf(name, m)
		c.TestAccuracy, c.RunAccuracy = x.TestEval.Accuracy, o.firstTestAccuracy(name)
		out = append(out, c)
	}
	return out, nil
}

// PlanResponses measures, at each δ, the impulse response (snn.ImpulseResponse, lags 0..lags, on the
// validation set) of the model of the plan's test run of condition at the plan's first test seed (the
// model of planModel), and states which model it is: the condition, seed, learning rate and plan, and its
// test accuracy beside the committed run's. The rows' Condition reads "<condition>, trained".
func (nb *Notebook) PlanResponses(o Outcome, condition string, lags int, deltas []float64) ([]ResponseRow, string, error) {
	m, x, err := nb.planModel(o, condition)
	if err != nil {
		return nil, "", err
	}
	var rows []ResponseRow
	for _, delta := range deltas {
		r, err := snn.ImpulseResponse(m, x.Validation, lags, delta)
		if err != nil {
			return nil, "", fmt.Errorf("study: %s: %w", condition, err)
		}
		rows = append(rows, ResponseRow{Condition: condition + ", trained", Response: r, Samples: x.Validation.Len()})
	}
	text := fmt.Sprintf("%s, trained: seed %d at learning rate %g (plan %s's test run), test accuracy %.1f%% (the committed run: %.1f%%)",
		condition, m.Config.Seed, m.Config.LearningRate, o.from(condition), 100*x.TestEval.Accuracy, 100*o.firstTestAccuracy(condition))
	return rows, text, nil
}

// planModel returns the model of the plan's test run of condition at the plan's first test seed
// (Outcome.TestConfig), kept as <Results>/models/<plan>_<condition>_s<seed>.ckpt, <plan> being the plan
// the condition's runs come from (Notebook.Trained: trained the first time), and its Experiment rebuilt
// (snn.RebuildExperiment: the data and initial model drawn again from the seed, an error unless the model
// started from that initial model; its test evaluation). In quick mode nothing is trained: the committed
// model (CommittedResults) is read, and a missing one is an error.
func (nb *Notebook) planModel(o Outcome, name string) (*snn.Model, *snn.Experiment, error) {
	if len(o.Plan.TestSeeds) == 0 {
		return nil, nil, fmt.Errorf("study: plan %s has no test seeds", o.Plan.Name)
	}
	return nb.planModelAt(o, name, o.Plan.TestSeeds[0])
}

// planModelAt is planModel at one of the plan's test seeds.
func (nb *Notebook) planModelAt(o Outcome, name string, seed uint64) (*snn.Model, *snn.Experiment, error) {
	tr, err := nb.trainOptions()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := o.TestConfig(name, seed)
	if err != nil {
		return nil, nil, err
	}
	plan := o.from(name)
	m, err := nb.keptModel(cfg, fmt.Sprintf("%s_%s_s%d", plan, name, seed), fmt.Sprintf("plan %s's test run of %s at seed %d", plan, name, seed))
	if err != nil {
		return nil, nil, err
	}
	x, err := snn.RebuildExperiment(m, tr.Backend, nil)
	if err != nil {
		return nil, nil, err
	}
	return m, x, nil
}

// keptModel returns the model of cfg kept as <Results>/models/<file>.ckpt, trained the first time (Trained);
// in quick mode, where nothing is trained, it is read from the committed models and must be of cfg (what
// names the run in the errors).
func (nb *Notebook) keptModel(cfg snn.Config, file, what string) (*snn.Model, error) {
	if !nb.Quick {
		return nb.Trained(cfg, file)
	}
	path := filepath.Join(CommittedResults, "models", file+".ckpt")
	m, err := snn.LoadCheckpoint(path)
	if err != nil {
		return nil, fmt.Errorf("study: quick mode trains no model of %s (%w); run the notebook once without %s", what, err, snn.QuickEnv)
	}
	if k, want := snn.ConfigKey(m.Config), snn.ConfigKey(cfg); k != want {
		return nil, fmt.Errorf("study: %s holds another configuration (key %s) than %s (key %s)", path, k, what, want)
	}
	return m, nil
}

// from is the plan the condition's runs come from (this plan, or one it reuses).
func (o Outcome) from(condition string) string {
	if p, ok := o.From[condition]; ok && p != "" {
		return p
	}
	return o.Plan.Name
}

// testAccuracy is the committed test accuracy of condition at test seed (NaN when the outcome has none).
func (o Outcome) testAccuracy(condition string, seed uint64) float64 {
	i := slices.Index(o.Plan.TestSeeds, seed)
	if acc := o.Test[condition]; i >= 0 && i < len(acc) {
		return acc[i]
	}
	return math.NaN()
}

// firstTestAccuracy is the committed test accuracy of condition at the plan's first test seed (NaN when
// the outcome has none).
func (o Outcome) firstTestAccuracy(condition string) float64 {
	if acc := o.Test[condition]; len(acc) > 0 {
		return acc[0]
	}
	return math.NaN()
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
