package ratenet

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// Plan fixes the Fashion-MNIST comparison before its runs: the models, the hidden size, one equal
// tuning budget (every model at each learning rate of Grid, log-spaced, on TuningSeeds, selected on the
// mean final-epoch validation accuracy; a selection at an edge extends the grid by one step, at most
// MaxExtensions times), the test seeds, the training protocol, the questions (pairs of models, one Holm
// family) and the equivalence margin in accuracy points.
type Plan struct {
	Name          string      `json:"name"`
	Kinds         []string    `json:"kinds"`
	Hidden        Hidden      `json:"hidden"`
	Grid          []float64   `json:"grid"`
	MaxExtensions int         `json:"max_extensions"`
	TuningSeeds   []uint64    `json:"tuning_seeds"`
	TestSeeds     []uint64    `json:"test_seeds"`
	Epochs        int         `json:"epochs"`
	BatchSize     int         `json:"batch_size"`
	Validation    int         `json:"validation"` // training images held out for validation
	SplitSeed     uint64      `json:"split_seed"`
	Pairs         [][2]string `json:"pairs"`
	Margin        float64     `json:"margin"`
	Claim         string      `json:"claim"`
	Cache         string      `json:"cache"` // folder under the results folder
}

// Validate checks the plan before any run.
func (p Plan) Validate() error {
	for _, k := range p.Kinds {
		if _, err := KindByName(k); err != nil {
			return fmt.Errorf("ratenet: plan %s: %w", p.Name, err)
		}
	}
	if len(p.Grid) < 5 || p.Grid[len(p.Grid)-1]/p.Grid[0] < 100*(1-1e-6) {
		return fmt.Errorf("ratenet: plan %s: grid %v: want at least 5 learning rates over at least 100x", p.Name, p.Grid)
	}
	for i := 1; i < len(p.Grid); i++ {
		if r := p.Grid[i] / p.Grid[i-1]; math.Abs(r/(p.Grid[1]/p.Grid[0])-1) > 1e-5 {
			return fmt.Errorf("ratenet: plan %s: grid %v is not log-spaced", p.Name, p.Grid)
		}
	}
	if len(p.TestSeeds) < 3 || len(p.TuningSeeds) < 1 {
		return fmt.Errorf("ratenet: plan %s: %d test and %d tuning seeds: want at least 3 and 1", p.Name, len(p.TestSeeds), len(p.TuningSeeds))
	}
	for _, s := range p.TestSeeds {
		if slices.Contains(p.TuningSeeds, s) {
			return fmt.Errorf("ratenet: plan %s: seed %d is both a tuning and a test seed", p.Name, s)
		}
	}
	for _, pr := range p.Pairs {
		if !slices.Contains(p.Kinds, pr[0]) || !slices.Contains(p.Kinds, pr[1]) || pr[0] == pr[1] {
			return fmt.Errorf("ratenet: plan %s: pair %v: want two different models of the plan", p.Name, pr)
		}
	}
	if !(p.Margin > 0) || p.Epochs < 1 || p.BatchSize < 1 {
		return fmt.Errorf("ratenet: plan %s: margin %v, epochs %d, batch %d: want all > 0", p.Name, p.Margin, p.Epochs, p.BatchSize)
	}
	return nil
}

// TuningPoint is one learning rate of a model's tuning curve: the final-epoch validation accuracy of
// each tuning seed (a diverged run scores 0) and their mean.
type TuningPoint struct {
	LearningRate float64
	Val          []float64
	Mean         float64
}

// Tuned is a model's tuning: its curve over the grid it ended with, the selected learning rate (the
// curve's first maximum), the number of grid extensions, and the test runs at that rate.
type Tuned struct {
	Kind     string
	Curve    []TuningPoint
	Selected float64
	Extended int
	Test     []Result // in TestSeeds order
}

// RunOptions are how a plan's runs are read or trained.
type RunOptions struct {
	Results string // the folder holding the plan's cache (Plan.Cache)
	// Data loads the data set, called once, when the first run must train (nil: LoadFashionMNIST from
	// DefaultDataDir with the plan's split).
	Data func() (*Data, error)
	// Workers is the number of runs trained at once (0: one per core, runtime.GOMAXPROCS; a negative
	// number is refused).
	Workers int
	Backend compute.Backend // nil: GoMLX's pure-Go backend
	// CacheOnly trains nothing: a run missing from the cache is an error.
	CacheOnly bool
	// Recompute trains again the cached runs that other numerics of the same revision computed (another
	// backend, or GoMLX's other vector path: Numerics); by default they are used as they are.
	Recompute bool
	// Unmixed refuses, before any run trains, to add runs to a cache that holds runs other numerics of
	// the same revision computed (unless Recompute): the cache would hold two numerics' numbers side by side
	// (snn.MixedNumericsError). The sweep command sets it unless -mix-numerics.
	Unmixed bool
	// OnRun, if set, is called after each run, read or trained, one run at a time.
	OnRun func(r Result, cached bool)
}

// Run tunes and tests every model of the plan, reading each run from the cache or training (and
// caching) it, Workers at a time. notes says how many cached runs other numerics computed (used as they
// are: RunOptions.Recompute).
func (p Plan) Run(ctx context.Context, opts RunOptions) (tuned []Tuned, notes []string, err error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	if opts.Workers < 0 {
		return nil, nil, fmt.Errorf("ratenet: RunOptions.Workers = %d: want 0 (one per core) or more", opts.Workers)
	}
	dir := filepath.Join(opts.Results, p.Cache)
	if !opts.CacheOnly {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
	}
	var loadOnce sync.Once
	var data *Data
	var loadErr error
	load := func() (*Data, error) {
		loadOnce.Do(func() {
			if opts.Data != nil {
				data, loadErr = opts.Data()
			} else {
				data, loadErr = LoadFashionMNIST(DefaultDataDir, p.Validation, p.SplitSeed)
			}
		})
		return data, loadErr
	}
	backend := opts.Backend
	if backend == nil {
		var err error
		if backend, err = snn.BackendOrDefault(nil); err != nil {
			return nil, nil, err
		}
	}
	seen := map[TrainConfig]Result{} // every run read or trained, once each (the grid's extensions read runs again)
	workers, onRun := opts.Workers, opts.OnRun
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	run := func(cfgs []TrainConfig) (map[TrainConfig]Result, error) {
		if err := p.checkUnmixed(cfgs, dir, Numerics(backend), opts); err != nil {
			return nil, err
		}
		out := map[TrainConfig]Result{}
		var mu sync.Mutex
		var firstErr error
		next := make(chan TrainConfig)
		var wg sync.WaitGroup
		for w := 0; w < min(workers, len(cfgs)); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c := range next {
					r, cached, err := p.runOne(ctx, c, load, dir, backend, opts)
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = err
					}
					if err == nil {
						out[c], seen[c] = r, r
						if onRun != nil {
							onRun(r, cached)
						}
					}
					mu.Unlock()
				}
			}()
		}
		for _, c := range cfgs {
			next <- c
		}
		close(next)
		wg.Wait()
		return out, firstErr
	}
	grids := make([][]float64, len(p.Kinds))
	tuned = make([]Tuned, len(p.Kinds))
	for i := range grids {
		grids[i] = slices.Clone(p.Grid)
		tuned[i].Kind = p.Kinds[i]
	}
	for {
		var cfgs []TrainConfig
		for i, k := range p.Kinds {
			for _, lr := range grids[i] {
				for _, s := range p.TuningSeeds {
					cfgs = append(cfgs, p.config(k, lr, s))
				}
			}
		}
		res, err := run(cfgs)
		if err != nil {
			return nil, nil, err
		}
		again := false
		for i, k := range p.Kinds {
			t := &tuned[i]
			t.Curve = nil
			best := 0
			for j, lr := range grids[i] {
				pt := TuningPoint{LearningRate: lr}
				for _, s := range p.TuningSeeds {
					r := res[p.config(k, lr, s)]
					v := 0.0
					if !r.Diverged {
						v = r.ValAccuracy[len(r.ValAccuracy)-1]
					}
					pt.Val = append(pt.Val, v)
					pt.Mean += v / float64(len(p.TuningSeeds))
				}
				t.Curve = append(t.Curve, pt)
				if pt.Mean > t.Curve[best].Mean {
					best = j
				}
			}
			t.Selected = grids[i][best]
			if (best == 0 || best == len(grids[i])-1) && t.Extended < p.MaxExtensions {
				r := grids[i][1] / grids[i][0]
				if best == 0 {
					grids[i] = append([]float64{round6(grids[i][0] / r)}, grids[i]...)
				} else {
					grids[i] = append(grids[i], round6(grids[i][len(grids[i])-1]*r))
				}
				t.Extended++
				again = true
			}
		}
		if !again {
			break
		}
	}
	var cfgs []TrainConfig
	for _, t := range tuned {
		for _, s := range p.TestSeeds {
			cfgs = append(cfgs, p.config(t.Kind, t.Selected, s))
		}
	}
	res, err := run(cfgs)
	if err != nil {
		return nil, nil, err
	}
	for i := range tuned {
		for _, s := range p.TestSeeds {
			tuned[i].Test = append(tuned[i].Test, res[p.config(tuned[i].Kind, tuned[i].Selected, s)])
		}
	}
	return tuned, foreignNotes(seen, Numerics(backend)), nil
}

// foreignNotes says, per other numerics, how many of runs were computed by them rather than current.
func foreignNotes(runs map[TrainConfig]Result, current string) []string {
	count := map[string]int{}
	var names []string
	for _, r := range runs {
		if r.Numerics == current {
			continue
		}
		if count[r.Numerics] == 0 {
			names = append(names, r.Numerics)
		}
		count[r.Numerics]++
	}
	slices.Sort(names)
	var notes []string
	for _, n := range names {
		notes = append(notes, "rate networks: "+snn.ForeignNumericsNote(count[n], n, current, "set RunOptions.Recompute (sweep rate -recompute)"))
	}
	return notes
}

func round6(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// config is the run of kind at lr and seed under the plan's protocol.
func (p Plan) config(kind string, lr float64, seed uint64) TrainConfig {
	return TrainConfig{Kind: kind, Hidden: p.Hidden, LearningRate: lr, BatchSize: p.BatchSize, Epochs: p.Epochs, Seed: seed}
}

// cacheEntry is a cached run with what it was trained on.
type cacheEntry struct {
	Result     Result `json:"result"`
	Validation int    `json:"validation"`
	SplitSeed  uint64 `json:"split_seed"`
}

// entryPath is the cache entry of c's run in dir.
func (p Plan) entryPath(dir string, c TrainConfig) string {
	return filepath.Join(dir, fmt.Sprintf("%s@lr=%s_s%d.json", c.Kind, strconv.FormatFloat(c.LearningRate, 'g', -1, 64), c.Seed))
}

// cached returns c's run from its entry in dir when the entry is of the same configuration and data split,
// complete, and computed by numerics that current may use (snn.UsableNumerics).
func (p Plan) cached(c TrainConfig, dir, current string, recompute bool) (Result, bool) {
	b, err := os.ReadFile(p.entryPath(dir, c))
	if err != nil {
		return Result{}, false
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) == nil && p.usable(e, c, current, recompute) {
		return e.Result, true
	}
	return Result{}, false
}

// usable reports whether entry e stands for c's run under the plan: the same configuration and data split,
// complete, and computed by numerics that current may use (snn.UsableNumerics).
func (p Plan) usable(e cacheEntry, c TrainConfig, current string, recompute bool) bool {
	return e.Result.Config == c && e.Validation == p.Validation && e.SplitSeed == p.SplitSeed &&
		(e.Result.Diverged || len(e.Result.ValAccuracy) == c.Epochs) && snn.UsableNumerics(e.Result.Numerics, current, recompute)
}

// checkUnmixed, with opts.Unmixed (and neither CacheOnly nor Recompute), refuses cfgs when one of them is
// not in the cache dir (it would be trained with numerics current) while the plan's runs cached there
// include some that other numerics of the same revision computed (snn.MixedNumericsError).
func (p Plan) checkUnmixed(cfgs []TrainConfig, dir, current string, opts RunOptions) error {
	if !opts.Unmixed || opts.CacheOnly || opts.Recompute {
		return nil
	}
	added := 0
	for _, c := range cfgs {
		if _, ok := p.cached(c, dir, current, false); !ok {
			added++
		}
	}
	if added == 0 {
		return nil
	}
	entries, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	held := map[string]int{}
	for _, f := range entries {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // unreadable: not a run this plan uses
		}
		var e cacheEntry // a run of this plan, under its own name, that another build's numerics computed
		if json.Unmarshal(b, &e) == nil && e.Result.Numerics != current && f == p.entryPath(dir, e.Result.Config) &&
			p.usable(e, e.Result.Config, current, false) {
			held[e.Result.Numerics]++
		}
	}
	if len(held) == 0 {
		return nil
	}
	return fmt.Errorf("ratenet: %w", snn.MixedNumericsError(dir, held, added, current, "RunOptions.Recompute; sweep rate -recompute",
		"sweep rate -mix-numerics"))
}

// runOne reads c's run from dir when an entry of the same configuration and data split is there, computed
// by numerics it may use (snn.UsableNumerics), else trains and caches it (atomically).
func (p Plan) runOne(ctx context.Context, c TrainConfig, load func() (*Data, error), dir string, backend compute.Backend,
	opts RunOptions) (Result, bool, error) {
	path := p.entryPath(dir, c)
	if r, ok := p.cached(c, dir, Numerics(backend), opts.Recompute); ok {
		return r, true, nil
	}
	if opts.CacheOnly {
		return Result{}, false, fmt.Errorf("ratenet: %s is not in the cache (or not of this configuration, or of numerics it may not use), and nothing is trained (CacheOnly)", path)
	}
	data, err := load()
	if err != nil {
		return Result{}, false, err
	}
	r, err := Train(ctx, c, data, backend)
	if err != nil {
		return Result{}, false, fmt.Errorf("ratenet: %s lr %g seed %d: %w", c.Kind, c.LearningRate, c.Seed, err)
	}
	b, err := json.MarshalIndent(cacheEntry{Result: r, Validation: p.Validation, SplitSeed: p.SplitSeed}, "", " ")
	if err != nil {
		return Result{}, false, err
	}
	return r, false, snn.WriteFileAtomic(path, b)
}
