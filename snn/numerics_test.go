package snn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

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

// A run's numerics name its backend: the pure-Go backend (the real one, by its own name) gives
// NumericsVersion; another backend's name replaces GoMLX's Go vector path, in a file-name-safe form.
func TestNumericsOn(t *testing.T) {
	if got, want := NumericsOn(FormulationGoKernels, gobackend.GetBackend()), NumericsVersion(FormulationGoKernels); got != want {
		t.Errorf("on the pure-Go backend: %q, want %q", got, want)
	}
	rev := fmt.Sprint(numericsRevision)
	for name, want := range map[string]string{"xla:cuda": "graph/" + rev + "+xla-cuda", "XLA (PJRT: cuda)": "graph/" + rev + "+xla-pjrt-cuda"} {
		if got := numericsOnNamed(FormulationGraph, name); got != want {
			t.Errorf("backend %q: %q, want %q", name, got, want)
		}
		if !SameRevision(numericsOnNamed(FormulationGraph, name), NumericsVersion(FormulationGoKernels)) {
			t.Errorf("backend %q: not the same revision as this build's", name)
		}
	}
}

// TestBackendNumerics checks that BackendNumerics is the part of NumericsOn's name after the "+" on the
// pure-Go backend (nil and GetBackend alike): "gomlx-" and GoMLX's vector path, or nothing in a build
// without vector kernels.
func TestBackendNumerics(t *testing.T) {
	full := NumericsOn(FormulationGoKernels, gobackend.GetBackend())
	_, want, _ := strings.Cut(full, "+")
	for name, b := range map[string]compute.Backend{"nil": nil, "GetBackend": gobackend.GetBackend()} {
		if got := BackendNumerics(b); got != want {
			t.Errorf("backend %s: BackendNumerics %q, want %q (the end of %q)", name, got, want, full)
		}
	}
	if p := gomlxSIMDPath(); p != "" && want != "gomlx-"+p {
		t.Errorf("GoMLX's vector path %q, BackendNumerics %q", p, want)
	}
}

// A cached run of other numerics is reported with a hint where the difference is the build's
// (GOEXPERIMENT=simd on one side only, the formulation and revision the same), and without one where it
// is the code's, the formulation's or another backend's.
func TestBuildHint(t *testing.T) {
	for _, c := range []struct {
		cached, current string
		hint            bool
	}{
		{"go-kernels/1", "go-kernels/1+gomlx-avx512", true},
		{"go-kernels/1+gomlx-avx2", "go-kernels/1", true},
		{"go-kernels/0", "go-kernels/1", false},
		{"go-kernels/1+gomlx-avx2", "go-kernels/1+gomlx-avx512", false},
		{"single-graph/1+xla-cuda", "go-kernels/1+gomlx-avx512", false},
		{"single-graph/1+xla-cuda", "single-graph/1", false},
		{"single-graph/1", "go-kernels/1+gomlx-avx512", false},
		{"single-graph/1", "single-graph/1+gomlx-avx2", true},
	} {
		if got := BuildHint(c.cached, c.current); (got != "") != c.hint || (c.hint && !strings.Contains(got, "GOEXPERIMENT=simd")) {
			t.Errorf("BuildHint(%q, %q) = %q, want a hint: %v", c.cached, c.current, got, c.hint)
		}
	}
}

// The refusal names the cache, each other numerics with its count (sorted, with the build hint where it
// applies), the runs to add and this build's numerics, and the two options.
func TestMixedNumericsError(t *testing.T) {
	err := MixedNumericsError("results/x", map[string]int{"go-kernels/1": 3, "go-kernels/1+gomlx-avx2": 2}, 4,
		"go-kernels/1+gomlx-avx512", "-recompute", "-mix-numerics")
	want := `the cache results/x holds runs that other numerics of the same revision computed (3 computed by numerics ` +
		`"go-kernels/1" (one was built with GOEXPERIMENT=simd and the other without; the Makefile and scripts set it); 2 ` +
		`computed by numerics "go-kernels/1+gomlx-avx2"), and 4 run(s) would be added to it by this build's numerics ` +
		`"go-kernels/1+gomlx-avx512": the cache would hold two numerics' numbers side by side. Run with the cache's ` +
		`numerics (its build and backend), retrain every run with these (-recompute), or add the runs beside the others ` +
		`(-mix-numerics)`
	if err == nil || err.Error() != want {
		t.Errorf("MixedNumericsError:\n got %v\nwant %s", err, want)
	}
}
