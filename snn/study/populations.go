package study

import (
	"fmt"
	"math"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// PopulationConditions train the E/I-population network (snn.ArchPopulations) under each update rule,
// named "pop-<rule>": NumHidden - NumInhibitory excitatory units (27 for the notebook's 30 and 3
// inhibitory units), so that it has as many hidden units as the seed's network and about as many
// trainable parameters (snn.Config.NumParams: 6444 against 6360). Its inputs are all excitatory, so the
// fraction is ignored: sweep it at UnconstrainedFraction.
func PopulationConditions() []Condition {
	var cs []Condition
	for _, p := range []snn.SignParam{snn.SignAbs, snn.SignClip, snn.SignExpGrad, snn.SignWiggle} {
		cs = append(cs, Condition{Name: "pop-" + string(p), Apply: func(c snn.Config, _ float64) snn.Config {
			c.Architecture, c.DalesLaw, c.DaleLayers, c.SignParam = snn.ArchPopulations, true, snn.DaleBoth, p
			c.NumHidden -= c.NumInhibitory
			return c
		}})
	}
	return cs
}

// PopulationSeedScale is "pop-abs" started from DANN's distributions at the seed's weight scale
// (snn.PopInitSeedScale): the control for the scale of DANN's initialisation.
var PopulationSeedScale = Condition{Name: "pop-abs-seedscale", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationConditions()[0].Apply(c, f)
	c.PopInit = snn.PopInitSeedScale
	return c
}}

// PopulationStepCorrection is "pop-abs" with DANN's correction factors applied to Adam's steps of W_IE
// and W_EI (snn.Config.DANNCorrectStep): the control for the size of Adam's steps on the inhibitory
// pathway.
var PopulationStepCorrection = withStepCorrection("pop-abs-stepcorr", PopulationConditions()[0])

// withStepCorrection returns the condition of that name: base with DANN's correction factors applied to
// Adam's steps of W_IE and W_EI (snn.Config.DANNCorrectStep).
func withStepCorrection(name string, base Condition) Condition {
	return Condition{Name: name, Apply: func(c snn.Config, f float64) snn.Config {
		c = base.Apply(c, f)
		c.DANNCorrection, c.DANNCorrectStep = true, true
		return c
	}}
}

// PopulationLIF is "pop-abs" with LIF inhibitory units (snn.InhibitoryLIF). Like every condition, it
// and the conditions built on it are computed in the formulation the backend picks (the Go kernels on
// the pure-Go backend). Until plan populations-lif's amendment (PlanAmendment) they were pinned to the
// single graph, which computes the same numbers up to float32 summation order at about a thirteenth of
// the speed (205 s a run against 15.6 s, 2026-12-02); every run of theirs was computed again after it.
var PopulationLIF = Condition{Name: "pop-lif-abs", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationConditions()[0].Apply(c, f)
	c.InhibitoryUnits = snn.InhibitoryLIF
	return c
}}

// PopulationLIFBalanced is "pop-lif-abs" started out of saturation (snn.LIFInitBalanced): its
// inhibitory units' rate at initialisation equals the excitatory units' rate of the same weights with
// linear inhibitory units, and the excitatory units receive that network's mean inhibition.
var PopulationLIFBalanced = Condition{Name: "pop-lif-bal", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationLIF.Apply(c, f)
	c.LIFInhibitoryInit = snn.LIFInitBalanced
	return c
}}

// PopulationLIFBalancedStepCorr is "pop-lif-bal" with the step correction of "pop-abs-stepcorr"
// (snn.Config.DANNCorrectStep), the update rule that helped the linear variant in the 5-seed study.
var PopulationLIFBalancedStepCorr = withStepCorrection("pop-lif-bal-stepcorr", PopulationLIFBalanced)

// PopulationBalancedLinear is "pop-abs" started from the weights of "pop-lif-bal" (snn.LIFInitBalanced
// with linear inhibitory units: the same three factors on W_EE, W_IE and W_EI, computed for LIF units on
// the same seed's data), the control that differs from "pop-lif-bal" only in its inhibitory units.
var PopulationBalancedLinear = Condition{Name: "pop-abs-bal", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationConditions()[0].Apply(c, f)
	c.LIFInhibitoryInit = snn.LIFInitBalanced
	return c
}}

// PopulationBalancedLinearStepCorr is "pop-abs-bal" with the step correction of "pop-abs-stepcorr": the
// control of "pop-lif-bal-stepcorr".
var PopulationBalancedLinearStepCorr = withStepCorrection("pop-abs-bal-stepcorr", PopulationBalancedLinear)

// PopulationBalancedDelayed is "pop-abs-bal" whose linear inhibitory units inhibit snn.LIFInhibitoryLag
// steps late (snn.InhibitoryDelayed): the weights of "pop-lif-bal" and "pop-abs-bal" of the same seed and
// the LIF units' earliest lag, with the linear units' graded, unintegrated output. Its configuration
// differs from "pop-abs-bal"'s only in the lag, and from "pop-lif-bal"'s only in the units; against the
// LIF units that difference is their integration (with its later, spread-out delay), threshold and
// spikes, and with them how much inhibition the same weights deliver and the start's activity.
var PopulationBalancedDelayed = Condition{Name: "pop-abs-bal-delay", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationBalancedLinear.Apply(c, f)
	c.InhibitoryUnits, c.InhibitoryDelay = snn.InhibitoryDelayed, snn.LIFInhibitoryLag
	return c
}}

// PopulationBalancedDelayedStepCorr is "pop-abs-bal-delay" with the step correction of "pop-abs-stepcorr":
// the control of "pop-lif-bal-stepcorr" and "pop-abs-bal-stepcorr" for the lag.
var PopulationBalancedDelayedStepCorr = withStepCorrection("pop-abs-bal-delay-stepcorr", PopulationBalancedDelayed)

// PopulationBalancedFiltered is "pop-abs-bal" whose linear inhibitory units pass on their input low-pass
// filtered with the LIF membrane's decay at unit gain (snn.InhibitoryFiltered): the LIF units' earliest
// lag and their membrane's spread-out delay, without threshold, reset or spikes. Its configuration differs
// from "pop-abs-bal-delay"'s only in the filter (and the delay field that unit model does not use), and
// from "pop-lif-bal"'s only in the units.
var PopulationBalancedFiltered = Condition{Name: "pop-abs-bal-filter", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationBalancedLinear.Apply(c, f)
	c.InhibitoryUnits = snn.InhibitoryFiltered
	return c
}}

// PopulationBalancedFilteredStepCorr is "pop-abs-bal-filter" with the step correction of "pop-abs-stepcorr".
var PopulationBalancedFilteredStepCorr = withStepCorrection("pop-abs-bal-filter-stepcorr", PopulationBalancedFiltered)

// LIFRateCap and LIFRateCapWeight are the rate cap of "pop-lif-bal-cap" (snn.Config.InhibitoryRateCap theta
// and InhibitoryRateWeight lambda). theta is half the LIF units' ceiling of 0.5 spikes per unit and step,
// chosen before any run; lambda is the weight LIFRateCapPilot's rule chose (its rates are recorded in plan
// populations-lif-cap's protocol; TestLIFRateCapPilotChoice applies the rule to them).
const (
	LIFRateCap       = 0.25
	LIFRateCapWeight = 100
)

// PopulationLIFCapped is "pop-lif-bal" trained with an upper bound on its LIF inhibitory units' rate
// (snn.Config.InhibitoryRateCap: a penalty lambda sum_i max(0, nu_i - theta)^2 on each unit's mean spikes
// per step in a batch, LIFRateCap and LIFRateCapWeight): the same start, data and update rule, so that it
// differs from "pop-lif-bal" only in that penalty, the test of whether the trained units' saturation
// (0.459 to 0.495 spikes per unit and step, next to their ceiling of 0.5) is what costs them accuracy.
var PopulationLIFCapped = Condition{Name: "pop-lif-bal-cap", Apply: func(c snn.Config, f float64) snn.Config {
	c = PopulationLIFBalanced.Apply(c, f)
	c.InhibitoryRateCap, c.InhibitoryRateWeight = LIFRateCap, LIFRateCapWeight
	return c
}}

// PopulationLIFCappedStepCorr is "pop-lif-bal-cap" with the step correction of "pop-abs-stepcorr": "pop-lif-bal-stepcorr"
// with the rate cap.
var PopulationLIFCappedStepCorr = withStepCorrection("pop-lif-bal-cap-stepcorr", PopulationLIFCapped)

// PaperConditions are the E/I-population network ("pop-abs"'s sizes and initialisation) with the
// paper's training recipe and with its layer (Cornford et al. 2021; linclab/ltlwdp): "pop-sgd"
// (subtractive inhibition; plain SGD on DANN's corrected gradients, every weight clamped at 0 after the
// step, the paper's DalesANN_cSGD_UpdatePolicy: snn.OptimizerSGD, DANNCorrection, snn.SignClip),
// "pop-shunt" (shunting inhibition, snn.InhibitionShunting, trained as "pop-abs": Adam and |w|) and
// "pop-shunt-sgd" (shunting inhibition with the paper's recipe: the paper's DANN).
func PaperConditions() []Condition {
	paper := func(c snn.Config) snn.Config {
		c.Optimizer, c.DANNCorrection, c.SignParam = snn.OptimizerSGD, true, snn.SignClip
		return c
	}
	shunt := func(c snn.Config) snn.Config {
		c.Inhibition = snn.InhibitionShunting
		return c
	}
	base := PopulationConditions()[0].Apply
	return []Condition{
		{Name: "pop-sgd", Apply: func(c snn.Config, f float64) snn.Config { return paper(base(c, f)) }},
		{Name: "pop-shunt", Apply: func(c snn.Config, f float64) snn.Config { return shunt(base(c, f)) }},
		{Name: "pop-shunt-sgd", Apply: func(c snn.Config, f float64) snn.Config { return paper(shunt(base(c, f))) }},
	}
}

// RuleConditions train the seed's ColumnEI network (Dale on both layers) under the sign-preserving update
// rules added to SignConditions' "clip": "expgrad" and "wiggle". Every rule starts from the same
// effective weights as "abs" (the "both" condition of DaleConditions is the same configuration).
func RuleConditions() []Condition {
	var cs []Condition
	for _, p := range []snn.SignParam{snn.SignExpGrad, snn.SignWiggle} {
		cs = append(cs, Condition{Name: string(p), Apply: func(c snn.Config, f float64) snn.Config {
			c.DalesLaw, c.DaleLayers, c.InhibitoryFraction, c.SignParam = true, snn.DaleBoth, f, p
			return c
		}})
	}
	return cs
}

// PopulationMetricsVersionOf names the definition of PopulationMetrics' numbers for a run of cfg
// (Sweep.ExtraVersionOf): "1" for networks without populations; "2" for E/I-population networks ("1" plus
// "exc_uniform").
func PopulationMetricsVersionOf(cfg snn.Config) string {
	if cfg.Architecture == snn.ArchPopulations {
		return "2"
	}
	return "1"
}

// SpectrumMetricNames are the metrics PopulationMetrics returns for every run (Sweep.ExtraMetrics): the
// NSE of the effective input and readout weights before and after training (for LIF inhibitory units,
// of the input weights' linear part W_EE - W_IE W_EI), and the hidden layer's
// activity on the test set before and after training: "silent_*" the fraction of hidden (excitatory)
// units that never spike, "rate_*" the mean spike count per unit and sample.
func SpectrumMetricNames() []string {
	return []string{"nse_init_w1", "nse_trained_w1", "nse_init_w2", "nse_trained_w2",
		"silent_init", "silent_trained", "rate_init", "rate_trained"}
}

// HiddenActivity returns, for m on d, the fraction of hidden units that never spike and the mean spike
// count per unit and sample (snn.Simulate's counts: the records the readout reads).
func HiddenActivity(m *snn.Model, d *snn.Dataset) (silent, rate float64, err error) {
	r, err := snn.Simulate(m, d)
	if err != nil {
		return 0, 0, err
	}
	H := m.Config.NumHidden
	total := make([]float64, H)
	sum := 0.0
	for _, counts := range r.Hidden {
		for j, c := range counts {
			total[j] += c
			sum += c
		}
	}
	for _, t := range total {
		if t == 0 {
			silent++
		}
	}
	return silent / float64(H), sum / float64(H*len(r.Hidden)), nil
}

// InhibitionMetricNames are the metrics PopulationMetrics adds for an E/I-population run.
func InhibitionMetricNames() []string {
	return []string{"inh_cut", "inh_uniform", "inh_shuffled", "exc_units", "exc_uniform", "inh_share_init", "inh_share_trained"}
}

// PopulationMetrics computes, for Sweep.Extra, the spectra of every run (SpectrumMetricNames) and, for
// an ArchPopulations run, the test accuracy after each edit of its inhibitory pathway on a copy:
// "inh_cut" (inhibitory units silenced), "inh_uniform" (their input weights spread evenly over the fibres),
// "inh_shuffled" (their input weights permuted over the fibres; mean of RandomDraws draws), the count
// control "exc_units" (NumInhibitory random excitatory hidden units silenced; mean of RandomDraws draws),
// and "exc_uniform" (the excitatory input weights spread evenly over the fibres: probe.FlattenExcitation,
// the counterpart of "inh_uniform" on the excitatory pathway).
// "inh_share_init" and "inh_share_trained" describe the size of inhibition: sum f(W_IE) f(W_EI) over
// sum f(W_EE), before and after training.
func PopulationMetrics(x *snn.Experiment) (map[string]float64, error) {
	m := x.Trained
	out := map[string]float64{}
	for _, s := range []struct {
		name string
		w    snn.Matrix
	}{{"nse_init_w1", m.InitialEffectiveW1()}, {"nse_trained_w1", m.EffectiveW1()},
		{"nse_init_w2", m.InitialEffectiveW2()}, {"nse_trained_w2", m.EffectiveW2()}} {
		v, err := NSE(s.w)
		if err != nil {
			return nil, fmt.Errorf("study: %s: %w", s.name, err)
		}
		out[s.name] = v
	}
	for _, a := range []struct {
		suffix string
		m      *snn.Model
	}{{"init", x.Initial}, {"trained", m}} {
		silent, rate, err := HiddenActivity(a.m, x.Test)
		if err != nil {
			return nil, err
		}
		out["silent_"+a.suffix], out["rate_"+a.suffix] = silent, rate
	}
	if m.Pop == nil {
		return out, nil
	}
	ev, err := snn.NewEvaluator(m.Config, nil)
	if err != nil {
		return nil, err
	}
	score := func(a *snn.Model) (float64, error) {
		e, err := ev.Evaluate(a, x.Test)
		if err != nil {
			return 0, err
		}
		return e.Accuracy, nil
	}
	// meanOver scores the edited copies edit(0..draws-1) (seeds drawSeed(Seed, d)) and returns their mean.
	meanOver := func(draws int, edit func(seed uint64) (*snn.Model, error)) (float64, error) {
		sum := 0.0
		for d := 0; d < draws; d++ {
			a, err := edit(drawSeed(x.Config.Seed, d))
			if err != nil {
				return 0, err
			}
			acc, err := score(a)
			if err != nil {
				return 0, err
			}
			sum += acc
		}
		return sum / float64(draws), nil
	}
	for _, edit := range probe.InhibitionEdits {
		draws := 1
		if edit == probe.InhibitionShuffled {
			draws = RandomDraws
		}
		v, err := meanOver(draws, func(seed uint64) (*snn.Model, error) { return probe.EditInhibition(m, edit, seed) })
		if err != nil {
			return nil, err
		}
		out["inh_"+string(edit)] = v
	}
	v, err := meanOver(RandomDraws, func(seed uint64) (*snn.Model, error) {
		units, err := probe.RandomExcitatoryUnits(m.Config.NumHidden, m.Config.NumInhibitory, seed)
		if err != nil {
			return nil, err
		}
		return probe.AblateHidden(m, units, "random excitatory units")
	})
	if err != nil {
		return nil, err
	}
	out["exc_units"] = v
	flat, err := probe.FlattenExcitation(m)
	if err != nil {
		return nil, err
	}
	if out["exc_uniform"], err = score(flat); err != nil {
		return nil, err
	}
	for name, mm := range map[string]*snn.Model{"inh_share_trained": m, "inh_share_init": x.Initial} {
		v, err := InhibitionShare(mm)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

// InhibitionShare is the total weight of the hidden layer's inhibitory pathway, sum f(W_IE) f(W_EI),
// over the total excitatory weight sum f(W_EE), for an ArchPopulations model (1: inhibition cancels
// excitation in total).
func InhibitionShare(m *snn.Model) (float64, error) {
	inh, err := m.InhibitoryPathway()
	if err != nil {
		return 0, err
	}
	exc := m.EffectiveW1()
	si, se := 0.0, 0.0
	for i, v := range inh.Data {
		si += float64(v)
		se += float64(exc.Data[i] + v) // EffectiveW1 = f(W_EE) - pathway
	}
	if se == 0 || math.IsNaN(si/se) {
		return 0, fmt.Errorf("study: InhibitionShare: the excitatory weights sum to %v", se)
	}
	return si / se, nil
}
