package study

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// DriveRow describes the hidden layer's drive at initialisation for one condition: the distribution of
// the input currents |p_k| over (sample, step, excitatory unit) cells, the spike rate per unit and step
// (the LIF unit's ceiling is 0.5: it resets for a step after each spike), and the units that never spike;
// for LIF inhibitory units (snn.InhibitoryLIF) their spike rate too (InhibitoryRate; NaN for other
// networks, whose inhibitory units do not spike).
type DriveRow struct {
	Condition               string
	Median, P99, Max        float64
	Rate, InhibitoryRate    float64
	Silent, Units           int
	Samples, StepsPerSample int
}

// InitialDrive measures, for each named condition at fraction f and seed, the untrained network's
// hidden drive on the validation set of that configuration (snn.HiddenDrive).
func InitialDrive(base snn.Config, f float64, seed uint64, names ...string) ([]DriveRow, error) {
	var rows []DriveRow
	for _, name := range names {
		m, val, err := initialModel(base, f, seed, name)
		if err != nil {
			return nil, err
		}
		cfg := m.Config
		cur, sp, err := snn.HiddenDrive(m, val)
		if err != nil {
			return nil, fmt.Errorf("study: %s: %w", name, err)
		}
		abs := make([]float64, len(cur))
		for i, v := range cur {
			abs[i] = math.Abs(float64(v))
		}
		sort.Float64s(abs)
		H := cfg.NumHidden
		count := make([]float64, H)
		total := 0.0
		for i, s := range sp {
			count[i%H] += float64(s)
			total += float64(s)
		}
		r := DriveRow{Condition: name, Median: quantile(abs, 0.5), P99: quantile(abs, 0.99), Max: abs[len(abs)-1],
			Rate: total / float64(len(sp)), InhibitoryRate: math.NaN(), Units: H, Samples: val.Len(), StepsPerSample: cfg.NumSteps() - 1}
		if cfg.LIFInhibition() {
			if r.InhibitoryRate, err = snn.InhibitoryRate(m, val); err != nil {
				return nil, err
			}
		}
		for _, n := range count {
			if n == 0 {
				r.Silent++
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// initialModel is the untrained model of the named condition at fraction f and seed, and the validation
// set of its configuration.
func initialModel(base snn.Config, f float64, seed uint64, name string) (*snn.Model, *snn.Dataset, error) {
	c, err := ConditionByName(name)
	if err != nil {
		return nil, nil, err
	}
	cfg := c.Apply(base, f)
	cfg.Seed = seed
	m, err := snn.NewModel(cfg)
	if err != nil {
		return nil, nil, err
	}
	_, val, _, err := snn.GenerateData(cfg)
	if err != nil {
		return nil, nil, err
	}
	return m, val, nil
}

// quantile is the q-quantile of sorted x (the nearest rank at or below q (n-1)).
func quantile(sorted []float64, q float64) float64 {
	return sorted[int(math.Floor(q*float64(len(sorted)-1)))]
}

// DriveTable prints the rows as a table.
func DriveTable(rows []DriveRow) string {
	var b strings.Builder
	w := nameWidth(20, rowConditions(rows, func(r DriveRow) string { return r.Condition })...)
	fmt.Fprintf(&b, "%-*s %14s %10s %9s %22s %8s %18s\n", w, "condition", "median |input|", "99th pct", "max", "spikes per unit & step",
		"silent", "inhibitory spikes")
	for _, r := range rows {
		inh := "-"
		if !math.IsNaN(r.InhibitoryRate) {
			inh = fmt.Sprintf("%.3f", r.InhibitoryRate)
		}
		fmt.Fprintf(&b, "%-*s %14.3f %10.3f %9.1f %22.3f %8s %18s\n", w, r.Condition, r.Median, r.P99, r.Max, r.Rate,
			fmt.Sprintf("%d/%d", r.Silent, r.Units), inh)
	}
	if len(rows) > 0 {
		fmt.Fprintf(&b, "(untrained networks; %d validation samples x %d steps; inputs and spikes of the excitatory units; inhibitory spikes "+
			"per unit & step where the inhibitory units are LIF neurons (-: linear units); a LIF unit fires at most 2 spikes in any 4 consecutive steps, its reset coming a step late: ceiling 0.5 on average)\n",
			rows[0].Samples, rows[0].StepsPerSample)
	}
	return b.String()
}

// LIFBalanceText states, for a condition with LIF inhibitory units started balanced (snn.LIFInitBalanced)
// at fraction f and seed, the factors the balance applied and the rates it matched (snn.LIFBalanceOf).
func LIFBalanceText(base snn.Config, f float64, seed uint64, name string) (string, error) {
	c, err := ConditionByName(name)
	if err != nil {
		return "", err
	}
	cfg := c.Apply(base, f)
	cfg.Seed = seed
	if cfg.LIFInhibitoryInit != snn.LIFInitBalanced || !cfg.LIFInhibition() {
		return "", fmt.Errorf("study: condition %s has %q inhibitory units started %q, want %q units started %q (the text states their rates)",
			name, cfg.InhibitoryUnits, cfg.LIFInhibitoryInit, snn.InhibitoryLIF, snn.LIFInitBalanced)
	}
	b, err := snn.LIFBalanceOf(cfg)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("The balanced start of %s (seed %d, first %d training samples): W_EE x %.3g, W_IE x %.3g, W_EI x %.3g. "+
		"Target: the excitatory rate of the same weights with linear inhibitory units, %.4f spikes per unit and step; the "+
		"inhibitory units then fire at %.4f (%.4f before balancing) and the excitatory units at %.4f; mean inhibition is %.3g "+
		"of mean excitation, as with linear units.", name, seed, snn.BalanceSamples(cfg), b.EE, b.IE, b.EI, b.TargetRate,
		b.InhibitoryRate, b.RawRate, b.ExcitatoryRate, b.Ratio), nil
}
