package snn

import "testing"

// Two numerics names stand for the same numbers when their revisions agree, whatever the formulation,
// backend or build.
func TestSameRevision(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"go-kernels/1", "go-kernels/1+gomlx-avx512", true},
		{"go-kernels/1+gomlx-avx512", "single-graph/1+xla-cuda", true},
		{"go-kernels/1", "go-kernels/0", false},
		{"go-kernels/1", "go-kernels/12", false},
		{"", "go-kernels/1", false},               // cached before numerics were recorded
		{"graph", "graph", false},                 // no revision
		{"go-kernels/x1", "go-kernels/x1", false}, // not a number
	} {
		if got := SameRevision(c.a, c.b); got != c.want {
			t.Errorf("SameRevision(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if !SameRevision(NumericsVersion(FormulationGoKernels), NumericsVersion(FormulationGraph)) {
		t.Errorf("%q and %q: this build's two formulations differ in revision", NumericsVersion(FormulationGoKernels),
			NumericsVersion(FormulationGraph))
	}
}
