//go:build goexperiment.simd && amd64

package snn

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// TestExp64x8 checks the vector exp64 against the scalar one bit for bit, over the surrogate's whole
// argument range: every table entry (x on a grid of ln2/64 steps and between), large negative arguments,
// and the cut-off at -708 (0 below it, as exp64).
func TestExp64x8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("exp64x8 needs AVX-512; this CPU has none, and the kernels use the scalar exp64")
	}
	rng := rand.New(rand.NewPCG(3, 5))
	var xs []float64
	for j := 0; j < 64*12; j++ { // every 2^(j/64) entry, over 12 octaves
		xs = append(xs, -float64(j)*math.Ln2/64, -float64(j)*math.Ln2/64-rng.Float64()*math.Ln2/64)
	}
	for i := 0; i < 4000; i++ {
		xs = append(xs, -rng.Float64()*800)
	}
	xs = append(xs, 0, math.Copysign(0, -1), -707.9, -708, -708.0000001, -745, -1e5)
	for len(xs)%8 != 0 {
		xs = append(xs, -1)
	}
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
