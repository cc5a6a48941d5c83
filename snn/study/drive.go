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
// (the LIF unit's ceiling is 0.5: it resets for a step after each spike), and the units that never spike.
type DriveRow struct {
	Condition               string
	Median, P99, Max        float64
	Rate                    float64
	Silent, Units           int
	Samples, StepsPerSample int
}

// InitialDrive measures, for each named condition at fraction f and seed, the untrained network's
// hidden drive on the validation set of that configuration (snn.HiddenDrive).
func InitialDrive(base snn.Config, f float64, seed uint64, names ...string) ([]DriveRow, error) {
	var rows []DriveRow
	for _, name := range names {
		c, err := ConditionByName(name)
		if err != nil {
			return nil, err
		}
		cfg := c.Apply(base, f)
		cfg.Seed = seed
		m, err := snn.NewModel(cfg)
		if err != nil {
			return nil, err
		}
		_, val, _, err := snn.GenerateData(cfg)
		if err != nil {
			return nil, err
		}
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
			Rate: total / float64(len(sp)), Units: H, Samples: val.Len(), StepsPerSample: cfg.NumSteps() - 1}
		for _, n := range count {
			if n == 0 {
				r.Silent++
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// quantile is the q-quantile of sorted x (the nearest rank at or below q (n-1)).
func quantile(sorted []float64, q float64) float64 {
	return sorted[int(math.Floor(q*float64(len(sorted)-1)))]
}

// DriveTable prints the rows as a table.
func DriveTable(rows []DriveRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %14s %10s %9s %22s %8s\n", "condition", "median |input|", "99th pct", "max", "spikes per unit & step", "silent")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-16s %14.3f %10.3f %9.1f %22.3f %8s\n", r.Condition, r.Median, r.P99, r.Max, r.Rate,
			fmt.Sprintf("%d/%d", r.Silent, r.Units))
	}
	if len(rows) > 0 {
		fmt.Fprintf(&b, "(untrained networks; %d validation samples x %d steps; a LIF unit fires at most every other step: ceiling 0.5)\n",
			rows[0].Samples, rows[0].StepsPerSample)
	}
	return b.String()
}
