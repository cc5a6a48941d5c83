// Package study is the layer above the model (package snn) where experiments are run and judged: sweeps
// of conditions x inhibitory fractions x seeds (Sweep, cached and resumable, one JSON file per run that
// records the numerics that computed it), the ablation metrics with their controls (AblationMetrics),
// statistics over seeds, and the sentences of conclusions (Family, Ask and the *Conclusion functions).
// snn never imports it.
//
// # Statistics
//
// Every function takes the per-seed values of one quantity (test accuracies as fractions, say) and
// returns plain numbers; none draws random numbers. Intervals are two-sided Student t intervals at the
// level given; paired comparisons work on the per-seed differences a_i - b_i of runs that share a seed
// (same data, same initial weights), which removes the between-seed variance that unpaired intervals
// carry. "No difference" is only ever concluded from an equivalence test (TOST) with a margin fixed
// before looking at the data; a difference that is neither significant nor equivalent is reported as
// not distinguishable with the seeds at hand. Holm's step-down procedure corrects a family of
// comparisons (one section of a notebook) for multiplicity.
//
// Golden values in the tests come from scipy.stats 1.10 (Debian bookworm's python3-scipy) for the same
// inputs; each test states the call that produced them.
package study
