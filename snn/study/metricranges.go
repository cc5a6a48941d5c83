package study

import (
	"math"
	"strings"
)

// metricRange is what values an Extra metric can take, and why.
type metricRange struct {
	lo, hi float64
	what   string
}

// metricRanges gives the range of every Extra metric the package computes, by exact name or by prefix
// (a name ending in "*"); DecodeRunResult refuses a cache entry with a value outside it (a hand-edited
// accuracy of 7.5 would print as 750%). Metrics not listed must only be finite.
var metricRanges = map[string]metricRange{
	// accuracies after a probe (AblationMetrics, the inhibitory-pathway edits) and fractions of units
	"ablate_*": {0, 1, "an accuracy in [0, 1]"},
	// FidelityMetrics: the train set's error and the notebook's ablation on both sets
	"ablated_train_accuracy":  {0, 1, "an accuracy in [0, 1]"},
	"ablated_test_accuracy":   {0, 1, "an accuracy in [0, 1]"},
	"train_error_deg":         {0, 180, "an absolute IPD error in [0, 180] degrees"},
	"ablated_train_error_deg": {0, 180, "an absolute IPD error in [0, 180] degrees"},
	"ablated_test_error_deg":  {0, 180, "an absolute IPD error in [0, 180] degrees"},
	"exc_uniform":             {0, 1, "an accuracy in [0, 1]"},
	"exc_units":               {0, 1, "an accuracy in [0, 1]"},
	"inh_cut":                 {0, 1, "an accuracy in [0, 1]"},
	"inh_shuffled":            {0, 1, "an accuracy in [0, 1]"},
	"inh_uniform":             {0, 1, "an accuracy in [0, 1]"},
	"hidden_exc_mean":         {0, 1, "an accuracy in [0, 1]"},
	"hidden_inh_mean":         {0, 1, "an accuracy in [0, 1]"},
	"silent_*":                {0, 1, "a fraction of units in [0, 1]"},
	"nse_*":                   {0, 1, "a normalised spectral entropy in [0, 1]"},
	// counts and non-negative ratios
	"cut_rows":               {0, math.Inf(1), "a number of rows >= 0"},
	"matched_other_ear":      {0, math.Inf(1), "a number of rows >= 0"},
	"matched_max_delay_diff": {0, math.Inf(1), "a number of fibre steps >= 0"},
	"rate_*":                 {0, math.Inf(1), "a spike count per unit and sample >= 0"},
	"inh_share_*":            {0, math.Inf(1), "a ratio of magnitudes >= 0"},
}

// rangeOf returns the range of the Extra metric name (ok false: not listed).
func rangeOf(name string) (metricRange, bool) {
	if r, ok := metricRanges[name]; ok {
		return r, true
	}
	for k, r := range metricRanges {
		if p, isPrefix := strings.CutSuffix(k, "*"); isPrefix && strings.HasPrefix(name, p) {
			return r, true
		}
	}
	return metricRange{}, false
}
