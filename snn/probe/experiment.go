package probe

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// AblationResult is the score of a model with one cut applied.
type AblationResult struct {
	Cut                 Cut
	Rows                []int // input rows zeroed
	Model               *snn.Model
	TrainEval, TestEval *snn.Evaluation
}

// Ablate applies each cut to the experiment's trained model (on copies) and evaluates the result on the training and
// test sets; the trained model is left untouched. The notebook's cut is CutNotebook; CutExcitatory and
// CutRandom are its matched controls. (The notebook draws a fresh test set for its ablation; here the
// experiment's own test set is reused, so intact and ablated models are scored on the same samples.)
func Ablate(x *snn.Experiment, cuts []Cut, backend compute.Backend) ([]AblationResult, error) {
	var out []AblationResult
	for _, c := range cuts {
		m, rows, err := AblateCut(x.Trained, c, x.Config.Seed)
		if err != nil {
			return nil, err
		}
		r := AblationResult{Cut: c, Rows: rows, Model: m}
		if r.TrainEval, err = snn.Evaluate(m, x.Train, backend); err != nil {
			return nil, err
		}
		if r.TestEval, err = snn.Evaluate(m, x.Test, backend); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// AblationTable formats ablation results, one line per cut, after the unablated model's line; the first
// column is as wide as the longest cut name.
func AblationTable(x *snn.Experiment, results []AblationResult) string {
	w := len("none")
	for _, r := range results {
		w = max(w, len(r.Cut))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s %6s %10s %10s\n", w, "cut", "rows", "train acc", "test acc")
	fmt.Fprintf(&b, "%-*s %6d %9.1f%% %9.1f%%\n", w, "none", 0, 100*x.TrainEval.Accuracy, 100*x.TestEval.Accuracy)
	for _, r := range results {
		fmt.Fprintf(&b, "%-*s %6d %9.1f%% %9.1f%%\n", w, r.Cut, len(r.Rows), 100*r.TrainEval.Accuracy, 100*r.TestEval.Accuracy)
	}
	return b.String()
}

// readingSlack is how near chance, in accuracy points, AblationReading calls a cut's accuracy a floor (or
// anywhere below chance): the controls notebook's rule (study.AccuracyRules' Slack, 2 points).
const readingSlack = 2.0

// AblationReading reads one network's ablation results (Ablate with at least CutInhibitory, CutMatched and
// CutExcitatory) on its test set, descriptively: the inhibitory cut against matched (excitatory rows at the
// same delays, of which some lie in the other ear: MatchedRows) and against excitatory (the first
// excitatory rows: other delays under the blocked mask, any under a random one). matched hurting at least
// as much as the inhibitory cut (compared at the printed 0.1 point) means this network cannot attribute
// the cut's effect to the sign; matched hurting less is consistent with a sign effect, in one network,
// untested. A cut that leaves the network within readingSlack points of chance (as printed) is said to be
// at a floor; where both are, the reading says only that.
func AblationReading(x *snn.Experiment, results []AblationResult) (string, error) {
	acc := map[Cut]float64{}
	rows := map[Cut][]int{}
	for _, r := range results {
		acc[r.Cut], rows[r.Cut] = r.TestEval.Accuracy, r.Rows
	}
	for _, c := range []Cut{CutInhibitory, CutMatched, CutExcitatory} {
		if _, ok := acc[c]; !ok {
			return "", fmt.Errorf("probe: AblationReading: no %q cut among the results", c)
		}
	}
	_, otherEar, err := MatchedRows(x.Trained, rows[CutInhibitory])
	if err != nil {
		return "", err
	}
	round := func(v float64) float64 { return math.Round(1000*v) / 10 } // points, as printed
	inh, mat, exc := round(acc[CutInhibitory]), round(acc[CutMatched]), round(acc[CutExcitatory])
	reading := fmt.Sprintf("matched hurts less, by %.1f points: consistent with an effect of the inhibitory sign in this "+
		"one network, not a test of it", mat-inh)
	if mat <= inh {
		reading = "matched hurts at least as much, so this network cannot attribute the cut's effect to the inhibitory sign"
	}
	chance := 100 / float64(x.Config.NumClasses)
	switch floorInh, floorMat := inh <= chance+readingSlack, mat <= chance+readingSlack; { // at chance or below it
	case floorInh && floorMat:
		reading = fmt.Sprintf("both leave it within %.0f points of chance or below, a floor: this network cannot order them", readingSlack)
	case floorMat:
		reading += fmt.Sprintf(" (matched leaves it within %.0f points of chance or below, a floor: how much more it hurts is not measured)", readingSlack)
	case floorInh:
		reading += fmt.Sprintf(" (the inhibitory cut leaves it within %.0f points of chance or below, a floor)", readingSlack)
	}
	where, differs := "at other delays", "; excitatory differs from it in delay as well as sign"
	if x.Config.Layout != snn.MaskBlocked {
		where, differs = "wherever they are", ""
	}
	return fmt.Sprintf("This network on its test set (descriptive): without its %d inhibitory input rows it scores %.1f%% "+
		"(intact %.1f%%, chance %.1f%%); without as many excitatory rows at the same delays (matched; %d of %d in the other "+
		"ear) %.1f%%, and without the first excitatory rows, %s (excitatory), %.1f%%. Against the inhibitory cut, %s%s.\n",
		len(rows[CutInhibitory]), inh, 100*x.TestEval.Accuracy, 100/float64(x.Config.NumClasses), otherEar, len(rows[CutMatched]),
		mat, where, exc, reading, differs), nil
}
