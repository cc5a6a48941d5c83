package snn

import "fmt"

// numericsRevision is bumped whenever a change to the code makes a run's numbers differ (beyond what a
// different seed would do), so that cached runs of the old numbers are recomputed.
const numericsRevision = 1

// NumericsVersion names the numerical formulation f computes with, e.g. "go-kernels/1": the formulation
// and the revision of its numbers. Sweep caches record it and recompute runs of other numerics.
func NumericsVersion(f Formulation) string {
	return fmt.Sprintf("%s/%d", f, numericsRevision)
}
