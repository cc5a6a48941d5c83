//go:build goexperiment.simd && amd64

package snn

import (
	"fmt"
	"math"
	"simd/archsimd"
	"slices"
	"unsafe"
)

// The vector kernel sets, built with GOEXPERIMENT=simd (Go 1.27's simd/archsimd) on amd64 and chosen at
// start-up by what the CPU has: "avx512" (16 float32 lanes) where it has AVX-512 F/CD/BW/DQ/VL, else
// "avx2" (8 lanes; the LIF loops in lifkernels_avx2_amd64.go), else the scalar set. The avx512 set's
// shunting cells are the avx2 set's (shuntkernels_avx2_amd64.go): its own (eight units a vector read with
// masked partial loads, the float64 values in 512-bit vectors) were slower on the Zen 5 cores measured
// (BenchmarkShuntCell, 2026-12-04: 2.31 ms a batch against 1.76 ms).
//
// Each lane is one output column (row sums) or one hidden unit (LIF loops), and each lane does the
// scalar loop's operations in the scalar loop's order: the row sums add rows in the same tree of eight,
// then four, then one; the LIF loops multiply and add in the same order (no fused multiply-add); the
// surrogate's sigmoid is exp64 in float64 lanes with the same reduction, polynomial and table. The
// results are the scalar set's bit for bit (TestKernelSetsAgree) wherever they are not NaN: a NaN's sign
// may differ, since the order in which Go passes operands to the instructions, which decides the sign of a
// NaN result, is not fixed (-x is a sign flip in the scalar loops, x*(-1) in the vector ones).
//
// The row sums read rows padded to a whole number of vectors (kernelSet.pad: projection and gradient copy
// their matrices so, paddedRows), so every load is a whole vector inside its row; the lanes past the row's
// values are never stored. addRows32 also loads its starting values from out, within out's length
// (loadFrom8). The LIF loops read whole vectors too: where a row is shorter than a vector, the
// lanes past it read the next row (and are never stored), and at the end of a slice a masked load reads
// zeros without reading past the slice's capacity (loadPart8, TestKernelsStayInsideSlices). Stores are
// masked to the row.
func init() {
	if archsimd.X86.AVX2() {
		avx2 := kernelSet{name: "avx2", pad: 8, sumRows8: sumRowsAVX2[uint8], sumRows16: sumRowsAVX2[uint16], sumRows32: sumRowsAVX2[int32], addRows32: addRows32AVX2,
			lifForward: lifForwardAVX2, lifBackward: lifBackwardAVX2, lifBackwardSpikes: lifBackwardSpikesAVX2,
			shuntCell: shuntCellAVX2, shuntCellGrad: shuntCellGradAVX2, offsetSteps: offsetStepsAVX2, spikeThresholds: spikeThresholdsAVX2,
			lifInhibit: (*lifInhLayer).inhibitScalar, lifInhibitionGrad: (*lifInhLayer).inhibitionGradScalar,
			splitColumns: splitColumnsScalar, joinColumns: joinColumnsScalar}
		availableKernels = append(availableKernels, avx2)
		kernels = avx2
	}
	if archsimd.X86.AVX512() {
		avx512 := kernelSet{name: "avx512", pad: 16, sumRows8: sumRows8AVX512, sumRows16: sumRowsAVX512[uint16], sumRows32: sumRowsAVX512[int32],
			lifForward: lifForwardAVX512, lifBackward: lifBackwardAVX512, lifBackwardSpikes: lifBackwardSpikesAVX512,
			shuntCell: shuntCellAVX2, shuntCellGrad: shuntCellGradAVX2, offsetSteps: offsetStepsAVX512, spikeThresholds: spikeThresholdsAVX512,
			lifInhibit: lifInhibitAVX512, lifInhibitionGrad: lifInhibitionGradAVX512,
			splitColumns: splitColumnsAVX512, joinColumns: joinColumnsAVX512}
		availableKernels = append(availableKernels, avx512)
		kernels = avx512
	}
}

// load16 loads m[off:off+16], with zeros for the lanes past the end of m.
func load16(m []float32, off int) archsimd.Float32x16 {
	if off+16 <= len(m) {
		return archsimd.LoadFloat32x16(m[off:])
	}
	return loadPart16(m[off:])
}

// sumRowsAVX512 is sumRows with 16-lane vectors (stride a multiple of 16): 32 columns at a time (two
// accumulators held in registers over the whole index list), then 16. Rows of exactly 32 floats (17 to 32
// columns, the notebook's 30 hidden units) are read as [32]float32 rows: with int32 indices (the
// gradient's column numbers) in assembly (sumRowsOf32x32), else by sumRowsOf32. The set's sumRows8 is
// sumRows8AVX512, which sums byte indices into a matrix of at least byteRows rows (the projection's W,
// paddedRows) in assembly before it falls back to this.
func sumRowsAVX512[Index uint8 | uint16 | int32](out []float32, m []float32, stride int, idx []Index) {
	H := len(out)
	if stride == 32 && H > 16 && H <= 32 {
		rows := unsafe.Slice((*[32]float32)(unsafe.Pointer(unsafe.SliceData(m))), len(m)/32)
		if i32, ok := any(idx).([]int32); ok && len(rows) > 0 {
			sumRowsOf32x32(out, rows, i32)
			return
		}
		a, b := sumRowsOf32(rows, idx)
		a.StorePart(out)
		b.StorePart(out[16:])
		archsimd.ClearAVXUpperBits()
		return
	}
	for c := 0; c < H; c += 32 {
		if c+16 >= H {
			a := sumRows16Lanes(m, idx, stride, c)
			a.StorePart(out[c:])
			break
		}
		a, b := sumRows32Lanes(m, idx, stride, c)
		a.StorePart(out[c:])
		b.StorePart(out[c+16:])
	}
	archsimd.ClearAVXUpperBits()
}

// sumRows8AVX512 is sumRowsAVX512 for byte indices. Where they name rows of exactly 32 floats (17 to 32
// columns) of a matrix of at least byteRows rows (the projection's W padded by paddedRows, which a byte
// cannot index past), the rows are summed by sumRowsOf32x8Asm, with no range check.
func sumRows8AVX512(out []float32, m []float32, stride int, idx []uint8) {
	if H := len(out); stride == 32 && H > 16 && H <= 32 && len(m) >= byteRows*32 {
		sumRowsOf32x8Asm((*[byteRows][32]float32)(unsafe.Pointer(unsafe.SliceData(m))), idx, &out[0], uint16(1)<<(H-16)-1)
		return
	}
	sumRowsAVX512(out, m, stride, idx)
}

// vec16 loads m[o:o+16] (which must exist).
func vec16(m []float32, o int) archsimd.Float32x16 {
	return archsimd.LoadFloat32x16Array((*[16]float32)(m[o : o+16]))
}

// vec8 loads m[o:o+8] (which must exist).
func vec8(m []float32, o int) archsimd.Float32x8 {
	return archsimd.LoadFloat32x8Array((*[8]float32)(m[o : o+8]))
}

// sumRows32Lanes returns the sums of columns c..c+31 of the rows idx of m (rows stride floats apart).
func sumRows32Lanes[Index uint8 | uint16 | int32](m []float32, idx []Index, stride, c int) (archsimd.Float32x16, archsimd.Float32x16) {
	var acc0, acc1 archsimd.Float32x16
	for len(idx) >= 8 {
		o0, o1, o2, o3 := int(idx[0])*stride+c, int(idx[1])*stride+c, int(idx[2])*stride+c, int(idx[3])*stride+c
		o4, o5, o6, o7 := int(idx[4])*stride+c, int(idx[5])*stride+c, int(idx[6])*stride+c, int(idx[7])*stride+c
		acc0 = acc0.Add(vec16(m, o0).Add(vec16(m, o1)).Add(vec16(m, o2).Add(vec16(m, o3))).Add(
			vec16(m, o4).Add(vec16(m, o5)).Add(vec16(m, o6).Add(vec16(m, o7)))))
		acc1 = acc1.Add(vec16(m, o0+16).Add(vec16(m, o1+16)).Add(vec16(m, o2+16).Add(vec16(m, o3+16))).Add(
			vec16(m, o4+16).Add(vec16(m, o5+16)).Add(vec16(m, o6+16).Add(vec16(m, o7+16)))))
		idx = idx[8:]
	}
	for len(idx) >= 4 {
		o0, o1, o2, o3 := int(idx[0])*stride+c, int(idx[1])*stride+c, int(idx[2])*stride+c, int(idx[3])*stride+c
		acc0 = acc0.Add(vec16(m, o0).Add(vec16(m, o1)).Add(vec16(m, o2).Add(vec16(m, o3))))
		acc1 = acc1.Add(vec16(m, o0+16).Add(vec16(m, o1+16)).Add(vec16(m, o2+16).Add(vec16(m, o3+16))))
		idx = idx[4:]
	}
	for _, i := range idx {
		o := int(i)*stride + c
		acc0 = acc0.Add(vec16(m, o))
		acc1 = acc1.Add(vec16(m, o+16))
	}
	return acc0, acc1
}

// sumRows16Lanes returns the sums of columns c..c+15 of the rows idx of m (rows stride floats apart).
func sumRows16Lanes[Index uint8 | uint16 | int32](m []float32, idx []Index, stride, c int) archsimd.Float32x16 {
	var acc archsimd.Float32x16
	for len(idx) >= 8 {
		o0, o1, o2, o3 := int(idx[0])*stride+c, int(idx[1])*stride+c, int(idx[2])*stride+c, int(idx[3])*stride+c
		o4, o5, o6, o7 := int(idx[4])*stride+c, int(idx[5])*stride+c, int(idx[6])*stride+c, int(idx[7])*stride+c
		acc = acc.Add(vec16(m, o0).Add(vec16(m, o1)).Add(vec16(m, o2).Add(vec16(m, o3))).Add(
			vec16(m, o4).Add(vec16(m, o5)).Add(vec16(m, o6).Add(vec16(m, o7)))))
		idx = idx[8:]
	}
	for len(idx) >= 4 {
		o0, o1, o2, o3 := int(idx[0])*stride+c, int(idx[1])*stride+c, int(idx[2])*stride+c, int(idx[3])*stride+c
		acc = acc.Add(vec16(m, o0).Add(vec16(m, o1)).Add(vec16(m, o2).Add(vec16(m, o3))))
		idx = idx[4:]
	}
	for _, i := range idx {
		acc = acc.Add(vec16(m, int(i)*stride+c))
	}
	return acc
}

// sumRowsAVX2 is sumRows with 8-lane vectors (stride a multiple of 8), 8 columns at a time; rows of 32
// floats holding 25-32 values in one pass over idx (sumRowsOf32AVX2, the same tree per lane).
func sumRowsAVX2[Index uint8 | uint16 | int32](out []float32, m []float32, stride int, idx []Index) {
	rowsAVX2(out, m, stride, idx, false)
}

// addRows32AVX2 is addRows (kernelSet.addRows32) with 8-lane vectors: sumRowsAVX2 with its accumulators
// starting from out's values.
func addRows32AVX2(out []float32, m []float32, stride int, idx []int32) {
	rowsAVX2(out, m, stride, idx, true)
}

// rowsAVX2 is sumRowsAVX2 (add false) and addRows32AVX2 (add true).
func rowsAVX2[Index uint8 | uint16 | int32](out []float32, m []float32, stride int, idx []Index, add bool) {
	H := len(out)
	if stride == 32 && H > 24 && H <= 32 { // the notebook's 30 hidden units (and 25-32): one pass, four accumulators
		rows := unsafe.Slice((*[32]float32)(unsafe.Pointer(unsafe.SliceData(m))), len(m)/32)
		var a0, a1, a2, a3 archsimd.Float32x8
		if add {
			a0, a1, a2, a3 = archsimd.LoadFloat32x8(out[0:8]), archsimd.LoadFloat32x8(out[8:16]), archsimd.LoadFloat32x8(out[16:24]), loadFrom8(out, 24)
		}
		a0, a1, a2, a3 = sumRowsOf32AVX2(rows, idx, a0, a1, a2, a3)
		a0.Store(out[0:8])
		a1.Store(out[8:16])
		a2.Store(out[16:24])
		a3.StorePart(out[24:])
		archsimd.ClearAVXUpperBits()
		return
	}
	for c := 0; c < H; c += 8 {
		var acc archsimd.Float32x8
		if add {
			acc = loadFrom8(out, c)
		}
		ix := idx
		for len(ix) >= 8 {
			o0, o1, o2, o3 := int(ix[0])*stride+c, int(ix[1])*stride+c, int(ix[2])*stride+c, int(ix[3])*stride+c
			o4, o5, o6, o7 := int(ix[4])*stride+c, int(ix[5])*stride+c, int(ix[6])*stride+c, int(ix[7])*stride+c
			acc = acc.Add(vec8(m, o0).Add(vec8(m, o1)).Add(vec8(m, o2).Add(vec8(m, o3))).Add(
				vec8(m, o4).Add(vec8(m, o5)).Add(vec8(m, o6).Add(vec8(m, o7)))))
			ix = ix[8:]
		}
		for len(ix) >= 4 {
			o0, o1, o2, o3 := int(ix[0])*stride+c, int(ix[1])*stride+c, int(ix[2])*stride+c, int(ix[3])*stride+c
			acc = acc.Add(vec8(m, o0).Add(vec8(m, o1)).Add(vec8(m, o2).Add(vec8(m, o3))))
			ix = ix[4:]
		}
		for _, i := range ix {
			acc = acc.Add(vec8(m, int(i)*stride+c))
		}
		acc.StorePart(out[c:])
	}
	archsimd.ClearAVXUpperBits()
}

// loadFrom8 returns out[c:c+8] in a vector, reading only out[:len(out)]; where fewer than 8 values are
// left, the lanes past them hold anything (addRows32's accumulators for columns past the row, which are
// never stored). The tail is the last whole vector of out, out[len-8:], moved down by a permute (one vector
// load, no copy through memory); out shorter than 8 is copied (loadPart8).
func loadFrom8(out []float32, c int) archsimd.Float32x8 {
	H := len(out)
	switch {
	case c+8 <= H:
		return archsimd.LoadFloat32x8(out[c : c+8])
	case H < 8:
		return loadPart8(out[c:H:H])
	}
	return archsimd.LoadFloat32x8(out[H-8 : H]).Permute(archsimd.LoadUint32x8Array(&shiftDown8[c+8-H]))
}

// shiftDown8[s] are the Permute indices that move lanes s..7 down to 0..7-s (the lanes above repeat lane 7).
var shiftDown8 = func() (t [8][8]uint32) {
	for s := range t {
		for l := range t[s] {
			t[s][l] = uint32(min(s+l, 7))
		}
	}
	return
}()

// sumRowsOf32AVX2 is sumRowsAVX2 for rows of 32 floats in one pass over idx: the four 8-lane column blocks
// are summed side by side, each in the order the block-by-block loop uses (trees of 8 rows, then 4, then
// one at a time), so the sums are the same bit for bit; each row index is read once instead of four
// times, and the four accumulators, which start at a0..a3, stay in registers.
func sumRowsOf32AVX2[Index uint8 | uint16 | int32](rows [][32]float32, idx []Index, a0, a1, a2, a3 archsimd.Float32x8) (archsimd.Float32x8, archsimd.Float32x8, archsimd.Float32x8, archsimd.Float32x8) {
	ld := func(r *[32]float32, o int) archsimd.Float32x8 {
		return archsimd.LoadFloat32x8Array((*[8]float32)(r[o : o+8]))
	}
	for len(idx) >= 8 {
		r0, r1, r2, r3 := &rows[idx[0]], &rows[idx[1]], &rows[idx[2]], &rows[idx[3]]
		r4, r5, r6, r7 := &rows[idx[4]], &rows[idx[5]], &rows[idx[6]], &rows[idx[7]]
		tree := func(o int) archsimd.Float32x8 {
			return ld(r0, o).Add(ld(r1, o)).Add(ld(r2, o).Add(ld(r3, o))).Add(
				ld(r4, o).Add(ld(r5, o)).Add(ld(r6, o).Add(ld(r7, o))))
		}
		a0, a1, a2, a3 = a0.Add(tree(0)), a1.Add(tree(8)), a2.Add(tree(16)), a3.Add(tree(24))
		idx = idx[8:]
	}
	for len(idx) >= 4 {
		r0, r1, r2, r3 := &rows[idx[0]], &rows[idx[1]], &rows[idx[2]], &rows[idx[3]]
		tree := func(o int) archsimd.Float32x8 { return ld(r0, o).Add(ld(r1, o)).Add(ld(r2, o).Add(ld(r3, o))) }
		a0, a1, a2, a3 = a0.Add(tree(0)), a1.Add(tree(8)), a2.Add(tree(16)), a3.Add(tree(24))
		idx = idx[4:]
	}
	for _, i := range idx {
		r := &rows[i]
		a0, a1, a2, a3 = a0.Add(ld(r, 0)), a1.Add(ld(r, 8)), a2.Add(ld(r, 16)), a3.Add(ld(r, 24))
	}
	return a0, a1, a2, a3
}

// lifForwardAVX512 is lifForwardScalar with 16 hidden units per vector: each block of 16 units runs
// through all the steps with its membrane, spikes and weighted spike sums held in registers. It adds every
// step's s_{t+1} c_{t+1}, where the scalar loop skips c_{t+1} = 0: the same sums (lifForwardStep8), and no
// scalar float compare inside the loop. Go compiles such a compare to legacy SSE instructions, which an Intel
// Xeon with AVX-512 ran about 40 times slower with the ZMM registers' upper halves in use (this function 1.7
// ms against 0.04 ms per batch of 64, 2026-12-05; the AMD Zen 5 VM showed no such penalty); for the same reason
// every function of this set that leaves 512-bit registers in use clears their upper halves on return
// (archsimd.ClearAVXUpperBits, VZEROUPPER), before the scalar Go code that follows.
func lifForwardAVX512(k *lifKernel, p, vKeep, r []float32) {
	S, H := k.steps, k.hidden
	alpha := archsimd.BroadcastFloat32x16(k.alpha)
	one := archsimd.BroadcastFloat32x16(1)
	thr := archsimd.BroadcastFloat32x16(Threshold)
	var zero archsimd.Float32x16
	for c := 0; c < H; c += 16 {
		w := min(16, H-c) // lanes of this block that are hidden units
		var v, s, rr archsimd.Float32x16
		for t := 0; t < S; t++ {
			off := t*H + c
			pt := load16(p, off)
			if vKeep != nil {
				v.StorePart(vKeep[off : off+w])
			}
			vn := alpha.Mul(v).Add(pt).Mul(one.Sub(s))
			sn := one.IfElse(v.Sub(thr).Greater(zero), zero)
			v, s = vn, sn
			rr = rr.Add(sn.Mul(archsimd.BroadcastFloat32x16(k.c[t+1])))
		}
		rr.StorePart(r[c : c+w])
	}
	archsimd.ClearAVXUpperBits()
}

// lifBackwardAVX512 is lifBackwardScalar with 16 hidden units per vector, the surrogate's sigmoid in
// two float64 vectors of 8.
func lifBackwardAVX512(k *lifKernel, p, v, g []float32) { lifBackward16(k, p, v, g, nil) }

// lifBackwardSpikesAVX512 is lifBackwardSpikesScalar with 16 hidden units per vector: the spike records'
// direct gradients gS in place of c_k G.
func lifBackwardSpikesAVX512(k *lifKernel, p, v, gS []float32) { lifBackward16(k, p, v, nil, gS) }

// lifBackward16 runs the backward recurrence 16 hidden units at a time, from the readout's gradient g
// (dL/ds_k = c_k G, gS nil) or from the spike records' own gradients gS (dL/ds_k = gS[k-1], 0 for k = 0;
// g nil), each lane in its scalar loop's order. It first computes the surrogate of every membrane of the
// sample in one pass over v (surrogates16), as lifBackward8 does. From the readout's gradient with 17 to 32
// hidden units the recurrence runs in assembly (lifBackward32Asm), the same operations.
func lifBackward16(k *lifKernel, p, v, g, gS []float32) {
	S, H := k.steps, k.hidden
	n := S * H
	buf := surrogateScratch.Get().(*[]float32)
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	sgs := (*buf)[:n]
	surrogates16(v[:n], sgs, k.beta)
	if gS == nil && H > 16 && H <= 32 && S >= 1 && len(p) >= n && len(v) >= n && len(k.c) > S && len(g) >= H {
		lifBackward32Asm(&p[0], &v[0], &sgs[0], &k.c[0], &g[0], S, H, math.Float32bits(k.alpha), math.Float32bits(Threshold),
			uint16(1)<<(H-16)-1)
		surrogateScratch.Put(buf)
		return // the assembly ends with VZEROUPPER
	}
	a := archsimd.BroadcastFloat32x16(k.alpha)
	one := archsimd.BroadcastFloat32x16(1)
	minusOne := archsimd.BroadcastFloat32x16(-1)
	thr := archsimd.BroadcastFloat32x16(Threshold)
	var zero archsimd.Float32x16
	for c := 0; c < H; c += 16 {
		w := min(16, H-c)
		var gb, gv, gs archsimd.Float32x16
		if gS == nil {
			gb = loadPart16(g[c : c+w])
			gs = archsimd.BroadcastFloat32x16(k.c[S]).Mul(gb)
		} else {
			gs = loadPart16(gS[(S-1)*H+c : (S-1)*H+c+w])
		}
		for t := S - 1; t >= 0; t-- {
			off := t*H + c
			pt := load16(p, off)
			vt := load16(v, off)
			keepOn := one // 1 - s_t
			if t > 0 {
				keepOn = zero.IfElse(load16(v, off-H).Sub(thr).Greater(zero), one)
			}
			var direct archsimd.Float32x16 // dL/ds_t from outside the recurrence
			if gS == nil {
				direct = archsimd.BroadcastFloat32x16(k.c[t]).Mul(gb)
			} else if t > 0 {
				direct = loadPart16(gS[off-H : off-H+w])
			}
			sg := load16(sgs, off)
			gvn := a.Mul(keepOn).Mul(gv).Add(sg.Mul(gs))
			gsn := a.Mul(vt).Add(pt).Mul(minusOne).Mul(gv).Add(direct)
			keepOn.Mul(gv).StorePart(p[off : off+w])
			gv, gs = gvn, gsn
		}
	}
	surrogateScratch.Put(buf)
	archsimd.ClearAVXUpperBits()
}

// surrogates16 writes sg[i] = surrogateGrad(v[i] - Threshold, beta) for i < len(v) (len(sg) >= len(v)),
// 16 at a time (whole vectors in assembly, surrogates16Asm, where beta > 0; the rest with surrogateGrad16),
// with scalar surrogateGrad's bits (TestSurrogatesFloat32Range). lifBackward16
// computes them here, before its recurrence, rather than one vector per step inside it, which cost more:
// BenchmarkLIFKernel 0.40 against 0.38 ms (3 alternated runs, with exp64x8x2 in both, Zen 5 VM, 2026-12-04).
func surrogates16(v, sg []float32, beta float32) {
	b := archsimd.BroadcastFloat32x16(beta)
	one := archsimd.BroadcastFloat32x16(1)
	thr := archsimd.BroadcastFloat32x16(Threshold)
	tab := loadExp2Table()
	tiny := beta > 0 // surrogateTiny16 assumes a positive beta (Config.Validate requires one)
	i := 0
	if tiny && len(v) >= 16 && len(sg) >= len(v) {
		// Float arguments as their bits: integer moves, not the legacy SSE moves Go's compiler makes for float32
		// (slow on Intel cores while the upper halves of the vector registers are in use).
		surrogates16Asm(&v[0], &sg[0], len(v)/16, math.Float32bits(beta), math.Float32bits(Threshold), &surrogateConsts)
		i = len(v) &^ 15
	}
	for ; i+16 <= len(v); i += 16 {
		surrogateGrad16(vec16(v, i).Sub(thr), b, one, &tab, tiny).StoreArray((*[16]float32)(sg[i : i+16]))
	}
	if i < len(v) {
		surrogateGrad16(loadPart16(v[i:]).Sub(thr), b, one, &tab, tiny).StorePart(sg[i:len(v)])
	}
}

// surrogateGrad16 is surrogateGrad on 16 lanes: y = beta*x in float32, sigma(y) in float64 (two vectors of
// 8, sigmoid64x8x2), rounded to float32, then beta * (sigma * (1 - sigma)) in float32.
//
// Where a lane's sigma lies below float32's smallest normal number and at or above 2^-150 (the smallest that
// can round to a nonzero float32; y between about -104 and -87: membranes about 17.5 to 20.8 below threshold
// at beta = 5, which trained networks reach), float32 arithmetic on it is subnormal, which this CPU runs several times slower (surrogates16 over such membranes: 63 against 18-19
// ns per vector of 16 elsewhere, Zen 5 VM, 2026-12-04); surrogateTiny16 then gives those lanes the same
// bits without subnormal arithmetic, where tiny is set (beta > 0).
func surrogateGrad16(x, beta, one archsimd.Float32x16, tab *exp2Vectors, tiny bool) archsimd.Float32x16 {
	y := beta.Mul(x)
	lo, hi := sigmoid64x8x2(y.GetLo().ConvertToFloat64(), y.GetHi().ConvertToFloat64(), tab)
	minNormal, halfSub := archsimd.BroadcastFloat64x8(minNormal32), archsimd.BroadcastFloat64x8(0x1p-150)
	tinyLo := lo.Less(minNormal).And(lo.GreaterEqual(halfSub)) // float32(sigma) subnormal (below 2^-150: 0)
	tinyHi := hi.Less(minNormal).And(hi.GreaterEqual(halfSub))
	if tiny && tinyLo.Or(tinyHi).ToBits() != 0 {
		return surrogateTiny16(lo, hi, tinyLo, tinyHi, beta, one)
	}
	var sg archsimd.Float32x16
	sg = sg.SetLo(lo.ConvertToFloat32()).SetHi(hi.ConvertToFloat32())
	return sg.Mul(one.Sub(sg)).Mul(beta)
}

// minNormal32 is float32's smallest normal number, 2^-126.
const minNormal32 = 0x1p-126

// surrogateTiny16 is the end of surrogateGrad16 for float64 sigmas lo and hi of which the lanes tinyLo and
// tinyHi lie below 2^-126 (any such lanes: the other lanes' path gives them the same bits, slower). The other lanes are computed as there; a tiny lane's 1 - sigma is 1 in float32,
// so its result is float32(float32(sigma) * beta), computed by tinySurrogate8.
func surrogateTiny16(lo, hi archsimd.Float64x8, tinyLo, tinyHi archsimd.Mask64x8, beta, one archsimd.Float32x16) archsimd.Float32x16 {
	one64 := archsimd.BroadcastFloat64x8(1)
	var sg archsimd.Float32x16 // tiny lanes replaced by 1, which no subnormal arithmetic follows
	sg = sg.SetLo(one64.IfElse(tinyLo, lo).ConvertToFloat32()).SetHi(one64.IfElse(tinyHi, hi).ConvertToFloat32())
	normal := sg.Mul(one.Sub(sg)).Mul(beta)
	b := beta.GetLo().ConvertToFloat64()
	var tiny archsimd.Float32x16
	tiny = tiny.SetLo(tinySurrogate8(lo, b)).SetHi(tinySurrogate8(hi, b))
	return tiny.IfElse(archsimd.Mask32x16FromBits(uint16(tinyLo.ToBits())|uint16(tinyHi.ToBits())<<8), normal)
}

// tinySurrogate8 returns float32(float32(s) * b) for float64 s below 2^-126 and b > 0 (the product is exact
// in float64: float32(s) has at most 24 significant bits, b is a float32), without subnormal float32
// arithmetic: a float32 below 2^-126 is a whole number q of 2^-149 (q < 2^23 its bits), so rounding to it is
// rounding s * 2^149 to a whole number, ties to even, as float32 conversion rounds. Lanes of s not below
// 2^-126 give meaningless values.
func tinySurrogate8(s, b archsimd.Float64x8) archsimd.Float32x8 {
	scale, unit := archsimd.BroadcastFloat64x8(0x1p149), archsimd.BroadcastFloat64x8(0x1p-149)
	prod := s.Mul(scale).RoundScaled(0).Mul(unit).Mul(b) // float32(s) * b
	sub := prod.Less(archsimd.BroadcastFloat64x8(minNormal32))
	bits := prod.Mul(scale).RoundScaled(0).ConvertToInt32().AsFloat32x8()
	normal := archsimd.BroadcastFloat64x8(1).IfElse(sub, prod).ConvertToFloat32()
	return bits.IfElse(archsimd.Mask32x8FromBits(sub.ToBits()), normal)
}

// sigmoid64x8x2 is surrogateGrad's float64 sigmoid on two vectors of 8 lanes: 1/(1 + e^-y) for y >= 0,
// e^y/(1 + e^y) below, with exp64x8x2.
func sigmoid64x8x2(y0, y1 archsimd.Float64x8, tab *exp2Vectors) (archsimd.Float64x8, archsimd.Float64x8) {
	one := archsimd.BroadcastFloat64x8(1)
	minus := archsimd.BroadcastFloat64x8(-1)
	var zero archsimd.Float64x8
	pos0, pos1 := y0.GreaterEqual(zero), y1.GreaterEqual(zero)
	e0, e1 := exp64x8x2(y0.Mul(minus).IfElse(pos0, y0), y1.Mul(minus).IfElse(pos1, y1), tab)
	return one.IfElse(pos0, e0).Div(one.Add(e0)), one.IfElse(pos1, e1).Div(one.Add(e1))
}

// exp2Vectors is exp2Table in 8 vectors of 8.
type exp2Vectors [8]archsimd.Float64x8

func loadExp2Table() (t exp2Vectors) {
	for i := range t {
		t[i] = archsimd.LoadFloat64x8(exp2Table[8*i:])
	}
	return
}

// exp64x8x2 is exp64 on two vectors of 8 lanes (x <= 0), with the same reduction, polynomial and table,
// and 0 below -708. Each operation on the one vector sits next to the same operation on the other, so
// that the CPU overlaps their chains (as the avx2 set's exp64x4x2; BenchmarkLIFKernel 0.40 -> 0.38 ms
// against one vector at a time, 3 alternated runs, Zen 5 VM, 2026-12-04).
func exp64x8x2(x0, x1 archsimd.Float64x8, tab *exp2Vectors) (archsimd.Float64x8, archsimd.Float64x8) {
	bc := archsimd.BroadcastFloat64x8
	inv, half, hi, lo := bc(exp64Inv), bc(0.5), bc(exp64Hi), bc(exp64Lo)
	k0, k1 := x0.Mul(inv).Sub(half).ConvertToInt64(), x1.Mul(inv).Sub(half).ConvertToInt64()
	kf0, kf1 := k0.ConvertToFloat64(), k1.ConvertToFloat64()
	r0, r1 := x0.Sub(kf0.Mul(hi)).Sub(kf0.Mul(lo)), x1.Sub(kf1.Mul(hi)).Sub(kf1.Mul(lo))
	// p = 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r/120)))), every product rounded.
	one, c2, c3, c4, c5 := bc(1), bc(1.0/2), bc(1.0/6), bc(1.0/24), bc(1.0/120)
	p0, p1 := c4.Add(r0.Mul(c5)), c4.Add(r1.Mul(c5))
	p0, p1 = c3.Add(r0.Mul(p0)), c3.Add(r1.Mul(p1))
	p0, p1 = c2.Add(r0.Mul(p0)), c2.Add(r1.Mul(p1))
	p0, p1 = one.Add(r0.Mul(p0)), one.Add(r1.Mul(p1))
	p0, p1 = one.Add(r0.Mul(p0)), one.Add(r1.Mul(p1))
	t0, t1 := exp2Lookup(tab, k0), exp2Lookup(tab, k1)
	bias := archsimd.BroadcastInt64x8(1023)
	s0 := k0.ShiftAllRight(6).Add(bias).ShiftAllLeft(52).ToBits().BitsToFloat64() // 2^m, m = (k - j)/64
	s1 := k1.ShiftAllRight(6).Add(bias).ShiftAllLeft(52).ToBits().BitsToFloat64()
	under := bc(-708)
	var z archsimd.Float64x8
	return z.IfElse(x0.Less(under), p0.Mul(t0).Mul(s0)), z.IfElse(x1.Less(under), p1.Mul(t1).Mul(s1))
}

// exp2Lookup returns 2^(j/64) for j = k mod 64: four two-vector permutes (16 entries each, indexed by
// j's low 4 bits) and a choice by bits 4 and 5 of j.
func exp2Lookup(tab *exp2Vectors, k archsimd.Int64x8) archsimd.Float64x8 {
	ju := k.ToBits()
	var zi archsimd.Int64x8
	bit4 := k.And(archsimd.BroadcastInt64x8(16)).Equal(zi) // bit 4 clear
	bit5 := k.And(archsimd.BroadcastInt64x8(32)).Equal(zi) // bit 5 clear
	q0 := tab[0].ConcatPermute(tab[1], ju)
	q1 := tab[2].ConcatPermute(tab[3], ju)
	q2 := tab[4].ConcatPermute(tab[5], ju)
	q3 := tab[6].ConcatPermute(tab[7], ju)
	return q0.IfElse(bit4, q1).IfElse(bit5, q2.IfElse(bit4, q3))
}

// offsetStepsAVX512 is offsetStepsScalar 16 entries at a time (bytes widened to int32 lanes).
func offsetStepsAVX512(dst []int32, src []uint8, n int, base int32) {
	b := archsimd.BroadcastInt32x16(base)
	for q := 0; q < n; q += 16 {
		v := archsimd.LoadUint8x16Array((*[16]uint8)(src[q : q+16])).ExtendToUint32().AsInt32x16()
		v.Add(b).StoreArray((*[16]int32)(dst[q : q+16]))
	}
	archsimd.ClearAVXUpperBits()
}

// offsetStepsAVX2 is offsetStepsScalar 16 entries at a time, as two vectors of 8 (bytes widened to int32
// lanes; the high 8 bytes rotated down first).
func offsetStepsAVX2(dst []int32, src []uint8, n int, base int32) {
	b := archsimd.BroadcastInt32x8(base)
	for q := 0; q < n; q += 16 {
		v := archsimd.LoadUint8x16Array((*[16]uint8)(src[q : q+16]))
		v.ExtendLo8ToUint32().AsInt32x8().Add(b).StoreArray((*[8]int32)(dst[q : q+8]))
		v.ConcatShiftBytesRight(v, 8).ExtendLo8ToUint32().AsInt32x8().Add(b).StoreArray((*[8]int32)(dst[q+8 : q+16]))
	}
	archsimd.ClearAVXUpperBits()
}

// lo16 and hi16 load a row's first and last 16 floats.
func lo16(r *[32]float32) archsimd.Float32x16 {
	return archsimd.LoadFloat32x16Array((*[16]float32)(r[:16]))
}
func hi16(r *[32]float32) archsimd.Float32x16 {
	return archsimd.LoadFloat32x16Array((*[16]float32)(r[16:]))
}

// sumRowsOf32 is sumRows32Lanes for rows of exactly 32 floats (stride 32, column 0), read as [32]float32
// rows: one range check per index, no multiply. It adds rows in add8Rows' and add4Rows' trees, which
// must stay those of sumRows, sumRows32Lanes, sumRows16Lanes and the assembly (rowsum_avx512_amd64.s).
func sumRowsOf32[Index uint8 | uint16 | int32](rows [][32]float32, idx []Index) (archsimd.Float32x16, archsimd.Float32x16) {
	var acc0, acc1 archsimd.Float32x16
	for len(idx) >= 8 {
		acc0, acc1 = add8Rows(acc0, acc1, &rows[idx[0]], &rows[idx[1]], &rows[idx[2]], &rows[idx[3]],
			&rows[idx[4]], &rows[idx[5]], &rows[idx[6]], &rows[idx[7]])
		idx = idx[8:]
	}
	for len(idx) >= 4 {
		acc0, acc1 = add4Rows(acc0, acc1, &rows[idx[0]], &rows[idx[1]], &rows[idx[2]], &rows[idx[3]])
		idx = idx[4:]
	}
	for _, i := range idx {
		acc0, acc1 = acc0.Add(lo16(&rows[i])), acc1.Add(hi16(&rows[i]))
	}
	return acc0, acc1
}

// sumRowsOf32x8Asm is sumRowsOf32 for byte indices into byteRows rows (none can be out of range), in
// assembly (rowsum_avx512_amd64.s), storing the sums of the first 16 floats at out[0:16] and of the last
// 16 at the lanes of out[16:32] that hiMask sets. Go's compiler spent about 10 instructions per row (it
// spills row addresses and recomputes the second half's); the assembly spends 5 and folds the second
// half's offset into the load: the kernel 0.79 of the Go loop's time (interleaved in one process, Zen 5
// VM, 2026-12-04).
//
//go:noescape
func sumRowsOf32x8Asm(rows *[byteRows][32]float32, idx []uint8, out *float32, hiMask uint16)

// surrogates16Asm writes surrogateGrad16(v[i] - thr) for the first vectors*16 membranes from v to sg (beta > 0,
// the surrogate's steepness; beta and thr as their float32 bits), in assembly (surrogate_avx512_amd64.s),
// with constants and table from consts. Go's compiler called surrogateGrad16 and exp64x8x2 for each vector,
// broadcast their constants there and kept several vectors on the stack.
//
//go:noescape
func surrogates16Asm(v, sg *float32, vectors int, betaBits, thrBits uint32, consts *surrogateConstants)

// surrogateConstants are surrogates16Asm's constants, at the byte offsets its comments give.
type surrogateConstants struct {
	f                [15]float64
	_                float64
	bias, bit4, bit5 int64
	_                int64
	table            [64]float64
}

var surrogateConsts = surrogateConstants{
	f: [15]float64{exp64Inv, 0.5, exp64Hi, exp64Lo, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2, 1, -1, -708, minNormal32, 0x1p-150,
		0x1p149, 0x1p-149},
	bias: 1023, bit4: 16, bit5: 32, table: exp2Table,
}

// lifBackward32Asm is lifBackward16's recurrence from the readout's gradient g (gS nil) for 17 to 32
// hidden units, in assembly (lifback_avx512_amd64.s): both vectors of 16 units in one pass over the steps,
// with lifBackward16's operations in its order (the same bits), from the sample's currents p (overwritten
// with their gradient), membranes v and surrogates sg ([steps, hidden] each), the readout's step weights c
// (steps+1) and grad (hidden), alpha and the threshold as their float32 bits (integer moves: see
// surrogates16Asm); hiMask sets the upper vector's lanes (hidden - 16 of them). Go's compiler kept
// the loop's vectors on the stack (spills and reloads each step).
//
//go:noescape
func lifBackward32Asm(p, v, sg, c, grad *float32, steps, hidden int, alphaBits, thrBits uint32, hiMask uint16)

// sumRowsOf32x32Asm is sumRowsOf32x8Asm for int32 row numbers into the nrows rows from rows, each checked:
// it returns false, having stored nothing, where one is negative or not below nrows.
//
//go:noescape
func sumRowsOf32x32Asm(rows *[32]float32, nrows int, idx []int32, out *float32, hiMask uint16) bool

// sumRowsOf32x32 sums the rows idx of rows into out (17 to 32 floats) with sumRowsOf32x32Asm, and panics
// naming the first row number outside rows, as indexing would.
func sumRowsOf32x32(out []float32, rows [][32]float32, idx []int32) {
	if !sumRowsOf32x32Asm(&rows[0], len(rows), idx, &out[0], uint16(1)<<(len(out)-16)-1) {
		bad := slices.IndexFunc(idx, func(r int32) bool { return r < 0 || int(r) >= len(rows) })
		if bad < 0 {
			panic(fmt.Sprintf("snn: sumRows: the assembly refused a list of %d rows that are all inside the matrix's %d", len(idx), len(rows)))
		}
		panic(fmt.Sprintf("snn: sumRows: row number %d (list position %d) is outside the matrix's %d rows",
			idx[bad], bad, len(rows)))
	}
}

// add8Rows adds rows r0..r7 to the accumulators of their first and last 16 floats, in sumRows' tree:
// acc + (((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7))).
func add8Rows(acc0, acc1 archsimd.Float32x16, r0, r1, r2, r3, r4, r5, r6, r7 *[32]float32) (archsimd.Float32x16, archsimd.Float32x16) {
	return acc0.Add(lo16(r0).Add(lo16(r1)).Add(lo16(r2).Add(lo16(r3))).Add(
			lo16(r4).Add(lo16(r5)).Add(lo16(r6).Add(lo16(r7))))),
		acc1.Add(hi16(r0).Add(hi16(r1)).Add(hi16(r2).Add(hi16(r3))).Add(
			hi16(r4).Add(hi16(r5)).Add(hi16(r6).Add(hi16(r7)))))
}

// add4Rows is add8Rows for four rows: acc + ((r0+r1)+(r2+r3)).
func add4Rows(acc0, acc1 archsimd.Float32x16, r0, r1, r2, r3 *[32]float32) (archsimd.Float32x16, archsimd.Float32x16) {
	return acc0.Add(lo16(r0).Add(lo16(r1)).Add(lo16(r2).Add(lo16(r3)))),
		acc1.Add(hi16(r0).Add(hi16(r1)).Add(hi16(r2).Add(hi16(r3))))
}

// spikeThresholdsAVX512 is spikeThresholdsScalar 8 float64 lanes at a time (the last vector's loads
// inside the slices' capacity, loadPart8f64, its stores masked); the truncating conversion is VCVTTPD2UQQ,
// exact for values below 2^64.
func spikeThresholdsAVX512(thr []uint64, sa, ca []float64, s, c, scale, unit float64) {
	vs, vc, vscale := archsimd.BroadcastFloat64x8(s), archsimd.BroadcastFloat64x8(c), archsimd.BroadcastFloat64x8(scale)
	half, one, vunit := archsimd.BroadcastFloat64x8(0.5), archsimd.BroadcastFloat64x8(1), archsimd.BroadcastFloat64x8(unit)
	sa, ca = sa[:len(thr)], ca[:len(thr)] // as long as thr, or a panic here
	for i := 0; i < len(thr); i += 8 {
		var a, b archsimd.Float64x8
		if i+8 <= len(thr) {
			a, b = archsimd.LoadFloat64x8(sa[i:]), archsimd.LoadFloat64x8(ca[i:])
		} else {
			a, b = loadPart8f64(sa[i:]), loadPart8f64(ca[i:])
		}
		x := half.Mul(one.Add(a.Mul(vc).Add(b.Mul(vs))))
		t := vscale.Mul(x).Mul(x).Mul(vunit).ConvertToUint64()
		if i+8 <= len(thr) {
			t.Store(thr[i:])
		} else {
			t.StorePart(thr[i:])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// spikeThresholdsAVX2 is spikeThresholdsScalar 4 float64 lanes at a time. AVX2 has no conversion from
// float64 to 64-bit integers: the product is truncated (VROUNDPD), 2^52 added (exact for integers up to
// 2^52) and the sum's bits less 2^52's read as the integer. The values are at most about unit (a hair
// more where sa[i]*c + ca[i]*s rounds above 1), so a unit of 2^51 or less keeps them below 2^52.
func spikeThresholdsAVX2(thr []uint64, sa, ca []float64, s, c, scale, unit float64) {
	vs, vc, vscale := archsimd.BroadcastFloat64x4(s), archsimd.BroadcastFloat64x4(c), archsimd.BroadcastFloat64x4(scale)
	half, one, vunit := archsimd.BroadcastFloat64x4(0.5), archsimd.BroadcastFloat64x4(1), archsimd.BroadcastFloat64x4(unit)
	two52 := archsimd.BroadcastFloat64x4(1 << 52)
	bits52 := archsimd.BroadcastUint64x4(math.Float64bits(1 << 52))
	sa, ca = sa[:len(thr)], ca[:len(thr)] // as long as thr, or a panic here
	for i := 0; i < len(thr); i += 4 {
		var a, b archsimd.Float64x4
		if i+4 <= len(thr) {
			a, b = archsimd.LoadFloat64x4(sa[i:]), archsimd.LoadFloat64x4(ca[i:])
		} else {
			a, b = loadPart4f64(sa[i:]), loadPart4f64(ca[i:])
		}
		x := half.Mul(one.Add(a.Mul(vc).Add(b.Mul(vs))))
		t := vscale.Mul(x).Mul(x).Mul(vunit).Trunc().Add(two52).AsUint64x4().Sub(bits52)
		if i+4 <= len(thr) {
			t.Store(thr[i:])
		} else {
			t.StorePart(thr[i:])
		}
	}
	archsimd.ClearAVXUpperBits()
}
