package study

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// Conclusion is what one section of the controls notebook concludes: its judged comparisons (one
// Holm family) and the descriptive notes that go with them, every number computed from the runs.
type Conclusion struct {
	Notes       []string
	Comparisons []Comparison
}

// Text is the conclusion in Markdown: the section's verdicts first (how many comparisons found a
// difference, an equivalence, a floor or ceiling, or neither), then the comparisons as a table, one per
// row (means, the paired difference with its interval, Holm's p, TOST's Holm p, the detectable
// difference and the verdict), then the notes as
// bullets. A conclusion without comparisons is its first note, then the others as bullets.
func (c Conclusion) Text() string {
	var b strings.Builder
	b.WriteString("**Conclusion.**")
	notes := c.Notes
	switch {
	case len(c.Comparisons) > 0:
		b.WriteString(" " + c.headline() + "\n\n" + c.table())
	case len(notes) > 0: // descriptive only: the first finding is the headline
		b.WriteString(" " + notes[0])
		notes = notes[1:]
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		for _, n := range notes {
			b.WriteString("\n- " + n)
		}
	}
	return b.String()
}

// headline counts the comparisons by verdict, in one sentence.
func (c Conclusion) headline() string {
	count := map[Verdict]int{}
	for _, q := range c.Comparisons {
		count[q.Verdict]++
	}
	r, first := c.Comparisons[0].Rules, c.Comparisons[0]
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	margin := fmt.Sprintf(" within ±%.1f %s", r.Scale*r.Margin, r.Unit)
	add(count[Higher]+count[Lower], "shows a difference", "show a difference")
	add(count[Equivalent], "shows equivalence"+margin, "show equivalence"+margin)
	add(count[Floor], "sits at the floor of chance (uninformative)", "sit at the floor of chance (uninformative)")
	add(count[Ceiling], "sits at the ceiling (uninformative)", "sit at the ceiling (uninformative)")
	add(count[NoSpread], "has no spread (no test)", "have no spread (no test)")
	add(count[NotDistinguishable], "is not distinguishable", "are not distinguishable")
	return fmt.Sprintf("Of %d comparisons (one Holm family at level %g, paired by seed over %d seeds): %s.", len(c.Comparisons),
		r.Alpha, len(first.Paired.Diff), joinAnd(parts))
}

// table is one Markdown row per comparison: A, B, their means, the paired difference A - B with its
// unadjusted interval, Holm's p, TOST's Holm-adjusted p, the detectable difference (Comparison.Detectable)
// and the verdict, then a footnote saying what each column is.
func (c Conclusion) table() string {
	r := c.Comparisons[0].Rules
	s := func(v float64) string { return fmt.Sprintf("%.1f", r.Scale*v) }
	var b strings.Builder
	fmt.Fprintf(&b, "| A | B | mean A | mean B | A - B (unadjusted %.0f%% CI) | Holm p | TOST p (Holm) | detectable | verdict |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n",
		100*c.Comparisons[0].Paired.CI.Level)
	for _, q := range c.Comparisons {
		d := q.Paired.CI
		verdict := string(q.Verdict)
		switch q.Verdict {
		case Higher:
			verdict = "A higher"
		case Lower:
			verdict = "A lower"
		case Equivalent:
			verdict = fmt.Sprintf("equivalent within ±%s %s", s(r.Margin), r.Unit)
		case NotDistinguishable:
			if q.Paired.P < r.Alpha {
				verdict += " (the unadjusted interval excludes 0; Holm does not)"
			}
		}
		detectable := "-"
		if v, ok := q.Detectable(); ok {
			detectable = s(v)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s [%s, %s] | %s | %s | %s | %s |\n", cell(q.A), cell(q.B), s(q.MeanA.Mean), s(q.MeanB.Mean),
			s(d.Mean), s(d.Low), s(d.High), formatP(q.PAdjusted), formatP(q.TOSTAdjusted), detectable, verdict)
	}
	fmt.Fprintf(&b, "\nHolm p: the paired t test, adjusted over the %d comparisons. TOST p: equivalence within ±%s %s, "+
		"Holm-adjusted likewise; %s. Detectable: the difference (%s) these seeds detect with 80%% power at the unadjusted level, "+
		"from the observed spread (post hoc; Holm's correction needs more).\n", len(c.Comparisons), s(r.Margin), r.Unit,
		tostIntervalNote(r.Alpha, len(c.Comparisons), c.Comparisons[0].Paired.CI.Level), r.Unit)
	if n := c.chanceRuns(); n != "" {
		b.WriteString("\n" + n + "\n")
	}
	if n := c.floorBound(); n != "" {
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}

// cell is s as a Markdown table cell: a "|" (as in "LIF |w|") would otherwise end the cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// floorBound names the differences found where one side's mean is at chance (within Rules.Slack) and
// the other's is not: the floor bounds such a difference, which then says that the condition at chance
// leaves nothing of the task, not how large its effect would be without the floor. (Both sides at chance
// is the Floor verdict.)
func (c Conclusion) floorBound() string {
	var at []string
	for _, q := range c.Comparisons {
		r := q.Rules
		if q.Verdict != Higher && q.Verdict != Lower {
			continue
		}
		for _, side := range []struct {
			name        string
			mean, other float64
		}{{q.A, q.MeanA.Mean, q.MeanB.Mean}, {q.B, q.MeanB.Mean, q.MeanA.Mean}} {
			if r.atChance(side.mean) && !r.atChance(side.other) {
				other := q.B
				if side.name == q.B {
					other = q.A
				}
				at = append(at, fmt.Sprintf("%s (%.1f%%) against %s", side.name, r.Scale*side.mean, other))
			}
		}
	}
	if len(at) == 0 {
		return ""
	}
	r := c.Comparisons[0].Rules
	return fmt.Sprintf("At chance (within %.0f %s of %.1f%%) on one side of a difference found: %s. The floor bounds such a difference: it says "+
		"that the condition at chance leaves nothing of the task, not how large its effect would be without the floor.",
		r.Scale*r.Slack, r.Unit, r.Scale*r.Chance, strings.Join(at, "; "))
}

// chanceRuns lists the runs at chance (within Rules.Slack) of a condition whose mean is not: a run that
// did not learn counts in its condition's mean and spread like any other. A condition is its data (its
// values by seed), so one met under two names is listed once, by the first name met; a name that two
// different conditions share (a control's name in several settings) is qualified by the other side of
// its comparison. Conditions in the order met, "" when there are none.
func (c Conclusion) chanceRuns() string {
	type entry struct {
		name, against string
		seeds         []string
	}
	var order []string
	entries := map[string]*entry{}
	keysOf := map[string]map[string]bool{} // name -> the data keys it labels
	for _, q := range c.Comparisons {
		r := q.Rules
		for _, side := range []struct {
			name, against string
			mean          float64
			v             []float64
		}{{q.A, q.B, q.MeanA.Mean, q.ValuesA}, {q.B, q.A, q.MeanB.Mean, q.ValuesB}} {
			if r.atChance(side.mean) {
				continue
			}
			key := fmt.Sprint(q.Seeds, side.v)
			if keysOf[side.name] == nil {
				keysOf[side.name] = map[string]bool{}
			}
			keysOf[side.name][key] = true
			if entries[key] != nil {
				continue
			}
			e := &entry{name: side.name, against: side.against}
			for i, v := range side.v {
				if !r.atChance(v) {
					continue
				}
				seed := fmt.Sprintf("value %d", i+1)
				if i < len(q.Seeds) {
					seed = fmt.Sprintf("seed %d", q.Seeds[i])
				}
				e.seeds = append(e.seeds, fmt.Sprintf("%s (%.1f%%)", seed, 100*v))
			}
			entries[key] = e
			if e.seeds != nil {
				order = append(order, key)
			}
		}
	}
	if order == nil {
		return ""
	}
	out := make([]string, len(order))
	for i, k := range order {
		e := entries[k]
		name := e.name
		if len(keysOf[e.name]) > 1 {
			name += " (against " + e.against + ")"
		}
		out[i] = name + ": " + strings.Join(e.seeds, ", ")
	}
	r := c.Comparisons[0].Rules
	return fmt.Sprintf("At chance (within %.0f %s of %.1f%%) in a condition whose mean is not, and kept in its mean and spread: %s.",
		r.Scale*r.Slack, r.Unit, 100*r.Chance, strings.Join(out, "; "))
}

// joinAnd joins words as "a, b and c".
func joinAnd(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// Verdicts returns the verdict of each comparison, keyed "A vs B".
func (c Conclusion) Verdicts() map[string]Verdict {
	out := map[string]Verdict{}
	for _, q := range c.Comparisons {
		out[q.A+" vs "+q.B] = q.Verdict
	}
	return out
}

// UnconstrainedFraction is the fraction under which the unconstrained runs of a sweep are cached (their
// fraction is ignored).
const UnconstrainedFraction = 0.5

// SweepConclusion judges the fraction sweeps (conditions both, input, hidden at fractions 0..1 and the
// unconstrained network, paired by seed: a seed fixes the data and the initial raw weights). Its family,
// fixed before looking: Dale on both layers at the notebook's fractions 0.5 and 0.2 and at 0 against the
// unconstrained network; all-excitatory inputs (input only, 0) against an all-excitatory hidden layer
// (hidden only, 0); an all-inhibitory hidden layer (hidden only, 1) against the unconstrained network.
// The fraction with the highest mean is reported as a description, not tested (it is chosen by looking).
func SweepConclusion(runs []RunResult, r Rules) (Conclusion, error) {
	free := Select{"unconstrained", UnconstrainedFraction}
	at := func(c string, f float64) Select { return Select{c, f} }
	name := func(c string, f float64) string { return fmt.Sprintf("Dale's law on %s at %.1f", c, f) }
	qs := []Question{
		{name("both", 0.5), "the unconstrained network", at("both", 0.5), free, TestAccuracy, TestAccuracy},
		{name("both", 0.2), "the unconstrained network", at("both", 0.2), free, TestAccuracy, TestAccuracy},
		{name("both", 0), "the unconstrained network", at("both", 0), free, TestAccuracy, TestAccuracy},
		{"an all-excitatory input layer (input only, 0)", "an all-excitatory hidden layer (hidden only, 0)", at("input", 0), at("hidden", 0), TestAccuracy, TestAccuracy},
		{"an all-inhibitory hidden layer (hidden only, 1)", "the unconstrained network", at("hidden", 1), free, TestAccuracy, TestAccuracy},
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	var notes []string
	for _, c := range []string{"both", "input", "hidden"} {
		best, bestMean, n := math.NaN(), math.Inf(-1), 0
		for _, row := range Summarise(runs) {
			if row.Condition == c && row.Mean > bestMean {
				best, bestMean, n = row.Fraction, row.Mean, len(row.Accuracies)
			}
		}
		if n > 0 {
			notes = append(notes, fmt.Sprintf("With Dale's law on %s, the highest mean is at fraction %.1f (%.1f%%, %d seeds; descriptive, not tested).",
				c, best, r.Scale*bestMean, n))
		}
	}
	notes = append(notes, "All these sweeps use the notebook's blocked mask.",
		"A network under Dale's law starts from the effective weights |w|·sign of its seed's raw draw w, the unconstrained "+
			"network from w itself: each comparison with the unconstrained network differs in the initial effective weights "+
			"(all of one sign at fraction 0) as well as in the constraint.",
		"The all-excitatory input layer against the all-excitatory hidden layer constrains a different layer in each network: "+
			"it compares the two layers' constraints, not the cost of constraining the input layer against no constraint.")
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// AblationConclusion judges the ablations of the inhibitory input rows against their controls, for every
// mask layout and fraction in the runs (conditions "blocked" and "random" of snn.LayoutConditions, with
// AblationMetrics): the inhibitory cut against the position-matched excitatory rows, k random
// excitatory rows and k random rows of any sign (both averaged over RandomDraws draws per network),
// paired by network, all in one Holm family. Notes say how many matched rows come from the other ear
// (except where the matched cut is every excitatory row, below).
// Where the matched cut and the k random excitatory rows are the same rows on every seed
// (ExcitatoryControlsCoincide for the network of base at that layout, fraction and seed: k is every
// excitatory row), they are one comparison, not two copies of one test in the family, and a note says so
// and whether any verdict differs in the plan's family, which counts both.
func AblationConclusion(runs []RunResult, r Rules, base snn.Config, layouts []string, fractions []float64) (Conclusion, error) {
	var qs, planned []Question // the family judged; the plan's, with both coincident controls
	var at []int               // at[i]: qs[i]'s place in planned
	var notes, shares []string
	for _, l := range layouts {
		for _, f := range fractions {
			sel := Select{l, f}
			label := fmt.Sprintf("%s %.1f", l, f)
			other, err := BySeed(runs, sel, Extra("matched_other_ear"))
			if err != nil {
				return Conclusion{}, err
			}
			k, err := BySeed(runs, sel, Extra("matched_max_delay_diff"))
			if err != nil {
				return Conclusion{}, err
			}
			var v, maxDiff []float64
			for seed, o := range other {
				v, maxDiff = append(v, o), append(maxDiff, k[seed])
			}
			cut, err := BySeed(runs, sel, Extra("cut_rows"))
			if err != nil {
				return Conclusion{}, err
			}
			rows := 0
			for _, c := range cut {
				rows = int(c) // the same for every seed: the mask's size depends on the fraction only
			}
			same, err := controlsCoincide(base, l, f, other)
			if err != nil {
				return Conclusion{}, err
			}
			controls := []struct {
				name string
				cut  probe.Cut
			}{{"the position-matched excitatory cut", probe.CutMatched}, {"k random excitatory rows", probe.CutRandomExcitatory},
				{"k random rows", probe.CutRandom}}
			lo, hi := floats.Min(v), floats.Max(v)
			switch {
			case same: // the matching's ears and delays say nothing about a cut of every excitatory row
				notes = append(notes, fmt.Sprintf("At %s, k = %d is every excitatory input row: the matched cut and each "+
					"draw of k random excitatory rows cut all of them on every seed, so they are one comparison.", label, rows))
				if err := sameAccuracies(runs, sel, probe.CutMatched, probe.CutRandomExcitatory); err != nil {
					return Conclusion{}, err
				}
				controls = slices.Delete(controls, 1, 2)
				controls[0].name = fmt.Sprintf("all %d excitatory rows (the matched cut = k random excitatory rows)", rows)
			case lo == hi:
				notes = append(notes, fmt.Sprintf("At %s, %.0f of the %d matched rows are in the other ear on every seed (largest delay difference %.0f steps).",
					label, lo, rows, floats.Max(maxDiff)))
				if lo > 0 {
					controls[0].name = fmt.Sprintf("the matched excitatory cut (%.0f of %d rows in the other ear)", lo, rows)
				}
			default:
				notes = append(notes, fmt.Sprintf("At %s, %.1f of the %d matched rows are in the other ear on average over seeds (%.0f to %.0f; largest delay difference %.0f steps).",
					label, stat.Mean(v, nil), rows, lo, hi, floats.Max(maxDiff)))
			}
			if !same {
				shares = append(shares, fmt.Sprintf("at %s %d of the %d", label, rows, base.NumInputs()-rows))
			}
			inh := "the inhibitory cut [" + label + "]"
			for _, c := range controls {
				q := Question{inh, c.name, sel, sel, Extra("ablate_" + string(probe.CutInhibitory)), Extra("ablate_" + string(c.cut))}
				qs, at = append(qs, q), append(at, len(planned))
				planned = append(planned, q)
			}
			if same { // the plan's family, fixed before the runs, asks about both controls
				q := Question{inh, "k random excitatory rows", sel, sel, Extra("ablate_" + string(probe.CutInhibitory)),
					Extra("ablate_" + string(probe.CutRandomExcitatory))}
				planned = slices.Insert(planned, at[len(at)-2]+1, q)
				at[len(at)-1]++
			}
		}
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	intact, err := intactNote(runs, r, layouts, fractions)
	if err != nil {
		return Conclusion{}, err
	}
	notes = append(notes, intact)
	if shares != nil {
		notes = append(notes, "The inhibitory cut removes every inhibitory input row, the excitatory controls a share of the excitatory "+
			"rows ("+strings.Join(shares, ", ")+"), and no cut is matched in summed weight; the random controls also differ from the "+
			"inhibitory cut in position (their rows spread over both ears and all delays). So a lower verdict against k random "+
			"(excitatory) rows does not isolate sign. The position-matched cut is matched in position (not in ear where a note "+
			"above says so), but like every excitatory control it still differs from the inhibitory cut in the share of its class "+
			"it removes and in summed weight.")
	}
	for _, c := range cs {
		near := func(m float64) bool { return math.Abs(m-r.Chance) <= nearFloor*r.Slack }
		if strings.Contains(c.B, "matched") && c.Verdict != Floor && near(c.MeanA.Mean) && near(c.MeanB.Mean) {
			notes = append(notes, fmt.Sprintf("%s and %s both leave the network within %.0f %s of chance (%.1f%% and %.1f%%, chance "+
				"%.1f%%): so little is left that this comparison cannot tell position from sign.", upperFirst(c.A), c.B, r.Scale*nearFloor*r.Slack,
				r.Unit, r.Scale*c.MeanA.Mean, r.Scale*c.MeanB.Mean, r.Scale*r.Chance))
		}
	}
	if len(planned) > len(qs) {
		ps, err := Ask(runs, r, planned)
		if err != nil {
			return Conclusion{}, err
		}
		var differ []string
		for i, c := range cs {
			if p := ps[at[i]]; p.Verdict != c.Verdict {
				differ = append(differ, fmt.Sprintf("%s vs %s: %s there", c.A, c.B, p.Verdict))
			}
		}
		n := fmt.Sprintf("The plan's family, fixed before the runs, counts each such comparison twice (once as the matched cut, "+
			"once as the k random excitatory rows: %d comparisons, not %d), so its adjusted p-values are no smaller; ", len(planned), len(qs))
		if differ == nil {
			n += "in it every verdict is the same."
		} else {
			n += "in it these verdicts differ: " + strings.Join(differ, "; ") + "."
		}
		var near []string // the comparisons against a matched cut whose unadjusted interval excludes 0: their p there
		for i, c := range cs {
			if strings.Contains(c.B, "matched") && c.Verdict != Floor && (c.Paired.CI.Low > 0 || c.Paired.CI.High < 0) {
				near = append(near, fmt.Sprintf("%s vs %s Holm %s (%s here)", c.A, c.B, pString(ps[at[i]].PAdjusted), pString(c.PAdjusted)))
			}
		}
		if near != nil {
			n += " Against the matched cut there: " + strings.Join(near, "; ") + "."
		}
		notes = append(notes, n)
	}
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// sameAccuracies checks that the runs at sel measured the same accuracy after cuts a and b on every seed
// (within 1e-9: a random cut's value is the mean of its draws), as cuts of the same rows must: runs computed
// from another configuration than the one ExcitatoryControlsCoincide was asked about would not.
func sameAccuracies(runs []RunResult, sel Select, a, b probe.Cut) error {
	va, err := BySeed(runs, sel, Extra("ablate_"+string(a)))
	if err != nil {
		return err
	}
	vb, err := BySeed(runs, sel, Extra("ablate_"+string(b)))
	if err != nil {
		return err
	}
	for _, seed := range sortedSeeds(va) {
		x := va[seed]
		if y, ok := vb[seed]; !ok || math.Abs(x-y) > 1e-9 {
			return fmt.Errorf("study: at %s %v the cuts %q and %q are the same rows in the configuration given, but seed %d's "+
				"runs scored %v and %v after them: the runs were not computed from that configuration", sel.Condition, sel.Fraction,
				a, b, seed, x, vb[seed])
		}
	}
	return nil
}

// controlsCoincide reports whether ExcitatoryControlsCoincide holds for the network of every seed of
// bySeed (the runs' seeds) at layout and fraction f, from base.
func controlsCoincide(base snn.Config, layout string, f float64, bySeed map[uint64]float64) (bool, error) {
	c, err := ConditionByName(layout)
	if err != nil {
		return false, err
	}
	for seed := range bySeed {
		cfg := c.Apply(base, f)
		cfg.Seed = seed
		same, err := ExcitatoryControlsCoincide(cfg)
		if err != nil || !same {
			return false, err
		}
	}
	return len(bySeed) > 0, nil
}

// HiddenConclusion judges, per layout and fraction, the mean accuracy with one inhibitory hidden unit
// silenced against one excitatory unit silenced (hidden_inh_mean vs hidden_exc_mean of
// AblationMetrics), paired by network (seed), in one Holm family.
func HiddenConclusion(runs []RunResult, r Rules, layouts []string, fractions []float64) (Conclusion, error) {
	var qs []Question
	for _, l := range layouts {
		for _, f := range fractions {
			sel := Select{l, f}
			qs = append(qs, Question{fmt.Sprintf("silencing an inhibitory hidden unit [%s %.1f]", l, f), "silencing an excitatory one",
				sel, sel, Extra("hidden_inh_mean"), Extra("hidden_exc_mean")})
		}
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	intact, err := intactNote(runs, r, layouts, fractions)
	if err != nil {
		return Conclusion{}, err
	}
	notes := []string{"Each value is a network's mean test accuracy over its units of one sign, each silenced alone; " +
		"intervals are across networks (seeds). " + intact}
	for i, f := range fractions {
		if f != 0.5 {
			notes = append(notes, fmt.Sprintf("At fraction %.1f the inhibitory units are %.0f%% of the hidden units and the excitatory "+
				"%.0f%%: a silenced unit is a different share of its class for each sign, so the comparison confounds sign with that share.",
				f, 100*f, 100*(1-f)))
		}
		if len(layouts) > 1 && !allSameVerdict(cs, i, len(fractions), len(layouts)) {
			var verdicts []string
			for j, l := range layouts {
				verdicts = append(verdicts, fmt.Sprintf("%s: %s", l, cs[j*len(fractions)+i].Verdict))
			}
			notes = append(notes, fmt.Sprintf("At fraction %.1f the verdicts differ between the masks (%s): a sign effect is "+
				"shown under one mask only there; the masks were not compared by a test (that is the mask-by-sign interaction).",
				f, strings.Join(verdicts, ", ")))
		}
	}
	return Conclusion{Notes: notes, Comparisons: cs}, nil
}

// SignConclusion judges each sign parametrisation against abs at fraction f, paired by seed (runs of
// snn.SignConditions, which start from the same effective weights under snn.SignInitMatched).
func SignConclusion(runs []RunResult, r Rules, f float64) (Conclusion, error) {
	abs := Select{string(snn.SignAbs), f}
	var qs []Question
	for _, p := range []snn.SignParam{snn.SignReLU, snn.SignSoftplus, snn.SignClip} {
		qs = append(qs, Question{string(p), "abs", Select{string(p), f}, abs, TestAccuracy, TestAccuracy})
	}
	cs, err := Ask(runs, r, qs)
	if err != nil {
		return Conclusion{}, err
	}
	return Conclusion{Notes: []string{"Every parametrisation starts from the same effective weights as abs (same seed)."}, Comparisons: cs}, nil
}

// tostIntervalNote says which interval of the difference a TOST verdict matches: unadjusted, TOST at alpha
// holds when the (1 - 2 alpha) interval lies inside the margin; Holm's adjustment over m comparisons asks
// more, down to the (1 - 2 alpha/m) interval for the smallest of the m TOST p-values. shown is the level
// of the interval the table prints.
func tostIntervalNote(alpha float64, m int, shown float64) string {
	unadjusted := fmt.Sprintf("unadjusted, TOST at %g holds when the %s interval of the difference lies inside the margin, not the %s interval shown",
		alpha, levelString(1-2*alpha), levelString(shown))
	if m < 2 {
		return unadjusted
	}
	return fmt.Sprintf("%s; Holm's adjustment asks more: the smallest of the %d TOST p-values holds when the %s interval lies inside",
		unadjusted, m, levelString(1-2*alpha/float64(m)))
}

// levelString is a confidence level as a percentage with as many decimals as it needs (90%, 96.7%, 99.2%,
// 99.98% for a family of 500), never rounded up to 100%.
func levelString(level float64) string {
	v := 100 * level
	if math.Abs(v-math.Round(v)) < 1e-9 {
		return fmt.Sprintf("%.0f%%", v)
	}
	for d := 1; d < 6; d++ {
		if t := fmt.Sprintf("%.*f", d, v); t != fmt.Sprintf("%.*f", d, 100.0) {
			return t + "%"
		}
	}
	return fmt.Sprintf("%g%%", v)
}

// nearFloor is how many times Rules.Slack from chance AblationConclusion says both sides of a matched
// comparison leave the network too near chance to tell position from sign (a caveat, not a verdict).
const nearFloor = 3

// intactNote is the baseline a section's cuts start from: the networks' mean test accuracy without any cut,
// per layout and fraction (the mean over seeds, in seed order), e.g. "Intact networks (no cut), mean test
// accuracy over 5 seeds: blocked 0.5 77.5%, blocked 0.2 71.1%."
func intactNote(runs []RunResult, r Rules, layouts []string, fractions []float64) (string, error) {
	var parts []string
	var counts []int
	for _, l := range layouts {
		for _, f := range fractions {
			acc, err := BySeed(runs, Select{l, f}, TestAccuracy)
			if err != nil {
				return "", err
			}
			var v []float64
			for _, seed := range slices.Sorted(maps.Keys(acc)) {
				v = append(v, acc[seed])
			}
			m, _ := MeanSD(v)
			counts = append(counts, len(v))
			parts = append(parts, fmt.Sprintf("%s %.1f %.1f%%", l, f, r.Scale*m))
		}
	}
	if slices.Min(counts) == slices.Max(counts) {
		return fmt.Sprintf("Intact networks (no cut), mean test accuracy over %d seeds: %s.", counts[0], strings.Join(parts, ", ")), nil
	}
	for i := range parts { // settings with different numbers of seeds: each says its own
		unit := "seeds"
		if counts[i] == 1 {
			unit = "seed"
		}
		parts[i] += fmt.Sprintf(" (%d %s)", counts[i], unit)
	}
	return fmt.Sprintf("Intact networks (no cut), mean test accuracy: %s.", strings.Join(parts, ", ")), nil
}

// allSameVerdict reports whether the comparisons of fraction i (one per layout, cs ordered by layout then
// fraction, n fractions) all have one verdict.
func allSameVerdict(cs []Comparison, i, n, layouts int) bool {
	for j := 1; j < layouts; j++ {
		if cs[j*n+i].Verdict != cs[i].Verdict {
			return false
		}
	}
	return true
}

// upperFirst is s with its first letter upper-case (a name that starts a sentence).
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
