package study

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/snn-dales/dales/snn/probe"
)

// The phase probe on the original's own code (plan fixed in a commit before its runs): the seed notebook's
// network and training in PyTorch (snn/bench/torch_phase.py, which trains exactly torch_fidelity.py's
// networks and records the phase offsets the notebook's input_signal draws), scored on 2,048 fresh samples at
// its training set's offset and 11 more, 30 degrees apart, and at its test set's offset, as PhaseMetrics
// scores ours. Question: PhaseConclusion with TorchPhaseGroups (one Holm family of 2, AccuracyRules, paired by
// network): for the original's network at 0.5 and at 0.2, accuracy at the training set's offset against the
// mean at the other 11. Seeds 1-10 (TorchPhaseSeeds): seeds 1-5 train the fidelity table's networks again
// (their train and test accuracies must equal its records), 6-10 are new. Ten seeds: this reimplementation's
// peaks on 30 seeds had paired sds of 1.5 and 1.7 points at 0.5 and 0.2 (sweep phase-confirm), with which 10
// seeds detect about 2 points with 80% power at Holm's first level (0.025); a PyTorch run costs about 20 of
// ours (about 25 minutes on 2 cores for the 20 networks).

// TorchPhaseCache is the folder, under the results folder, of torch_phase.py's records (torch_s<seed>.json).
const TorchPhaseCache = "phase-torch"

// TorchPhaseSamples is the size of torch_phase.py's probe sets (and of the original's test set, 32 batches
// of 64): PhaseConclusion's samples for TorchPhaseRuns. Each record states it.
const TorchPhaseSamples = 2048

// TorchPhaseCondition names the original's network (PyTorch) in the RunResults of TorchPhaseRuns.
const TorchPhaseCondition = "original"

// TorchPhaseSeeds are the seeds of the PyTorch phase probe, fixed before its runs.
func TorchPhaseSeeds() []uint64 { return seedsFrom(1, 10) }

// TorchPhaseGroups are the PyTorch phase probe's questions: the original's network at 0.5 and 0.2.
func TorchPhaseGroups() []PhaseGroup {
	return []PhaseGroup{
		{"the original's network (PyTorch) at 0.5", Select{TorchPhaseCondition, 0.5}},
		{"the original's network (PyTorch) at 0.2", Select{TorchPhaseCondition, 0.2}},
	}
}

// torchPhaseFields are the numbers TorchPhaseRuns reads from each fraction's section of a record, besides
// the phase accuracies.
var torchPhaseFields = []string{"train_accuracy", "test_accuracy", "phase_test_shift", "phase_acc_test"}

// TorchPhaseRuns reads torch_phase.py's records under results/TorchPhaseCache for every seed of
// TorchPhaseSeeds, one RunResult per seed and fraction (condition TorchPhaseCondition) carrying the
// metrics PhaseMetrics names. A missing record or field, or an accuracy outside [0, 1], is an error that
// names the file.
func TorchPhaseRuns(results string) ([]RunResult, error) {
	var runs []RunResult
	for _, seed := range TorchPhaseSeeds() {
		path := filepath.Join(results, TorchPhaseCache, fmt.Sprintf("torch_s%d.json", seed))
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("study: PyTorch's phase record of seed %d: %w (snn/bench/torch_phase.sh writes it)", seed, err)
		}
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(data, &rec); err != nil {
			return nil, fmt.Errorf("study: %s: %w", path, err)
		}
		var samples int
		if err := json.Unmarshal(rec["samples"], &samples); err != nil || samples != TorchPhaseSamples {
			return nil, fmt.Errorf("study: %s: samples %s, want %d", path, rec["samples"], TorchPhaseSamples)
		}
		for _, f := range []float64{0.5, 0.2} {
			var sec map[string]any
			if err := json.Unmarshal(rec[fmt.Sprint(f)], &sec); err != nil {
				return nil, fmt.Errorf("study: %s: section %q: %v", path, fmt.Sprint(f), err)
			}
			names := append(PhaseMetricNames()[:probe.PhaseShifts:probe.PhaseShifts], torchPhaseFields...)
			vals := map[string]float64{}
			for _, k := range names {
				v, ok := sec[k].(float64)
				if !ok || !(v >= 0 && v <= 1) {
					return nil, fmt.Errorf("study: %s: section %q: %s is %v, want a number in [0, 1]", path, fmt.Sprint(f), k, sec[k])
				}
				vals[k] = v
			}
			r := RunResult{RunKey: RunKey{Condition: TorchPhaseCondition, Fraction: f, Seed: seed},
				TrainAccuracy: vals["train_accuracy"], TestAccuracy: vals["test_accuracy"], Extra: map[string]float64{}}
			if s, ok := sec["seconds"].(float64); ok && !math.IsNaN(s) {
				r.Seconds = s
			}
			for _, k := range names[:probe.PhaseShifts] {
				r.Extra[k] = vals[k]
			}
			r.Extra["phase_test_shift"], r.Extra["phase_acc_test"] = vals["phase_test_shift"], vals["phase_acc_test"]
			runs = append(runs, r)
		}
	}
	return runs, nil
}
