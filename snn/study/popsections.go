package study

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/gonum/stat"
)

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
// Holm family: inhibitory units silenced, inhibition made uniform over the fibres (the same total
// inhibitory weight onto every excitatory unit: the control that keeps the amount of inhibition and
// removes its fibre selectivity), and inhibition shuffled over the fibres, each against the intact
// network; and uniform inhibition against uniform excitation (the excitatory input weights spread evenly
// over the fibres at the same total, "exc_uniform"): which pathway's fibre pattern the network depends on
// more. Silencing changes the net drive as well as removing inhibition, which the notes quantify;
// silencing as many random excitatory units ("exc_units") matches the count only and is not tested.
// Notes also count the networks that are at chance intact (within Rules.Slack), on which no edit can
// show anything, and list the edited networks more than Rules.Slack below chance (they prefer wrong classes).
func InhibitionConclusion(runs []RunResult, r Rules, cond string) (Conclusion, error) {
	sel := Select{cond, UnconstrainedFraction}
	qs := []Question{
		{"silencing the inhibitory units", "the intact network", sel, sel, Extra("inh_cut"), TestAccuracy},
		{"uniform inhibition (same total, no fibre preference)", "the intact network", sel, sel, Extra("inh_uniform"), TestAccuracy},
		{"shuffled inhibition (weights permuted over fibres)", "the intact network", sel, sel, Extra("inh_shuffled"), TestAccuracy},
		{"uniform inhibition", "uniform excitation (same total, no fibre preference)", sel, sel, Extra("inh_uniform"), Extra("exc_uniform")},
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	intact, err := BySeed(runs, sel, TestAccuracy)
	if err != nil {
		return Conclusion{}, err
	}
	atChance := 0
	for _, v := range intact {
		if r.atChance(v) {
			atChance++
		}
	}
	var notes []string
	for _, m := range []string{"inh_share_init", "inh_share_trained"} {
		v, err := BySeed(runs, sel, Extra(m))
		if err != nil {
			return Conclusion{}, err
		}
		xs := seedValues(v)
		lo, hi := minMax(xs)
		when := "before"
		if m == "inh_share_trained" {
			when = "after"
		}
		notes = append(notes, fmt.Sprintf("The inhibitory pathway's total weight is %.2f to %.2f times the excitatory one %s training (%d networks).",
			lo, hi, when, len(xs)))
	}
	var below []string
	for _, e := range []struct{ name, metric string }{{"silencing", "inh_cut"}, {"uniform inhibition", "inh_uniform"},
		{"shuffled inhibition", "inh_shuffled"}, {"uniform excitation", "exc_uniform"}} {
		v, err := BySeed(runs, sel, Extra(e.metric))
		if err != nil {
			return Conclusion{}, err
		}
		var at []string
		for _, seed := range sortedSeeds(v) {
			if v[seed] < r.Chance-r.Slack {
				at = append(at, fmt.Sprintf("seed %d %.1f%%", seed, 100*v[seed]))
			}
		}
		if at != nil {
			below = append(below, fmt.Sprintf("after %s, %s", e.name, strings.Join(at, ", ")))
		}
	}
	if below != nil {
		notes = append(notes, fmt.Sprintf("Below chance by more than %.0f points (%.1f%%): %s. Such an edited network prefers wrong "+
			"classes, so its accuracy no longer measures what the edit left of the task, and a comparison of two edits that "+
			"leave networks near or below chance says little about which pathway matters more.",
			r.Scale*r.Slack, 100*r.Chance, strings.Join(below, "; ")))
	}
	notes = append(notes, fmt.Sprintf("Network: %s; %d of its %d networks are at chance intact (within %.0f points), where no edit can show anything; "+
		"shuffling is the mean of %d draws per network. Silencing the inhibitory units also leaves the excitatory drive unopposed; "+
		"uniform inhibition keeps its amount.", cond, atChance, len(intact), r.Scale*r.Slack, RandomDraws))
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// SpectrumConclusion describes the normalised SVD entropy (NSE) of the effective input weights against
// test accuracy, as Li et al. (2023) relate them, without counting one network twice:
//
//   - ColumnEI at initialisation (condition col, every fraction): the effective weights are sign(row)|W|
//     for the seed's draw W, so a seed's NSE is the same at every fraction (rows' signs do not change
//     singular values). The note says whether that holds in the runs (to 1e-9), and gives, within each
//     fraction, Spearman's correlation of the seeds' NSE with their accuracy (median and range over
//     fractions; with few seeds each, a description).
//   - ColumnEI after training (each run its own network): the same per-fraction correlations, and the
//     correlation across all runs, which the fraction drives on both axes (a description).
//   - the trained ColumnEI networks at chance (within r.Slack), by fraction: every correlation above
//     includes them, so the across-all correlation is also given without them;
//   - per network (conds at fraction f): mean NSE before and after training beside mean accuracy.
//
// NSE values are rounded to 1e-9 before ranking, so that SVD rounding never orders ties.
func SpectrumConclusion(runs []RunResult, r Rules, col string, conds []string, f float64) (Conclusion, error) {
	round := func(v float64) float64 { return math.Round(v*1e9) / 1e9 }
	type point struct{ init, trained, acc, frac float64 }
	byFrac := map[float64][]point{}
	bySeed := map[uint64][]float64{}
	var all []point
	for _, x := range runs {
		if x.Condition != col {
			continue
		}
		a, ok1 := x.Extra["nse_init_w1"]
		b, ok2 := x.Extra["nse_trained_w1"]
		if !ok1 || !ok2 {
			return Conclusion{}, fmt.Errorf("study: run %s fraction %v seed %d has no NSE metrics (want nse_init_w1, nse_trained_w1)", x.Condition, x.Fraction, x.Seed)
		}
		p := point{round(a), round(b), x.TestAccuracy, x.Fraction}
		byFrac[x.Fraction] = append(byFrac[x.Fraction], p)
		bySeed[x.Seed] = append(bySeed[x.Seed], p.init)
		all = append(all, p)
	}
	if len(all) < 3 {
		return Conclusion{}, fmt.Errorf("study: SpectrumConclusion needs 3 or more runs of %q, got %d", col, len(all))
	}
	perSeedConstant := true
	for _, v := range bySeed {
		lo, hi := minMax(v)
		perSeedConstant = perSeedConstant && hi-lo <= 1e-9
	}
	within := func(get func(point) float64) (median, lo, hi float64, n int) {
		var rhos []float64
		for _, ps := range byFrac {
			var x, y []float64
			for _, p := range ps {
				x, y = append(x, get(p)), append(y, p.acc)
			}
			if rho, _, err := Spearman(x, y); err == nil {
				rhos = append(rhos, rho)
			}
		}
		if len(rhos) == 0 {
			return math.NaN(), math.NaN(), math.NaN(), 0
		}
		sort.Float64s(rhos)
		return stat.Quantile(0.5, stat.Empirical, rhos, nil), rhos[0], rhos[len(rhos)-1], len(rhos)
	}
	var notes []string
	var inits []float64
	for _, p := range all {
		inits = append(inits, p.init)
	}
	lo, hi := minMax(inits)
	head := fmt.Sprintf("ColumnEI (%d runs: %d fractions, %d seeds): at initialisation the NSE of the effective input weights ranges from %.3f to %.3f",
		len(all), len(byFrac), len(bySeed), lo, hi)
	if perSeedConstant {
		head += "; each seed's NSE is the same at every fraction (to 1e-9), because the effective weights are sign(row) |W| for the seed's draw W " +
			"and the signs of rows do not change singular values, so it cannot predict the effect of the fraction"
	}
	notes = append(notes, head+".")
	describe := func(what string, get func(point) float64) string {
		med, l, h, n := within(get)
		if n == 0 {
			return fmt.Sprintf("%s: no fraction has 3 or more seeds with NSE and accuracy both varying, so no correlation within a fraction.", what)
		}
		return fmt.Sprintf("%s: within a fraction, the Spearman correlation of the seeds' NSE with their test accuracy has median rho = %.2f "+
			"(from %.2f to %.2f over %d fractions; %d seeds each, a description, not a test).", what, med, l, h, n, len(bySeed))
	}
	notes = append(notes, describe("At initialisation", func(p point) float64 { return p.init }))
	var tr, acc, fracs []float64
	for _, p := range all {
		tr, acc, fracs = append(tr, p.trained), append(acc, p.acc), append(fracs, p.frac)
	}
	tlo, thi := minMax(tr)
	rho, _, err := Spearman(tr, acc)
	if err != nil {
		return Conclusion{}, err
	}
	notes = append(notes, describe(fmt.Sprintf("After training (NSE %.3f to %.3f)", tlo, thi), func(p point) float64 { return p.trained }),
		fmt.Sprintf("Across all %d trained ColumnEI networks rho = %.2f, a description without a p-value: the networks share %d seeds "+
			"(one value per seed is the unit of a test), and the fraction moves both NSE and accuracy, so this does not say that one drives the other.",
			len(all), rho, len(bySeed)))
	if n := chanceNetworks(acc, fracs, tr, r); n != "" {
		notes = append(notes, n)
	}
	var rows []string
	for _, c := range conds {
		var ni, nt, ac []float64
		for _, x := range runs {
			if x.Condition == c && x.Fraction == f {
				ni, nt, ac = append(ni, x.Extra["nse_init_w1"]), append(nt, x.Extra["nse_trained_w1"]), append(ac, x.TestAccuracy)
			}
		}
		if len(ac) == 0 {
			return Conclusion{}, fmt.Errorf("study: no run of %q at fraction %v", c, f)
		}
		rows = append(rows, fmt.Sprintf("%s %.3f -> %.3f (%.1f%%)", c, stat.Mean(ni, nil), stat.Mean(nt, nil), 100*stat.Mean(ac, nil)))
	}
	notes = append(notes, fmt.Sprintf("Mean NSE of the input weights before -> after training (mean test accuracy), per network at fraction %.1f: %s. "+
		"These describe; they do not isolate the spectrum from the rest of each architecture.", f, joinSemicolon(rows)))
	return Conclusion{Notes: notes}, nil
}

// chanceNetworks says how many of the networks (their test accuracies acc, fractions frac and trained NSE
// nse, by network) are at chance (Rules.atChance), by fraction, that every correlation above includes them,
// and the across-all correlation without them; "" when none is.
func chanceNetworks(acc, frac, nse []float64, r Rules) string {
	count, total := map[float64]int{}, map[float64]int{}
	var others, othersAcc []float64
	at := 0
	for i, a := range acc {
		total[frac[i]]++
		if r.atChance(a) {
			count[frac[i]]++
			at++
			continue
		}
		others, othersAcc = append(others, nse[i]), append(othersAcc, a)
	}
	if at == 0 {
		return ""
	}
	var fs []float64
	for f := range count {
		fs = append(fs, f)
	}
	sort.Float64s(fs)
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("fraction %.1f: %d of %d", f, count[f], total[f])
	}
	without := "too few others for a correlation"
	if rho, _, err := Spearman(others, othersAcc); err == nil {
		without = fmt.Sprintf("across the other %d, rho = %.2f", len(others), rho)
	}
	return fmt.Sprintf("%d of the %d trained networks are at chance (within %.0f %s of %.1f%%; %s): they did not learn, and every "+
		"correlation above includes them; %s.", at, len(acc), r.Scale*r.Slack, r.Unit, 100*r.Chance, strings.Join(parts, ", "), without)
}

// sortedSeeds returns the seeds of a BySeed map in order.
func sortedSeeds(m map[uint64]float64) []uint64 {
	seeds := make([]uint64, 0, len(m))
	for s := range m {
		seeds = append(seeds, s)
	}
	sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
	return seeds
}

// seedValues returns the values of a BySeed map in seed order.
func seedValues(m map[uint64]float64) []float64 {
	seeds := sortedSeeds(m)
	out := make([]float64, len(seeds))
	for i, s := range seeds {
		out[i] = m[s]
	}
	return out
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

// ActivityConclusion describes the hidden layer's activity and asks whether two controls of the likely
// causes of the E/I-population network's lower, seed-variable accuracy change it, one Holm family: the
// seed-scale initialisation (pop-abs-seedscale) and DANN's factors on Adam's steps (pop-abs-stepcorr), each
// against pop-abs, paired by seed. The notes give, per condition in conds (at UnconstrainedFraction; include
// "unconstrained" and "both" for reference), the mean and range over seeds of the fraction of (excitatory)
// hidden units that never spike on the whole test set after training, and, for E/I-population networks,
// of the inhibitory pathway's trained weight over the excitatory one (for LIF inhibitory units a ratio of
// weights only: their spikes, not the weights, set the inhibition).
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
	best, bestAcc, bestSilent := "", math.Inf(-1), 0.0
	for _, c := range conds {
		sel := Select{c, UnconstrainedFraction}
		silent, err := BySeed(runs, sel, Extra("silent_trained"))
		if err != nil {
			return Conclusion{}, err
		}
		acc, err := BySeed(runs, sel, TestAccuracy)
		if err != nil {
			return Conclusion{}, err
		}
		xs, as, _, err := Pair(silent, acc)
		if err != nil {
			return Conclusion{}, err
		}
		if m := stat.Mean(as, nil); m > bestAcc {
			best, bestAcc, bestSilent = c, m, stat.Mean(xs, nil)
		}
		lo, hi := minMax(xs)
		p := fmt.Sprintf("%s %.0f%% (%.0f to %.0f)", c, 100*stat.Mean(xs, nil), 100*lo, 100*hi)
		if share, err := BySeed(runs, sel, Extra("inh_share_trained")); err == nil {
			slo, shi := minMax(seedValues(share))
			p += fmt.Sprintf(", inhibition %.1f to %.1f times excitation", slo, shi)
		}
		parts = append(parts, p)
	}
	notes := []string{"Hidden (excitatory) units that never spike on the whole test set after training, mean (range) over seeds: " + joinSemicolon(parts) + ".",
		fmt.Sprintf("The most accurate of these networks, %s (mean %.1f%%), has %.0f%% of its units silent on average, so silence is described here, not offered as a cause.",
			best, r.Scale*bestAcc, 100*bestSilent),
		"Both controls were added after the first pop-abs runs; each was run once, untuned, on the same seeds."}
	return Conclusion{Notes: notes, Comparisons: cs}, nil
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
