package study

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// Selection is one configuration of the exploration panel (issue 23): a condition, the inhibitory
// fraction, the Dale mask's layout and the sign rule, under the notebook's protocol or snn.Quick's.
// Controls that do not apply to the condition (ExploreCondition) are ignored: Normalised resets them.
type Selection struct {
	Condition string         `json:"condition"`
	Fraction  float64        `json:"fraction"`
	Layout    snn.MaskLayout `json:"layout"`
	Rule      snn.SignParam  `json:"rule"`
	Quick     bool           `json:"quick"`
}

// ExploreCondition is one entry of the panel's condition selector: which study condition it trains and
// which of the panel's controls change its configuration.
type ExploreCondition struct {
	Name, Label            string
	Fraction, Layout, Rule bool
	// Ignored says why the controls that do not apply are ignored ("" when all apply).
	Ignored string
}

// ExploreConditions is the panel's condition selector, in its order: Dale's law on both layers, on the
// input or hidden layer only, the unconstrained network, and the E/I-population networks of the
// populations notebook's run plan (whose population sizes and sign rule are their own, so neither the
// fraction, the layout nor the rule applies).
func ExploreConditions() []ExploreCondition {
	dale := func(name, label string) ExploreCondition {
		return ExploreCondition{Name: name, Label: label, Fraction: true, Layout: true, Rule: true}
	}
	pop := func(name, label string) ExploreCondition {
		return ExploreCondition{Name: name, Label: label,
			Ignored: "its E/I populations (27 excitatory and 3 inhibitory hidden units, excitatory inputs) and its sign rule are its own"}
	}
	return []ExploreCondition{
		dale("both", "Dale's law on both layers"),
		dale("input", "Dale's law on the input layer only"),
		dale("hidden", "Dale's law on the hidden layer only"),
		{Name: "unconstrained", Label: "unconstrained (no Dale's law)", Ignored: "it has no Dale's law: no inhibitory units, mask or sign rule"},
		pop("pop-abs", "E/I populations, |w|"),
		pop("pop-clip", "E/I populations, clip"),
		pop("pop-expgrad", "E/I populations, exponentiated gradient"),
		pop("pop-wiggle", "E/I populations, wiggle"),
		pop("pop-abs-seedscale", "E/I populations, |w|, DANN's start at the seed's scale"),
		pop("pop-abs-stepcorr", "E/I populations, |w|, step correction"),
	}
}

// ExploreFractions are the fraction slider's positions: 0, 0.1, ..., 1 (the sweeps' tenths).
func ExploreFractions() []float64 { return slices.Clone(tenthsOfOne) }

// ExploreLayouts and ExploreRules are the layout and sign-rule selectors.
func ExploreLayouts() []snn.MaskLayout { return []snn.MaskLayout{snn.MaskBlocked, snn.MaskRandom} }

// ExploreRules are the sign rules of the panel's selector: the sign parametrisations of SignConditions
// and the update rules of RuleConditions.
func ExploreRules() []snn.SignParam {
	return []snn.SignParam{snn.SignAbs, snn.SignReLU, snn.SignSoftplus, snn.SignClip, snn.SignExpGrad, snn.SignWiggle}
}

// DefaultSelection is the panel's first state: the notebook's network (Dale's law on both layers,
// fraction 0.5, blocked mask, |w|) under the notebook's protocol.
func DefaultSelection() Selection {
	return Selection{Condition: "both", Fraction: 0.5, Layout: snn.MaskBlocked, Rule: snn.SignAbs}
}

// exploreCondition returns the selector entry named name, or an error listing them.
func exploreCondition(name string) (ExploreCondition, error) {
	var names []string
	for _, c := range ExploreConditions() {
		if c.Name == name {
			return c, nil
		}
		names = append(names, c.Name)
	}
	return ExploreCondition{}, fmt.Errorf("study: panel condition %q: want one of %s", name, strings.Join(names, ", "))
}

// Validate checks every control against its selector's values, naming the bad one.
func (s Selection) Validate() error {
	if _, err := exploreCondition(s.Condition); err != nil {
		return err
	}
	if !slices.ContainsFunc(ExploreFractions(), func(f float64) bool { return math.Abs(f-s.Fraction) < 1e-9 }) {
		return fmt.Errorf("study: panel fraction %v: want one of %s", s.Fraction, floatList(ExploreFractions()))
	}
	if !slices.Contains(ExploreLayouts(), s.Layout) {
		return fmt.Errorf("study: panel mask layout %q: want one of %v", s.Layout, ExploreLayouts())
	}
	if !slices.Contains(ExploreRules(), s.Rule) {
		return fmt.Errorf("study: panel sign rule %q: want one of %v", s.Rule, ExploreRules())
	}
	return nil
}

// Normalised returns s with the controls that do not apply to its condition at their defaults, so that
// two selections of the same network compare equal.
func (s Selection) Normalised() Selection {
	c, err := exploreCondition(s.Condition)
	if err != nil {
		return s
	}
	d := DefaultSelection()
	if !c.Fraction {
		s.Fraction = UnconstrainedFraction
	}
	if !c.Layout {
		s.Layout = d.Layout
	}
	if !c.Rule {
		s.Rule = d.Rule
	}
	s.Fraction = math.Round(s.Fraction*10) / 10
	return s
}

// Key names the (normalised) selection in one line, e.g. "both f=0.50 blocked abs full"; the panel's
// figure carries it (data-selection) so that a browser test can read what is drawn.
func (s Selection) Key() string {
	n := s.Normalised()
	protocol := "full"
	if n.Quick {
		protocol = "quick"
	}
	return fmt.Sprintf("%s f=%.2f %s %s %s", n.Condition, n.Fraction, n.Layout, n.Rule, protocol)
}

// Label is the selection's network as the condition selector writes it (ExploreCondition.Label), its name
// where the name is not one of them.
func (s Selection) Label() string {
	c, err := exploreCondition(s.Condition)
	if err != nil {
		return s.Condition
	}
	return c.Label
}

// Title describes the selection for a figure, naming only the controls that apply.
func (s Selection) Title() string {
	c, err := exploreCondition(s.Condition)
	if err != nil {
		return s.Condition
	}
	parts := []string{c.Label}
	if c.Fraction {
		parts = append(parts, fmt.Sprintf("inhibitory fraction %.1f", s.Fraction))
	}
	if c.Layout {
		parts = append(parts, string(s.Layout)+" mask")
	}
	if c.Rule {
		parts = append(parts, "sign rule "+string(s.Rule))
	}
	if s.Quick {
		parts = append(parts, "quick protocol")
	}
	return strings.Join(parts, ", ")
}

// base is the configuration the selection's protocol starts from.
func (s Selection) base() snn.Config {
	if s.Quick {
		return snn.Quick(snn.DefaultConfig())
	}
	return snn.DefaultConfig()
}

// condition is the study Condition that trains the selection (named by its Key's condition, layout and
// rule, e.g. "both+random+relu", so that its cache entries say what they are).
func (s Selection) condition() (Condition, error) {
	if err := s.Validate(); err != nil {
		return Condition{}, err
	}
	n := s.Normalised()
	ec, _ := exploreCondition(n.Condition)
	c, err := ConditionByName(n.Condition)
	if err != nil {
		return Condition{}, err
	}
	name := n.Condition
	if ec.Layout || ec.Rule {
		name += "+" + string(n.Layout) + "+" + string(n.Rule)
	}
	return Condition{Name: name, Formulation: c.Formulation, Apply: func(b snn.Config, f float64) snn.Config {
		cfg := c.Apply(b, f)
		if ec.Layout {
			cfg.Layout = n.Layout
		}
		if ec.Rule {
			cfg.SignParam = n.Rule
		}
		return cfg
	}}, nil
}

// Config is the configuration the selection trains with seed (validated).
func (s Selection) Config(seed uint64) (snn.Config, error) {
	c, err := s.condition()
	if err != nil {
		return snn.Config{}, err
	}
	cfg := c.Apply(s.base(), s.Normalised().Fraction)
	cfg.Seed = seed
	if err := cfg.Validate(); err != nil {
		return snn.Config{}, err
	}
	return cfg, nil
}

// keyOf returns the configuration key (snn.ConfigKey) of the selection trained with a seed: the
// configuration is built and validated once, and only its seed changes.
func (s Selection) keyOf() (func(seed uint64) string, error) {
	cfg, err := s.Config(1)
	if err != nil {
		return nil, err
	}
	return func(seed uint64) string {
		c := cfg
		c.Seed = seed
		return snn.ConfigKey(c)
	}, nil
}

// Explorer answers the panel from the caches, without training: it indexes every run of the run plans'
// caches (Plans: sweep, ablation, signs, populations) under Results and of the panel's own cache
// (Own/explore, where the panel's "train" button adds runs), and every model checkpoint in
// Results/models and Own/explore/models, by configuration (snn.ConfigKey), so that a run is found by
// what it trained, whichever study ran it. Like Sweep, it leaves out runs of another revision of the
// numbers (snn.SameRevision) and runs that diverged, models trained by another revision, and reads ablation metrics only of the current
// definition (AblationMetricsVersion); Notes counts what it left out. Runs of the same revision computed
// by other numerics (another build or backend) are used, and a View says when its point mixes them.
// An Explorer is not safe for concurrent use (Reload replaces what View reads).
type Explorer struct {
	Results, Own string
	runs         map[string][]indexedRun // by configuration hash
	seeds        []uint64                // every seed of an indexed run, ascending
	models       map[string]string       // checkpoint file by configuration hash
	// Notes says what could not be read (a damaged entry, an unreadable checkpoint): skipped, not hidden.
	Notes []string
}

type indexedRun struct {
	RunResult
	File string
	Own  bool // from the panel's own cache
}

// OpenExplorer indexes the caches under results and own (own may be "" for none; it need not exist yet).
func OpenExplorer(results, own string) (*Explorer, error) {
	if st, err := os.Stat(results); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("study: panel: results folder %q is not a folder (the committed caches are in notebooks/results)", results)
	}
	e := &Explorer{Results: results, Own: own}
	return e, e.Reload()
}

// exploreCaches are the cache folders the panel reads under Results, in the order a configuration's runs
// are taken from (the first that holds a seed wins for its accuracy): the run plans' caches but the
// fidelity table's, whose runs repeat the sweep's configurations and whose folder also holds PyTorch's
// records, and those of sweeps on fresh seeds of their own (PlanSweep.FreshSeeds).
func exploreCaches() []string {
	var out []string
	for _, p := range Plans(false) {
		for _, s := range p.Sweeps {
			if s.Cache != Fidelity().Cache && !s.FreshSeeds && !slices.Contains(out, s.Cache) {
				out = append(out, s.Cache)
			}
		}
	}
	return out
}

// ExploreOwnCache is the panel's own cache folder name under Own.
const ExploreOwnCache = "explore"

// Reload indexes the caches again (after the panel trained a run).
func (e *Explorer) Reload() error {
	e.runs, e.models, e.Notes, e.seeds = map[string][]indexedRun{}, map[string]string{}, nil, nil
	seeds := map[uint64]bool{}
	current := snn.NumericsVersion(snn.FormulationGoKernels) // any formulation: the revision is what counts
	var dirs []string
	for _, c := range exploreCaches() {
		dirs = append(dirs, filepath.Join(e.Results, c))
	}
	modelDirs := []string{filepath.Join(e.Results, "models")}
	if e.Own != "" {
		dirs = append(dirs, filepath.Join(e.Own, ExploreOwnCache))
		modelDirs = append(modelDirs, filepath.Join(e.Own, ExploreOwnCache, "models"))
	}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				e.Notes = append(e.Notes, fmt.Sprintf("%s: %v; skipped", f, err))
				continue
			}
			r, err := DecodeRunResult(data)
			switch {
			case err != nil:
				e.Notes = append(e.Notes, fmt.Sprintf("%s: %v; skipped", f, err))
				continue
			case r.Diverged:
				e.Notes = append(e.Notes, fmt.Sprintf("%s: the run diverged (a tuning rate too large); skipped", f))
				continue
			case !snn.SameRevision(r.Numerics, current):
				e.Notes = append(e.Notes, fmt.Sprintf("%s: computed by numerics %q, another revision than the current %q; skipped", f, r.Numerics, current))
				continue
			}
			if r.ExtraVersion != AblationMetricsVersion {
				for _, c := range ablationCuts {
					delete(r.Extra, "ablate_"+string(c.cut))
				}
			}
			e.runs[r.ConfigHash] = append(e.runs[r.ConfigHash], indexedRun{r, f, strings.HasPrefix(f, filepath.Join(e.Own, ExploreOwnCache)+string(filepath.Separator)) && e.Own != ""})
			seeds[r.Seed] = true
		}
	}
	for _, dir := range modelDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.ckpt"))
		for _, f := range files {
			m, err := snn.LoadCheckpoint(f)
			if err != nil {
				e.Notes = append(e.Notes, fmt.Sprintf("%s: %v; skipped", f, err))
				continue
			}
			if !snn.SameRevision(m.History.Numerics, current) {
				e.Notes = append(e.Notes, fmt.Sprintf("%s: a model trained by numerics %q, another revision than the current %q; skipped", f, m.History.Numerics, current))
				continue
			}
			if _, dup := e.models[snn.ConfigKey(m.Config)]; !dup {
				e.models[snn.ConfigKey(m.Config)] = f
			}
		}
	}
	for s := range seeds {
		e.seeds = append(e.seeds, s)
	}
	slices.Sort(e.seeds)
	return nil
}

// Point is the test accuracy of one configuration over the seeds cached for it.
type Point struct {
	Fraction   float64
	Seeds      []uint64
	Accuracies []float64 // test accuracy (fraction of 1), one per seed
	Files      []string  // the cache entries read, one per seed
	Numerics   []string  // the numerics that computed each (snn.NumericsVersion)
	Own        int       // how many came from the panel's own cache
}

// Mean is the mean test accuracy (NaN without runs).
func (p Point) Mean() float64 {
	if len(p.Accuracies) == 0 {
		return math.NaN()
	}
	m, _ := MeanSD(p.Accuracies)
	return m
}

// Bar is one group of the ablation panel: a label and the accuracies over seeds.
type Bar struct {
	Label      string
	Accuracies []float64
}

// View is what the panel draws for a selection, read from the caches: the accuracy-against-fraction
// curve of the selected network (one point per fraction with cached runs; one point when the fraction
// does not apply), the selected point, the unconstrained network's accuracy under the same protocol as
// a reference, the ablation bars of the selected point's runs that carry ablation metrics (AblationSet),
// and the checkpoint of a model of the selected configuration where one is cached.
type View struct {
	Selection Selection // normalised
	// FractionApplies is false for networks whose inhibitory fraction is not a control (Curve then has
	// one point, drawn without a fraction axis).
	FractionApplies bool
	Curve           []Point
	Selected        Point
	Reference       Point
	Ablation        []Bar
	// CutRows is k, the number of input rows each cut of Ablation removes (0 when the runs do not record it).
	CutRows int
	Model   string // checkpoint file, "" when none is cached
	// ModelSeed is the seed of Model, and ModelAccuracy the test accuracy of that seed's run at the selected
	// point (NaN when the point has no run of that seed).
	ModelSeed     uint64
	ModelAccuracy float64
	// Notes say what the view could not show and why (no run cached, a control that does not apply).
	Notes []string
}

// Runs is the number of cache entries the view read.
func (v View) Runs() int {
	n := len(v.Reference.Files)
	for _, p := range v.Curve {
		n += len(p.Files)
	}
	return n
}

// point returns the cached runs of the selection's configuration at fraction f, one per seed (the first
// cache in exploreCaches order that holds the seed), and the runs that carry ablation metrics.
func (e *Explorer) point(s Selection, f float64) (Point, []RunResult, error) {
	s.Fraction = f
	p := Point{Fraction: s.Normalised().Fraction}
	var ablated []RunResult
	key, err := s.keyOf()
	if err != nil {
		return Point{}, nil, err
	}
	for _, seed := range e.seeds {
		runs := e.runs[key(seed)]
		if len(runs) == 0 {
			continue
		}
		r := runs[0]
		p.Seeds, p.Accuracies, p.Files = append(p.Seeds, seed), append(p.Accuracies, r.TestAccuracy), append(p.Files, r.File)
		p.Numerics = append(p.Numerics, r.Numerics)
		if r.Own {
			p.Own++
		}
		for _, r := range runs {
			if _, ok := r.Extra["ablate_"+string(ablationCuts[0].cut)]; ok {
				ablated = append(ablated, r.RunResult)
				break
			}
		}
	}
	return p, ablated, nil
}

// View returns what the panel draws for s (validated first).
func (e *Explorer) View(s Selection) (View, error) {
	if err := s.Validate(); err != nil {
		return View{}, err
	}
	s = s.Normalised()
	ec, _ := exploreCondition(s.Condition)
	v := View{Selection: s, FractionApplies: ec.Fraction}
	fractions := ExploreFractions()
	if !ec.Fraction {
		fractions = []float64{s.Fraction}
		v.Notes = append(v.Notes, fmt.Sprintf("%s: the inhibitory fraction, mask layout and sign rule do not apply (%s)", ec.Label, ec.Ignored))
	}
	var ablated []RunResult
	others, otherRuns := 0, 0 // the other points' runs the panel trained, and all their runs
	for _, f := range fractions {
		p, ab, err := e.point(s, f)
		if err != nil {
			return View{}, err
		}
		if len(p.Seeds) > 0 {
			v.Curve = append(v.Curve, p)
		}
		if math.Abs(f-s.Fraction) < 1e-9 {
			v.Selected, ablated = p, ab
		} else {
			others, otherRuns = others+p.Own, otherRuns+len(p.Seeds)
		}
	}
	ref := s
	ref.Condition = "unconstrained"
	var err error
	if v.Reference, _, err = e.point(ref, UnconstrainedFraction); err != nil {
		return View{}, err
	}
	if len(v.Selected.Seeds) == 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("no run of %s is cached: train it with the button", s.Key()))
	}
	if len(v.Reference.Seeds) == 0 && s.Condition != "unconstrained" {
		v.Notes = append(v.Notes, "no run of the unconstrained network is cached under this protocol: no reference is drawn")
	}
	if len(v.Curve) > 0 {
		v.Notes = append(v.Notes, "descriptive: means and SDs over the cached seeds, at the notebook's learning rate; no difference drawn here is tested "+
			"(dales_law_controls.ipynb and dales_law_populations.ipynb test some of these comparisons with paired statistics, several at learning rates tuned per condition)")
	}
	if kinds := distinct(v.Selected.Numerics); len(kinds) > 1 {
		v.Notes = append(v.Notes, fmt.Sprintf("the selected point's runs were computed by %d numerics (%s): same model, different float32 rounding",
			len(kinds), strings.Join(kinds, ", ")))
	}
	if n := v.Selected.Own; n > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d of the selected point's %d seeds were trained by this panel (%s)", n, len(v.Selected.Seeds),
			filepath.Join(e.Own, ExploreOwnCache)))
	}
	if others > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d of the other points' %d runs were trained by this panel", others, otherRuns))
	}
	if len(ablated) > 0 {
		v.Ablation = append(v.Ablation, Bar{Label: "intact"})
		for _, r := range ablated {
			v.Ablation[0].Accuracies = append(v.Ablation[0].Accuracies, r.TestAccuracy)
		}
		same, err := sameCutsOverSeeds(s, ablated)
		if err != nil {
			return View{}, err
		}
		var merged []string
		for i, c := range ablationCuts {
			if same[i] != i {
				continue // drawn with the first cut that removes the same rows
			}
			b := Bar{Label: c.label}
			var names []string
			for j, d := range ablationCuts {
				if same[j] == i {
					names = append(names, d.short)
				}
			}
			if len(names) > 1 {
				b.Label = strings.Join(names, " =\n")
				merged = append(merged, strings.Join(names, ", "))
			}
			for _, r := range ablated {
				if a, ok := r.Extra["ablate_"+string(c.cut)]; ok {
					b.Accuracies = append(b.Accuracies, a)
				}
			}
			if len(b.Accuracies) > 0 {
				v.Ablation = append(v.Ablation, b)
			}
		}
		note := fmt.Sprintf("the random cuts are the mean of %d draws per seed", RandomDraws)
		if k, ok := ablated[0].Extra["cut_rows"]; ok {
			v.CutRows = int(k)
			note = fmt.Sprintf("each cut removes k = %d input rows; %s", v.CutRows, note)
		}
		if len(ablated) < len(v.Selected.Seeds) {
			note += fmt.Sprintf("; the bars count the %d of the selected point's %d seeds whose runs carry ablation metrics (runs the panel trains carry none)",
				len(ablated), len(v.Selected.Seeds))
		}
		if len(merged) > 0 {
			note += fmt.Sprintf("; at this fraction and mask some cuts remove the same rows in every seed's network and are drawn as one bar (%s)",
				strings.Join(merged, "; "))
		}
		v.Notes = append(v.Notes, note)
	} else if len(v.Selected.Seeds) > 0 {
		v.Notes = append(v.Notes, "no cached run of this configuration has ablation metrics (the ablation study ran Dale's law on both layers at fractions 0.5 and 0.2, blocked and random masks, |w|)")
	}
	key, err := s.keyOf()
	if err != nil {
		return View{}, err
	}
	v.ModelAccuracy = math.NaN()
	for _, seed := range append(slices.Clone(v.Selected.Seeds), e.seeds...) {
		if f, ok := e.models[key(seed)]; ok {
			v.Model, v.ModelSeed = f, seed
			if i := slices.Index(v.Selected.Seeds, seed); i >= 0 {
				v.ModelAccuracy = v.Selected.Accuracies[i]
			}
			break
		}
	}
	if v.Model == "" {
		v.Notes = append(v.Notes, "no model of this configuration is cached (weight images need one)")
	}
	return v, nil
}

// distinct lists the different values of v in their first order.
func distinct(v []string) []string {
	var out []string
	for _, x := range v {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// NextSeed is the smallest seed from 1 up with no cached run of the selection.
func (e *Explorer) NextSeed(s Selection) (uint64, error) {
	key, err := s.keyOf()
	if err != nil {
		return 0, err
	}
	for seed := uint64(1); ; seed++ {
		if len(e.runs[key(seed)]) == 0 {
			return seed, nil
		}
	}
}

// Train trains the selection once on its next uncached seed (NextSeed), caches the run in
// Own/explore (and its model in Own/explore/models), re-indexes, and returns the run. onEpoch, if set,
// reports each epoch (a progress bar). Nothing trains without an Own folder that can be written.
func (e *Explorer) Train(ctx context.Context, s Selection, onEpoch func(snn.EpochInfo)) (RunResult, error) {
	if e.Own == "" {
		return RunResult{}, fmt.Errorf("study: panel: no folder for the panel's runs (Explorer.Own is empty); nothing was trained")
	}
	c, err := s.condition()
	if err != nil {
		return RunResult{}, err
	}
	seed, err := e.NextSeed(s)
	if err != nil {
		return RunResult{}, err
	}
	dir := filepath.Join(e.Own, ExploreOwnCache)
	sw := &Sweep{Base: s.base(), Conditions: []Condition{c}, Fractions: []float64{s.Normalised().Fraction}, Seeds: []uint64{seed},
		CacheDir: dir, ModelDir: filepath.Join(dir, "models"), Workers: 1}
	if onEpoch != nil {
		sw.OnEpoch = func(_ RunKey, ep snn.EpochInfo) { onEpoch(ep) }
	}
	res, err := sw.Run(ctx)
	if err != nil {
		return RunResult{}, err
	}
	return res[0], e.Reload()
}

// ablationCut is one cut of the panel's ablation bars: its label, and a short name for merged bars.
type ablationCut struct {
	cut          probe.Cut
	label, short string
}

// ablationCuts are the ablation panel's bars after "intact": the notebook's cut and its controls
// (probe.Cuts' order), labelled for the figure.
var ablationCuts = []ablationCut{
	{probe.CutNotebook, "notebook's cut\n(rows 0..k-1)", "notebook's cut"},
	{probe.CutInhibitory, "inhibitory rows", "inhibitory rows"},
	{probe.CutExcitatory, "first k\nexcitatory rows", "first k exc."},
	{probe.CutMatched, "position-matched\nexcitatory rows", "matched exc."},
	{probe.CutRandomExcitatory, "k random exc. rows\n(mean of 10 draws)", "random exc."},
	{probe.CutRandom, "k random rows\n(mean of 10 draws)", "random"},
}

// sameCutsOverSeeds is sameCuts over the networks of the runs (seeds) of selection s: cut i is drawn
// with the first cut j that removes the same rows as it in every one of them (i itself when none does).
func sameCutsOverSeeds(s Selection, runs []RunResult) ([]int, error) {
	var per [][]int // per seed, sameCuts
	for _, r := range runs {
		cfg, err := s.Config(r.Seed)
		if err != nil {
			return nil, err
		}
		got, err := sameCuts(cfg)
		if err != nil {
			return nil, err
		}
		per = append(per, got)
	}
	same := make([]int, len(ablationCuts))
	for i := range same {
		same[i] = i
	first:
		for j := 0; j < i && len(per) > 0; j++ {
			for _, p := range per {
				if p[i] != p[j] { // i and j remove different rows in this seed's network
					continue first
				}
			}
			same[i] = j
			break
		}
	}
	return same, nil
}

// sameCuts reports which of ablationCuts remove the same input rows in the network of cfg (its masks,
// which training does not change): same[i] is the first cut that removes the rows cut i removes (i
// itself when no earlier one does). A random cut counts as the same only when each of its RandomDraws
// draws (AblationMetrics' seeds) removes those rows.
func sameCuts(cfg snn.Config) ([]int, error) {
	m, err := snn.NewModel(cfg)
	if err != nil {
		return nil, err
	}
	return sameCutsOf(m)
}

// sameCutsOf is sameCuts for the masks of model m (its configuration's seed drives the random cuts).
func sameCutsOf(m *snn.Model) ([]int, error) {
	rows := make([][][]int, len(ablationCuts)) // per cut, per draw, the sorted rows
	for i, c := range ablationCuts {
		draws := 1
		if probe.RandomCut(c.cut) {
			draws = RandomDraws
		}
		for d := 0; d < draws; d++ {
			r, err := probe.CutRows(m, c.cut, drawSeed(m.Config.Seed, d))
			if err != nil {
				return nil, err
			}
			r = slices.Clone(r)
			slices.Sort(r)
			rows[i] = append(rows[i], r)
		}
	}
	same := make([]int, len(ablationCuts))
	for i := range ablationCuts {
		same[i] = i
	first:
		for j := 0; j < i; j++ {
			for _, a := range rows[i] {
				for _, b := range rows[j] {
					if !slices.Equal(a, b) {
						continue first
					}
				}
			}
			same[i] = same[j]
			break
		}
	}
	return same, nil
}
