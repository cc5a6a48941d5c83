package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/decimal"
	"github.com/snn-dales/dales/snn/study"
)

// grid holds the flags that define a sweep's runs; every subcommand takes them, and the cluster scripts
// pass them on unchanged so that every task plans the same grid.
type grid struct {
	conditions, fractions, seeds, layout, cache string
	epochs, workers                             int
	ablation, quick, populations, recompute     bool
	mix                                         bool // -mix-numerics
	// plan names a notebook's run plan ("controls") or one sweep of it ("controls/ablation") instead of
	// the grid flags; results is the folder its caches live in.
	plan, results string
	set           map[string]bool // flags given on the command line
	command       string          // the subcommand parsing them, e.g. "sweep k8s"
	copyFlag      *bool           // -copy (nil until registered: copy)
}

// subcommandsUsage heads the top level's -h: its subcommands (each has its own -h), then its flags.
const subcommandsUsage = `Usage: sweep [flags]             train the grid (or -plan) in this process and print its tables
       sweep SUBCOMMAND [flags]  with SUBCOMMAND one of
  plan       list the runs: index, key, cache file
  run        run some of them (-index, -range or -shard), skipping cached runs
  status     count done, missing, stale and failed runs
  summarise  the tables, from the cache alone
  slurm      an sbatch script for a Slurm job array over the shards
  k8s        a Kubernetes Indexed Job manifest over the shards
  tune       tune (and with -test, test) a tuned plan and print its comparisons
  rate       tune and test the Fashion-MNIST rate networks and print their comparisons
Flags of sweep (and of plan, run, status, summarise, slurm and k8s):
`

// mixUsage is the help of -mix-numerics, which every command that trains takes.
const mixUsage = "add runs to a cache that holds runs other numerics computed (another build's or backend's; by default " +
	"refused before any work, checked when the command starts: the cache would hold two numerics' numbers side by side)"

// noCopy reports -copy=false: every run of a plan is trained, none copied from another plan's cache.
func (g *grid) noCopy() bool { return g.copyFlag != nil && !*g.copyFlag }

func (g *grid) register(fs *flag.FlagSet) {
	def := snn.DefaultConfig()
	fs.StringVar(&g.conditions, "conditions", "both,input,hidden", "comma-separated, from: "+strings.Join(study.ConditionNames(), ", ")+
		" (unconstrained and the pop-* networks ignore the fraction: sweep them at one)")
	fs.StringVar(&g.fractions, "fractions", "0:1:0.1", "inhibitory fractions: a comma-separated list or start:stop:step")
	fs.StringVar(&g.seeds, "seeds", "1,2,3", "comma-separated seeds")
	decimal.IntVar(fs, &g.epochs, "epochs", def.Epochs, "training `epochs` per run")
	fs.StringVar(&g.layout, "layout", string(def.Layout), "Dale mask layout: blocked or random")
	fs.StringVar(&g.cache, "cache", "out/sweep", "folder caching each run (resume; the only state of a sweep)")
	decimal.IntVar(fs, &g.workers, "workers", 0, "`runs` trained at once (0: one per core)")
	fs.BoolVar(&g.ablation, "ablation", false, "also apply the notebook's cut and its controls to each trained run "+
		"(use a -cache folder of its own)")
	fs.BoolVar(&g.populations, "populations", false, "also compute the weight spectra and, for the E/I-population network, "+
		"the edits of its inhibitory pathway (study.PopulationMetrics; use a -cache folder of its own)")
	fs.StringVar(&g.plan, "plan", "", "run a notebook's run plan ("+strings.Join(study.PlanNames(), ", ")+
		"; all: every one) or one sweep of it (e.g. controls/ablation) instead of -conditions, -fractions, -seeds, -ablation, -populations")
	fs.StringVar(&g.results, "results", defaultResults, "with -plan: the folder holding the plan's caches")
	fs.BoolVar(&g.recompute, "recompute", false, "retrain cached runs that another backend or build computed "+
		"(by default they are used, with a note)")
	fs.BoolVar(&g.mix, "mix-numerics", false, mixUsage)
	g.copyFlag = fs.Bool("copy", true, "with -plan: copy a run that another plan's cache in -results already holds (same "+
		"configuration, fraction, seed and numerics) instead of training it again, and rebuild a run whose model a sweep "+
		"trained earlier left in -results/"+modelStore+" (another plan's run whose copy lacks this plan's metrics, or a deleted "+
		"entry) and score it again; -copy=false trains every run")
	fs.BoolVar(&g.quick, "quick", false, "the quick protocol (snn.Quick: 3 epochs on less data; not with -epochs), for trying a sweep out")
}

// args returns the grid's flags as command-line arguments (for the scripts that run its tasks).
func (g *grid) args() []string {
	a := []string{"-conditions", g.conditions, "-fractions", g.fractions, "-seeds", g.seeds, "-cache", g.cache}
	if g.set["layout"] { // refused beside a condition that sets the layout (blocked, random); the default otherwise
		a = append(a, "-layout", g.layout)
	}
	if !g.quick { // the quick protocol fixes its epochs: -epochs is refused beside -quick
		a = append(a, "-epochs", strconv.Itoa(g.epochs))
	}
	if g.plan != "" { // a plan fixes its protocol: -epochs and -layout are refused beside it
		a = []string{"-plan", g.plan, "-results", g.results}
	}
	if g.recompute {
		a = append(a, "-recompute")
	}
	if g.mix {
		a = append(a, "-mix-numerics")
	}
	if g.noCopy() {
		a = append(a, "-copy=false")
	}
	if g.ablation {
		a = append(a, "-ablation")
	}
	if g.populations {
		a = append(a, "-populations")
	}
	if g.quick {
		a = append(a, "-quick")
	}
	return a
}

// modelStore is the folder under -results where plans leave the models they train for one another
// (study.Sweep.Models; not committed: .gitignore).
const modelStore = ".models"

// defaultResults is where -plan's caches are unless -results says otherwise: the committed caches the
// notebooks read.
const defaultResults = "notebooks/results"

// committedResults reports whether dir is the committed caches' folder however it is spelled: the same
// folder as ./notebooks/results, or any folder whose path ends in notebooks/results (an absolute path, or
// ../notebooks/results from a subfolder of the repository).
func committedResults(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return true // cannot tell: treat it as the committed folder (the guard refuses)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if filepath.Base(abs) == filepath.Base(defaultResults) && filepath.Base(filepath.Dir(abs)) == filepath.Dir(defaultResults) {
		return true
	}
	a, errA := os.Stat(abs)
	b, errB := os.Stat(defaultResults)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

// checkResults is checkDefaultResults for the grid's -results, except for sweep k8s, whose pods keep the
// plan's caches on their volume, not in this folder.
func (g *grid) checkResults() error {
	if g.command == "sweep k8s" {
		return nil
	}
	return checkDefaultResults(g.set["results"], g.results)
}

// checkDefaultResults refuses the default -results (given false) where this folder has no
// notebooks/results (a command run outside the repository's root), which would otherwise find none of the
// committed caches and start training every run of a plan in a new folder. A -results given on the command
// line is created when missing.
func checkDefaultResults(given bool, dir string) error {
	if given {
		if strings.TrimSpace(dir) == "" {
			return fmt.Errorf("-results %q: want a folder (each plan's cache is a folder in it), e.g. %s", dir, defaultResults)
		}
		return nil
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		wd, _ := os.Getwd()
		return fmt.Errorf("-results %s (the default): no such folder in %s; run from the repository's root, where the "+
			"committed caches are, or give -results", dir, wd)
	}
	return nil
}

// notAFolder refuses a path that exists and is not a folder, or that lies under a file (a missing one is
// made when first written).
func notAFolder(flagName, path string) error {
	fi, err := os.Stat(path)
	if err == nil && !fi.IsDir() {
		return fmt.Errorf("%s %s: not a folder", flagName, path)
	}
	if errors.Is(err, syscall.ENOTDIR) {
		for p := filepath.Dir(path); p != filepath.Dir(p); p = filepath.Dir(p) {
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return fmt.Errorf("%s %s: %s is a file, not a folder", flagName, path, p)
			}
		}
		return fmt.Errorf("%s %s: %w", flagName, path, err)
	}
	return nil
}

// given reports whether the command line set the flag name of fs (after fs.Parse).
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// sweeps builds the study.Sweeps of the grid: one from the grid flags, or those of -plan.
func (g *grid) sweeps() ([]*study.Sweep, error) {
	if g.plan == "" && g.set["plan"] { // a script's unset variable (-plan "$PLAN") would sweep the default grid
		return nil, fmt.Errorf(`-plan "": want one of %s, all, or <plan>/<sweep>; leave -plan out to sweep -conditions`,
			strings.Join(study.PlanNames(), ", "))
	}
	if g.plan == "" && g.set["results"] {
		return nil, fmt.Errorf("-results: only with -plan (a sweep of -conditions caches in -cache)")
	}
	if g.plan == "" && g.set["copy"] {
		return nil, fmt.Errorf("-copy: only with -plan (a sweep of -conditions copies no run from other plans' caches)")
	}
	if g.quick && g.set["epochs"] {
		return nil, fmt.Errorf("-epochs %d and -quick: the quick protocol fixes its own epochs (snn.Quick); give one or the other", g.epochs)
	}
	base := snn.DefaultConfig()
	base.Epochs, base.Layout = g.epochs, snn.MaskLayout(g.layout)
	if g.quick {
		base = snn.Quick(base)
	}
	if g.plan != "" {
		return g.planSweeps(base)
	}
	cs, err := study.ConditionsByName(strings.Split(g.conditions, ","))
	if err != nil {
		return nil, fmt.Errorf("-conditions: %w", err)
	}
	fs, err := parseFractions(g.fractions)
	if err != nil {
		return nil, fmt.Errorf("-fractions: %w", err)
	}
	var ss []uint64
	seen := map[uint64]bool{}
	for _, f := range strings.Split(g.seeds, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("-seeds: %q is not a seed (a non-negative integer)", f)
		}
		if seen[v] {
			return nil, fmt.Errorf("-seeds: seed %d is listed twice (its run would count twice in the tables)", v)
		}
		seen[v] = true
		ss = append(ss, v)
	}
	if strings.TrimSpace(g.cache) == "" {
		return nil, fmt.Errorf("-cache %q: a sweep needs a cache folder", g.cache)
	}
	if err := notAFolder("-cache", g.cache); err != nil {
		return nil, err
	}
	s := &study.Sweep{Base: base, Conditions: cs, Fractions: fs, Seeds: ss, CacheDir: g.cache, Workers: g.workers, Recompute: g.recompute,
		Unmixed: !g.mix}
	if g.ablation && g.populations {
		return nil, fmt.Errorf("-ablation and -populations: choose one set of extra metrics per cache")
	}
	metrics := study.NoMetrics
	if g.ablation {
		metrics = study.AblationSet
	}
	if g.populations {
		metrics = study.PopulationSet
	}
	if err := metrics.Apply(s); err != nil {
		return nil, err
	}
	plan, err := s.Plan()
	if err != nil {
		return nil, err
	}
	if err := g.checkIgnored(s, plan); err != nil {
		return nil, err
	}
	return []*study.Sweep{s}, nil
}

// checkIgnored refuses grid flags a condition would ignore in silence: -layout where a condition sets the
// layout itself (blocked, random) or has no Dale mask (unconstrained, the pop-* networks), and several fractions for a condition whose runs do not depend on the
// fraction (unconstrained, the pop-* networks: the same run would be trained once per fraction and
// reported as separate rows).
func (g *grid) checkIgnored(s *study.Sweep, plan []study.PlannedRun) error {
	for _, c := range s.Conditions {
		if g.set["layout"] && len(s.Fractions) > 0 {
			cfg := c.Apply(s.Base, s.Fractions[0])
			if got := cfg.Layout; got != s.Base.Layout {
				return fmt.Errorf("-layout %s: condition %q sets the layout itself (%s); give one or the other", g.layout, c.Name, got)
			}
			if s.Base.Layout != snn.MaskBlocked && (cfg.Architecture == snn.ArchPopulations || !cfg.DaleOnInput() && !cfg.DaleOnHidden()) {
				return fmt.Errorf("-layout %s: condition %q has no Dale mask, so its runs do not depend on the layout (they would be "+
					"the blocked layout's runs, trained again under another name); sweep it without -layout", g.layout, c.Name)
			}
		}
		seen := map[string]float64{}
		for _, p := range plan {
			if p.Key.Condition != c.Name {
				continue
			}
			k := fmt.Sprintf("%d/%s", p.Key.Seed, p.ConfigHash)
			if f, ok := seen[k]; ok {
				return fmt.Errorf("-conditions %s with -fractions %s: its runs do not depend on the inhibitory fraction (at %v "+
					"and %v they are the same run); sweep it at one fraction", c.Name, g.fractions, f, p.Key.Fraction)
			}
			seen[k] = p.Key.Fraction
		}
	}
	return nil
}

// planSweeps builds the sweeps of -plan ("name" or "name/sweep") under -results.
func (g *grid) planSweeps(base snn.Config) ([]*study.Sweep, error) {
	for _, f := range []string{"conditions", "fractions", "seeds", "ablation", "populations", "cache", "epochs", "layout"} {
		if g.set[f] {
			return nil, fmt.Errorf("-%s: a run plan (-plan %s) fixes its conditions, fractions, seeds, metrics, protocol "+
				"(epochs, layout) and caches, as the notebooks read them; give one or the other", f, g.plan)
		}
	}
	if g.quick && (!g.set["results"] || committedResults(g.results)) {
		return nil, fmt.Errorf("-quick with -plan: give a -results folder of its own (-results %s is %s, the committed full-protocol "+
			"caches the notebooks read)", g.results, defaultResults)
	}
	name, one, cut := strings.Cut(g.plan, "/")
	if cut && one == "" {
		return nil, fmt.Errorf("-plan %s: no sweep named after the /: give the plan (%s) or one of its sweeps (%s/<sweep>)", g.plan, name, name)
	}
	var sweeps []study.PlanSweep
	if name == "all" {
		if one != "" {
			return nil, fmt.Errorf("-plan %s: all stands for every plan and has no sweeps of its own; name a plan's sweep, "+
				"e.g. controls/ablation", g.plan)
		}
		for _, p := range study.Plans(g.quick) { // runs two plans share are trained once and then read from the cache
			sweeps = append(sweeps, p.Sweeps...)
		}
		return g.build(base, sweeps)
	}
	p, err := study.PlanByName(name, g.quick)
	if err != nil {
		return nil, fmt.Errorf("-plan: %w (or all)", err)
	}
	sweeps = p.Sweeps
	if one != "" {
		ps, err := p.Sweep(one)
		if err != nil {
			return nil, fmt.Errorf("-plan: %w", err)
		}
		sweeps = []study.PlanSweep{ps}
	}
	return g.build(base, sweeps)
}

// build returns the Sweeps of plan sweeps under -results, with -workers, -recompute and -mix-numerics.
func (g *grid) build(base snn.Config, sweeps []study.PlanSweep) ([]*study.Sweep, error) {
	if err := g.checkResults(); err != nil {
		return nil, err
	}
	if err := notAFolder("-results", g.results); err != nil {
		return nil, err
	}
	var out []*study.Sweep
	for _, ps := range sweeps {
		s, err := ps.Build(base, g.results)
		if err != nil {
			return nil, err
		}
		s.Workers, s.Recompute, s.Unmixed = g.workers, g.recompute, !g.mix
		if g.noCopy() {
			s.Shared = nil
		} else if g.results != "" {
			s.Models = filepath.Join(g.results, modelStore)
		}
		if _, err := s.Plan(); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// sweep builds the grid's one sweep (a -plan of several sweeps names one of them for this subcommand).
func (g *grid) sweep() (*study.Sweep, error) {
	ss, err := g.sweeps()
	if err != nil {
		return nil, err
	}
	if len(ss) != 1 {
		var names []string
		for _, p := range study.Plans(g.quick) {
			if p.Name == g.plan || g.plan == "all" {
				for _, s := range p.Sweeps {
					names = append(names, p.Name+"/"+s.Name)
				}
			}
		}
		return nil, fmt.Errorf("-plan %s has %d sweeps: name one of %s for this subcommand", g.plan, len(ss), strings.Join(names, ", "))
	}
	return ss[0], nil
}

// parseGrid parses a subcommand's flags (the grid's, then those extra registers).
func parseGrid(name string, args []string, extra func(fs *flag.FlagSet)) (*grid, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if name == "sweep" { // the top level: its -h names the subcommands too
		fs.Usage = func() {
			fmt.Fprint(fs.Output(), subcommandsUsage)
			fs.PrintDefaults()
		}
	}
	g := &grid{command: name}
	g.register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q after the flags: a subcommand (plan, run, status, summarise, slurm, k8s) "+
			"comes first, e.g. sweep status -plan controls", fs.Arg(0))
	}
	if err := checkWorkers(g.workers); err != nil {
		return nil, err
	}
	g.visit(fs)
	return g, nil
}

// parseSweep parses a subcommand's flags and builds its one sweep.
func parseSweep(name string, args []string, extra func(fs *flag.FlagSet)) (*grid, *study.Sweep, error) {
	g, err := parseGrid(name, args, extra)
	if err != nil {
		return nil, nil, err
	}
	s, err := g.sweep()
	return g, s, err
}

// parseSweeps parses a subcommand's flags and builds its sweeps (several for a -plan of several).
func parseSweeps(name string, args []string, extra func(fs *flag.FlagSet)) (*grid, []*study.Sweep, error) {
	g, err := parseGrid(name, args, extra)
	if err != nil {
		return nil, nil, err
	}
	ss, err := g.sweeps()
	return g, ss, err
}

// visit records which flags the command line set.
func (g *grid) visit(fs *flag.FlagSet) {
	g.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { g.set[f.Name] = true })
}
