package study

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// RecomputeEnv, set to 1, makes a notebook retrain the cached runs and models that another backend or
// build computed (Notebook.Recompute); by default they are used as they are, with a note.
const RecomputeEnv = "SNN_RECOMPUTE"

// Notebook is what the cells of a companion notebook share: its run plan, the configuration every run
// starts from, where the caches are, and the rules its comparisons follow. Cells open it, then only call
// and print.
type Notebook struct {
	Plan  Plan
	Quick bool       // $SNN_QUICK=1: snn.Quick's protocol, seeds 1 and 2, fewer fractions
	Base  snn.Config // snn.DefaultConfig, shortened in quick mode
	// Results is the folder of the caches: "results" (the committed ones, beside the notebook), or in
	// quick mode $SNN_OUT (default "out"), so that a quick run never mixes with them.
	Results   string
	Rules     Rules
	Recompute bool      // $SNN_RECOMPUTE=1: see RecomputeEnv
	Log       io.Writer // where notes go (os.Stdout: the cell's output; nil: os.Stdout)
	// OnRun, if set, is given every run of every sweep the notebook runs or reads (Sweep.OnRun): a cell's
	// progress bar (plots.RunBar), with the time left.
	OnRun   func(done, total int, r RunResult, cached bool)
	backend compute.Backend
}

// log is where notes go.
func (nb *Notebook) log() io.Writer {
	if nb.Log == nil {
		return os.Stdout
	}
	return nb.Log
}

// trainOptions are the options every run of the notebook trains with: one backend for all.
func (nb *Notebook) trainOptions() (snn.TrainOptions, error) {
	if nb.backend == nil {
		b, err := snn.NewBackend()
		if err != nil {
			return snn.TrainOptions{}, err
		}
		nb.backend = b
	}
	return snn.TrainOptions{Backend: nb.backend, Recompute: nb.Recompute}, nil
}

// OpenNotebook returns the Notebook of the named run plan, configured from the environment
// (snn.QuickEnv, SNN_OUT, RecomputeEnv).
func OpenNotebook(plan string) (*Notebook, error) {
	quick, err := snn.EnvSwitch(snn.QuickEnv)
	if err != nil {
		return nil, err
	}
	base := snn.DefaultConfig()
	if quick {
		base = snn.Quick(base)
	}
	recompute, err := snn.EnvSwitch(RecomputeEnv)
	if err != nil {
		return nil, err
	}
	p, err := PlanByName(plan, quick)
	if err != nil {
		return nil, err
	}
	nb := &Notebook{Plan: p, Quick: quick, Base: base, Results: "results",
		Rules: AccuracyRules(), Recompute: recompute, Log: os.Stdout}
	if quick {
		nb.Results = os.Getenv("SNN_OUT")
		if nb.Results == "" {
			nb.Results = "out"
		}
	}
	return nb, nil
}

// Seeds are the seeds of the plan's sweeps (1 to 5; 1 and 2 in quick mode).
func (nb *Notebook) Seeds() []uint64 {
	return nb.Plan.Sweeps[0].Seeds
}

// Runs returns the runs of the named sweeps of the plan (all of them when none is named), in order: read
// from the caches, or trained and cached where missing. What the sweeps found in the caches (a damaged
// entry recomputed, runs of another backend used as they are) is printed as notes.
func (nb *Notebook) Runs(sweeps ...string) ([]RunResult, error) {
	var plan []PlanSweep
	if len(sweeps) == 0 {
		plan = nb.Plan.Sweeps
	}
	for _, name := range sweeps {
		ps, err := nb.Plan.Sweep(name)
		if err != nil {
			return nil, err
		}
		plan = append(plan, ps)
	}
	var out []RunResult
	for _, ps := range plan {
		s, err := ps.Build(nb.Base, nb.Results)
		if err != nil {
			return nil, err
		}
		opts, err := nb.trainOptions()
		if err != nil {
			return nil, err
		}
		s.Recompute, s.Backend, s.OnRun = nb.Recompute, opts.Backend, nb.OnRun
		res, err := s.Run(context.Background())
		for _, w := range s.Warnings {
			fmt.Fprintln(nb.log(), "note:", w)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// Config returns the configuration of the named condition at fraction f and seed.
func (nb *Notebook) Config(condition string, f float64, seed uint64) (snn.Config, error) {
	c, err := ConditionByName(condition)
	if err != nil {
		return snn.Config{}, err
	}
	cfg := c.Apply(nb.Base, f)
	cfg.Seed = seed
	return cfg, nil
}

// Trained returns the model of cfg kept as results/models/<name>.ckpt (snn.TrainOrLoad: trained and saved
// the first time). A model another backend or build trained is used as it is, with a note, unless
// Recompute.
func (nb *Notebook) Trained(cfg snn.Config, name string) (*snn.Model, error) {
	dir := filepath.Join(nb.Results, "models")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	opts, err := nb.trainOptions()
	if err != nil {
		return nil, err
	}
	m, _, err := snn.TrainOrLoad(context.Background(), cfg, filepath.Join(dir, name+".ckpt"), opts)
	if err != nil {
		return nil, err
	}
	current, err := snn.NumericsFor(cfg, opts)
	if err != nil {
		return nil, err
	}
	if m.History.Numerics != current {
		fmt.Fprintf(nb.log(), "note: model %s was trained by numerics %q; this backend computes %q. It is used as it is "+
			"(set %s=1 to retrain)\n", name, m.History.Numerics, current, RecomputeEnv)
	}
	return m, nil
}

// EditedFromOriginal reports whether the mirror notebook's configurations at its two inhibitory fractions
// (first: the original's first run, second: its second) differ from the original's (snn.DefaultConfig at
// the fractions 0.5 and 0.2, notebookFrac) in anything but the seed. The committed runs a cell shows are
// then not those of the configuration edited above it, and the cell says so.
func EditedFromOriginal(first, second snn.Config) bool {
	for i, cfg := range []snn.Config{first, second} {
		want := snn.DefaultConfig()
		want.InhibitoryFraction, want.Seed = notebookFrac[i], cfg.Seed
		if cfg != want {
			return true
		}
	}
	return false
}
