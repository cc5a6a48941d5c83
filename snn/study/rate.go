package study

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/snn-dales/dales/snn/ratenet"
)

// RateOutcome is what a rate-network plan's runs say (package ratenet): each model's tuning and test
// accuracies, and the plan's pairs judged as one Holm family (paired t by test seed, TOST at the plan's
// margin), each with its sensitivity from the tuning seeds' spread.
type RateOutcome struct {
	Plan        ratenet.Plan
	Tuned       []ratenet.Tuned
	Test        map[string][]float64 // test accuracy per model, in TestSeeds order (a diverged run counts 0)
	Comparisons []PlannedComparison
	Rules       Rules
	// Record is the plan's record; Changed lists the fields in which the plan now differs from it.
	Record  PlanRecord
	Changed []string
}

// JudgeRate judges plan p's tuned runs (ratenet.Plan.Run).
func JudgeRate(p ratenet.Plan, tuned []ratenet.Tuned) (RateOutcome, error) {
	if err := p.Validate(); err != nil {
		return RateOutcome{}, err
	}
	rec, ok := RatePlanRecord(p)
	if !ok {
		return RateOutcome{}, fmt.Errorf("study: rate plan %s has no record (PlanRecord): a plan must be recorded with the commit that fixed it", p.Name)
	}
	r := AccuracyRules()
	r.Margin, r.Chance = p.Margin/100, 1.0/ratenet.Classes
	o := RateOutcome{Plan: p, Tuned: tuned, Test: map[string][]float64{}, Rules: r, Record: rec}
	now, err := RatePlanFrozen(p)
	if err != nil {
		return RateOutcome{}, err
	}
	if now != rec.Frozen {
		var was, is map[string]any
		_ = json.Unmarshal([]byte(rec.Frozen), &was)
		_ = json.Unmarshal([]byte(now), &is)
		for k, v := range is {
			if fmt.Sprint(v) != fmt.Sprint(was[k]) {
				o.Changed = append(o.Changed, k)
			}
		}
		sort.Strings(o.Changed)
	}
	val := map[string][]float64{}
	for _, t := range tuned {
		if len(t.Test) != len(p.TestSeeds) {
			return RateOutcome{}, fmt.Errorf("study: %s has %d test runs, the plan %d", t.Kind, len(t.Test), len(p.TestSeeds))
		}
		for _, res := range t.Test {
			o.Test[t.Kind] = append(o.Test[t.Kind], res.Test)
		}
		for _, pt := range t.Curve {
			if pt.LearningRate == t.Selected {
				val[t.Kind] = pt.Val
			}
		}
	}
	names := make([][2]string, len(p.Pairs))
	values := make([][2][]float64, len(p.Pairs))
	for i, pr := range p.Pairs {
		names[i] = pr
		for k := range pr {
			if o.Test[pr[k]] == nil {
				return RateOutcome{}, fmt.Errorf("study: plan %s compares %s, which has no runs", p.Name, pr[k])
			}
			values[i][k] = o.Test[pr[k]]
		}
	}
	cs, err := Family(r, names, values)
	if err != nil {
		return RateOutcome{}, err
	}
	for i, c := range cs {
		a, b := val[p.Pairs[i][0]], val[p.Pairs[i][1]]
		d := make([]float64, len(a))
		for j := range a {
			d[j] = a[j] - b[j]
		}
		pw, err := newPower(d, c.Paired.Diff, len(cs), r.Alpha, planPower, r.Margin)
		if err != nil {
			return RateOutcome{}, err
		}
		o.Comparisons = append(o.Comparisons, PlannedComparison{Comparison: c, Power: pw})
	}
	return o, nil
}

// Table is one row per model: the selected learning rate, grid extensions, the tuning curve's means,
// and the test accuracy as mean ± sd, range and per seed.
func (o RateOutcome) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s %9s %4s %15s %11s  %s\n", "model", "rate", "ext.", "test % mean±sd", "range", "per test seed %")
	for _, t := range o.Tuned {
		v := o.Test[t.Kind]
		m, sd := MeanSD(v)
		lo, hi := minMax(v)
		var per []string
		for _, x := range v {
			per = append(per, fmt.Sprintf("%.1f", 100*x))
		}
		fmt.Fprintf(&b, "%-9s %9g %4d %15s %11s  %s\n", t.Kind, t.Selected, t.Extended, fmt.Sprintf("%.1f ± %.1f", 100*m, 100*sd),
			fmt.Sprintf("%.1f-%.1f", 100*lo, 100*hi), strings.Join(per, " "))
	}
	b.WriteString("tuning (mean final validation % per learning rate):\n")
	for _, t := range o.Tuned {
		var pts []string
		for _, pt := range t.Curve {
			pts = append(pts, fmt.Sprintf("%g: %.1f", pt.LearningRate, 100*pt.Mean))
		}
		fmt.Fprintf(&b, "  %-9s %s\n", t.Kind, strings.Join(pts, ", "))
	}
	return b.String()
}

// Text states the comparisons (Markdown list) and whether the paper's two claims hold here: DANN as well
// as the MLP (equivalence within the margin) and ColumnEI worse (lower, Holm-adjusted).
func (o RateOutcome) Text() string {
	var b strings.Builder
	r := o.Rules
	if o.Changed == nil {
		fmt.Fprintf(&b, "**Conclusion.** Plan %s, fixed in commit %s before any of its runs (unchanged since). ", o.Plan.Name, o.Record.ShortCommit())
	} else {
		fmt.Fprintf(&b, "**Conclusion.** Plan %s was changed after it was fixed in commit %s (changed: %s): these verdicts are the changed plan's. ",
			o.Plan.Name, o.Record.ShortCommit(), strings.Join(o.Changed, ", "))
	}
	fmt.Fprintf(&b, "%d comparisons, one Holm family, margin ±%g points, %d test seeds:\n\n", len(o.Comparisons), o.Plan.Margin, len(o.Plan.TestSeeds))
	verdict := map[string]Verdict{}
	for _, c := range o.Comparisons {
		fmt.Fprintf(&b, "- %s %s\n", c.Sentence(), c.Power.Sentence(r.Scale, r.Unit, c.Verdict))
		verdict[c.A+" vs "+c.B] = c.Verdict
	}
	claim := func(what string, v Verdict, want Verdict) string {
		if v == want {
			return fmt.Sprintf("%s holds here (%s)", what, v)
		}
		return fmt.Sprintf("%s is not shown here (the comparison is %s)", what, v)
	}
	fmt.Fprintf(&b, "\n**The paper's claim** (%s): %s; %s.\n", o.Plan.Claim,
		claim("DANN as well as the MLP", verdict["dann vs mlp"], Equivalent), claim("ColumnEI worse than the MLP", verdict["columnei vs mlp"], Lower))
	return b.String()
}
