//go:build linux

package snn

import (
	"fmt"
	"math"
	"slices"
	"syscall"
	"testing"
	"unsafe"
)

// guardedFloats returns n float32 zeros that end exactly where an inaccessible page begins (atStart
// false), or that begin exactly where one ends (atStart true), so that a kernel reading or writing past
// the slice's end, or before its start, faults (the test binary dies with "unexpected fault address")
// instead of reading whatever lies there. Its capacity is n. free unmaps it.
func guardedFloats(t *testing.T, n int, atStart bool) (s []float32, free func()) {
	t.Helper()
	page := syscall.Getpagesize()
	size := (4*n+page-1)/page*page + page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap %d bytes: %v", size, err)
	}
	guard, start := mem[size-page:], size-page-4*n
	if atStart {
		guard, start = mem[:page], page
	}
	if err := syscall.Mprotect(guard, syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect the guard page: %v", err)
	}
	if n == 0 {
		return []float32{}, func() { syscall.Munmap(mem) }
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[start])), n), func() { syscall.Munmap(mem) }
}

// TestKernelsStayInsideSlices runs every kernel set's LIF loops on one sample whose every slice (currents,
// membranes, readout sums and gradients) ends at an inaccessible page, then on one whose every slice
// begins at one, and addRows32 on such an out and matrix: a vector load or store past a slice's end (a
// whole vector read from a short tail) or before its start kills the test binary. The results must also
// be the scalar set's bit for bit. Widths 1-17 and 30 cover every tail length of 8- and 16-lane vectors, 30-32
// the avx512 assembly recurrence's upper vector (14 to 16 lanes);
// 1, 2, 3 and 7 steps besides the notebook's 99 cover samples shorter than a vector.
func TestKernelsStayInsideSlices(t *testing.T) {
	ref := availableKernels[0]
	for _, ks := range availableKernels {
		for _, c := range guardCases() {
			H, atStart := c.H, c.atStart
			cfg := DefaultConfig()
			cfg.NumHidden = H
			cfg.Duration = float64(c.steps+1) * cfg.DT
			k := newLIFKernel(cfg)
			S := k.steps
			if S != c.steps {
				t.Fatalf("%d steps asked, the kernel has %d", c.steps, S)
			}
			name := fmt.Sprintf("%s H=%d S=%d guard at %s", ks.name, H, S, map[bool]string{false: "end", true: "start"}[atStart])
			p, freeP := guardedFloats(t, S*H, atStart)
			v, freeV := guardedFloats(t, S*H, atStart)
			r, freeR := guardedFloats(t, H, atStart)
			g, freeG := guardedFloats(t, H, atStart)
			gS, freeGS := guardedFloats(t, S*H, atStart)
			for i := range p {
				p[i] = float32(i%7) * 0.3
				gS[i] = float32(i%5) - 2
			}
			for i := range g {
				g[i] = float32(i%3) - 1
			}
			pIn := append([]float32(nil), p...)
			vWant, rWant := make([]float32, S*H), make([]float32, H)
			ref.lifForward(k, pIn, vWant, rWant)
			ks.lifForward(k, p, v, r)
			assertBits(t, name+" lifForward membranes", v, vWant)
			assertBits(t, name+" lifForward sums", r, rWant)

			want := append([]float32(nil), pIn...)
			ref.lifBackward(k, want, vWant, g)
			ks.lifBackward(k, p, v, g)
			assertBits(t, name+" lifBackward", p, want)

			copy(p, pIn)
			copy(want, pIn)
			ref.lifBackwardSpikes(k, want, vWant, gS)
			ks.lifBackwardSpikes(k, p, v, gS)
			assertBits(t, name+" lifBackwardSpikes", p, want)
			for _, free := range []func(){freeP, freeV, freeR, freeG, freeGS} {
				free()
			}
			if ks.addRows32 != nil { // its starting values are loaded from out
				stride := (H + ks.pad - 1) / ks.pad * ks.pad
				const rows = 20
				m, freeM := guardedFloats(t, rows*stride, atStart)
				out, freeOut := guardedFloats(t, H, atStart)
				for i := range m {
					m[i] = float32(i%11) - 5
				}
				for _, n := range []int{0, 1, 4, 5, 8, 13} {
					idx := make([]int32, n)
					for i := range idx {
						idx[i] = int32((i * 7) % rows)
					}
					want := make([]float32, H)
					for i := range out {
						out[i] = float32(i) * 0.5
						want[i] = out[i]
					}
					mRef := make([]float32, rows*H)
					for r := 0; r < rows; r++ {
						copy(mRef[r*H:(r+1)*H], m[r*stride:])
					}
					ref.addRows32(want, mRef, H, idx)
					ks.addRows32(out, m, stride, idx)
					assertBits(t, fmt.Sprintf("%s addRows32 n=%d", name, n), out, want)
				}
				freeM()
				freeOut()
			}
		}
	}
}

// guardCases are TestKernelsStayInsideSlices' widths, step counts and guard placements.
func guardCases() (cs []struct {
	H, steps int
	atStart  bool
}) {
	for _, atStart := range []bool{false, true} {
		for _, H := range append(seq(1, 17), 30, 31, 32) {
			for _, S := range []int{1, 2, 3, 7, 99} {
				cs = append(cs, struct {
					H, steps int
					atStart  bool
				}{H, S, atStart})
			}
		}
	}
	return cs
}

// TestShuntKernelsStayInsideSlices runs every kernel set's shunting cell and its gradient on a cell whose
// every slice (zEI, z, dz and the gradient out) ends at an inaccessible page, then on one whose every
// slice begins at one: a vector load or store past a slice's end or before its start kills the test
// binary. The results must be the scalar set's bit for bit. Excitatory widths 1-17, 27 and 30 cover every
// tail of an 8-lane vector and the notebook's 27; 1, 2 and 3 inhibitory units. The gradients' accumulators
// (newShuntGrads', with spare capacity that the avx2 kernel reads) are not guarded; TestShuntKernelSetsAgree
// checks that their spare capacity is never written.
func TestShuntKernelsStayInsideSlices(t *testing.T) {
	ref := availableKernels[0]
	for _, ks := range availableKernels {
		for _, atStart := range []bool{false, true} {
			for _, ni := range []int{1, 2, 3} {
				for _, ne := range append(seq(1, 17), 27, 30) {
					name := fmt.Sprintf("%s n_e=%d n_i=%d guard at %s", ks.name, ne, ni, map[bool]string{false: "end", true: "start"}[atStart])
					l := newShuntLayer(guardTestMatrix(4, ne, 1), guardTestMatrix(4, ni, 2), guardTestMatrix(ni, ne, 3),
						guardTestMatrix(1, ni, 4), guardTestMatrix(1, ne, 5), guardTestMatrix(1, ne, 6))
					zEI, freeZEI := guardedFloats(t, ne+ni, atStart)
					z, freeZ := guardedFloats(t, ne, atStart)
					dz, freeDZ := guardedFloats(t, ne, atStart)
					out, freeOut := guardedFloats(t, ne+ni, atStart)
					for i := range zEI {
						zEI[i] = float32(i%5)*0.7 + 0.1
					}
					for i := range dz {
						dz[i] = float32(i%3) - 0.9
					}
					zWant := make([]float32, ne)
					ref.shuntCell(&l, zEI, zWant)
					ks.shuntCell(&l, zEI, z)
					assertBits(t, name+" shuntCell", z, zWant)
					oWant := make([]float32, ne+ni)
					gWant, gGot := newShuntGrads(l), newShuntGrads(l)
					ref.shuntCellGrad(&l, zEI, dz, oWant, gWant)
					ks.shuntCellGrad(&l, zEI, dz, out, gGot)
					assertBits(t, name+" shuntCellGrad", out, oWant)
					assertShuntGradBits(t, name, gGot, gWant)
					for _, free := range []func(){freeZEI, freeZ, freeDZ, freeOut} {
						free()
					}
				}
			}
		}
	}
}

// guardTestMatrix is a rows x cols matrix of small positive values that depend on seed.
func guardTestMatrix(rows, cols, seed int) Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = float32((i*7+seed*3)%11+1) * 0.05
	}
	return m
}

// TestSpikeThresholdsStayInsideSlices runs every kernel set's spikeThresholds on rows of 1 to 17 and 100
// fibres whose slices (sa, ca and thr) each end at an inaccessible page, then begin at one: a vector load
// or store past a row's end (a whole vector read from a short tail) or before its start kills the test
// binary. The results must also be the scalar set's.
func TestSpikeThresholdsStayInsideSlices(t *testing.T) {
	ref := availableKernels[0]
	words := func(s []float32) []float64 { // 2n guarded float32s as n float64s (8-byte aligned: mmap's page)
		return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s)/2)
	}
	for _, ks := range availableKernels {
		for _, n := range append(seq(1, 17), 100) {
			for _, atStart := range []bool{false, true} {
				sa32, freeSA := guardedFloats(t, 2*n, atStart)
				ca32, freeCA := guardedFloats(t, 2*n, atStart)
				thr32, freeThr := guardedFloats(t, 2*n, atStart)
				sa, ca := words(sa32), words(ca32)
				thr := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(thr32))), n)
				for i := range sa {
					sa[i], ca[i] = math.Sincos(float64(i) * 0.37)
				}
				want := make([]uint64, n)
				ref.spikeThresholds(want, sa, ca, 0.6, 0.8, 0.06, 1<<32)
				ks.spikeThresholds(thr, sa, ca, 0.6, 0.8, 0.06, 1<<32)
				if !slices.Equal(thr, want) {
					t.Fatalf("%s spikeThresholds n=%d guard at start %v: got %v, want %v", ks.name, n, atStart, thr, want)
				}
				freeSA()
				freeCA()
				freeThr()
			}
		}
	}
}
