//go:build goexperiment.simd && amd64

package snn

import (
	"simd/archsimd"
	"testing"
)

// BenchmarkVectorAddPeak measures one core's float32 add throughput, the ceiling of the row sums (which
// only add): eight independent chains of vector adds held in registers, 8-lane vectors where the kernel
// set in use is avx2, 16-lane where it is avx512. It reports GFLOP/s (lanes added per nanosecond), to set
// against BenchmarkTrainStep's or BenchmarkProjection's in the same run (the README's distance to the
// arithmetic limit).
func BenchmarkVectorAddPeak(b *testing.B) {
	const rounds = 1 << 16
	lanes := 0
	var sink [16]float32
	for b.Loop() {
		switch KernelPath() {
		case "avx512":
			lanes = 16
			addChains16(rounds).Store(sink[:])
		case "avx2":
			lanes = 8
			addChains8(rounds).Store(sink[:8])
		default:
			b.Skipf("kernel set %s has no vector adds", KernelPath())
		}
	}
	if sink[0] <= 0 {
		b.Fatalf("the chains' sum is %v, not positive", sink[0])
	}
	b.ReportMetric(float64(b.N)*rounds*8*float64(lanes)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
}

// addChains8 adds 1e-7 n times to each of eight 8-lane vectors and returns their sum.
//
//go:noinline
func addChains8(n int) archsimd.Float32x8 {
	one := archsimd.BroadcastFloat32x8(1e-7)
	var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x8
	for range n {
		a0, a1, a2, a3 = a0.Add(one), a1.Add(one), a2.Add(one), a3.Add(one)
		a4, a5, a6, a7 = a4.Add(one), a5.Add(one), a6.Add(one), a7.Add(one)
	}
	return a0.Add(a1).Add(a2.Add(a3)).Add(a4.Add(a5).Add(a6.Add(a7)))
}

// addChains16 is addChains8 with 16-lane vectors.
//
//go:noinline
func addChains16(n int) archsimd.Float32x16 {
	one := archsimd.BroadcastFloat32x16(1e-7)
	var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x16
	for range n {
		a0, a1, a2, a3 = a0.Add(one), a1.Add(one), a2.Add(one), a3.Add(one)
		a4, a5, a6, a7 = a4.Add(one), a5.Add(one), a6.Add(one), a7.Add(one)
	}
	return a0.Add(a1).Add(a2.Add(a3)).Add(a4.Add(a5).Add(a6.Add(a7)))
}

// BenchmarkRowSums32 times the kernel set's byte-indexed row sums over rows of 32 floats (the projection's
// padded W of the notebook's 30 hidden units, 256 rows) along one long list of spikes (2^20 row numbers),
// and reports the vector loads they make per nanosecond (two 16-lane or four 8-lane loads per spike).
func BenchmarkRowSums32(b *testing.B) {
	m := make([]float32, byteRows*32)
	for i := range m {
		m[i] = float32(i%97) * 0.01
	}
	idx := make([]uint8, 1<<20)
	for i := range idx {
		idx[i] = uint8(i * 7)
	}
	if kernels.pad == 1 {
		b.Skipf("kernel set %s has no vector loads", KernelPath())
	}
	out := make([]float32, 30)
	for b.Loop() {
		kernels.sumRows8(out, m, 32, idx)
	}
	b.ReportMetric(float64(b.N)*float64(len(idx))*float64(32/kernels.pad)/float64(b.Elapsed().Nanoseconds()), "loads/ns")
}
