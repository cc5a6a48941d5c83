package study

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// Tuning is an equal tuning budget: every condition is trained at every learning rate of the same grid
// (log-spaced) on the tuning seeds, and the learning rate whose runs reach the highest mean validation
// accuracy (of the weights each run kept) is selected. A selection at either edge of the grid extends the
// grid by one step of its ratio on that side and tunes again, at most MaxExtensions times; the test
// seeds are never seen. Every condition gets the same rule and the same number of runs per grid point.
type Tuning struct {
	Conditions []string // names in the registry (Conditions)
	// Grid are the learning rates, ascending, log-spaced (at least 2); or one rate with MaxExtensions 0: a
	// fixed learning rate (Fixed), whose "tuning" only runs the tuning seeds at it.
	Grid []float64
	// SGDGrid replaces Grid for the conditions whose optimiser is SGD (snn.OptimizerSGD): the same number
	// of points, at SGD's scale. Nil: Grid for all.
	SGDGrid       []float64
	Seeds         []uint64 // tuning seeds (disjoint from any test seeds)
	Fraction      float64  // inhibitory fraction of every run
	MaxExtensions int      // grid extensions allowed per condition (0: none)
}

// TuningPoint is one learning rate of a condition's tuning curve: the validation accuracy of each tuning
// seed (in Seeds order) and their mean, the seeds whose runs diverged (scored 0: KeptValAccuracy), and the
// mean over the other runs (NaN when every run diverged).
type TuningPoint struct {
	LearningRate  float64
	ValAccuracy   []float64
	Mean          float64
	Diverged      []uint64
	ConvergedMean float64
}

// Tuned is the outcome of tuning one condition: its curve over the grid it ended with, the selected
// learning rate (the curve's first maximum) and how often its grid was extended.
type Tuned struct {
	Condition string
	Curve     []TuningPoint
	Selected  float64
	Extended  int
}

// Validate checks the tuning plan before any run: known conditions, a log-spaced ascending grid of at
// least 2 points (the same size for SGD), at least one seed, no repeats.
func (t Tuning) Validate(base snn.Config) error {
	if _, err := ConditionsByName(t.Conditions); err != nil {
		return err
	}
	for _, g := range []struct {
		name string
		v    []float64
	}{{"Grid", t.Grid}, {"SGDGrid", t.SGDGrid}} {
		if g.v == nil && g.name == "SGDGrid" {
			continue
		}
		if err := checkGrid(g.v, t.MaxExtensions == 0); err != nil {
			return fmt.Errorf("study: Tuning.%s %v: %w", g.name, g.v, err)
		}
	}
	if t.Fixed() && t.SGDGrid != nil {
		return fmt.Errorf("study: Tuning with one fixed rate %v and an SGDGrid %v: a fixed-rate plan has one rate for every condition", t.Grid, t.SGDGrid)
	}
	if t.SGDGrid != nil && len(t.SGDGrid) != len(t.Grid) {
		return fmt.Errorf("study: Tuning.SGDGrid has %d points, Grid %d: every condition gets the same budget", len(t.SGDGrid), len(t.Grid))
	}
	if len(t.Seeds) == 0 {
		return fmt.Errorf("study: Tuning has no seeds")
	}
	seen := map[uint64]bool{}
	for _, s := range t.Seeds {
		if seen[s] {
			return fmt.Errorf("study: Tuning seed %d is listed twice", s)
		}
		seen[s] = true
	}
	if t.MaxExtensions < 0 {
		return fmt.Errorf("study: Tuning.MaxExtensions = %d, want >= 0", t.MaxExtensions)
	}
	return nil
}

// checkGrid accepts an ascending, log-spaced list of at least 2 finite learning rates > 0 (ratios equal
// within 1e-5, so 6 significant digits suffice), or, where one is allowed (a grid never extended), a single
// finite rate > 0.
func checkGrid(g []float64, oneAllowed bool) error {
	if len(g) == 1 && oneAllowed {
		if v := g[0]; !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("learning rate %v is not a finite number > 0", v)
		}
		return nil
	}
	if len(g) < 2 {
		if oneAllowed {
			return fmt.Errorf("want one fixed learning rate or at least 2 to tune over")
		}
		return fmt.Errorf("want at least 2 learning rates (one only with MaxExtensions 0: a fixed rate)")
	}
	for i, v := range g {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("learning rate %v is not a finite number > 0", v)
		}
		if i > 0 && v <= g[i-1] {
			return fmt.Errorf("not ascending at %v", v)
		}
	}
	r := g[1] / g[0]
	for i := 2; i < len(g); i++ {
		if math.Abs(g[i]/g[i-1]/r-1) > 1e-5 {
			return fmt.Errorf("not log-spaced: ratio %v then %v", r, g[i]/g[i-1])
		}
	}
	return nil
}

// Fixed reports whether the tuning is a fixed learning rate: one rate, never extended, so nothing is
// selected (every condition runs at it).
func (t Tuning) Fixed() bool { return len(t.Grid) == 1 && t.MaxExtensions == 0 }

// gridFor returns the grid a condition is tuned over (SGDGrid for SGD conditions).
func (t Tuning) gridFor(c Condition, base snn.Config) []float64 {
	if t.SGDGrid != nil && c.Apply(base, t.Fraction).Optimizer == snn.OptimizerSGD {
		return t.SGDGrid
	}
	return t.Grid
}

// extend adds one point beyond the edge (lower when low) of a log-spaced grid, rounded to 6 significant
// digits so that its name is stable.
func extend(g []float64, low bool) []float64 {
	r := g[1] / g[0]
	if low {
		return append([]float64{round6(g[0] / r)}, g...)
	}
	return append(slices.Clone(g), round6(g[len(g)-1]*r))
}

func round6(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// KeptValAccuracy is the validation accuracy of the weights a run kept (ValAccuracy at KeptEpoch); 0 for
// a run that diverged.
func KeptValAccuracy(r RunResult) (float64, error) {
	if r.Diverged {
		return 0, nil
	}
	if r.KeptEpoch < 1 || r.KeptEpoch > len(r.ValAccuracy) {
		return 0, fmt.Errorf("study: run %s fraction %v seed %d has no validation accuracy of its kept epoch (kept %d of %d recorded)",
			r.Condition, r.Fraction, r.Seed, r.KeptEpoch, len(r.ValAccuracy))
	}
	return r.ValAccuracy[r.KeptEpoch-1], nil
}

// curve returns a condition's tuning curve over grid from results (keyed by the WithLearningRate names),
// seeds in order; a missing run is an error.
func curve(results []RunResult, c Condition, grid []float64, seeds []uint64, fraction float64) ([]TuningPoint, error) {
	byKey := map[RunKey]RunResult{}
	for _, r := range results {
		byKey[r.RunKey] = r
	}
	var out []TuningPoint
	for _, lr := range grid {
		name := WithLearningRate(c, lr).Name
		p := TuningPoint{LearningRate: lr}
		for _, s := range seeds {
			r, ok := byKey[RunKey{name, fraction, s}]
			if !ok {
				return nil, fmt.Errorf("study: tuning: no run of %s seed %d", name, s)
			}
			v, err := KeptValAccuracy(r)
			if err != nil {
				return nil, err
			}
			if r.Diverged {
				p.Diverged = append(p.Diverged, s)
			} else {
				p.ConvergedMean += v
			}
			p.ValAccuracy = append(p.ValAccuracy, v)
			p.Mean += v / float64(len(seeds))
		}
		p.ConvergedMean /= float64(len(seeds) - len(p.Diverged)) // 0/0: NaN
		out = append(out, p)
	}
	return out, nil
}

// best returns the index of a curve's first maximum of the mean.
func best(c []TuningPoint) int {
	k := 0
	for i, p := range c {
		if p.Mean > c[k].Mean {
			k = i
		}
	}
	return k
}

// RunOptions are how the sweeps of a tuning or a tuned plan run (the Sweep fields of the same names).
type RunOptions struct {
	Workers   int
	OnRun     func(done, total int, r RunResult, cached bool)
	Backend   compute.Backend
	Recompute bool
	// CacheOnly reads every run from the cache and trains none: a missing run is an error.
	CacheOnly bool
	// Shared are other plans' cache folders to copy runs from rather than train them again (Sweep.Shared;
	// a tuned plan's Tune and Test use SharedCaches when nil), unless NoCopy, which trains every run.
	Shared []string
	NoCopy bool
	// Unmixed refuses to add runs to a cache that holds other numerics' (Sweep.Unmixed).
	Unmixed bool
}

// apply sets the options on s.
func (o RunOptions) apply(s *Sweep) {
	s.Workers, s.OnRun, s.Backend, s.Recompute, s.CacheOnly = o.Workers, o.OnRun, o.Backend, o.Recompute, o.CacheOnly
	s.Unmixed = o.Unmixed
	s.Shared = o.Shared
	if o.NoCopy {
		s.Shared = nil
	}
}

// Run tunes every condition: it trains (or reads from cacheDir) the grid runs on the tuning seeds,
// selects each condition's learning rate, and extends the grid of a condition whose selection sits at
// an edge.
func (t Tuning) Run(ctx context.Context, base snn.Config, cacheDir string, opts RunOptions) ([]Tuned, []string, error) {
	if err := t.Validate(base); err != nil {
		return nil, nil, err
	}
	conds, _ := ConditionsByName(t.Conditions)
	grids := make([][]float64, len(conds))
	extended := make([]int, len(conds))
	for i, c := range conds {
		grids[i] = t.gridFor(c, base)
	}
	var notes []string
	for {
		var todo []Condition
		for i, c := range conds {
			for _, lr := range grids[i] {
				todo = append(todo, WithLearningRate(c, lr))
			}
		}
		s := &Sweep{Base: base, Conditions: todo, Fractions: []float64{t.Fraction}, Seeds: t.Seeds, CacheDir: cacheDir,
			NeedValidation: true, RecordDivergence: true}
		opts.apply(s)
		res, err := s.Run(ctx)
		notes = append(notes, s.Warnings...)
		if err != nil {
			return nil, notes, err
		}
		out := make([]Tuned, len(conds))
		again := false
		for i, c := range conds {
			cv, err := curve(res, c, grids[i], t.Seeds, t.Fraction)
			if err != nil {
				return nil, notes, err
			}
			k := best(cv)
			out[i] = Tuned{Condition: c.Name, Curve: cv, Selected: cv[k].LearningRate, Extended: extended[i]}
			if edge := k == 0 || k == len(cv)-1; edge && !t.Fixed() {
				if extended[i] >= t.MaxExtensions {
					notes = append(notes, fmt.Sprintf("%s: the selected learning rate %g is at the edge of its grid after %d extensions (the limit)",
						c.Name, cv[k].LearningRate, extended[i]))
					continue
				}
				grids[i] = extend(grids[i], k == 0)
				extended[i]++
				again = true
			}
		}
		if !again {
			return out, notes, nil
		}
	}
}
