package study

import (
	"fmt"
	"math"
	"strings"
)

// planPower is the power every planned comparison's sensitivity is stated at.
const planPower = 0.8

// PlannedComparison is one comparison of a plan, judged on the test seeds, with the design's sensitivity.
type PlannedComparison struct {
	Comparison
	Power Power
}

// PlannedFamily is one question of a plan (a Holm family) with its judged comparisons, in the plan's order.
type PlannedFamily struct {
	Title       string
	Comparisons []PlannedComparison
}

// Outcome is what a tuned plan's runs say: each condition's tuning and test accuracies, and every
// planned comparison judged by the plan's rules. It holds only what the plan names: no comparison, seed
// or margin comes from elsewhere.
type Outcome struct {
	Plan  TunedPlan
	Tuned []Tuned // in Plan.Conditions order
	// Test holds each condition's test accuracies in Plan.TestSeeds order; Diverged the test seeds
	// whose runs diverged (recorded at accuracy 0 and kept in every statistic), StoppedEarly those that
	// stopped before the planned epochs.
	Test                   map[string][]float64
	Diverged, StoppedEarly map[string][]uint64
	Rules                  Rules
	Families               []PlannedFamily
	// Record is the plan's record; Change is non-nil when the plan differs from it (changed after it
	// was fixed), and AsFixed then holds the questions as fixed, judged by the recorded margin.
	Record  PlanRecord
	Change  *PlanChange
	AsFixed []PlannedFamily
	// From names the plan each condition's runs come from (this plan, or one it reuses).
	From map[string]string
	// OwnTest counts the test runs of the plan's own conditions, and CopiedTest those of them that were
	// copied from another plan's cache (RunResult.ReusedFrom) rather than trained for this plan.
	OwnTest, CopiedTest int
}

// Rules returns the rules the plan judges its comparisons by: AccuracyRules with the plan's margin.
func (p TunedPlan) Rules() Rules {
	r := AccuracyRules()
	r.Margin = p.Margin / 100
	return r
}

// Outcome judges the plan's questions from its tuning (Tune) and its test runs (Test): every pair of
// every question, paired by test seed, Holm within the question, TOST at the plan's margin, and the
// sensitivity of each comparison from the tuning seeds' spread. Every test run of every condition
// must be there, at the learning rate its tuning selected.
func (p TunedPlan) Outcome(tuned []Tuned, test []RunResult) (Outcome, error) {
	if err := p.Validate(); err != nil {
		return Outcome{}, err
	}
	change, err := p.Change()
	if err != nil {
		return Outcome{}, err
	}
	record, _ := p.Record()
	o := Outcome{Plan: p, Record: record, Change: change, Test: map[string][]float64{}, Diverged: map[string][]uint64{}, StoppedEarly: map[string][]uint64{},
		Rules: p.Rules()}
	byCond := map[string]Tuned{}
	for _, t := range tuned {
		byCond[t.Condition] = t
	}
	byKey := map[RunKey]RunResult{}
	for _, r := range test {
		byKey[r.RunKey] = r
	}
	epochs := p.Base().Epochs
	names, from := p.compared()
	o.From = from
	for _, name := range names {
		t, ok := byCond[name]
		if !ok {
			return Outcome{}, fmt.Errorf("study: plan %s: condition %s has no tuning", p.Name, name)
		}
		o.Tuned = append(o.Tuned, t)
		c, err := ConditionByName(name)
		if err != nil {
			return Outcome{}, err
		}
		run := WithLearningRate(c, t.Selected).Name
		for _, s := range p.TestSeeds {
			r, ok := byKey[RunKey{run, p.Fraction, s}]
			if !ok {
				return Outcome{}, fmt.Errorf("study: plan %s: no test run of %s seed %d", p.Name, run, s)
			}
			o.Test[name] = append(o.Test[name], r.TestAccuracy)
			if f := from[name]; f == "" || f == p.Name {
				o.OwnTest++
				if r.ReusedFrom != "" {
					o.CopiedTest++
				}
			}
			if r.Diverged {
				o.Diverged[name] = append(o.Diverged[name], s)
			}
			if r.StoppedEarly(epochs) {
				o.StoppedEarly[name] = append(o.StoppedEarly[name], s)
			}
		}
	}
	for _, q := range p.Questions {
		f, err := o.family(q, o.Rules)
		if err != nil {
			return Outcome{}, err
		}
		o.Families = append(o.Families, f)
	}
	if change != nil {
		r := o.Rules
		r.Margin = change.Margin / 100
		for _, q := range change.Questions {
			f, err := o.family(q, r)
			if err != nil {
				return Outcome{}, fmt.Errorf("study: plan %s as fixed in commit %s: %w", p.Name, record.ShortCommit(), err)
			}
			o.AsFixed = append(o.AsFixed, f)
		}
	}
	return o, nil
}

// family judges one question under rules r.
func (o Outcome) family(q PlannedQuestion, r Rules) (PlannedFamily, error) {
	names := make([][2]string, len(q.Pairs))
	values := make([][2][]float64, len(q.Pairs))
	for i, pr := range q.Pairs {
		for k := range pr {
			v, ok := o.Test[pr[k]]
			if !ok {
				return PlannedFamily{}, fmt.Errorf("study: plan %s: question %q compares %s, which has no test runs", o.Plan.Name, q.Title, pr[k])
			}
			values[i][k] = v
		}
		names[i] = pr
	}
	cs, err := Family(r, names, values)
	if err != nil {
		return PlannedFamily{}, fmt.Errorf("study: plan %s: question %q: %w", o.Plan.Name, q.Title, err)
	}
	f := PlannedFamily{Title: q.Title}
	for i, c := range cs {
		tuningDiff, err := o.tuningDiff(q.Pairs[i])
		if err != nil {
			return PlannedFamily{}, err
		}
		pw, err := newPower(tuningDiff, c.Paired.Diff, len(cs), r.Alpha, planPower, r.Margin)
		if err != nil {
			return PlannedFamily{}, fmt.Errorf("study: plan %s: %s against %s: %w", o.Plan.Name, c.A, c.B, err)
		}
		f.Comparisons = append(f.Comparisons, PlannedComparison{Comparison: c, Power: pw})
	}
	return f, nil
}

// tuningDiff is the paired difference of validation accuracy over the tuning seeds between the two
// conditions of pr, each at its selected learning rate.
func (o Outcome) tuningDiff(pr [2]string) ([]float64, error) {
	var at [2][]float64
	for k, name := range pr {
		for _, t := range o.Tuned {
			if t.Condition != name {
				continue
			}
			for _, pt := range t.Curve {
				if pt.LearningRate == t.Selected {
					at[k] = pt.ValAccuracy
				}
			}
		}
		if at[k] == nil {
			return nil, fmt.Errorf("study: plan %s: %s has no tuning point at its selected learning rate", o.Plan.Name, name)
		}
	}
	if len(at[0]) != len(at[1]) {
		return nil, fmt.Errorf("study: plan %s: %s and %s were tuned on different numbers of seeds", o.Plan.Name, pr[0], pr[1])
	}
	d := make([]float64, len(at[0]))
	for i := range d {
		d[i] = at[0][i] - at[1][i]
	}
	return d, nil
}

// Verdicts maps "A vs B" to the verdict of every planned comparison.
func (o Outcome) Verdicts() map[string]Verdict {
	v := map[string]Verdict{}
	for _, f := range o.Families {
		for _, c := range f.Comparisons {
			v[c.A+" vs "+c.B] = c.Verdict
		}
	}
	return v
}

// Table is one row per condition: the selected learning rate (and grid extensions), the test accuracy
// over the test seeds as mean ± sd and range, and its flags: the runs that diverged or stopped early, a
// mean at chance (within Rules.Slack) or else the seeds at chance, and the plan the runs come from where it
// is another.
func (o Outcome) Table() string {
	var b strings.Builder
	var names []string
	for _, t := range o.Tuned {
		names = append(names, t.Condition)
	}
	w := nameWidth(18, names...)
	fmt.Fprintf(&b, "%-*s %13s %5s %15s %13s %3s  %s\n", w, "condition", "learning rate", "ext.", "test % mean±sd", "range", "n", "flags")
	for _, t := range o.Tuned {
		v := o.Test[t.Condition]
		m, sd := MeanSD(v)
		lo, hi := minMax(v)
		var flags []string
		if d := o.Diverged[t.Condition]; len(d) > 0 {
			flags = append(flags, fmt.Sprintf("diverged: seeds %s", seedList(d)))
		}
		if s := o.StoppedEarly[t.Condition]; len(s) > 0 {
			flags = append(flags, fmt.Sprintf("stopped early: seeds %s", seedList(s)))
		}
		if o.Rules.atChance(m) {
			flags = append(flags, "at chance")
		} else {
			var at []uint64
			for i, x := range v {
				if o.Rules.atChance(x) {
					at = append(at, o.Plan.TestSeeds[i])
				}
			}
			if at != nil {
				flags = append(flags, "at chance: seeds "+seedList(at))
			}
		}
		if from := o.From[t.Condition]; from != "" && from != o.Plan.Name {
			flags = append(flags, "plan "+from)
		}
		if len(flags) == 0 {
			flags = append(flags, "-")
		}
		fmt.Fprintf(&b, "%-*s %13g %5d %15s %13s %3d  %s\n", w, t.Condition, t.Selected, t.Extended,
			fmt.Sprintf("%.1f ± %.1f", 100*m, 100*sd), fmt.Sprintf("%.1f-%.1f", 100*lo, 100*hi), len(v), strings.Join(flags, "; "))
	}
	return b.String()
}

func seedList(s []uint64) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ",")
}

// Text states every question's verdicts with their numbers and each comparison's sensitivity, the
// questions in the plan's order, then the runs the statistics include despite a flag. It is Markdown:
// one paragraph per question followed by its comparisons as a list (a changed plan's side-by-side
// verdicts in a code block).
func (o Outcome) Text() string {
	var b strings.Builder
	r := o.Rules
	if o.Change == nil {
		history := o.Plan.History()
		if o.CopiedTest > 0 {
			history = o.Plan.history("before any of its runs was trained")
		}
		fmt.Fprintf(&b, "**Conclusion.** Plan %s, %s (unchanged since).", o.Plan.Name, history)
		b.WriteString(o.copiedNote())
		if r := o.Plan.Reasons(); r != "" {
			b.WriteString(" " + r)
		}
		b.WriteString("\n\n")
	} else {
		fmt.Fprintf(&b, "**Conclusion.** %s%s\n\n```\n%s```\n\n", o.Change.describe(o.Plan.Name), o.copiedNote(), o.sideBySide())
	}
	for i, f := range o.Families {
		n := fmt.Sprintf("%d comparisons, one Holm family", len(f.Comparisons))
		if len(f.Comparisons) == 1 {
			n = "1 comparison, no correction needed"
		}
		rate := "each condition at the learning rate its tuning selected"
		if o.Plan.tuning().Fixed() {
			rate = fmt.Sprintf("every condition at the fixed learning rate %g", o.Plan.Tuning.Grid[0])
		}
		fmt.Fprintf(&b, "Question %d, %s (%s; margin ±%.0f points; %s):\n\n", i+1, f.Title, n, r.Scale*r.Margin, rate)
		for _, c := range f.Comparisons {
			fmt.Fprintf(&b, "- %s %s\n", c.Sentence(), c.Power.Sentence(r.Scale, r.Unit, c.Verdict))
		}
		b.WriteString("\n")
	}
	b.WriteString(o.planWideNote())
	var all []Comparison
	for _, f := range o.Families {
		for _, c := range f.Comparisons {
			all = append(all, c.Comparison)
		}
	}
	if n := (Conclusion{Comparisons: all}).floorBound(); n != "" {
		b.WriteString(n + "\n\n")
	}
	var flagged []string
	for _, t := range o.Tuned {
		name := t.Condition
		if d := o.Diverged[name]; len(d) > 0 {
			flagged = append(flagged, fmt.Sprintf("%s seeds %s diverged and count at their recorded accuracy 0", name, seedList(d)))
		}
		if s := o.StoppedEarly[name]; len(s) > 0 {
			flagged = append(flagged, fmt.Sprintf("%s seeds %s stopped early", name, seedList(s)))
		}
	}
	if len(flagged) == 0 {
		fmt.Fprintf(&b, "No test run diverged or stopped early (%d runs).\n", len(o.Tuned)*len(o.Plan.TestSeeds))
	} else {
		fmt.Fprintf(&b, "Flagged test runs (kept in the statistics, one value per seed): %s.\n", strings.Join(flagged, "; "))
	}
	b.WriteString(o.tuningNotes())
	return b.String()
}

// PlanWide judges every distinct comparison of the plan's questions as one Holm family, the sensitivity
// check of the plan's choice of one family per question: the comparisons in the order the questions
// first name them.
func (o Outcome) PlanWide() ([]Comparison, error) {
	var names [][2]string
	var values [][2][]float64
	seen := map[[2]string]bool{}
	for _, q := range o.Plan.Questions {
		for _, pr := range q.Pairs {
			if seen[pr] {
				continue
			}
			seen[pr] = true
			names = append(names, pr)
			values = append(values, [2][]float64{o.Test[pr[0]], o.Test[pr[1]]})
		}
	}
	return Family(o.Rules, names, values)
}

// planWideNote states, for a plan of several questions, whether any verdict would differ with every
// comparison in one Holm family (PlanWide) instead of one family per question, as the plan fixed them;
// "" for a plan of one question or when it cannot be computed (Text's families already failed then).
func (o Outcome) planWideNote() string {
	if len(o.Families) < 2 {
		return ""
	}
	wide, err := o.PlanWide()
	if err != nil {
		return ""
	}
	return wideNote(wide, o.Verdicts(), "of the plan", "one family per question as the plan fixed") + "\n\n"
}

// wideNote says whether any verdict of per (by "A vs B") differs in wide, the same comparisons judged as
// one Holm family: "With all 14 comparisons <of scope> in one Holm family, instead of <instead>, every
// verdict would be the same." or which would differ, with their Holm p there.
func wideNote(wide []Comparison, per map[string]Verdict, scope, instead string) string {
	var changed []string
	for _, c := range wide {
		if v := per[c.A+" vs "+c.B]; v != c.Verdict {
			changed = append(changed, fmt.Sprintf("%s vs %s %s (Holm %s) instead of %s", c.A, c.B, c.Verdict, pString(c.PAdjusted), v))
		}
	}
	if len(changed) == 0 {
		return fmt.Sprintf("With all %d comparisons %s in one Holm family, instead of %s, every verdict would be the same.",
			len(wide), scope, instead)
	}
	return fmt.Sprintf("With all %d comparisons %s in one Holm family, instead of %s, %d would differ: %s.",
		len(wide), scope, instead, len(changed), strings.Join(changed, "; "))
}

// SectionWideNote states whether any verdict of the conclusions cs (one Holm family each, as a notebook
// section's cells judge them) would differ with all their comparisons in one family: the check a section
// of several conclusion cells owes its reader (scope names it, e.g. "of section 4").
func SectionWideNote(r Rules, scope string, cs ...Conclusion) (string, error) {
	var names [][2]string
	var values [][2][]float64
	per := map[string]Verdict{}
	for _, c := range cs {
		for _, q := range c.Comparisons {
			k := q.A + " vs " + q.B
			if _, seen := per[k]; seen {
				return "", fmt.Errorf("study: SectionWideNote: the comparison %q appears twice", k)
			}
			per[k] = q.Verdict
			names, values = append(names, [2]string{q.A, q.B}), append(values, [2][]float64{q.ValuesA, q.ValuesB})
		}
	}
	wide, err := Family(r, names, values)
	if err != nil {
		return "", err
	}
	return wideNote(wide, per, scope, "one family per conclusion"), nil
}

// tuningNotes says which tuning runs diverged (their validation accuracy counts 0 in the selection) and
// which conditions learned at no learning rate tried (some run did not diverge, and at no rate is the mean
// of the runs that did not diverge more than Rules.Slack above Rules.Chance): their selected rate is
// arbitrary, and their comparisons say only that they did not learn at any rate tried.
func (o Outcome) tuningNotes() string {
	var diverged, flat []string
	runs := 0
	r := o.Rules
	for _, t := range o.Tuned {
		var at []string
		chance, learnedAny := true, false
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range t.Curve {
			runs += len(p.ValAccuracy)
			if len(p.Diverged) > 0 {
				at = append(at, fmt.Sprintf("%g (seeds %s)", p.LearningRate, seedList(p.Diverged)))
			}
			if len(p.Diverged) == len(p.ValAccuracy) {
				continue // every run diverged: no mean
			}
			learnedAny = true
			chance = chance && p.ConvergedMean <= r.Chance+r.Slack
			lo, hi = min(lo, p.ConvergedMean), max(hi, p.ConvergedMean)
		}
		chance = chance && learnedAny
		if at != nil {
			diverged = append(diverged, t.Condition+" at "+strings.Join(at, ", "))
		}
		if chance {
			flat = append(flat, fmt.Sprintf("%s (%.1f-%.1f%%)", t.Condition, 100*lo, 100*hi))
		}
	}
	var b strings.Builder
	if diverged == nil {
		fmt.Fprintf(&b, "\nNo tuning run diverged (%d runs).\n", runs)
	} else {
		fmt.Fprintf(&b, "\nTuning runs that diverged (their validation accuracy counts 0 in the selection): %s.\n", strings.Join(diverged, "; "))
	}
	if flat != nil {
		fmt.Fprintf(&b, "\nAt chance at every learning rate tried (at no rate is the mean validation accuracy of the tuning runs that "+
			"did not diverge more than %.0f %s above chance, %.1f%%; the range of those means in brackets): %s. The rate selected "+
			"for such a condition is arbitrary, and its comparisons say only that it did not learn at any rate tried.\n",
			r.Scale*r.Slack, r.Unit, 100*r.Chance, strings.Join(flat, "; "))
	}
	return b.String()
}

// sideBySide lists every comparison of the plan as fixed and as now with its verdict and Holm-adjusted
// p under each ("-" where that version of the plan does not make it).
func (o Outcome) sideBySide() string {
	type cell struct {
		v Verdict
		p float64
		m int
	}
	var keys []string
	fixed, now := map[string]cell{}, map[string]cell{}
	add := func(fs []PlannedFamily, into map[string]cell) {
		for _, f := range fs {
			for _, c := range f.Comparisons {
				k := c.A + " vs " + c.B
				if _, ok := fixed[k]; !ok {
					if _, ok := now[k]; !ok {
						keys = append(keys, k)
					}
				}
				into[k] = cell{c.Verdict, c.PAdjusted, c.FamilySize}
			}
		}
	}
	add(o.AsFixed, fixed)
	add(o.Families, now)
	show := func(c cell, ok bool) string {
		if !ok {
			return "-"
		}
		return fmt.Sprintf("%s (Holm p %.3g of %d)", c.v, c.p, c.m)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %-40s %s\n", "comparison", o.Change.fixedLabel(), "as now")
	for _, k := range keys {
		f, okF := fixed[k]
		n, okN := now[k]
		fmt.Fprintf(&b, "%-40s %-40s %s\n", k, show(f, okF), show(n, okN))
	}
	return b.String()
}

// copiedNote says how many of the plan's own test runs were copied from other plans' caches rather than
// trained for it ("" when none): such runs may have been computed and seen before the plan was fixed.
func (o Outcome) copiedNote() string {
	if o.CopiedTest == 0 {
		return ""
	}
	return fmt.Sprintf(" %d of its own %d test runs are copies of other plans' runs (their reused_from), which may have been "+
		"computed and seen before it was fixed.", o.CopiedTest, o.OwnTest)
}
