package snn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gomlx/compute"
)

// numericsRevision is bumped whenever a change to the code makes a run's numbers differ (beyond what a
// different seed would do), so that cached runs of the old numbers are recomputed.
const numericsRevision = 1

// NumericsVersion names the numerical formulation f computes with, e.g. "go-kernels/1": the formulation,
// the revision of its numbers and, in a build with GOEXPERIMENT=simd, the vector path of GoMLX's pure-Go
// backend ("go-kernels/1+gomlx-avx512"). Sweep caches record it and recompute runs of other numerics.
//
// GoMLX's vector kernels (matrix products, reductions) add in another order than its scalar loops, so
// a GOEXPERIMENT=simd build trains to slightly different numbers, which then diverge over the epochs as
// any change of float32 rounding does; which vector kernels GoMLX runs depends on the CPU and on
// $GOMLX_GO_SIMD_AVX2 / $GOMLX_GO_SIMD_AVX512. This package's own kernel sets (KernelPath) all give the
// same numbers, so they are not part of the name.
//
// The single-graph formulation's input-weight gradient now comes from the step currents' gradients
// (linearTimeGradient), which sums in another order, without a bump of numericsRevision: the only cached
// runs of that formulation are those with LIF inhibitory units, whose graph did not change.
func NumericsVersion(f Formulation) string { return numericsOnNamed(f, goBackendName) }

// SameRevision reports whether two NumericsVersion names carry the same revision of this package's
// numbers ("go-kernels/1+gomlx-avx512" and "graph/1+xla-cuda" do; "go-kernels/0" does not): they then
// differ only in the backend, formulation or build that computed them, which changes float32 rounding
// but not the model, so a cached result of one stands for the other unless the user asks to recompute.
// A name without a revision (runs cached before numerics were recorded) matches nothing.
func SameRevision(a, b string) bool {
	ra, okA := numericsRevisionOf(a)
	rb, okB := numericsRevisionOf(b)
	return okA && okB && ra == rb
}

// numericsRevisionOf reads the revision of a NumericsVersion name: the number after the first "/", up to
// a "+" or the end.
func numericsRevisionOf(v string) (string, bool) {
	_, rest, ok := strings.Cut(v, "/")
	if !ok {
		return "", false
	}
	rev, _, _ := strings.Cut(rest, "+")
	if rev == "" || strings.Trim(rev, "0123456789") != "" {
		return "", false
	}
	return rev, true
}

// NumericsOn names the numerics of formulation f on backend: NumericsVersion on GoMLX's pure-Go backend
// (nil names that backend, not the one $GOMLX_BACKEND may name); on any other backend the revision
// followed by the backend's own name instead of GoMLX's Go vector path, e.g. "graph/1+xla-cuda"
// (whatever vector kernels this binary has do not run there).
func NumericsOn(f Formulation, backend compute.Backend) string {
	if backend == nil {
		return NumericsVersion(f)
	}
	return numericsOnNamed(f, backend.Name())
}

// numericsOnNamed is NumericsOn for a backend's name: the formulation and revision, then "+" and
// backendNumericsNamed(name) where that is not empty.
func numericsOnNamed(f Formulation, name string) string {
	v := fmt.Sprintf("%s/%d", f, numericsRevision)
	if b := backendNumericsNamed(name); b != "" {
		v += "+" + b
	}
	return v
}

// backendNumericsNamed is BackendNumerics for a backend's name: for "Go Backend" (GoMLX's pure-Go
// backend) "gomlx-" and its vector path, or "" in a build without vector kernels; another name
// lower-cased with every run of other characters than letters and digits turned into one "-" (Slug).
func backendNumericsNamed(name string) string {
	if name != goBackendName {
		return Slug(name)
	}
	if p := gomlxSIMDPath(); p != "" {
		return "gomlx-" + p
	}
	return ""
}

// Slug is s lower-cased with every run of other characters than letters and digits turned into one "-",
// none at either end: a backend's name in NumericsOn, a numerics name in a file name.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// BackendNumerics names what decides the float32 rounding of GoMLX graphs on backend, the part of a
// NumericsOn name after its "+": GoMLX's vector path on its pure-Go backend ("gomlx-avx512"; "" in a build
// without vector kernels), else the backend's name as a slug ("xla-cuda"). nil names the pure-Go backend,
// as in NumericsOn (not the one $GOMLX_BACKEND may name: pass the backend the runs train on). Packages
// that train graphs of their own (ratenet) name their runs' numerics with it.
func BackendNumerics(backend compute.Backend) string {
	if backend == nil {
		return backendNumericsNamed(goBackendName)
	}
	return backendNumericsNamed(backend.Name())
}

// UsableNumerics reports whether a result computed by numerics have stands for one computed by current: the
// same name, or the same revision (SameRevision: another backend, formulation or build, so other float32
// rounding of the same model) unless recompute. A result without numerics never does. Sweeps, TrainOrLoad
// and the rate networks' plans read their caches by this rule.
func UsableNumerics(have, current string, recompute bool) bool {
	return have == current || (!recompute && SameRevision(have, current))
}

// ForeignNumericsNote is the note for count cached results computed by numerics have that are used as
// they are where current computes (UsableNumerics); how says what retrains them.
func ForeignNumericsNote(count int, have, current, how string) string {
	return fmt.Sprintf("%d cached run(s) were computed by numerics %q; this backend computes %q. "+
		"They are used as they are (the same model, other float32 rounding); %s to retrain them", count, have, current, how)
}

// goBackendName is what GoMLX's pure-Go backend calls itself (compute.Backend.Name).
const goBackendName = "Go Backend"

// BuildHint explains a numerics mismatch that comes from the build rather than the code: the same
// formulation and revision, one side computed with GoMLX's vector kernels (a GOEXPERIMENT=simd build,
// "+gomlx-" in snn.NumericsVersion) and the other with none ("go-kernels/1" against
// "go-kernels/1+gomlx-avx512"; not another backend's "+xla-cuda").
func BuildHint(cached, current string) string {
	a, aPath, _ := strings.Cut(cached, "+")
	b, bPath, _ := strings.Cut(current, "+")
	if a != b || (aPath == "") == (bPath == "") || !strings.HasPrefix(aPath+bPath, "gomlx-") {
		return ""
	}
	return " (one was built with GOEXPERIMENT=simd and the other without; the Makefile and scripts set it)"
}

// MixedNumericsError is the refusal to add runs computed by numerics current to the cache folder cache,
// which holds runs that other numerics of the same revision computed (held: how many by each; another
// build's or another backend's): the cache would hold two numerics' numbers side by side. recompute and mix name the options that retrain
// every run with current and that add the runs anyway.
func MixedNumericsError(cache string, held map[string]int, added int, current, recompute, mix string) error {
	var names []string
	for n := range held {
		names = append(names, n)
	}
	slices.Sort(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%d computed by numerics %q%s", held[n], n, BuildHint(n, current)))
	}
	return fmt.Errorf("the cache %s holds runs that other numerics of the same revision computed (%s), and %d run(s) would be "+
		"added to it by this build's numerics %q: the cache would hold two numerics' numbers side by side. Run with the "+
		"cache's numerics (its build and backend), retrain every run with these (%s), or add the runs beside the others (%s)",
		cache, strings.Join(parts, "; "), added, current, recompute, mix)
}
