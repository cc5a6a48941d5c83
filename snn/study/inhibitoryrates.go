package study

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// InhibitoryRateRow is one test seed's network of a condition with LIF inhibitory units: their mean rate
// (spikes per unit and step on the validation set, snn.InhibitoryRate; the ceiling is 0.5) before training
// (the seed's initial model) and after (the model of the plan's test run), the trained model's busiest unit
// (the largest of snn.InhibitoryUnitRates), and its test accuracy beside the committed run's.
type InhibitoryRateRow struct {
	Condition                 string
	Seed                      uint64
	Initial, Trained          float64
	TrainedMaxUnit            float64
	TestAccuracy, RunAccuracy float64
}

// PlanInhibitoryRates returns, for each named condition and each of the plan's test seeds, the
// InhibitoryRateRow of the model of the plan's test run (kept as <Results>/models/<plan>_<condition>_s<seed>.ckpt,
// trained the first time; read from the committed models in quick mode, as planModel).
func (nb *Notebook) PlanInhibitoryRates(o Outcome, conditions ...string) ([]InhibitoryRateRow, error) {
	for _, name := range conditions { // every condition checked before any model is trained
		if len(o.Plan.TestSeeds) == 0 {
			return nil, fmt.Errorf("study: plan %s has no test seeds", o.Plan.Name)
		}
		cfg, err := o.TestConfig(name, o.Plan.TestSeeds[0])
		if err != nil {
			return nil, err
		}
		if !cfg.LIFInhibition() {
			return nil, fmt.Errorf("study: %s has %q inhibitory units, want %q (their rate is that of spikes)", name, cfg.InhibitoryUnits, snn.InhibitoryLIF)
		}
	}
	var rows []InhibitoryRateRow
	for _, name := range conditions {
		for _, seed := range o.Plan.TestSeeds {
			m, x, err := nb.planModelAt(o, name, seed)
			if err != nil {
				return nil, err
			}
			r := InhibitoryRateRow{Condition: name, Seed: seed, TestAccuracy: x.TestEval.Accuracy, RunAccuracy: o.testAccuracy(name, seed)}
			if r.Initial, err = snn.InhibitoryRate(x.Initial, x.Validation); err != nil {
				return nil, err
			}
			units, trained, err := snn.InhibitoryUnitRates(m, x.Validation)
			if err != nil {
				return nil, err
			}
			r.Trained, r.TrainedMaxUnit = trained, slices.Max(units)
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// saturatedRate is the rate InhibitoryRateTable counts as at the ceiling (0.5: at most 2 spikes in any 4
// consecutive steps, TestLIFSpikeCeiling).
const saturatedRate = 0.45

// InhibitoryRateTable prints the rows, then per condition the trained rates' range and how many are at
// least 0.45 (near the ceiling).
func InhibitoryRateTable(rows []InhibitoryRateRow) string {
	var b strings.Builder
	w := nameWidth(22, rowConditions(rows, func(r InhibitoryRateRow) string { return r.Condition })...)
	fmt.Fprintf(&b, "%-*s %5s %9s %9s %9s  %s\n", w, "condition", "seed", "initial", "trained", "max unit", "test % (run)")
	var order []string
	by := map[string][]InhibitoryRateRow{}
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s %5d %9.3f %9.3f %9.3f  %.1f (%.1f)\n", w, r.Condition, r.Seed, r.Initial, r.Trained, r.TrainedMaxUnit, 100*r.TestAccuracy, 100*r.RunAccuracy)
		if by[r.Condition] == nil {
			order = append(order, r.Condition)
		}
		by[r.Condition] = append(by[r.Condition], r)
	}
	for _, c := range order {
		rs := by[c]
		lo, hi, top, sat := math.Inf(1), math.Inf(-1), math.Inf(-1), 0
		for _, r := range rs {
			lo, hi, top = math.Min(lo, r.Trained), math.Max(hi, r.Trained), math.Max(top, r.TrainedMaxUnit)
			if r.Trained >= saturatedRate {
				sat++
			}
		}
		fmt.Fprintf(&b, "%s: trained rates %.3f to %.3f, %d of %d seeds at %.2f or more; busiest single unit %.3f\n", c, lo, hi, sat, len(rs), saturatedRate, top)
	}
	b.WriteString("(spikes per inhibitory unit and step on the validation set, the mean over the units; max unit: the trained network's busiest unit; a LIF unit's ceiling is 0.5; test accuracy of the kept model, the committed run's in brackets)\n")
	return b.String()
}
