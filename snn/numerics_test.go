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
