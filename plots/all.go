package plots

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// Named is a figure with the file stem it is saved under.
type Named struct {
	Name   string
	Figure *Figure
}

// ExperimentFigures returns every figure of one trained experiment, in the notebook's order: example
// stimuli, loss curves, train and test accuracy reports, the notebook's weight-sign images and the
// honest signed-weight view; with ablation results, also the notebook's zeroed-weights image (of the
// first result) and the ablation bar chart. Each is titled with the configuration (ConfigTitle), so a
// saved file says which model it shows.
func ExperimentFigures(x *snn.Experiment, ablation []probe.AblationResult) ([]Named, error) {
	var out []Named
	add := func(name string, f *Figure, err error) error {
		if err != nil {
			return fmt.Errorf("plots: figure %s: %w", name, err)
		}
		if f.Title == "" {
			f.Title = ConfigTitle(x.Config)
		}
		out = append(out, Named{name, f})
		return nil
	}
	ex, err := snn.ExampleStimuli(x.Config, 8)
	if err != nil {
		return nil, err
	}
	f, err := StimulusExamples(ex)
	if err := add("stimulus_examples", f, err); err != nil {
		return nil, err
	}
	f, err = LossCurves(x.Trained.History)
	if err := add("loss", f, err); err != nil {
		return nil, err
	}
	f, err = AccuracyReport(x.TrainEval, "Train")
	if err := add("accuracy_train", f, err); err != nil {
		return nil, err
	}
	f, err = AccuracyReport(x.TestEval, "Test")
	if err := add("accuracy_test", f, err); err != nil {
		return nil, err
	}
	f, err = WeightSigns(x.Trained)
	if err := add("weight_signs_notebook", f, err); err != nil {
		return nil, err
	}
	f, err = SignedWeights(x.Trained)
	if err := add("weights_signed", f, err); err != nil {
		return nil, err
	}
	if len(ablation) > 0 {
		f, err = AblationMask(ablation[0].Model)
		if err := add("ablation_mask", f, err); err != nil {
			return nil, err
		}
		f, err = ExperimentAblationBars(x, ablation)
		if err := add("ablation_bars", f, err); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WriteAll writes each figure to dir as <name>.svg and <name>.png and returns the paths written.
func WriteAll(dir string, figs []Named) ([]string, error) {
	if err := CheckTargets(dir, figs); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var paths []string
	for _, n := range figs {
		for _, ext := range []string{".svg", ".png"} {
			p := filepath.Join(dir, n.Name+ext)
			if err := n.Figure.Save(p); err != nil {
				return paths, err
			}
			paths = append(paths, p)
		}
	}
	return paths, nil
}

// CheckTargets reports, before anything is written, a file WriteAll would write into dir (each figure's
// .svg and .png) whose name something other than a regular file already holds (a folder, a device): the
// write would fail there, after the figures before it were written.
func CheckTargets(dir string, figs []Named) error {
	for _, n := range figs {
		for _, ext := range []string{".svg", ".png"} {
			p := filepath.Join(dir, n.Name+ext)
			if what := snn.NotRegular(p); what != "" { // a link to a file is written through
				return fmt.Errorf("plots: %s is %s, where figure %s goes: move it away; nothing was written", p, what, n.Name)
			}
		}
	}
	return nil
}

// ExperimentAblationGroups are the bars of one trained network's ablation: "none" (the intact network)
// and each cut, named as probe names it; a random cut is one draw here, and its label says so (the
// ablation study of the controls notebook averages 10 draws per network).
func ExperimentAblationGroups(x *snn.Experiment, ablation []probe.AblationResult) []AblationGroup {
	groups := []AblationGroup{{"none", []float64{x.TestEval.Accuracy}}}
	for _, r := range ablation {
		label := string(r.Cut)
		if probe.RandomCut(r.Cut) {
			label += " (1 draw)"
		}
		groups = append(groups, AblationGroup{label, []float64{r.TestEval.Accuracy}})
	}
	return groups
}

// ExperimentAblationBars draws ExperimentAblationGroups, titled with the network it cut: one network, so
// no error bars.
func ExperimentAblationBars(x *snn.Experiment, ablation []probe.AblationResult) (*Figure, error) {
	return AccuracyBars(fmt.Sprintf("Test accuracy after ablation: one network\n(fraction %.1f, %s mask, seed %d; k = %d input rows cut)",
		x.Config.InhibitoryFraction, x.Config.Layout, x.Config.Seed, cutSize(ablation)), ExperimentAblationGroups(x, ablation), x.Config.NumClasses, false)
}

// cutSize is the number of rows of the first cut (every cut of a study removes as many).
func cutSize(ablation []probe.AblationResult) int {
	if len(ablation) == 0 {
		return 0
	}
	return len(ablation[0].Rows)
}

// ConfigTitle names a configuration in one line for a figure's title: the inhibitory fraction (the
// original's IE_RATIO, the fraction of each constrained layer's presynaptic units that are inhibitory, not a
// ratio of I to E), the constraint, the hidden units, epochs, learning rate and seed.
func ConfigTitle(c snn.Config) string {
	rule := "no Dale's law"
	switch {
	case c.Architecture == snn.ArchPopulations:
		rule = fmt.Sprintf("E/I populations (%d inhibitory units)", c.NumInhibitory)
	case c.DalesLaw:
		rule = fmt.Sprintf("Dale's law on %s layers, %s mask, %s", c.DaleLayers, c.Layout, c.SignParam)
	}
	return fmt.Sprintf("inhibitory fraction %g (IE_RATIO), %s, %d hidden, %d epochs, lr %g, seed %d", c.InhibitoryFraction, rule, c.NumHidden,
		c.Epochs, c.LearningRate, c.Seed)
}
