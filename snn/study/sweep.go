package study

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// Condition is one arm of a Sweep: a name and the snn.Config it trains for an inhibitory fraction.
type Condition struct {
	Name  string
	Apply func(base snn.Config, fraction float64) snn.Config
	// Formulation, if set, is the snn.Formulation its runs are computed with where the sweep leaves the
	// choice to the backend (Sweep.Formulation = snn.FormulationAuto): for conditions whose runs a plan
	// fixed, or a committed cache holds, in a formulation other than the one Auto picks today.
	Formulation snn.Formulation
}

// formulation is the formulation a run of c is computed with when the sweep asks for f.
func (c Condition) formulation(f snn.Formulation) snn.Formulation {
	if f == snn.FormulationAuto && c.Formulation != "" {
		return c.Formulation
	}
	return f
}

// DaleConditions are the sweeps of the inhibitory fraction with Dale's law on both layers, on the input
// layer only and on the hidden layer only (the other layer unconstrained).
func DaleConditions() []Condition {
	on := func(layers snn.DaleLayers) func(snn.Config, float64) snn.Config {
		return func(c snn.Config, f float64) snn.Config {
			c.DalesLaw, c.DaleLayers, c.InhibitoryFraction = true, layers, f
			return c
		}
	}
	return []Condition{{Name: "both", Apply: on(snn.DaleBoth)}, {Name: "input", Apply: on(snn.DaleInput)},
		{Name: "hidden", Apply: on(snn.DaleHidden)}}
}

// SignConditions train with Dale's law on both layers under each sign parametrisation (named after it).
func SignConditions() []Condition {
	var cs []Condition
	for _, p := range []snn.SignParam{snn.SignAbs, snn.SignReLU, snn.SignSoftplus, snn.SignClip} {
		cs = append(cs, Condition{Name: string(p), Apply: func(c snn.Config, f float64) snn.Config {
			c.DalesLaw, c.DaleLayers, c.InhibitoryFraction, c.SignParam = true, snn.DaleBoth, f, p
			return c
		}})
	}
	return cs
}

// LayoutConditions train with Dale's law on both layers with the notebook's blocked mask ("blocked") and
// with a random one ("random").
func LayoutConditions() []Condition {
	var cs []Condition
	for _, l := range []snn.MaskLayout{snn.MaskBlocked, snn.MaskRandom} {
		cs = append(cs, Condition{Name: string(l), Apply: func(c snn.Config, f float64) snn.Config {
			c.DalesLaw, c.DaleLayers, c.InhibitoryFraction, c.Layout = true, snn.DaleBoth, f, l
			return c
		}})
	}
	return cs
}

// Unconstrained is the baseline without Dale's law (the fraction is ignored; sweep it at one fraction).
var Unconstrained = Condition{Name: "unconstrained", Apply: func(c snn.Config, _ float64) snn.Config {
	c.DalesLaw = false
	return c
}}

// RunKey identifies one training run of a sweep.
type RunKey struct {
	Condition string  `json:"condition"`
	Fraction  float64 `json:"fraction"`
	Seed      uint64  `json:"seed"`
}

// RunResult is the outcome of one run.
type RunResult struct {
	RunKey
	TrainAccuracy float64 `json:"train_accuracy"`
	TestAccuracy  float64 `json:"test_accuracy"`
	TestErrorDeg  float64 `json:"test_error_deg"`
	Epochs        int     `json:"epochs"` // epochs trained (fewer than the configuration's when training stopped early)
	// KeptEpoch is the 1-based epoch whose weights the run kept: Epochs, or an earlier one when the
	// early-stopping rule restored its best weights. ValAccuracy is the validation accuracy per epoch.
	// Both are recorded since 2026-12-01 (absent from older entries: see StoppedEarly).
	KeptEpoch int `json:"kept_epoch,omitempty"`
	// Diverged marks a run whose loss became NaN or infinite (snn.ErrDiverged), recorded as a result
	// (accuracies 0) by sweeps with RecordDivergence.
	Diverged    bool      `json:"diverged,omitempty"`
	ValAccuracy []float64 `json:"val_accuracy,omitempty"`
	Seconds     float64   `json:"seconds"`
	ConfigHash  string    `json:"config_hash"`
	// Numerics names the numerical formulation that computed the run (snn.NumericsVersion); a cached run of
	// other numerics is recomputed. Runs cached before it existed have none.
	Numerics string `json:"numerics,omitempty"`
	// Extra holds the metrics of Sweep.Extra (for example ablation accuracies), cached with the run, and
	// ExtraVersion the definition they were computed under (Sweep.ExtraVersion).
	Extra        map[string]float64 `json:"extra,omitempty"`
	ExtraVersion string             `json:"extra_version,omitempty"`
	// ReusedFrom names the entry ("folder/file") of another sweep's cache this run was copied from
	// (Sweep.Shared: the same configuration, fraction and seed, trained once; Seconds and ReusedFrom are
	// then the copied entry's, so a copy of a rebuilt entry names the model), or the model ("folder/file")
	// it was rebuilt from (Sweep.Models; Seconds are then the rebuild's: evaluation and metrics); empty
	// for a run trained for this cache.
	ReusedFrom string `json:"reused_from,omitempty"`
}

// Sweep trains every (condition, fraction, seed) and scores each run on its test set. With a CacheDir
// each finished run is saved there at once (one small JSON file, written atomically), and runs already
// there for the same configuration are reused, so an interrupted sweep resumes where it stopped.
type Sweep struct {
	Base       snn.Config
	Conditions []Condition
	Fractions  []float64
	Seeds      []uint64
	CacheDir   string
	// Workers is the number of runs trained at once (0 means GOMAXPROCS; a negative number is refused).
	Workers int
	// Backend runs the graphs (nil: snn.NewBackend()).
	Backend compute.Backend
	// OnRun, if set, is called after each run with the number done so far and whether it came from the cache.
	OnRun func(done, total int, r RunResult, cached bool)
	// OnEpoch, if set, is called after every epoch of every run the sweep trains (from the run's worker):
	// a live progress bar for a single run.
	OnEpoch func(k RunKey, e snn.EpochInfo)
	// ModelDir, if set, keeps the model of every run the sweep trains there (snn.SaveCheckpoint, atomic),
	// named like its cache entry with ".ckpt" (ModelFile).
	ModelDir string
	// Models, if set, is a folder of trained models that sweeps share (sweep -plan: the results folder's
	// .models): every run this sweep trains leaves its model there (snn.SaveCheckpoint, atomic; named by
	// StoreFile), and a run that this sweep can neither read from its cache nor copy from Shared (the
	// copy lacks this sweep's Extra metrics, say), whose model another sweep left there trained by
	// exactly this sweep's numerics, is rebuilt from it (snn.RebuildExperiment: the same weights, data
	// and initial model, evaluated again) and scored with this sweep's metrics instead of trained again
	// (RunResult.ReusedFrom names the model). A run whose entry was deleted, or whose metrics' definition
	// changed, is rebuilt so too (its own earlier model: training it again with the same numerics would
	// give the same weights); set Models empty (sweep -copy=false) to train every run. The store only
	// saves time: one that cannot be written is read where it can be, with a warning, and a model not
	// kept is a warning, not an error. Not used by a CacheOnly sweep.
	Models string
	// Extra, if set, computes more metrics of each trained run (stored in RunResult.Extra), and
	// ExtraMetrics names them: a cached run that lacks one of them is recomputed.
	Extra        func(x *snn.Experiment) (map[string]float64, error)
	ExtraMetrics []string
	// ExtraVersion names the definition of the Extra metrics (e.g. AblationMetricsVersion): a cached run
	// whose metrics were computed under another definition is recomputed.
	ExtraVersion string
	// ExtraVersionOf, if set, names the definition per run from its configuration instead of ExtraVersion
	// (for metrics whose definition changed for some configurations only, so that only those recompute).
	ExtraVersionOf func(cfg snn.Config) string
	// ExtraCheck, when set, is asked by Plan about every run's configuration before any work: a run whose
	// Extra metrics cannot be computed (e.g. an ablation at a fraction with too few rows to cut) is refused
	// then, not after its training.
	ExtraCheck func(cfg snn.Config) error
	// snn.Formulation of the training step (zero: by backend); it decides the runs' snn.NumericsVersion.
	Formulation snn.Formulation
	// RecordDivergence caches a run that diverges (snn.ErrDiverged: a learning rate too large for it) as a
	// result with Diverged set and accuracies 0, instead of stopping the sweep with its error: tuning grids
	// reach such rates on purpose.
	RecordDivergence bool
	// NeedValidation makes a cached run without per-epoch validation accuracies (RunResult.ValAccuracy,
	// recorded since 2026-12-01) count as stale: tuning selects on them.
	NeedValidation bool
	// Recompute retrains cached runs that another backend, formulation or build computed (a NumericsVersion
	// of the same revision but another name: snn.SameRevision). By default they are used as they are, and
	// Warnings says how many and by which numerics. Runs of another revision of the numbers are always
	// recomputed.
	Recompute bool
	// CacheOnly reads every run from the cache and trains none: a run missing there (or not usable) is an
	// error that names it.
	CacheOnly bool
	// Unmixed refuses, before any work, to add runs to a cache folder that holds runs computed by other
	// numerics of the same revision (used as they are, since Recompute is not set): the cache would then
	// hold two numerics' numbers side by side (checkUnmixed). The sweep command sets it unless
	// -mix-numerics; the notebooks, which say in notes which numerics computed what they read, do not.
	Unmixed bool
	// Shared lists other sweeps' cache folders (the other plans' caches beside CacheDir: SharedCaches)
	// where a run missing from CacheDir may already be, computed for another sweep: an entry there of the
	// same configuration (snn.ConfigKey), fraction, seed and numerics (exactly this build's), usable by
	// this sweep's rules (metrics, validation accuracies), is the same run, and is copied into CacheDir
	// under this sweep's run key (RunResult.ReusedFrom) instead of training it again. Not used by a
	// CacheOnly sweep, nor by one that keeps models (ModelDir: a copy brings none).
	Shared []string
	// reused and rebuilt count the runs copied from Shared and rebuilt from Models by the current Run.
	reused, rebuilt int64
	// storeUnwritable is why Models cannot be written (set by RunIndices; nil: writable).
	storeUnwritable error
	// unwritable is why CacheDir cannot be written (set by RunIndices before its runs; nil: writable).
	unwritable error
	// data shares the data sets of the runs of one seed (snn.DataCache; made by RunIndices, whose
	// workers take the runs seed by seed), and dataGenerated counts the data configurations the last
	// RunIndices generated.
	data          *snn.DataCache
	dataGenerated int
	// Warnings collects what Run found in the cache and what it did about it (a damaged entry, a run of
	// another revision of the numbers or lacking a metric, each recomputed; runs of other numerics used as
	// they are), one line each.
	Warnings []string
}

// PlannedRun is one run of a sweep's grid: its index in the plan (stable: conditions, then fractions,
// then seeds, in the order given), its key, configuration and cache file.
type PlannedRun struct {
	Index  int
	Key    RunKey
	Config snn.Config
	// Formulation is the snn.Formulation the run is computed with (before Resolve: Auto picks by backend).
	Formulation snn.Formulation
	// File is the run's cache entry (empty without a CacheDir); ConfigHash identifies its configuration.
	File, ConfigHash string
}

// Plan lists the runs of the grid, validating each configuration.
func (s *Sweep) Plan() ([]PlannedRun, error) {
	if s.Workers < 0 {
		return nil, fmt.Errorf("study: sweep: Workers = %d is invalid: want 0 (one per core) or more", s.Workers)
	}
	if err := s.checkDistinct(); err != nil {
		return nil, err
	}
	var plan []PlannedRun
	for _, c := range s.Conditions {
		for _, f := range s.Fractions {
			for _, seed := range s.Seeds {
				cfg := c.Apply(s.Base, f)
				cfg.Seed = seed
				if err := cfg.Validate(); err != nil {
					return nil, fmt.Errorf("study: sweep %s at fraction %v: %w", c.Name, f, err)
				}
				if s.ExtraCheck != nil {
					if err := s.ExtraCheck(cfg); err != nil {
						return nil, fmt.Errorf("study: sweep %s at fraction %v, seed %d: its extra metrics cannot be computed: %w", c.Name, f, seed, err)
					}
				}
				p := PlannedRun{Index: len(plan), Key: RunKey{c.Name, f, seed}, Config: cfg, Formulation: c.formulation(s.Formulation)}
				p.File, p.ConfigHash = s.cachePath(p)
				plan = append(plan, p)
			}
		}
	}
	if len(plan) == 0 {
		return nil, fmt.Errorf("study: sweep has no runs (conditions %d, fractions %d, seeds %d)",
			len(s.Conditions), len(s.Fractions), len(s.Seeds))
	}
	if err := sameRuns(plan); err != nil {
		return nil, err
	}
	return plan, nil
}

// sameRuns refuses a plan in which two conditions are the same run under two names (the same
// configuration, PlannedRun.ConfigHash, and formulation at a fraction and seed, e.g. "both", "blocked" and
// "both@lr=0.01"): their rows would repeat one set of runs as if they were two results.
func sameRuns(plan []PlannedRun) error {
	type run struct {
		key         string
		formulation snn.Formulation
	}
	seen := map[run]RunKey{}
	for _, p := range plan {
		r := run{p.ConfigHash, p.Formulation}
		if q, ok := seen[r]; ok && q.Condition != p.Key.Condition {
			return fmt.Errorf("study: sweep: conditions %q and %q are the same run at fraction %v (the same configuration, key %s): "+
				"list one of them", q.Condition, p.Key.Condition, p.Key.Fraction, r.key)
		}
		seen[r] = p.Key
	}
	return nil
}

// checkDistinct refuses a grid that would count a run twice or print two rows as one: a condition or seed
// listed twice, or fractions CheckFractions refuses.
func (s *Sweep) checkDistinct() error {
	names := map[string]bool{}
	for _, c := range s.Conditions {
		if names[c.Name] {
			return fmt.Errorf("study: sweep: condition %q is listed twice (its runs would count twice in the tables)", c.Name)
		}
		names[c.Name] = true
	}
	seeds := map[uint64]bool{}
	for _, v := range s.Seeds {
		if seeds[v] {
			return fmt.Errorf("study: sweep: seed %d is listed twice (its runs would count twice in the tables)", v)
		}
		seeds[v] = true
	}
	return CheckFractions(s.Fractions)
}

// CheckFractions refuses a list of inhibitory fractions with a value that is not finite or two values
// the tables cannot tell apart: a repeated fraction would count its runs twice, and fractions that print
// alike at the tables' 2 decimals would read as one row.
func CheckFractions(fs []float64) error {
	for i, a := range fs {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return fmt.Errorf("study: fraction %v is not a finite number", a)
		}
		for _, b := range fs[:i] {
			switch {
			case a == b:
				return fmt.Errorf("study: fraction %v is listed twice (its runs would count twice in the tables)", a)
			case fmt.Sprintf("%.2f", a) == fmt.Sprintf("%.2f", b):
				return fmt.Errorf("study: fractions %v and %v both print as %.2f in the tables (2 decimals), so their rows would read as one", b, a, a)
			}
		}
	}
	return nil
}

// seedMajor returns the indices of jobs ordered by seed (stable: in plan order within a seed), the order
// in which the workers take them, so that runs sharing a seed's data sets (snn.DataCache) run together.
func seedMajor(jobs []PlannedRun) []int {
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(jobs[a].Config.Seed, jobs[b].Config.Seed) })
	return order
}

// Run executes the sweep and returns one result per run, ordered by condition, fraction and seed.
// Its runs are trained seed by seed, those of one seed on the same data sets (snn.DataCache).
func (s *Sweep) Run(ctx context.Context) ([]RunResult, error) {
	return s.RunIndices(ctx, nil)
}

// RunIndices executes the runs of the plan at indices (all of them when nil), reading those already in
// the cache, and returns their results in the order of indices.
func (s *Sweep) RunIndices(ctx context.Context, indices []int) ([]RunResult, error) {
	plan, err := s.Plan()
	if err != nil {
		return nil, err
	}
	jobs := plan
	if indices != nil {
		jobs = make([]PlannedRun, len(indices))
		for i, k := range indices {
			if k < 0 || k >= len(plan) {
				return nil, fmt.Errorf("study: run index %d is outside the plan's [0, %d)", k, len(plan))
			}
			jobs[i] = plan[k]
		}
	}
	if s.CacheOnly && s.CacheDir == "" {
		return nil, fmt.Errorf("study: a CacheOnly sweep needs a CacheDir")
	}
	if !s.CacheOnly && s.Backend == nil { // a backend that cannot start is refused before any folder is made
		if err := snn.CheckBackend(); err != nil {
			return nil, err
		}
	}
	s.unwritable = nil
	atomic.StoreInt64(&s.reused, 0)
	atomic.StoreInt64(&s.rebuilt, 0)
	if s.CacheDir != "" && !s.CacheOnly {
		if err := os.MkdirAll(s.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("study: sweep cache: %w", err)
		}
		// A read-only cache still serves the runs it holds; a run it lacks is refused before it trains.
		s.unwritable = snn.CheckWritableDir(s.CacheDir)
	}
	if s.ModelDir != "" && !s.CacheOnly && s.unwritable == nil {
		if err := os.MkdirAll(s.ModelDir, 0o755); err != nil {
			return nil, fmt.Errorf("study: sweep models: %w", err)
		}
		if err := snn.CheckWritableDir(s.ModelDir); err != nil {
			s.unwritable = err
		}
	}
	s.storeUnwritable = nil
	if s.Models != "" && !s.CacheOnly && s.unwritable == nil {
		// The store only saves time: one that cannot be written is read where it can be, and said.
		s.storeUnwritable = os.MkdirAll(s.Models, 0o755)
		if s.storeUnwritable == nil {
			s.storeUnwritable = snn.CheckWritableDir(s.Models)
		}
		if s.storeUnwritable != nil {
			s.Warnings = append(s.Warnings, fmt.Sprintf("the model store %s cannot be written (%v): the runs trained now leave no model there for other sweeps to rebuild from",
				s.Models, s.storeUnwritable))
		}
	}
	backend, err := s.backend()
	if err != nil {
		return nil, err
	}
	if err := s.checkUnmixed(jobs, backend); err != nil {
		return nil, err
	}
	if !s.CacheOnly {
		if err := checkEntryFiles(jobs); err != nil {
			return nil, err
		}
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// One data configuration per worker at most, as when each run drew its own; the sets are not kept
	// past the sweep.
	s.data = snn.NewDataCache(min(workers, len(jobs)))
	defer func() { s.dataGenerated, s.data = s.data.Generated(), nil }()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]RunResult, len(jobs))
	warnings := make([]string, len(jobs))
	defer func() { // in the order of the runs, whatever the workers' timing
		for _, w := range warnings {
			if w != "" {
				s.Warnings = append(s.Warnings, w)
			}
		}
		s.Warnings = append(s.Warnings, foreignNote(results, backend, s)...)
		if n := atomic.LoadInt64(&s.reused); n > 0 {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%d runs copied from other caches into %s instead of trained (the same configuration, fraction, seed and numerics; RunResult.ReusedFrom names each source)", n, s.CacheDir))
		}
		if n := atomic.LoadInt64(&s.rebuilt); n > 0 {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%d runs rebuilt from the models stored in %s (trained earlier, by this or another sweep, with the same configuration, fraction, seed and numerics) and scored with this sweep's metrics instead of trained (RunResult.ReusedFrom names each model; sweep -copy=false trains every run)", n, s.Models))
		}
	}()
	var (
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for w := 0; w < min(workers, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, cached, warning, err := s.runOne(ctx, jobs[i], backend)
				if err != nil && ctx.Err() == nil && !s.CacheOnly { // a CacheOnly sweep attempts nothing and writes nothing
					s.markFailed(jobs[i], err)
				}
				mu.Lock()
				warnings[i] = warning
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				if err == nil {
					results[i] = r
					done++
					if s.OnRun != nil {
						s.OnRun(done, len(jobs), r, cached)
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, i := range seedMajor(jobs) {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("study: sweep stopped: %w", err)
	}
	return results, nil
}

// extraVersion is the Extra metrics' definition for a run of cfg (ExtraVersionOf, else ExtraVersion).
func (s *Sweep) extraVersion(cfg snn.Config) string {
	if s.ExtraVersionOf != nil {
		return s.ExtraVersionOf(cfg)
	}
	return s.ExtraVersion
}

// backend returns the backend the runs train on.
func (s *Sweep) backend() (compute.Backend, error) {
	return snn.BackendOrDefault(s.Backend)
}

// numerics returns the NumericsVersion run j is computed with on backend (its Formulation, resolved
// for its configuration: snn.Formulation.ResolveFor).
func (s *Sweep) numerics(j PlannedRun, backend compute.Backend) (string, error) {
	f, err := j.Formulation.ResolveFor(j.Config, backend)
	if err != nil {
		return "", err
	}
	return snn.NumericsOn(f, backend), nil
}

func (s *Sweep) cachePath(p PlannedRun) (string, string) {
	hash := snn.ConfigKey(p.Config)
	if s.CacheDir == "" {
		return "", hash
	}
	return filepath.Join(s.CacheDir, entryName(p.Key, hash)+".json"), hash
}

// checkEntryFiles refuses, before any run, a cache entry path that something other than a regular file
// holds (a folder, a device; a symbolic link is followed): its run would be trained and then fail to be
// saved there.
func checkEntryFiles(jobs []PlannedRun) error {
	for _, j := range jobs {
		if j.File == "" {
			continue
		}
		if what := snn.NotRegular(j.File); what != "" { // a link to a file is served through it
			return fmt.Errorf("study: the cache entry of run %s fraction %v seed %d, %s, is %s: move it away (nothing was trained)",
				j.Key.Condition, j.Key.Fraction, j.Key.Seed, j.File, what)
		}
	}
	return nil
}

// entryName is a run's cache entry name without its extension: condition, fraction, seed, configuration.
func entryName(k RunKey, hash string) string {
	return fmt.Sprintf("%s_f%.3f_s%d_%s", k.Condition, k.Fraction, k.Seed, hash)
}

// ModelFile is the name of the checkpoint Sweep.ModelDir keeps for run k of configuration hash.
func ModelFile(k RunKey, hash string) string { return entryName(k, hash) + ".ckpt" }

// runOne returns the run of j: from the cache when a good entry of the current numerics with every
// requested metric is there, else trained (and cached). warning says why a cached entry was not used.
func (s *Sweep) runOne(ctx context.Context, j PlannedRun, backend compute.Backend) (r RunResult, cached bool, warning string, err error) {
	path, hash := j.File, j.ConfigHash
	numerics, err := s.numerics(j, backend)
	if err != nil {
		return RunResult{}, false, "", err
	}
	if path != "" {
		if data, exists, unreadable := readEntry(path); exists {
			c, why := RunResult{}, "the entry "+unreadable
			if unreadable == "" {
				c, why = s.usable(data, j, numerics)
			}
			if why == "" {
				return c, true, "", nil
			}
			warning = fmt.Sprintf("sweep cache %s: %s; recomputed", path, why)
			if s.CacheOnly {
				return RunResult{}, false, "", fmt.Errorf("study: run %s fraction %v seed %d: the cache entry %s is not usable (%s), and this sweep trains nothing (CacheOnly)",
					j.Key.Condition, j.Key.Fraction, j.Key.Seed, path, why)
			}
		}
	}
	if s.CacheOnly {
		return RunResult{}, false, "", fmt.Errorf("study: run %s fraction %v seed %d is not in the cache %s, and this sweep trains nothing (CacheOnly)",
			j.Key.Condition, j.Key.Fraction, j.Key.Seed, s.CacheDir)
	}
	if s.unwritable == nil && path != "" && s.ModelDir == "" { // a copy brings no model
		if r, ok := s.fromShared(j, numerics); ok {
			if err := s.save(path, r); err != nil {
				return RunResult{}, false, warning, err
			}
			atomic.AddInt64(&s.reused, 1)
			if warning != "" {
				warning = strings.TrimSuffix(warning, "; recomputed") + "; replaced by a copy of " + r.ReusedFrom
			}
			return r, true, warning, nil
		}
	}
	if s.unwritable != nil && path != "" {
		return RunResult{}, false, warning, fmt.Errorf("study: run %s fraction %v seed %d is not in the cache and would be trained, but its result could not be saved (nothing was trained): %w",
			j.Key.Condition, j.Key.Fraction, j.Key.Seed, s.unwritable)
	}
	defer snn.StartRun()() // the kernels share the cores with the other workers' runs (snn.StartRun)
	start := time.Now()
	var x *snn.Experiment
	var rebuiltFrom string
	if s.Models != "" && s.unwritable == nil && path != "" {
		var why string
		if x, rebuiltFrom, why = s.fromModels(j, numerics, backend); why != "" {
			warning = strings.TrimPrefix(warning+"; ", "; ") + why
		} else if x != nil && warning != "" {
			warning = strings.TrimSuffix(warning, "; recomputed") + "; rebuilt from the stored model " + rebuiltFrom
		}
	}
	if x == nil {
		opts := snn.TrainOptions{Backend: backend, Formulation: j.Formulation, Data: s.data}
		if s.OnEpoch != nil {
			opts.OnEpoch = func(e snn.EpochInfo) { s.OnEpoch(j.Key, e) }
		}
		x, err = snn.RunExperiment(ctx, j.Config, opts)
		if err != nil && s.RecordDivergence && errors.Is(err, snn.ErrDiverged) {
			r = RunResult{RunKey: j.Key, Diverged: true, ConfigHash: hash, Numerics: numerics, Seconds: time.Since(start).Seconds()}
			return r, false, warning, s.save(path, r)
		}
		if err != nil {
			return RunResult{}, false, warning, fmt.Errorf("study: sweep run %s fraction %v seed %d: %w", j.Key.Condition, j.Key.Fraction, j.Key.Seed, err)
		}
		if s.Models != "" && s.unwritable == nil && s.storeUnwritable == nil {
			if err := snn.SaveCheckpoint(filepath.Join(s.Models, StoreFile(hash, numerics)), x.Trained); err != nil {
				// The run stands without it: only a later rebuild is lost.
				warning = strings.TrimPrefix(warning+"; ", "; ") + fmt.Sprintf("model store: the model was not kept (%v)", err)
			}
		}
	}
	h := x.Trained.History
	r = RunResult{RunKey: j.Key, TrainAccuracy: x.TrainEval.Accuracy, TestAccuracy: x.TestEval.Accuracy,
		TestErrorDeg: x.TestEval.AbsErrorDeg, Epochs: len(h.TrainLoss), KeptEpoch: len(h.TrainLoss),
		ValAccuracy: h.ValAccuracy, ConfigHash: hash, Numerics: numerics, ReusedFrom: rebuiltFrom}
	if h.RestoredBest {
		r.KeptEpoch = h.BestEpoch + 1
	}
	if rebuiltFrom != "" {
		atomic.AddInt64(&s.rebuilt, 1)
	}
	if s.ModelDir != "" {
		if err := snn.SaveCheckpoint(filepath.Join(s.ModelDir, ModelFile(j.Key, hash)), x.Trained); err != nil {
			return RunResult{}, false, warning, fmt.Errorf("study: sweep run %s fraction %v seed %d: %w", j.Key.Condition, j.Key.Fraction, j.Key.Seed, err)
		}
	}
	if s.Extra != nil {
		r.ExtraVersion = s.extraVersion(j.Config)
		if r.Extra, err = s.Extra(x); err != nil {
			return RunResult{}, false, warning, fmt.Errorf("study: sweep run %s fraction %v seed %d: extra metrics: %w", j.Key.Condition, j.Key.Fraction, j.Key.Seed, err)
		}
		for _, m := range s.ExtraMetrics {
			if _, ok := r.Extra[m]; !ok {
				return RunResult{}, false, warning, fmt.Errorf("study: sweep: Extra did not compute the metric %q that ExtraMetrics names", m)
			}
		}
	}
	r.Seconds = time.Since(start).Seconds()
	if err := s.save(path, r); err != nil {
		return RunResult{}, false, warning, err
	}
	return r, rebuiltFrom != "", warning, nil // a rebuilt run counts as read, not trained (Sweep.OnRun)
}

// StoreFile is the name of the model Sweep.Models keeps for a run of configuration hash (snn.ConfigKey,
// which covers the fraction and the seed) trained by numerics (snn.NumericsVersion, as snn.Slug writes
// it), e.g. "b20c5c5d0e4b07c9_go-kernels-1-gomlx-avx512.ckpt": builds of other numerics sharing a store
// keep their models apart.
func StoreFile(hash, numerics string) string { return hash + "_" + snn.Slug(numerics) + ".ckpt" }

// fromModels rebuilds run p from the model another sweep left in Models (snn.RebuildExperiment), and
// names it as RunResult.ReusedFrom does. It returns nil when Models holds no model of p's configuration
// trained by exactly these numerics, and then also why when it holds one it cannot use (damaged, say):
// the run is then trained, and the model replaced.
func (s *Sweep) fromModels(p PlannedRun, numerics string, backend compute.Backend) (x *snn.Experiment, from, why string) {
	file := filepath.Join(s.Models, StoreFile(p.ConfigHash, numerics))
	if _, err := os.Stat(file); err != nil {
		return nil, "", ""
	}
	m, err := snn.LoadCheckpoint(file)
	if err != nil {
		return nil, "", fmt.Sprintf("model store: %v; trained instead", err)
	}
	if m.History.Numerics != numerics || snn.ConfigKey(m.Config) != p.ConfigHash {
		return nil, "", "" // another build's model, or a configuration this version hashes differently
	}
	if x, err = snn.RebuildExperiment(m, backend, s.data); err != nil {
		return nil, "", fmt.Sprintf("model store %s: %v; trained instead", file, err)
	}
	return x, filepath.Join(filepath.Base(s.Models), StoreFile(p.ConfigHash, numerics)), ""
}

// save writes a run's cache entry at path (nothing without a cache) and removes an earlier attempt's
// failure note.
func (s *Sweep) save(path string, r RunResult) error {
	if path == "" {
		return nil
	}
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("study: sweep cache: %w", err)
	}
	if err := snn.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("study: sweep cache: %w", err)
	}
	os.Remove(path + failedSuffix) // an earlier attempt's failure is superseded
	return nil
}

// ForeignCount counts cached runs computed by numerics Have, which this build and backend would compute with
// numerics Current instead (such runs are used as they are unless the sweep Recomputes them).
type ForeignCount struct {
	Have, Current string
	Runs          int
}

// Note is the count as one sentence, with how to retrain the runs (such as "sweep -recompute").
func (c ForeignCount) Note(how string) string {
	return snn.ForeignNumericsNote(c.Runs, c.Have, c.Current, how)
}

// foreignCounts counts, by numerics, the runs of results that numerics other than those this sweep's runs
// compute with on backend computed, in the order first met.
func foreignCounts(results []RunResult, backend compute.Backend, s *Sweep) []ForeignCount {
	var counts []ForeignCount
	for _, r := range results {
		if r.Numerics == "" {
			continue // a run that did not finish
		}
		run, ok := s.runOf(r.RunKey)
		if !ok {
			continue
		}
		current, err := s.numerics(run, backend)
		if err != nil || r.Numerics == current {
			continue
		}
		counts = addForeign(counts, ForeignCount{Have: r.Numerics, Current: current, Runs: 1})
	}
	return counts
}

// addForeign adds c to counts: to the entry of the same two numerics, or as a new last entry.
func addForeign(counts []ForeignCount, c ForeignCount) []ForeignCount {
	for i := range counts {
		if counts[i].Have == c.Have && counts[i].Current == c.Current {
			counts[i].Runs += c.Runs
			return counts
		}
	}
	return append(counts, c)
}

// MergeForeign adds the counts of more to counts (the same two numerics summed), keeping the order first met.
func MergeForeign(counts, more []ForeignCount) []ForeignCount {
	for _, c := range more {
		counts = addForeign(counts, c)
	}
	return counts
}

// ForeignNumerics counts, by numerics, the runs among states (from Status; only Done ones count) that
// numerics other than those this build and backend compute computed: a cache a cluster job's tasks wrote
// on CPUs of different vector paths holds such runs side by side, and the refusal to mix numerics is
// checked only when each task starts. The sweep command's status prints them.
func (s *Sweep) ForeignNumerics(states []RunState) ([]ForeignCount, error) {
	backend, err := s.backend()
	if err != nil {
		return nil, err
	}
	var done []RunResult
	for _, st := range states {
		if st.State == Done {
			done = append(done, st.Result)
		}
	}
	return foreignCounts(done, backend, s), nil
}

// foreignNote says, one line per numerics, how many of results were read from the cache as computed by
// numerics other than those this sweep's runs compute with on backend (used as they are: Recompute).
func foreignNote(results []RunResult, backend compute.Backend, s *Sweep) []string {
	var notes []string
	for _, c := range foreignCounts(results, backend, s) {
		notes = append(notes, c.Note("set Sweep.Recompute (sweep -recompute)"))
	}
	return notes
}

// runOf returns the planned run with key k (its configuration and formulation; no cache path).
func (s *Sweep) runOf(k RunKey) (PlannedRun, bool) {
	for _, c := range s.Conditions {
		if c.Name == k.Condition {
			cfg := c.Apply(s.Base, k.Fraction)
			cfg.Seed = k.Seed
			return PlannedRun{Key: k, Config: cfg, Formulation: c.formulation(s.Formulation)}, true
		}
	}
	return PlannedRun{}, false
}

// usable decodes a cache entry and says why it cannot stand for the run key (empty when it can).
func (s *Sweep) usable(data []byte, p PlannedRun, numerics string) (RunResult, string) {
	r, err := DecodeRunResult(data)
	if err != nil {
		return r, err.Error()
	}
	return r, s.check(r, p, numerics)
}

// fromShared returns run p as another sweep's cache (Shared) holds it, under p's key, if one holds an
// entry of p's configuration, fraction and seed computed by exactly this sweep's numerics (not merely the
// same revision: a copy must be what training it here would give) that this sweep's rules accept (the
// first found, folders in order).
func (s *Sweep) fromShared(p PlannedRun, numerics string) (RunResult, bool) {
	suffix := "_" + p.ConfigHash + ".json"
	for _, dir := range s.Shared {
		if filepath.Clean(dir) == filepath.Clean(s.CacheDir) {
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), suffix) {
				continue
			}
			m := filepath.Join(dir, e.Name())
			data, exists, why := readEntry(m)
			if !exists || why != "" {
				continue
			}
			r, err := DecodeRunResult(data)
			if err != nil || r.ConfigHash != p.ConfigHash || r.Fraction != p.Key.Fraction || r.Seed != p.Key.Seed || r.Numerics != numerics {
				continue
			}
			r.RunKey = p.Key
			if s.check(r, p, numerics) != "" {
				continue
			}
			// The copy holds what this sweep computes: another sweep's metrics stay behind.
			if s.Extra == nil {
				r.Extra, r.ExtraVersion = nil, ""
			} else {
				kept := map[string]float64{}
				for _, m := range s.ExtraMetrics {
					kept[m] = r.Extra[m]
				}
				r.Extra = kept
			}
			if r.ReusedFrom == "" {
				r.ReusedFrom = filepath.Join(filepath.Base(dir), e.Name())
			}
			return r, true
		}
	}
	return RunResult{}, false
}

// check says why the cached result r cannot stand for run p of this sweep ("" if it can).
func (s *Sweep) check(r RunResult, p PlannedRun, numerics string) string {
	key, hash := p.Key, p.ConfigHash
	switch {
	case r.ConfigHash != hash || r.RunKey != key:
		return fmt.Sprintf("holds run %+v of configuration %s, not %+v of %s", r.RunKey, r.ConfigHash, key, hash)
	case !snn.UsableNumerics(r.Numerics, numerics, s.Recompute):
		return fmt.Sprintf("computed by numerics %q, not the current %q%s", r.Numerics, numerics, snn.BuildHint(r.Numerics, numerics))
	}
	for _, m := range s.ExtraMetrics {
		if _, ok := r.Extra[m]; !ok {
			return fmt.Sprintf("lacks the metric %q", m)
		}
	}
	if r.Diverged && !s.RecordDivergence {
		return "records a diverged run, which this sweep does not accept"
	}
	if s.NeedValidation && !r.Diverged && (len(r.ValAccuracy) == 0 || r.KeptEpoch < 1 || r.KeptEpoch > len(r.ValAccuracy)) {
		return "lacks the per-epoch validation accuracies tuning selects on (cached before they were recorded)"
	}
	if v := s.extraVersion(p.Config); s.Extra != nil && r.ExtraVersion != v {
		return fmt.Sprintf("holds metrics of definition %q, not the current %q", r.ExtraVersion, v)
	}
	return ""
}

// runRequired are the fields every sweep cache entry holds (a run recorded without its accuracies
// would otherwise count as a finished run at 0%).
var runRequired = []string{"condition", "fraction", "seed", "train_accuracy", "test_accuracy", "test_error_deg", "epochs", "config_hash"}

// DecodeRunResult reads one sweep cache entry, with a clear error for anything that is not one: every
// required field present, accuracies in [0, 1], the error in [0, 180] degrees, at least one epoch, the
// kept epoch and the validation accuracies consistent with it, extra metrics finite.
func DecodeRunResult(data []byte) (RunResult, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return RunResult{}, fmt.Errorf("study: not a sweep cache entry: %w", err)
	}
	var missing []string
	for _, f := range runRequired {
		if _, ok := fields[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return RunResult{}, fmt.Errorf("study: sweep cache entry lacks %s", strings.Join(missing, ", "))
	}
	var r RunResult
	if err := json.Unmarshal(data, &r); err != nil {
		return RunResult{}, fmt.Errorf("study: not a sweep cache entry: %w", err)
	}
	if r.Condition == "" || r.ConfigHash == "" {
		return RunResult{}, fmt.Errorf("study: sweep cache entry without a condition or configuration hash")
	}
	fraction := func(name string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("study: sweep cache entry has %s = %v, want a fraction in [0, 1]", name, v)
		}
		return nil
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"fraction", r.Fraction}, {"train_accuracy", r.TrainAccuracy}, {"test_accuracy", r.TestAccuracy}} {
		if err := fraction(c.name, c.v); err != nil {
			return RunResult{}, err
		}
	}
	for i, v := range r.ValAccuracy {
		if err := fraction(fmt.Sprintf("val_accuracy[%d]", i), v); err != nil {
			return RunResult{}, err
		}
	}
	switch {
	case !(r.TestErrorDeg >= 0 && r.TestErrorDeg <= 180):
		return RunResult{}, fmt.Errorf("study: sweep cache entry has test_error_deg = %v, want degrees in [0, 180]", r.TestErrorDeg)
	case r.Epochs < 1 && !r.Diverged:
		return RunResult{}, fmt.Errorf("study: sweep cache entry has epochs = %d, want at least 1", r.Epochs)
	case r.KeptEpoch < 0 || r.KeptEpoch > r.Epochs:
		return RunResult{}, fmt.Errorf("study: sweep cache entry has kept_epoch = %d of %d epochs", r.KeptEpoch, r.Epochs)
	}
	for name, v := range r.Extra {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return RunResult{}, fmt.Errorf("study: sweep cache entry has extra metric %s = %v, want a finite number", name, v)
		}
		if rg, ok := rangeOf(name); ok && !(v >= rg.lo && v <= rg.hi) {
			return RunResult{}, fmt.Errorf("study: sweep cache entry has extra metric %s = %v, want %s", name, v, rg.what)
		}
	}
	return r, nil
}

// SweepRow summarises the runs of one (condition, fraction).
type SweepRow struct {
	Condition  string
	Fraction   float64
	Accuracies []float64 // test accuracy of each seed
	Mean       float64
	// CI95 is the half-width of the 95% confidence interval of the mean (Student's t, n-1 degrees of
	// freedom); NaN with a single seed.
	CI95 float64
}

// SummariseMetric is Summarise for one of the Extra metrics instead of the test accuracy; runs without
// the metric are left out.
func SummariseMetric(results []RunResult, metric string) []SweepRow {
	var rs []RunResult
	for _, r := range results {
		if v, ok := r.Extra[metric]; ok {
			r.TestAccuracy = v
			rs = append(rs, r)
		}
	}
	return Summarise(rs)
}

// Summarise groups results by condition (in order of first appearance) and fraction (ascending).
func Summarise(results []RunResult) []SweepRow {
	type key struct {
		c string
		f float64
	}
	var order []string
	seen := map[string]bool{}
	groups := map[key][]float64{}
	for _, r := range results {
		if !seen[r.Condition] {
			seen[r.Condition] = true
			order = append(order, r.Condition)
		}
		k := key{r.Condition, r.Fraction}
		groups[k] = append(groups[k], r.TestAccuracy)
	}
	var rows []SweepRow
	for _, c := range order {
		var fs []float64
		for k := range groups {
			if k.c == c {
				fs = append(fs, k.f)
			}
		}
		sort.Float64s(fs)
		for _, f := range fs {
			acc := groups[key{c, f}]
			m, h := MeanCI95(acc)
			rows = append(rows, SweepRow{Condition: c, Fraction: f, Accuracies: acc, Mean: m, CI95: h})
		}
	}
	return rows
}

// MeanCI95 returns the mean of v and the half-width of its 95% confidence interval,
// t(0.975, n-1) * sd / sqrt(n); the half-width is NaN for fewer than two values.
func MeanCI95(v []float64) (mean, half float64) {
	switch len(v) {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return v[0], math.NaN()
	}
	iv, err := MeanCI(v, 0.95)
	if err != nil {
		return math.NaN(), math.NaN()
	}
	return iv.Mean, iv.HalfWidth()
}

// StoppedEarly reports whether the run trained fewer epochs than planned (its configuration's Epochs):
// the early-stopping rule ended it, and under the notebook's rule (the default) it then kept the weights
// of its best validation epoch (KeptEpoch where recorded), not those of its last.
func (r RunResult) StoppedEarly(planned int) bool { return r.Epochs < planned }

// EarlyStopNote names, for the results of runs planned for epochs epochs, those that stopped early, grouped
// by condition and fraction in order of appearance, e.g. "Stopped early and kept the weights of their best
// validation epoch (the original notebook's early-stopping rule, the default protocol's): pop-abs-seedscale at fraction 0.5, seed 2 (after 12 of 50 epochs;
// test 7.2%)." (with the kept epoch where recorded); empty when none did.
func EarlyStopNote(results []RunResult, epochs int) string {
	type group struct {
		cond        string
		fraction    float64
		seeds       []string
		stops, kept []int
		lo, hi      float64
	}
	var groups []*group
	index := map[[2]any]*group{}
	for _, r := range results {
		if !r.StoppedEarly(epochs) {
			continue
		}
		k := [2]any{r.Condition, r.Fraction}
		g := index[k]
		if g == nil {
			g = &group{cond: r.Condition, fraction: r.Fraction, lo: r.TestAccuracy, hi: r.TestAccuracy}
			index[k] = g
			groups = append(groups, g)
		}
		g.seeds = append(g.seeds, fmt.Sprint(r.Seed))
		g.stops = append(g.stops, r.Epochs)
		if r.KeptEpoch > 0 {
			g.kept = append(g.kept, r.KeptEpoch)
		}
		g.lo, g.hi = math.Min(g.lo, r.TestAccuracy), math.Max(g.hi, r.TestAccuracy)
	}
	if len(groups) == 0 {
		return ""
	}
	var parts []string
	for _, g := range groups {
		seeds := "seed " + g.seeds[0]
		if len(g.seeds) > 1 {
			seeds = "seeds " + strings.Join(g.seeds, ", ")
		}
		after := fmt.Sprintf("after %s of %d epochs", spanInts(g.stops), epochs)
		if len(g.kept) > 0 {
			after += ", kept epoch " + spanInts(g.kept)
		}
		test := fmt.Sprintf("test %.1f%%", 100*g.lo)
		if g.hi > g.lo {
			test = fmt.Sprintf("test %.1f to %.1f%%", 100*g.lo, 100*g.hi)
		}
		parts = append(parts, fmt.Sprintf("%s at fraction %g, %s (%s; %s)", g.cond, g.fraction, seeds, after, test))
	}
	return "Stopped early and kept the weights of their best validation epoch (the original notebook's early-stopping rule, the default protocol's): " +
		strings.Join(parts, "; ") + "."
}

// spanInts writes integers as "12" when they are all equal, else "10 to 14".
func spanInts(v []int) string {
	lo, hi := slices.Min(v), slices.Max(v)
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}
