package study

import (
	"fmt"
	"sort"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/gonum/stat"
)

// ConditionByName returns the condition of that name among every condition of the package (the Dale,
// sign, rule, population and control conditions), or an error naming it.
func ConditionByName(name string) (Condition, error) {
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
		c, err := ConditionByName(n)
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

// InitialConclusion describes, without training, the initial effective input weights of each named
// condition under base at fraction f, averaged over seeds: their NSE, standard deviation and mean, and for
// E/I-population networks the inhibitory pathway's total weight over the excitatory one.
func InitialConclusion(base snn.Config, f float64, conds []string, seeds []uint64) (Conclusion, error) {
	if len(seeds) == 0 {
		return Conclusion{}, fmt.Errorf("study: InitialConclusion needs seeds")
	}
	var parts []string
	for _, name := range conds {
		c, err := ConditionByName(name)
		if err != nil {
			return Conclusion{}, err
		}
		var nse, sd, mean, share []float64
		for _, s := range seeds {
			cfg := c.Apply(base, f)
			cfg.Seed = s
			m, err := snn.NewModel(cfg)
			if err != nil {
				return Conclusion{}, err
			}
			w := m.InitialEffectiveW1()
			v, err := NSE(w)
			if err != nil {
				return Conclusion{}, err
			}
			data := make([]float64, len(w.Data))
			for i, x := range w.Data {
				data[i] = float64(x)
			}
			mu, sigma := stat.MeanStdDev(data, nil)
			nse, sd, mean = append(nse, v), append(sd, sigma), append(mean, mu)
			if m.Pop != nil {
				sh, err := InhibitionShare(m)
				if err != nil {
					return Conclusion{}, err
				}
				share = append(share, sh)
			}
		}
		p := fmt.Sprintf("%s: NSE %.3f, standard deviation %.3f, mean %+.4f", name, stat.Mean(nse, nil), stat.Mean(sd, nil), stat.Mean(mean, nil))
		if share != nil {
			p += fmt.Sprintf(", inhibition %.2f of excitation", stat.Mean(share, nil))
		}
		parts = append(parts, p)
	}
	return Conclusion{Notes: []string{fmt.Sprintf("Initial effective input weights (mean over seeds %v): %s.", seeds, joinSemicolon(parts)) +
		" These describe the starting points; they are not compared by a test."}}, nil
}

// ActivityConclusion asks whether the E/I-population network's failures are its hidden layer falling
// silent, and whether the two controls of the likely causes change that, one Holm family: the
// seed-scale initialisation (pop-abs-seedscale) and DANN's correction on Adam's steps
// (pop-abs-stepcorr), each against pop-abs, paired by seed. Notes count, per condition in conds, the
// networks whose hidden layer is silent after training (at least 90% of the excitatory units never spike
// on the test set) and give the range of the inhibitory pathway's trained weight.
func ActivityConclusion(runs []RunResult, r Rules, conds []string) (Conclusion, error) {
	ref := Select{"pop-abs", UnconstrainedFraction}
	qs := []Question{
		{"DANN's distributions at the seed's scale", "pop-abs", Select{"pop-abs-seedscale", UnconstrainedFraction}, ref, TestAccuracy, TestAccuracy},
		{"DANN's correction on Adam's steps", "pop-abs", Select{"pop-abs-stepcorr", UnconstrainedFraction}, ref, TestAccuracy, TestAccuracy},
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	var parts []string
	for _, c := range conds {
		sel := Select{c, UnconstrainedFraction}
		silent, err := BySeed(runs, sel, Extra("silent_trained"))
		if err != nil {
			return Conclusion{}, err
		}
		dead := 0
		for _, v := range silent {
			if v >= 0.9 {
				dead++
			}
		}
		p := fmt.Sprintf("%s %d of %d", c, dead, len(silent))
		if share, err := BySeed(runs, sel, Extra("inh_share_trained")); err == nil {
			var xs []float64
			for _, v := range share {
				xs = append(xs, v)
			}
			lo, hi := minMax(xs)
			p += fmt.Sprintf(" (inhibition %.1f to %.1f times excitation after training)", lo, hi)
		}
		parts = append(parts, p)
	}
	return Conclusion{Notes: []string{"Networks whose hidden layer is silent after training (at least 90% of its excitatory units never spike on the test set): " +
		joinSemicolon(parts) + ". Both controls were added after the first pop-abs runs showed silent networks; each was run once, untuned, on the same seeds."},
		Comparisons: cs}, nil
}

// NetworkNote describes one trained E/I-population network on dataset d: its test accuracy, how many
// excitatory units never spike, and its inhibitory pathway's total weight against the excitatory one
// before and after training.
func NetworkNote(label string, initial, trained *snn.Model, d *snn.Dataset) (Conclusion, error) {
	e, err := snn.Evaluate(trained, d, nil)
	if err != nil {
		return Conclusion{}, err
	}
	silent, rate, err := HiddenActivity(trained, d)
	if err != nil {
		return Conclusion{}, err
	}
	s0, err := InhibitionShare(initial)
	if err != nil {
		return Conclusion{}, err
	}
	s1, err := InhibitionShare(trained)
	if err != nil {
		return Conclusion{}, err
	}
	H := trained.Config.NumHidden
	return Conclusion{Notes: []string{fmt.Sprintf("%s (seed %d): test accuracy %.1f%%; %.0f of its %d excitatory units never spike on the test set "+
		"(%.2f spikes per unit and sample); its inhibitory pathway's total weight is %.2f times the excitatory one at initialisation and %.2f after training. "+
		"One network: a description, not a comparison.",
		label, trained.Config.Seed, 100*e.Accuracy, silent*float64(H), H, rate, s0, s1)}}, nil
}
