package study

import (
	"fmt"
	"sort"
)

// Metric reads one number of a run: its test accuracy or one of its Extra metrics.
type Metric func(r RunResult) (float64, bool)

// TestAccuracy is the Metric of a run's test accuracy.
func TestAccuracy(r RunResult) (float64, bool) { return r.TestAccuracy, true }

// Extra is the Metric of the Extra value name.
func Extra(name string) Metric {
	return func(r RunResult) (float64, bool) {
		v, ok := r.Extra[name]
		return v, ok
	}
}

// Select is a set of runs: one condition at one inhibitory fraction.
type Select struct {
	Condition string
	Fraction  float64
}

// Only returns the runs of any of sels, in their order in runs (e.g. the runs a cell's table shows, for a
// note about them).
func Only(runs []RunResult, sels ...Select) []RunResult {
	var out []RunResult
	for _, r := range runs {
		for _, s := range sels {
			if r.Condition == s.Condition && r.Fraction == s.Fraction {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// BySeed returns the metric of the runs of sel, keyed by seed. It is an error for a selected run to lack
// the metric, or for two runs to share a seed.
func BySeed(runs []RunResult, sel Select, m Metric) (map[uint64]float64, error) {
	out := map[uint64]float64{}
	for _, r := range runs {
		if r.Condition != sel.Condition || r.Fraction != sel.Fraction {
			continue
		}
		v, ok := m(r)
		if !ok {
			return nil, fmt.Errorf("study: run %s fraction %v seed %d lacks the metric", r.Condition, r.Fraction, r.Seed)
		}
		if _, dup := out[r.Seed]; dup {
			return nil, fmt.Errorf("study: two runs of %s fraction %v with seed %d", r.Condition, r.Fraction, r.Seed)
		}
		out[r.Seed] = v
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("study: no run of %s at fraction %v", sel.Condition, sel.Fraction)
	}
	return out, nil
}

// Pair returns the values of a and b over the seeds they share, in seed order (the pairing of a paired
// comparison: same seed, same data and initial draw). It is an error when the seed sets differ, so that no
// run is dropped silently.
func Pair(a, b map[uint64]float64) (va, vb []float64, seeds []uint64, err error) {
	for s := range a {
		if _, ok := b[s]; !ok {
			return nil, nil, nil, fmt.Errorf("study: seed %d is in one condition and not the other", s)
		}
		seeds = append(seeds, s)
	}
	if len(seeds) != len(b) {
		return nil, nil, nil, fmt.Errorf("study: the conditions have %d and %d seeds", len(a), len(b))
	}
	sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
	for _, s := range seeds {
		va, vb = append(va, a[s]), append(vb, b[s])
	}
	return va, vb, seeds, nil
}

// Question is one paired comparison asked of the runs: metric MA of the runs SA against metric MB of SB,
// named NameA and NameB in sentences.
type Question struct {
	NameA, NameB string
	SA, SB       Select
	MA, MB       Metric
}

// Ask judges a family of questions together (Holm across them) under rules r.
func Ask(runs []RunResult, r Rules, qs []Question) ([]Comparison, error) {
	names := make([][2]string, len(qs))
	values := make([][2][]float64, len(qs))
	seeds := make([][]uint64, len(qs))
	for i, q := range qs {
		a, err := BySeed(runs, q.SA, q.MA)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.NameA, err)
		}
		b, err := BySeed(runs, q.SB, q.MB)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.NameB, err)
		}
		va, vb, s, err := Pair(a, b)
		if err != nil {
			return nil, fmt.Errorf("%s vs %s: %w", q.NameA, q.NameB, err)
		}
		names[i], values[i], seeds[i] = [2]string{q.NameA, q.NameB}, [2][]float64{va, vb}, s
	}
	cs, err := Family(r, names, values)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		cs[i].Seeds = seeds[i]
	}
	return cs, nil
}
