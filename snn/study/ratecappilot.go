package study

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// RateCapPilot is a pilot that chooses the weight lambda of a rate cap (snn.Config.InhibitoryRateCap,
// InhibitoryRateWeight) before a plan's runs: each condition trained at one tuning seed and learning rate
// without the cap and with it at each candidate weight, and the smallest weight whose trained inhibitory
// rate (snn.InhibitoryRate on the validation set) is within Tolerance of Cap for every condition chosen
// (Choose: |rate - Cap| <= Tolerance, as plan populations-lif-cap's protocol words it). Only the rates enter
// the choice; the pilot also reports each run's last validation accuracy.
type RateCapPilot struct {
	Plan         string   // the plan whose lambda it chose (names the kept models)
	Conditions   []string // the uncapped conditions (with LIF inhibitory units)
	Seed         uint64   // a tuning seed
	LearningRate float64
	Cap          float64   // theta
	Weights      []float64 // candidate lambdas, ascending
	Tolerance    float64
	// Base is the configuration the conditions apply to (nil: the tuned plans' protocol, tunedBase).
	Base func() snn.Config
}

// LIFRateCapPilot is the pilot that chose LIFRateCapWeight for plan populations-lif-cap (run before the
// plan was fixed; the plan's protocol records its rates): pop-lif-bal and pop-lif-bal-stepcorr at tuning
// seed 101 and populations-lif's selected rate 0.0316, theta LIFRateCap, lambda 1, 10, 100 or 1000, within
// 0.01 of theta.
var LIFRateCapPilot = RateCapPilot{Plan: "populations-lif-cap", Conditions: []string{"pop-lif-bal", "pop-lif-bal-stepcorr"},
	Seed: 101, LearningRate: 0.0316228, Cap: LIFRateCap, Weights: []float64{1, 10, 100, 1000}, Tolerance: 0.01}

// RateCapPilotRow is one run of a pilot: a condition at one weight (0: without the cap), its trained
// inhibitory rate and its last validation accuracy.
type RateCapPilotRow struct {
	Condition   string
	Weight      float64
	Rate        float64
	ValAccuracy float64
}

// validate checks the pilot's own fields: a plan name, at least one condition, a cap in (0, 1), weights > 0
// in ascending order without repeats, a tolerance >= 0.
func (p RateCapPilot) validate() error {
	switch {
	case p.Plan == "":
		return fmt.Errorf("study: a rate cap pilot needs the name of its plan")
	case len(p.Conditions) == 0:
		return fmt.Errorf("study: the pilot of plan %s has no condition", p.Plan)
	case !(p.Cap > 0 && p.Cap < 1):
		return fmt.Errorf("study: the pilot of plan %s: cap %g, want a rate > 0 and < 1", p.Plan, p.Cap)
	case !(p.Tolerance >= 0):
		return fmt.Errorf("study: the pilot of plan %s: tolerance %g, want a number >= 0", p.Plan, p.Tolerance)
	case len(p.Weights) == 0:
		return fmt.Errorf("study: the pilot of plan %s has no weight to try", p.Plan)
	}
	for i, w := range p.Weights {
		if !(w > 0) || math.IsInf(w, 0) || i > 0 && w <= p.Weights[i-1] {
			return fmt.Errorf("study: the pilot of plan %s: weights %v, want finite numbers > 0 in ascending order, none repeated", p.Plan, p.Weights)
		}
	}
	return nil
}

// Config is the pilot's run of condition at weight lambda (0: without the cap).
func (p RateCapPilot) Config(condition string, lambda float64) (snn.Config, error) {
	c, err := ConditionByName(condition)
	if err != nil {
		return snn.Config{}, err
	}
	base := tunedBase
	if p.Base != nil {
		base = p.Base
	}
	cfg := WithLearningRate(c, p.LearningRate).Apply(base(), 0.5)
	cfg.Seed = p.Seed
	if lambda != 0 {
		cfg.InhibitoryRateCap, cfg.InhibitoryRateWeight = p.Cap, lambda
	}
	if err := cfg.Validate(); err != nil {
		return snn.Config{}, fmt.Errorf("study: pilot of plan %s, %s at lambda %g: %w", p.Plan, condition, lambda, err)
	}
	return cfg, nil
}

// Choose returns the smallest of the pilot's weights at which every condition's row has a rate within
// Tolerance of Cap, or an error when none does or a row is missing.
func (p RateCapPilot) Choose(rows []RateCapPilotRow) (float64, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	type run struct {
		condition string
		weight    float64
	}
	rate := map[run]float64{}
	for _, r := range rows {
		rate[run{r.Condition, r.Weight}] = r.Rate
	}
	for _, w := range p.Weights {
		held := true
		for _, c := range p.Conditions {
			r, ok := rate[run{c, w}]
			if !ok {
				return 0, fmt.Errorf("study: the pilot has no run of %s at lambda %g", c, w)
			}
			held = held && math.Abs(r-p.Cap) <= p.Tolerance
		}
		if held {
			return w, nil
		}
	}
	return 0, fmt.Errorf("study: no lambda of %v held every condition's rate within %g of %g", p.Weights, p.Tolerance, p.Cap)
}

// RunRateCapPilot runs the pilot p: every condition without the cap and at each of its weights, each model
// kept as <Results>/models/<plan>-pilot_<condition>_l<lambda>_s<seed>.ckpt (trained the first time; read from
// the committed models in quick mode, where nothing is trained), and returns the rows in that order.
func (nb *Notebook) RunRateCapPilot(p RateCapPilot) ([]RateCapPilotRow, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	type run struct {
		condition string
		lambda    float64
		cfg       snn.Config
	}
	var runs []run
	for _, c := range p.Conditions { // every configuration checked before any model is trained
		for _, l := range append([]float64{0}, p.Weights...) {
			cfg, err := p.Config(c, l)
			if err != nil {
				return nil, err
			}
			if !cfg.LIFInhibition() {
				return nil, fmt.Errorf("study: %s has %q inhibitory units, want %q (the cap bounds spikes)", c, cfg.InhibitoryUnits, snn.InhibitoryLIF)
			}
			runs = append(runs, run{c, l, cfg})
		}
	}
	tr, err := nb.trainOptions()
	if err != nil {
		return nil, err
	}
	data := snn.NewDataCache(1) // every run draws the same data sets (one seed, one stimulus)
	var rows []RateCapPilotRow
	for _, r := range runs {
		m, err := nb.keptModel(r.cfg, fmt.Sprintf("%s-pilot_%s_l%g_s%d", p.Plan, r.condition, r.lambda, p.Seed),
			fmt.Sprintf("plan %s's pilot run of %s at lambda %g", p.Plan, r.condition, r.lambda))
		if err != nil {
			return nil, err
		}
		x, err := snn.RebuildExperiment(m, tr.Backend, data)
		if err != nil {
			return nil, err
		}
		rate, err := snn.InhibitoryRate(m, x.Validation)
		if err != nil {
			return nil, err
		}
		row := RateCapPilotRow{Condition: r.condition, Weight: r.lambda, Rate: rate}
		if v := m.History.ValAccuracy; len(v) > 0 {
			row.ValAccuracy = v[len(v)-1]
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// RateCapPilotTable prints the pilot's rows and the weight its rule chooses (or why none).
func RateCapPilotTable(p RateCapPilot, rows []RateCapPilotRow) string {
	var b strings.Builder
	w := nameWidth(22, rowConditions(rows, func(r RateCapPilotRow) string { return r.Condition })...)
	fmt.Fprintf(&b, "%-*s %8s %9s  %s\n", w, "condition", "lambda", "rate", "validation %")
	for _, r := range rows {
		l := strconv.FormatFloat(r.Weight, 'g', -1, 64)
		if r.Weight == 0 {
			l = "no cap"
		}
		fmt.Fprintf(&b, "%-*s %8s %9.3f  %.1f\n", w, r.Condition, l, r.Rate, 100*r.ValAccuracy)
	}
	if w, err := p.Choose(rows); err != nil {
		fmt.Fprintf(&b, "%v\n", err)
	} else {
		fmt.Fprintf(&b, "chosen: lambda %g, the smallest of %v whose trained rates are all within %g of %g\n", w, p.Weights, p.Tolerance, p.Cap)
	}
	fmt.Fprintf(&b, "(seed %d, learning rate %g; rate: spikes per inhibitory unit and step on the validation set, the trained model's; validation: the last epoch's accuracy, which the choice does not read)\n",
		p.Seed, p.LearningRate)
	return b.String()
}
