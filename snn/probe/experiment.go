package probe

import (
	"fmt"
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
