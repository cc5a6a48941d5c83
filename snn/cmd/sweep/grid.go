package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// grid holds the flags that define a sweep's runs; every subcommand takes them, and the cluster scripts
// pass them on unchanged so that every task plans the same grid.
type grid struct {
	conditions, fractions, seeds, layout, cache string
	epochs, workers                             int
	ablation, quick, populations                bool
}

func (g *grid) register(fs *flag.FlagSet) {
	def := snn.DefaultConfig()
	fs.StringVar(&g.conditions, "conditions", "both,input,hidden", "comma-separated: both, input, hidden, unconstrained "+
		"(sweep it at one fraction), sign parametrisations abs, relu, softplus, clip, update rules expgrad, wiggle, "+
		"the E/I-population network pop-abs, pop-clip, pop-expgrad, pop-wiggle, pop-abs-seedscale, pop-abs-stepcorr, pop-lif-abs (one fraction), or mask layouts blocked, random")
	fs.StringVar(&g.fractions, "fractions", "0:1:0.1", "inhibitory fractions: a comma-separated list or start:stop:step")
	fs.StringVar(&g.seeds, "seeds", "1,2,3", "comma-separated seeds")
	fs.IntVar(&g.epochs, "epochs", def.Epochs, "training epochs per run")
	fs.StringVar(&g.layout, "layout", string(def.Layout), "Dale mask layout: blocked or random")
	fs.StringVar(&g.cache, "cache", "out/sweep", "folder caching each run (resume; the only state of a sweep)")
	fs.IntVar(&g.workers, "workers", 0, "runs trained at once (0: one per core)")
	fs.BoolVar(&g.ablation, "ablation", false, "also apply the notebook's cut and its controls to each trained run "+
		"(use a -cache folder of its own)")
	fs.BoolVar(&g.populations, "populations", false, "also compute the weight spectra and, for the E/I-population network, "+
		"the edits of its inhibitory pathway (study.PopulationMetrics; use a -cache folder of its own)")
	fs.BoolVar(&g.quick, "quick", false, "the quick protocol (snn.Quick: 3 epochs on less data; overrides -epochs), for trying a sweep out")
}

// args returns the grid's flags as command-line arguments (for the scripts that run its tasks).
func (g *grid) args() []string {
	a := []string{"-conditions", g.conditions, "-fractions", g.fractions, "-seeds", g.seeds, "-epochs", strconv.Itoa(g.epochs),
		"-layout", g.layout, "-cache", g.cache}
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

// sweep builds the study.Sweep of the grid.
func (g *grid) sweep() (*study.Sweep, error) {
	available := map[string]study.Condition{}
	all := append(append(study.DaleConditions(), study.Unconstrained), study.SignConditions()...)
	all = append(append(append(all, study.PopulationConditions()...), study.RuleConditions()...), study.PopulationSeedScale,
		study.PopulationStepCorrection, study.PopulationLIF)
	for _, c := range append(all, study.LayoutConditions()...) {
		available[c.Name] = c
	}
	var cs []study.Condition
	for _, name := range strings.Split(g.conditions, ",") {
		c, ok := available[strings.TrimSpace(name)]
		if !ok {
			return nil, fmt.Errorf("-conditions: %q is unknown: want both, input, hidden, unconstrained, abs, relu, softplus, clip, expgrad, wiggle, pop-abs, pop-clip, pop-expgrad, pop-wiggle, pop-abs-seedscale, pop-abs-stepcorr, pop-lif-abs, blocked or random", name)
		}
		cs = append(cs, c)
	}
	fs, err := parseFractions(g.fractions)
	if err != nil {
		return nil, fmt.Errorf("-fractions: %w", err)
	}
	var ss []uint64
	for _, f := range strings.Split(g.seeds, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("-seeds: %q is not a seed (a non-negative integer)", f)
		}
		ss = append(ss, v)
	}
	base := snn.DefaultConfig()
	base.Epochs, base.Layout = g.epochs, snn.MaskLayout(g.layout)
	if g.quick {
		base = snn.Quick(base)
	}
	if g.cache == "" {
		return nil, fmt.Errorf("-cache: a sweep needs a cache folder")
	}
	s := &study.Sweep{Base: base, Conditions: cs, Fractions: fs, Seeds: ss, CacheDir: g.cache, Workers: g.workers}
	if g.ablation && g.populations {
		return nil, fmt.Errorf("-ablation and -populations: choose one set of extra metrics per cache")
	}
	if g.ablation {
		s.Extra, s.ExtraMetrics, s.ExtraVersion = study.AblationMetrics, study.AblationMetricNames(), study.AblationMetricsVersion
	}
	if g.populations {
		s.Extra, s.ExtraMetrics, s.ExtraVersionOf = study.PopulationMetrics, study.SpectrumMetricNames(), study.PopulationMetricsVersionOf
	}
	if _, err := s.Plan(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseSweep parses a subcommand's flags (the grid's, then those extra registers) and builds its sweep.
func parseSweep(name string, args []string, extra func(fs *flag.FlagSet)) (*grid, *study.Sweep, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	g := &grid{}
	g.register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	s, err := g.sweep()
	return g, s, err
}
