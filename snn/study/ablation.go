package study

import (
	"fmt"
	"slices"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// RandomDraws is the number of times AblationMetrics draws each random cut per trained network.
const RandomDraws = 10

// AblationMetricsVersion names the definition of AblationMetrics' numbers (Sweep.ExtraVersion): it changes
// whenever a metric is computed differently, so that cached runs of the old definition are recomputed.
// "2": CutMatched by least-cost assignment, matched_max_delay_diff added.
const AblationMetricsVersion = "2"

// AblationMetricNames are the metrics AblationMetrics returns (Sweep.ExtraMetrics).
func AblationMetricNames() []string {
	var names []string
	for _, c := range probe.Cuts {
		names = append(names, "ablate_"+string(c))
	}
	return append(names, "cut_rows", "matched_other_ear", "matched_max_delay_diff", "hidden_exc_mean", "hidden_inh_mean")
}

// ablationMasks refuses a model whose masks AblationMetrics cannot work with.
func ablationMasks(m *snn.Model) error {
	if len(m.Mask1.Inhibitory()) == 0 || len(m.Mask2.Inhibitory()) == 0 || len(m.Mask2.Excitatory()) == 0 {
		return fmt.Errorf("study: AblationMetrics needs inhibitory input rows and both signs in the hidden layer; "+
			"the model at inhibitory fraction %v has %d inhibitory inputs and %d/%d inhibitory/excitatory hidden units",
			m.Config.InhibitoryFraction, len(m.Mask1.Inhibitory()), len(m.Mask2.Inhibitory()), len(m.Mask2.Excitatory()))
	}
	return nil
}

// CheckAblation reports, before any training, whether AblationMetrics can be computed for a run of cfg:
// the masks it needs, and every cut of probe.Cuts on the initial model (the masks do not change in
// training). For Sweep.ExtraCheck.
func CheckAblation(cfg snn.Config) error {
	m, err := snn.NewModel(cfg)
	if err != nil {
		return err
	}
	if err := ablationMasks(m); err != nil {
		return err
	}
	return probe.CheckCuts(cfg, probe.Cuts, drawSeed(cfg.Seed, 0))
}

// drawSeed is the seed of draw d (0, 1, ...) of a random cut or edit of the network trained from seed:
// seed*1000 + d + 1.
func drawSeed(seed uint64, d int) uint64 { return seed*1000 + uint64(d) + 1 }

// ExcitatoryControlsCoincide reports whether, in the network of cfg (its masks; they do not change in
// training), the position-matched cut (probe.CutMatched) and every one of AblationMetrics' RandomDraws
// draws of k random excitatory rows (probe.CutRandomExcitatory) cut the same rows. They do where k, the
// number of inhibitory input rows, is the number of excitatory ones (fraction 0.5): each then cuts every
// excitatory row, and their accuracies are one measurement twice.
func ExcitatoryControlsCoincide(cfg snn.Config) (bool, error) {
	m, err := snn.NewModel(cfg)
	if err != nil {
		return false, err
	}
	if err := ablationMasks(m); err != nil {
		return false, err
	}
	same, err := sameCutsOf(m)
	if err != nil {
		return false, err
	}
	at := func(c probe.Cut) int {
		return slices.IndexFunc(ablationCuts, func(a ablationCut) bool { return a.cut == c })
	}
	return same[at(probe.CutMatched)] == same[at(probe.CutRandomExcitatory)], nil
}

// AblationMetrics applies every named cut to the trained model of x and returns the test accuracy after
// each ("ablate_<cut>"); the random cuts are drawn RandomDraws times (seeds drawSeed(Seed, 0), ...) and their
// accuracies averaged. "cut_rows" is k, the number of inhibitory input rows. "matched_other_ear" counts the rows of CutMatched taken from the other ear and
// "matched_max_delay_diff" is the largest phase-delay difference (in fibre steps) of its pairs.
// "hidden_exc_mean" and "hidden_inh_mean" are the mean test accuracy with one hidden unit silenced, over
// the excitatory and over the inhibitory hidden units (HiddenAblationCurve). It needs inhibitory input
// rows and both signs in the hidden layer. One compiled forward pass scores every ablated copy. For
// Sweep.Extra.
func AblationMetrics(x *snn.Experiment) (map[string]float64, error) {
	m := x.Trained
	if err := ablationMasks(m); err != nil {
		return nil, err
	}
	ev, err := snn.NewEvaluator(m.Config, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, c := range probe.Cuts {
		draws := 1
		if probe.RandomCut(c) {
			draws = RandomDraws
		}
		sum := 0.0
		for d := 0; d < draws; d++ {
			a, _, err := probe.AblateCut(m, c, drawSeed(x.Config.Seed, d))
			if err != nil {
				return nil, err
			}
			e, err := ev.Evaluate(a, x.Test)
			if err != nil {
				return nil, err
			}
			sum += e.Accuracy
		}
		out["ablate_"+string(c)] = sum / float64(draws)
	}
	pairs, err := probe.MatchRows(m, m.Mask1.Inhibitory())
	if err != nil {
		return nil, err
	}
	other, maxDiff := 0, 0
	for _, p := range pairs {
		if p.OtherEar {
			other++
		}
		maxDiff = max(maxDiff, p.DelayDiff)
	}
	out["matched_other_ear"], out["matched_max_delay_diff"] = float64(other), float64(maxDiff)
	out["cut_rows"] = float64(len(pairs))
	curve, err := probe.HiddenAblationCurveWith(ev, m, x.Test)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		name  string
		units []int
	}{{"hidden_exc_mean", m.Mask2.Excitatory()}, {"hidden_inh_mean", m.Mask2.Inhibitory()}} {
		sum := 0.0
		for _, u := range c.units {
			sum += curve[u]
		}
		out[c.name] = sum / float64(len(c.units))
	}
	return out, nil
}
