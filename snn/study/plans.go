package study

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// Metrics names a set of extra metrics a sweep computes for each trained run and caches with it.
type Metrics string

const (
	NoMetrics     Metrics = ""            // test accuracy and error only
	AblationSet   Metrics = "ablation"    // AblationMetrics: the notebook's cuts and their controls
	PopulationSet Metrics = "populations" // PopulationMetrics: spectra, activity, inhibitory-pathway edits
	FidelitySet   Metrics = "fidelity"    // FidelityMetrics: what the seed notebook prints beyond test accuracy
	PhaseSet      Metrics = "phase"       // PhaseMetrics: accuracy at phase offsets shifted from the training set's
	// PhaseSampleSet: PhaseMetricsPerSample, for networks trained with a phase offset per sample.
	PhaseSampleSet Metrics = "phase-per-sample"
	// PhasePartnerSet: PhaseMetricsPartner, PhaseSampleSet's metrics and the accuracies at the partner's
	// training offset (the run of one offset per data set with the same seed) and the 11 shifts from it.
	PhasePartnerSet Metrics = "phase-per-sample-partner"
)

// Apply sets the sweep's Extra fields for the metrics m.
func (m Metrics) Apply(s *Sweep) error {
	switch m {
	case NoMetrics:
	case AblationSet:
		s.Extra, s.ExtraMetrics, s.ExtraVersion = AblationMetrics, AblationMetricNames(), AblationMetricsVersion
		s.ExtraCheck = CheckAblation
	case PopulationSet:
		s.Extra, s.ExtraMetrics, s.ExtraVersionOf = PopulationMetrics, SpectrumMetricNames(), PopulationMetricsVersionOf
	case FidelitySet:
		s.Extra, s.ExtraMetrics, s.ExtraVersion = FidelityMetrics, FidelityMetricNames(), FidelityMetricsVersion
	case PhaseSet:
		s.Extra, s.ExtraMetrics, s.ExtraVersion = PhaseMetrics, PhaseMetricNames(), PhaseMetricsVersion
		s.ExtraCheck = CheckPhase
	case PhaseSampleSet:
		s.Extra, s.ExtraMetrics, s.ExtraVersion = PhaseMetricsPerSample, PhaseMetricNamesPerSample(), PhaseMetricsVersion
		s.ExtraCheck = CheckPhasePerSample
	case PhasePartnerSet:
		s.Extra, s.ExtraMetrics, s.ExtraVersion = PhaseMetricsPartner, PhaseMetricNamesPartner(), PhaseMetricsVersion
		s.ExtraCheck = CheckPhasePerSample
	default:
		return fmt.Errorf("study: no metric set %q: want %q, %q, %q, %q, %q, %q or none", string(m), AblationSet, PopulationSet,
			FidelitySet, PhaseSet, PhaseSampleSet, PhasePartnerSet)
	}
	return nil
}

// PlanSweep is one sweep of a run plan: named conditions at fractions and seeds, with a set of extra
// metrics, cached in the folder Cache under the plan's results folder.
type PlanSweep struct {
	Name       string // unique within the plan
	Cache      string // cache folder, relative to the results folder
	Conditions []string
	Fractions  []float64
	Seeds      []uint64
	Metrics    Metrics
	// Protocol, if set, turns the base configuration the sweep is built from into its own (e.g.
	// TunedProtocol, for runs of a tuned plan's protocol); nil keeps the base.
	Protocol func(snn.Config) snn.Config
	// FreshSeeds marks a sweep on seeds of its own, for one question (a confirmation): the explore panel
	// leaves its cache out, so that every point of its curves averages the run plans' five seeds.
	FreshSeeds bool
}

// Plan is the run plan behind one notebook: every run the notebook reads is in one of its sweeps, and
// `make results` (sweep -plan NAME) runs exactly these.
type Plan struct {
	Name     string // as -plan takes it
	Notebook string // the notebook that reads it
	Sweeps   []PlanSweep
}

var (
	fiveSeeds    = []uint64{1, 2, 3, 4, 5}
	tenthsOfOne  = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	quickSeeds   = []uint64{1, 2}
	quickTenths  = []float64{0, 0.2, 0.5, 1}
	notebookFrac = []float64{0.5, 0.2}
)

// Plans returns every notebook's run plan: "mirror" (dales_law.ipynb's five-seed note), "controls"
// (dales_law_controls.ipynb) and "populations" (dales_law_populations.ipynb). In quick mode (snn.Quick's
// protocol, for trying a notebook out) every sweep keeps seeds 1 and 2 and the fraction sweeps keep 0,
// 0.2, 0.5 and 1.
func Plans(quick bool) []Plan {
	ps := []Plan{
		{Name: "mirror", Notebook: "dales_law.ipynb", Sweeps: []PlanSweep{
			{Name: "seeds", Cache: "sweep", Conditions: []string{"both"}, Fractions: notebookFrac, Seeds: fiveSeeds},
			// The fidelity table's runs (plan Fidelity): the same runs with the numbers the original prints
			// beyond test accuracy and error, in their own cache so that the sweep's entries stay as they are.
			{Name: "fidelity", Cache: "fidelity", Conditions: []string{"both"}, Fractions: notebookFrac, Seeds: fiveSeeds,
				Metrics: FidelitySet},
		}},
		{Name: "controls", Notebook: "dales_law_controls.ipynb", Sweeps: []PlanSweep{
			{Name: "sweep", Cache: "sweep", Conditions: []string{"both", "input", "hidden"}, Fractions: tenthsOfOne, Seeds: fiveSeeds},
			{Name: "unconstrained", Cache: "sweep", Conditions: []string{"unconstrained"},
				Fractions: []float64{UnconstrainedFraction}, Seeds: fiveSeeds},
			{Name: "ablation", Cache: "ablation", Conditions: []string{"blocked", "random"}, Fractions: notebookFrac,
				Seeds: fiveSeeds, Metrics: AblationSet},
			{Name: "signs", Cache: "signs", Conditions: []string{"abs", "relu", "softplus", "clip"}, Fractions: []float64{0.5},
				Seeds: fiveSeeds},
			// The notebook's network scored at phase offsets shifted from its training set's (PhaseConclusion
			// with NotebookPhaseGroups, fixed before these runs).
			{Name: "phase", Cache: "phase", Conditions: []string{"both"}, Fractions: notebookFrac, Seeds: fiveSeeds,
				Metrics: PhaseSet},
			// The same networks trained with a phase offset per sample (PhaseModeConclusion against sweep phase,
			// with NotebookPhaseGroups, fixed before these runs).
			{Name: "phase-per-sample", Cache: "phase-per-sample", Conditions: []string{"both"}, Fractions: notebookFrac,
				Seeds: fiveSeeds, Metrics: PhaseSampleSet, Protocol: PerSampleProtocol},
			// The confirmation of both on 30 fresh seeds, with the per-sample networks also measured at their
			// partners' training offsets (phaseConfirmSeeds: PhaseConclusion, PhaseModeConclusion and
			// PhasePartnerConclusion with NotebookPhaseGroups, fixed before these runs).
			{Name: "phase-confirm", Cache: "phase-confirm", Conditions: []string{"both"}, Fractions: notebookFrac,
				Seeds: phaseConfirmSeeds, Metrics: PhaseSet, FreshSeeds: true},
			{Name: "phase-per-sample-confirm", Cache: "phase-per-sample-confirm", Conditions: []string{"both"},
				Fractions: notebookFrac, Seeds: phaseConfirmSeeds, Metrics: PhasePartnerSet, Protocol: PerSampleProtocol,
				FreshSeeds: true},
		}},
		{Name: "populations", Notebook: "dales_law_populations.ipynb", Sweeps: []PlanSweep{
			{Name: "networks", Cache: "populations", Conditions: []string{"pop-abs", "pop-clip", "pop-expgrad", "pop-wiggle",
				"pop-abs-seedscale", "pop-abs-stepcorr", "pop-lif-abs", "unconstrained"},
				Fractions: []float64{UnconstrainedFraction}, Seeds: fiveSeeds, Metrics: PopulationSet},
			{Name: "rules", Cache: "populations", Conditions: []string{"clip", "expgrad", "wiggle"}, Fractions: []float64{0.5},
				Seeds: fiveSeeds, Metrics: PopulationSet},
			{Name: "fractions", Cache: "populations", Conditions: []string{"both"}, Fractions: tenthsOfOne, Seeds: fiveSeeds,
				Metrics: PopulationSet},
			// The replication's LIF networks at 0.01 (plan populations-lif-cap-rep-lr0.01: the same runs, trained
			// again under its protocol) scored at shifted phase offsets (PhaseConclusion with LIFPhaseGroups and
			// PhaseAveragedConclusion with LIFPhaseCapPairs, fixed before these runs).
			{Name: "phase-lif", Cache: "phase", Conditions: phaseGroupConditions(LIFPhaseGroups()), Fractions: []float64{0.5},
				Seeds: lifCapReplicationSeeds, Metrics: PhaseSet, Protocol: TunedProtocol},
			// The same at the replication's second rate (plan populations-lif-cap-rep-lr0.0316228): the same two
			// families with LIFPhaseGroupsAt(0.0316228) and LIFPhaseCapPairsAt(0.0316228), fixed before these runs.
			{Name: "phase-lif-lr0.0316", Cache: "phase", Conditions: phaseGroupConditions(LIFPhaseGroupsAt(lifPhaseRateHigh)),
				Fractions: []float64{0.5}, Seeds: lifCapReplicationSeeds, Metrics: PhaseSet, Protocol: TunedProtocol},
		}},
	}
	for i := range ps { // every plan owns its slices: a caller's edit changes no other plan
		for j := range ps[i].Sweeps {
			sw := &ps[i].Sweeps[j]
			sw.Conditions, sw.Fractions, sw.Seeds = slices.Clone(sw.Conditions), slices.Clone(sw.Fractions), slices.Clone(sw.Seeds)
		}
	}
	if quick {
		for i := range ps {
			for j := range ps[i].Sweeps {
				sw := &ps[i].Sweeps[j]
				sw.Seeds = slices.Clone(quickSeeds)
				if slices.Equal(sw.Fractions, tenthsOfOne) {
					sw.Fractions = slices.Clone(quickTenths)
				}
			}
		}
	}
	return ps
}

// PlanNames lists the names of Plans.
func PlanNames() []string {
	var names []string
	for _, p := range Plans(false) {
		names = append(names, p.Name)
	}
	return names
}

// PlanByName returns the plan of that name, or an error listing the plans there are.
func PlanByName(name string, quick bool) (Plan, error) {
	for _, p := range Plans(quick) {
		if p.Name == name {
			return p, nil
		}
	}
	return Plan{}, fmt.Errorf("study: no run plan named %q: want one of %s", name, strings.Join(PlanNames(), ", "))
}

// Sweep returns the plan's sweep of that name, or an error listing its sweeps.
func (p Plan) Sweep(name string) (PlanSweep, error) {
	var names []string
	for _, s := range p.Sweeps {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return PlanSweep{}, fmt.Errorf("study: plan %q has no sweep %q: want one of %s", p.Name, name, strings.Join(names, ", "))
}

// Build returns the Sweep of ps from the base configuration, caching in results/ps.Cache.
func (ps PlanSweep) Build(base snn.Config, results string) (*Sweep, error) {
	cs, err := ConditionsByName(ps.Conditions)
	if err != nil {
		return nil, fmt.Errorf("study: sweep %q: %w", ps.Name, err)
	}
	if ps.Protocol != nil {
		base = ps.Protocol(base)
	}
	s := &Sweep{Base: base, Conditions: cs, Fractions: slices.Clone(ps.Fractions), Seeds: slices.Clone(ps.Seeds)}
	if results != "" {
		s.CacheDir = filepath.Join(results, ps.Cache)
		s.Shared = SharedCaches(results, ps.Cache)
	}
	if err := ps.Metrics.Apply(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Collect reads the runs of the plan's named sweep from the caches under results (it trains nothing):
// those done, the state of those that are not (Sweep.Collect), and notes on runs another backend's
// numerics computed (used as they are).
func (p Plan) Collect(sweep string, base snn.Config, results string) (done []RunResult, notDone []RunState, notes []string, err error) {
	ps, err := p.Sweep(sweep)
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := ps.Build(base, results)
	if err != nil {
		return nil, nil, nil, err
	}
	done, notDone, err = s.Collect()
	return done, notDone, s.Warnings, err
}

// SharedCaches lists the cache folders under results of every run plan's sweeps (Plans) and every tuned
// plan (TunedPlans) other than own, those that exist: where a sweep caching in results/own finds runs
// other plans have already trained (Sweep.Shared).
func SharedCaches(results, own string) []string {
	var names []string
	for _, p := range Plans(false) {
		for _, s := range p.Sweeps {
			names = append(names, s.Cache)
		}
	}
	for _, p := range TunedPlans() {
		names = append(names, p.Cache)
	}
	var dirs []string
	seen := map[string]bool{own: true}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		d := filepath.Join(results, n)
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dirs = append(dirs, d)
		}
	}
	return dirs
}
