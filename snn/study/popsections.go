package study

import (
	"fmt"
	"sort"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/gonum/stat"
)

// conditionByName finds a condition among the populations notebook's conditions.
func conditionByName(name string) (Condition, error) {
	all := append(append(append(DaleConditions(), Unconstrained, PopulationSeedScale, PopulationStepCorrection, PopulationLIF),
		SignConditions()...), PopulationConditions()...)
	for _, c := range append(all, RuleConditions()...) {
		if c.Name == name {
			return c, nil
		}
	}
	return Condition{}, fmt.Errorf("study: no condition named %q", name)
}

// ParameterNote states the trainable parameters and hidden units of each named condition under base at
// fraction f (from snn.Config.NumParams), e.g. "both: 6360 parameters, 30 hidden units".
func ParameterNote(base snn.Config, f float64, names ...string) (string, error) {
	var parts []string
	for _, n := range names {
		c, err := conditionByName(n)
		if err != nil {
			return "", err
		}
		cfg := c.Apply(base, f)
		units := fmt.Sprintf("%d hidden units", cfg.NumHidden)
		if cfg.Architecture == snn.ArchPopulations {
			units = fmt.Sprintf("%d excitatory + %d inhibitory hidden units, %d readout inhibitory", cfg.NumHidden, cfg.NumInhibitory, cfg.NumReadoutInhibitory)
		}
		parts = append(parts, fmt.Sprintf("%s: %d trainable parameters, %s", n, cfg.NumParams(), units))
	}
	return "Sizes: " + joinSemicolon(parts) + ".", nil
}

func joinSemicolon(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}

// ArchitectureConclusion judges, in one Holm family fixed before looking, the E/I-population network
// against the seed's ColumnEI network and the unconstrained one, all trained with the notebook's |w|
// and Adam, paired by seed (a seed fixes the data; the initial weights are each architecture's own
// draw from it): pop-abs against ColumnEI ("both") at 0.5 and at 0.2 and against the unconstrained
// network; and pop-clip (the paper's projected update) against ColumnEI at 0.5.
func ArchitectureConclusion(runs []RunResult, r Rules, base snn.Config) (Conclusion, error) {
	pop, popClip := Select{"pop-abs", UnconstrainedFraction}, Select{"pop-clip", UnconstrainedFraction}
	free := Select{"unconstrained", UnconstrainedFraction}
	qs := []Question{
		{"the E/I-population network", "ColumnEI at 0.5", pop, Select{"both", 0.5}, TestAccuracy, TestAccuracy},
		{"the E/I-population network", "ColumnEI at 0.2", pop, Select{"both", 0.2}, TestAccuracy, TestAccuracy},
		{"the E/I-population network", "the unconstrained network", pop, free, TestAccuracy, TestAccuracy},
		{"the E/I-population network with projected gradients", "ColumnEI at 0.5", popClip, Select{"both", 0.5}, TestAccuracy, TestAccuracy},
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	sizes, err := ParameterNote(base, 0.5, "both", "pop-abs", "unconstrained")
	if err != nil {
		return Conclusion{}, err
	}
	return Conclusion{Notes: []string{sizes, "Every network is trained with Adam at the notebook's learning rate; " +
		"the E/I-population network starts from DANN's initialisation and the others from the notebook's uniform draw, " +
		"so the comparison is of architecture and its initialisation together."}, Comparisons: cs}, nil
}

// RuleConclusion judges the sign-preserving update rules against |w| on one network, paired by seed,
// one Holm family: on ColumnEI at fraction f (pop false) clip, expgrad and wiggle against "both" (|w|;
// every rule starts from the same effective weights); on the E/I-population network (pop true)
// pop-clip, pop-expgrad and pop-wiggle against pop-abs (same initial weights).
func RuleConclusion(runs []RunResult, r Rules, f float64, pop bool) (Conclusion, error) {
	ref, prefix, net := Select{"both", f}, "", fmt.Sprintf("ColumnEI at %.1f", f)
	if pop {
		ref, prefix, net = Select{"pop-abs", UnconstrainedFraction}, "pop-", "the E/I-population network"
	}
	var qs []Question
	for _, p := range []snn.SignParam{snn.SignClip, snn.SignExpGrad, snn.SignWiggle} {
		qs = append(qs, Question{fmt.Sprintf("%s [%s]", p, net), "|w|", Select{prefix + string(p), ref.Fraction}, ref, TestAccuracy, TestAccuracy})
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	return Conclusion{Notes: []string{"Every rule starts from the same effective weights as |w| (same seed) and takes Adam's step: " +
		"clip projects it onto w >= 0, wiggle also restarts weights held at 0 at a random 0 to 0.01, " +
		"expgrad applies it multiplicatively (scaled by the matrix's mean initial weight)."}, Comparisons: cs}, nil
}

// InhibitionConclusion judges, for the E/I-population condition cond, whether the trained networks need
// their inhibitory units and what about them (PopulationMetrics, on copies, paired by network), one
// Holm family: inhibitory units silenced, inhibition made uniform over the fibres, and inhibition
// shuffled over the fibres, each against the intact network; and the inhibitory units silenced against
// as many random excitatory units silenced (the count control).
func InhibitionConclusion(runs []RunResult, r Rules, cond string) (Conclusion, error) {
	sel := Select{cond, UnconstrainedFraction}
	qs := []Question{
		{"silencing the inhibitory units", "the intact network", sel, sel, Extra("inh_cut"), TestAccuracy},
		{"uniform inhibition (same total, no fibre preference)", "the intact network", sel, sel, Extra("inh_uniform"), TestAccuracy},
		{"shuffled inhibition (weights permuted over fibres)", "the intact network", sel, sel, Extra("inh_shuffled"), TestAccuracy},
		{"silencing the inhibitory units", "silencing as many random excitatory units", sel, sel, Extra("inh_cut"), Extra("exc_units")},
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	var notes []string
	for _, m := range []string{"inh_share_init", "inh_share_trained"} {
		v, err := BySeed(runs, sel, Extra(m))
		if err != nil {
			return Conclusion{}, err
		}
		var xs []float64
		for _, x := range v {
			xs = append(xs, x)
		}
		sort.Float64s(xs)
		when := "before"
		if m == "inh_share_trained" {
			when = "after"
		}
		notes = append(notes, fmt.Sprintf("The inhibitory pathway's total weight is %.2f to %.2f times the excitatory one %s training (%d networks).",
			xs[0], xs[len(xs)-1], when, len(xs)))
	}
	notes = append(notes, fmt.Sprintf("Network: %s; random edits are the mean of %d draws per network.", cond, RandomDraws))
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// SpectrumConclusion describes the normalised SVD entropy (NSE) of the effective input weights against
// test accuracy, as Li et al. (2023) relate them: over the runs of the ColumnEI fraction sweep
// (condition col, fractions 0..1), Spearman's correlation of accuracy with the NSE at initialisation and
// after training; and per architecture (conds at UnconstrainedFraction or 0.5) the mean NSE before and
// after training beside the mean accuracy. It describes: the fraction moves NSE and accuracy together,
// and architectures differ in more than their spectra.
func SpectrumConclusion(runs []RunResult, col string, conds []string) (Conclusion, error) {
	var init, trained, acc []float64
	fracs, seeds := map[float64]bool{}, map[uint64]bool{}
	for _, r := range runs {
		if r.Condition != col {
			continue
		}
		a, ok1 := r.Extra["nse_init_w1"]
		b, ok2 := r.Extra["nse_trained_w1"]
		if !ok1 || !ok2 {
			return Conclusion{}, fmt.Errorf("study: run %s fraction %v seed %d has no NSE metrics", r.Condition, r.Fraction, r.Seed)
		}
		init, trained, acc = append(init, a), append(trained, b), append(acc, r.TestAccuracy)
		fracs[r.Fraction], seeds[r.Seed] = true, true
	}
	if len(acc) < 3 {
		return Conclusion{}, fmt.Errorf("study: SpectrumConclusion needs at least 3 runs of %q, got %d", col, len(acc))
	}
	var notes []string
	minI, maxI := minMax(init)
	if maxI-minI < 1e-9 {
		notes = append(notes, fmt.Sprintf("Over the %d ColumnEI runs (%d fractions, %d seeds), the NSE of the initial effective input weights is the same "+
			"for every run (%.3f): no correlation with accuracy can be computed.", len(acc), len(fracs), len(seeds), minI))
	} else {
		rho, p, err := Spearman(init, acc)
		if err != nil {
			return Conclusion{}, err
		}
		notes = append(notes, fmt.Sprintf("Over the %d ColumnEI runs (%d fractions, %d seeds), the NSE of the initial effective input weights "+
			"ranges from %.3f to %.3f; its Spearman correlation with test accuracy is rho = %.2f (%s).", len(acc), len(fracs), len(seeds), minI, maxI, rho, pString(p)))
	}
	rho, p, err := Spearman(trained, acc)
	if err != nil {
		return Conclusion{}, err
	}
	minT, maxT := minMax(trained)
	notes = append(notes, fmt.Sprintf("After training it ranges from %.3f to %.3f, with rho = %.2f (%s) against accuracy.", minT, maxT, rho, pString(p)))
	var rows []string
	for _, c := range conds {
		var ni, nt, ac []float64
		for _, r := range runs {
			if r.Condition == c && r.Fraction == UnconstrainedFraction {
				ni, nt, ac = append(ni, r.Extra["nse_init_w1"]), append(nt, r.Extra["nse_trained_w1"]), append(ac, r.TestAccuracy)
			}
		}
		if len(ac) == 0 {
			return Conclusion{}, fmt.Errorf("study: no run of %q at fraction %v", c, UnconstrainedFraction)
		}
		rows = append(rows, fmt.Sprintf("%s %.3f -> %.3f (%.1f%%)", c, stat.Mean(ni, nil), stat.Mean(nt, nil), 100*stat.Mean(ac, nil)))
	}
	notes = append(notes, "Mean NSE of the input weights before -> after training (mean test accuracy), per network: "+joinSemicolon(rows)+
		". These describe; they do not isolate the spectrum from the rest of each architecture.")
	return Conclusion{Notes: notes}, nil
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
