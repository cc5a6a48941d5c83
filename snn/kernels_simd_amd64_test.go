//go:build goexperiment.simd && amd64

package snn

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// TestExp64x8 checks the avx512 set's vector exp64 against the scalar one bit for bit, over the
// surrogate's whole argument range (exp64Arguments).
func TestExp64x8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("exp64x8 needs AVX-512; this CPU has none (the avx2 set's exp64x4 is TestExp64x4's)")
	}
	xs := exp64Arguments(8)
	tab := loadExp2Table()
	got := make([]float64, 8)
	for i := 0; i < len(xs); i += 8 {
		exp64x8(archsimd.LoadFloat64x8(xs[i:]), &tab).Store(got)
		for l, x := range xs[i : i+8] {
			if want := exp64(x); math.Float64bits(got[l]) != math.Float64bits(want) {
				t.Fatalf("exp64x8(%v) = %v, exp64 gives %v", x, got[l], want)
			}
		}
	}
}

// TestExp64x4 is TestExp64x8 for the avx2 set's exp64x4 (int32 reduction, table read lane by lane).
func TestExp64x4(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("exp64x4 needs AVX2; this CPU has none, and the kernels use the scalar exp64")
	}
	xs := exp64Arguments(4)
	got := make([]float64, 4)
	for i := 0; i < len(xs); i += 4 {
		exp64x4(archsimd.LoadFloat64x4(xs[i:])).Store(got)
		for l, x := range xs[i : i+4] {
			if want := exp64(x); math.Float64bits(got[l]) != math.Float64bits(want) {
				t.Fatalf("exp64x4(%v) = %v, exp64 gives %v", x, got[l], want)
			}
		}
	}
}

// exp64Arguments lists the vector exp64s' test arguments, padded with -1 to a multiple of n: every table
// entry over 12 octaves (on the grid of ln2/64 steps and between), random arguments down to -800, the
// reduction's rounding boundaries down to -708, and the cut-off at -708 (0 below it, as exp64).
func exp64Arguments(n int) []float64 {
	rng := rand.New(rand.NewPCG(3, 5))
	var xs []float64
	for j := 0; j < 64*12; j++ {
		xs = append(xs, -float64(j)*math.Ln2/64, -float64(j)*math.Ln2/64-rng.Float64()*math.Ln2/64)
	}
	for i := 0; i < 4000; i++ {
		xs = append(xs, -rng.Float64()*800)
	}
	// The reduction's rounding boundaries, x*64/ln2 = -(n + 1/2), where k changes (an error in the 0.5
	// of k = trunc(x*64/ln2 - 0.5) shows only there), and their neighbours.
	for n := 0; n < 65400; n += 5 {
		x := -(float64(n) + 0.5) * math.Ln2 / 64
		xs = append(xs, x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(-1)))
	}
	xs = append(xs, 0, math.Copysign(0, -1), -707.9, -708, -708.0000001, -745, -1e5, math.Inf(-1))
	for len(xs)%n != 0 {
		xs = append(xs, -1)
	}
	return xs
}
