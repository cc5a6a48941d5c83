package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernelSetsAgree checks that every kernel set this build can run on this CPU (availableKernels)
// gives the scalar set's numbers bit for bit: the row sums for row widths on both sides of every vector
// width (1..33, 100, 300 columns) and index lists of every length class (tree of eight, of four, single
// rows, rows at the end of the matrix), and the LIF recurrence forward and backward for widths 1..40 and
// 100, with currents strong enough to drive the surrogate's exponent below exp64's -708 cut-off.
// Under a build without GOEXPERIMENT=simd only the scalar set exists and the test says so; make test runs
// the package both ways.
func TestKernelSetsAgree(t *testing.T) {
	if len(availableKernels) == 1 {
		t.Logf("only the scalar kernel set is built here (GOEXPERIMENT=simd off or no AVX2): nothing to compare")
	}
	t.Logf("kernel sets: %v; in use: %s", kernelNames(), KernelPath())
	ref := availableKernels[0]
	if ref.name != "scalar" {
		t.Fatalf("availableKernels[0] is %q, want the scalar set", ref.name)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	widths := []int{1, 2, 7, 8, 9, 15, 16, 17, 24, 30, 31, 32, 33, 100, 300}
	for _, ks := range availableKernels[1:] {
		for _, H := range widths {
			rows := 50
			m := make([]float32, rows*H)
			for i := range m {
				m[i] = float32(rng.NormFloat64())
			}
			for _, n := range []int{0, 1, 3, 4, 5, 8, 11, 12, 13, 20, 49} {
				idx8 := make([]uint8, n)
				idx16 := make([]uint16, n)
				idx32 := make([]int32, n)
				for i := range idx16 {
					r := rng.IntN(rows)
					if i == n-1 {
						r = rows - 1 // the last row: its vector loads run past the matrix
					}
					idx8[i], idx16[i], idx32[i] = uint8(r), uint16(r), int32(r)
				}
				want, got := make([]float32, H), make([]float32, H+1)
				ref.sumRows16(want, m, idx16)
				got[H] = 42 // a guard past the row, which no store may touch
				ks.sumRows16(got[:H], m, idx16)
				assertBits(t, fmt.Sprintf("%s sumRows16 H=%d n=%d", ks.name, H, n), got[:H], want)
				if got[H] != 42 {
					t.Fatalf("%s sumRows16 H=%d wrote past its row", ks.name, H)
				}
				ks.sumRows8(got[:H], m, idx8)
				assertBits(t, fmt.Sprintf("%s sumRows8 H=%d n=%d", ks.name, H, n), got[:H], want)
				ks.sumRows32(got[:H], m, idx32)
				assertBits(t, fmt.Sprintf("%s sumRows32 H=%d n=%d", ks.name, H, n), got[:H], want)
			}
		}
		for _, H := range append(seq(1, 40), 100) {
			cfg := DefaultConfig()
			cfg.NumHidden = H
			k := newLIFKernel(cfg)
			S := k.steps
			p := make([]float32, S*H)
			for i := range p {
				p[i] = float32(rng.NormFloat64() * 0.4)
				if rng.IntN(50) == 0 {
					p[i] = -300 // membrane far below threshold: beta*(v-1) below -708
				}
			}
			g := make([]float32, H)
			for i := range g {
				g[i] = float32(rng.NormFloat64())
			}
			vWant, vGot := make([]float32, S*H), make([]float32, S*H+1)
			rWant, rGot := make([]float32, H), make([]float32, H+1)
			vGot[S*H], rGot[H] = 42, 42
			ref.lifForward(k, p, vWant, rWant)
			ks.lifForward(k, p, vGot[:S*H], rGot[:H])
			name := fmt.Sprintf("%s lifForward H=%d", ks.name, H)
			assertBits(t, name+" membranes", vGot[:S*H], vWant)
			assertBits(t, name+" readout sums", rGot[:H], rWant)
			if vGot[S*H] != 42 || rGot[H] != 42 {
				t.Fatalf("%s wrote past its output", name)
			}
			spikes := 0
			for _, x := range vWant {
				if x > Threshold {
					spikes++
				}
			}
			if spikes == 0 {
				t.Fatalf("%s: no unit crossed threshold, the reset path is untested", name)
			}
			pWant := append([]float32(nil), p...)
			pGot := append(append([]float32(nil), p...), 42)
			ref.lifBackward(k, pWant, vWant, g)
			ks.lifBackward(k, pGot[:S*H], vWant, g)
			assertBits(t, fmt.Sprintf("%s lifBackward H=%d", ks.name, H), pGot[:S*H], pWant)
			if pGot[S*H] != 42 {
				t.Fatalf("%s lifBackward H=%d wrote past its currents", ks.name, H)
			}
		}
	}
}

func kernelNames() []string {
	var s []string
	for _, k := range availableKernels {
		s = append(s, k.name)
	}
	return s
}

// assertBits fails unless got and want hold the same float32 bit patterns.
func assertBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %v (%#08x), the scalar set gives %v (%#08x)", name, i, got[i],
				math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// seq returns from, from+1, ..., from+n-1.
func seq(from, n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = from + i
	}
	return r
}
