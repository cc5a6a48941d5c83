//go:build goexperiment.simd && amd64

package snn

import (
	"math"
	"simd/archsimd"
	"sync"
	"unsafe"
)

// The avx2 set's LIF loops: lifForwardScalar and lifBackward1 with 8 hidden units per float32 vector,
// each lane doing its scalar loop's operations in the scalar loop's order (no fused multiply-add), so the
// results are the scalar set's bit for bit where they are not NaN (TestKernelSetsAgree).
//
// The surrogate's sigmoid runs in two float64 vectors of 4 (exp64x4x2). AVX2 has neither the
// float64-to-int64 conversion nor the two-table permutes that the avx512 set's exp64x8x2 uses: exp64x4x2
// truncates to int32, as exp64 truncates to int64 (the same integer for exp64's arguments, whose multiples
// of 64/ln2 stay below 2^17), and reads 2^(j/64) from the table one lane at a time.
//
// Inside the loops no value passes through a scalar float register: Go compiles scalar float32/64 code
// to legacy SSE instructions, and mixing those with 256-bit AVX ones made a first version of these loops
// up to 2x slower than the scalar set on an AVX2-only VM. So the readout weights c_t are loaded as
// vectors (lifKernel.c8) and exp64x4x2's table is read as integers (exp2Bits).

// load8 loads m[off:off+8], with zeros for the lanes past the end of m.
func load8(m []float32, off int) archsimd.Float32x8 {
	if off+8 <= len(m) {
		return archsimd.LoadFloat32x8(m[off:])
	}
	return loadPart8(m[off:])
}

// lifForwardAVX2 is lifForwardScalar with 8 hidden units per vector: each block of 8 units runs through
// all the steps with its membrane, spikes and weighted spike sums held in registers. As in lifBackward8,
// the steps whose vector lies inside the sample read and write whole vectors at byte offsets (a
// block of fewer than 8 units writes its lanes past the block back as it read them), and only the
// others take partial loads and masked stores.
func lifForwardAVX2(k *lifKernel, p, vKeep, r []float32) {
	S, H := k.steps, k.hidden
	n := S * H
	p = p[:n] // the loops below read and write through offsets: check the slices' lengths once here
	if vKeep != nil {
		vKeep = vKeep[:n]
	}
	alpha := archsimd.BroadcastFloat32x8(k.alpha)
	one := archsimd.BroadcastFloat32x8(1)
	thr := archsimd.BroadcastFloat32x8(Threshold)
	var zero archsimd.Float32x8
	for c := 0; c < H; c += 8 {
		w := min(8, H-c) // lanes of this block that are hidden units
		whole := wholeSteps(S, H, c)
		var v, s, rr archsimd.Float32x8
		if whole > 0 { // at byte offsets o from each slice's start
			in := ownLanes8(w)
			stride := 4 * H
			p0, c0 := unsafe.Pointer(unsafe.SliceData(p)), unsafe.Pointer(unsafe.SliceData(k.c8))
			var k0 unsafe.Pointer
			if vKeep != nil {
				k0 = unsafe.Pointer(unsafe.SliceData(vKeep))
			}
			o := 4 * c
			for t := 0; t < whole; t++ {
				if k0 != nil {
					at := (*[8]float32)(unsafe.Add(k0, o))
					v.IfElse(in, archsimd.LoadFloat32x8Array(at)).StoreArray(at)
				}
				vn, sn := lifForwardStep8(alpha, one, thr, zero, v, s, ld8(unsafe.Add(p0, o)))
				v, s = vn, sn
				rr = rr.Add(sn.Mul(ld8(unsafe.Add(c0, 32*(t+1)))))
				o += stride
			}
		}
		for t := whole; t < S; t++ { // partial loads and masked stores
			off := t*H + c
			if vKeep != nil {
				v.StorePart(vKeep[off : off+w])
			}
			vn, sn := lifForwardStep8(alpha, one, thr, zero, v, s, load8(p, off))
			v, s = vn, sn
			rr = rr.Add(sn.Mul(archsimd.LoadFloat32x8(k.c8[8*(t+1):])))
		}
		rr.StorePart(r[c : c+w])
	}
	archsimd.ClearAVXUpperBits()
}

// lifForwardStep8 is one step of lifForwardScalar on 8 lanes, in its order: from v_t and s_t and the input
// current p_t, it returns v_{t+1} = (alpha v_t + p_t)(1 - s_t) and s_{t+1} = H(v_t - 1). The readout
// sums add s_{t+1} c_{t+1}: the scalar loop skips c_{t+1} = 0, and adding its product (+-0) changes no
// sum, as no sum is -0 (it starts at +0, and only -0 + -0 is -0).
func lifForwardStep8(alpha, one, thr, zero, v, s, pt archsimd.Float32x8) (vn, sn archsimd.Float32x8) {
	return alpha.Mul(v).Add(pt).Mul(one.Sub(s)), one.IfElse(v.Sub(thr).Greater(zero), zero)
}

// lifBackwardAVX2 is lifBackwardScalar with 8 hidden units per vector.
func lifBackwardAVX2(k *lifKernel, p, v, g []float32) { lifBackward8(k, p, v, g, nil) }

// lifBackwardSpikesAVX2 is lifBackwardSpikesScalar with 8 hidden units per vector.
func lifBackwardSpikesAVX2(k *lifKernel, p, v, gS []float32) { lifBackward8(k, p, v, nil, gS) }

// lifBackward8 is lifBackward1 (and lifBackward16) 8 hidden units at a time: from the readout's
// gradient g (dL/ds_k = c_k G, gS nil) or from the spike records' own gradients gS (g nil).
//
// It first computes the surrogate of every membrane of the sample, in one pass over v (surrogates8),
// then runs the recurrence, which then holds only a few vectors and reads whole vectors. Inside the
// recurrence, the surrogate's float64 sigmoid made the loop spill and reload all its vectors around
// each call (BenchmarkLIFKernel at one thread on an AVX2-only VM, 5 alternated pairs: medians 1.48 ->
// 1.02 ms). A block of fewer than 8 units (the last, when hidden is not a multiple of 8) reads and writes
// whole vectors too where they lie inside the sample: its lanes past the block hold the next step's first
// units, which every earlier block has already finished, and they are written back as they were read
// (a blend, not a masked store, which is slow on some CPUs). Only its steps whose vector would cross the
// sample's end take the partial loads and masked stores.
func lifBackward8(k *lifKernel, p, v, g, gS []float32) {
	S, H := k.steps, k.hidden
	n := S * H
	if n == 0 {
		return
	}
	p, v = p[:n], v[:n] // the loops below read and write through offsets: check the slices' lengths once here
	if gS != nil {
		gS = gS[:n]
	}
	buf := surrogateScratch.Get().(*[]float32)
	if cap(*buf) < n+8 {
		*buf = make([]float32, n+8)
	}
	sgs := (*buf)[:n+8] // the surrogates, and a vector's slack after them
	surrogates8(v, sgs[:n], k.beta)
	a := archsimd.BroadcastFloat32x8(k.alpha)
	one := archsimd.BroadcastFloat32x8(1)
	minusOne := archsimd.BroadcastFloat32x8(-1)
	thr := archsimd.BroadcastFloat32x8(Threshold)
	var zero archsimd.Float32x8
	for c := 0; c < H; c += 8 {
		w := min(8, H-c)
		var gb, gv, gs archsimd.Float32x8
		if gS == nil {
			gb = loadPart8(g[c : c+w])
			gs = archsimd.BroadcastFloat32x8(k.c[S]).Mul(gb)
		} else {
			gs = loadPart8(gS[(S-1)*H+c : (S-1)*H+c+w])
		}
		// step is the recurrence at step t with partial loads and masked stores.
		step := func(t int) {
			off := t*H + c
			keepOn := one // 1 - s_t
			if t > 0 {
				keepOn = zero.IfElse(load8(v, off-H).Sub(thr).Greater(zero), one)
			}
			var direct archsimd.Float32x8 // dL/ds_t from outside the recurrence
			if gS == nil {
				direct = archsimd.LoadFloat32x8(k.c8[8*t:]).Mul(gb)
			} else if t > 0 {
				direct = loadPart8(gS[off-H : off-H+w])
			}
			var dp archsimd.Float32x8
			gv, gs, dp = lifBackStep8(a, minusOne, keepOn, gv, gs, archsimd.LoadFloat32x8(sgs[off:]), load8(v, off), load8(p, off), direct)
			dp.StorePart(p[off : off+w])
		}
		whole := wholeSteps(S, H, c)
		t := S - 1
		for ; t >= whole && t > 0; t-- {
			step(t)
		}
		if t > 0 { // steps t..1 on whole vectors, at byte offsets o from each slice's start
			in := ownLanes8(w)
			stride := 4 * H
			p0, v0, s0 := unsafe.Pointer(unsafe.SliceData(p)), unsafe.Pointer(unsafe.SliceData(v)), unsafe.Pointer(unsafe.SliceData(sgs))
			o := 4 * (t*H + c)
			// The direct gradients at byte offset od: c_t (8 copies) times G, or gS[t-1] times 1.
			d0, od, dstride, mul := unsafe.Pointer(unsafe.SliceData(k.c8)), 32*t, 32, gb
			if gS != nil {
				d0, od, dstride, mul = unsafe.Pointer(unsafe.SliceData(gS)), o-stride, stride, one
			}
			for ; t > 0; t-- {
				pt := ld8(unsafe.Add(p0, o))
				keepOn := zero.IfElse(ld8(unsafe.Add(v0, o-stride)).Sub(thr).Greater(zero), one)
				var dp archsimd.Float32x8
				gv, gs, dp = lifBackStep8(a, minusOne, keepOn, gv, gs, ld8(unsafe.Add(s0, o)), ld8(unsafe.Add(v0, o)), pt, ld8(unsafe.Add(d0, od)).Mul(mul))
				dp.IfElse(in, pt).StoreArray((*[8]float32)(unsafe.Add(p0, o)))
				o -= stride
				od -= dstride
			}
		}
		step(0)
	}
	surrogateScratch.Put(buf)
	archsimd.ClearAVXUpperBits()
}

// wholeSteps is the number of steps t, from 0, at which the block of lanes c..c+7 of a sample's [S, H]
// values lies inside the sample (t*H + c + 8 <= S*H): all S for a block of 8 units, fewer for the last
// block when H is not a multiple of 8, whose vector reaches into the next step's first units.
func wholeSteps(S, H, c int) int {
	if c+8 <= H {
		return S
	}
	if S*H-c-8 < 0 {
		return 0
	}
	return min(S, (S*H-c-8)/H+1)
}

// ownLanes8 is the mask of a block's first w lanes, its own units.
func ownLanes8(w int) archsimd.Mask32x8 {
	return archsimd.LoadInt32x8Array(&laneIndex8).Less(archsimd.BroadcastInt32x8(int32(w)))
}

// ld8 loads the 8 floats at p.
func ld8(p unsafe.Pointer) archsimd.Float32x8 {
	return archsimd.LoadFloat32x8Array((*[8]float32)(p))
}

// lifBackStep8 is one step of lifBackward8's recurrence, lifBackward1's operations in its order: from
// dL/dv_{t+1} (gv) and dL/ds_{t+1} (gs), with the step's 1 - s_t (keepOn), surrogate, membrane, input
// current and direct spike gradient, it returns dL/dv_t, dL/ds_t and dL/dp_t.
func lifBackStep8(a, minusOne, keepOn, gv, gs, sg, vt, pt, direct archsimd.Float32x8) (gvn, gsn, dp archsimd.Float32x8) {
	return a.Mul(keepOn).Mul(gv).Add(sg.Mul(gs)), a.Mul(vt).Add(pt).Mul(minusOne).Mul(gv).Add(direct), keepOn.Mul(gv)
}

// laneIndex8 numbers a vector's 8 lanes.
var laneIndex8 = [8]int32{0, 1, 2, 3, 4, 5, 6, 7}

// surrogateScratch holds lifBackward8's and lifBackward16's buffers of surrogates, one per sample being run.
var surrogateScratch = sync.Pool{New: func() any { return new([]float32) }}

// surrogates8 writes sg[i] = surrogateGrad(v[i] - Threshold, beta) for i < len(v) (len(sg) >= len(v)),
// 8 at a time (whole vectors in assembly, surrogates8Asm; the rest with surrogateGrad8).
func surrogates8(v, sg []float32, beta float32) {
	b := archsimd.BroadcastFloat32x8(beta)
	one := archsimd.BroadcastFloat32x8(1)
	thr := archsimd.BroadcastFloat32x8(Threshold)
	n := len(v)
	i := 0
	if n >= 8 && len(sg) >= n {
		surrogates8Asm(&v[0], &sg[0], n/8, math.Float32bits(beta), &surrogateConsts8) // beta as bits: see surrogates16Asm
		i = n &^ 7
	}
	for ; i+8 <= n; i += 8 {
		surrogateGrad8(archsimd.LoadFloat32x8(v[i:]).Sub(thr), b, one).Store(sg[i:])
	}
	if i < n {
		surrogateGrad8(loadPart8(v[i:]).Sub(thr), b, one).StorePart(sg[i:n])
	}
}

// surrogateGrad8 is surrogateGrad on 8 lanes: y = beta*x in float32, sigma(y) in float64 (exp64x4x2, two
// vectors of 4), rounded to float32, then beta * (sigma * (1 - sigma)) in float32.
func surrogateGrad8(x, beta, one archsimd.Float32x8) archsimd.Float32x8 {
	y := beta.Mul(x)
	slo, shi := sigmoid64x4x2(y.GetLo().ConvertToFloat64(), y.GetHi().ConvertToFloat64())
	lo, hi := slo.ConvertToFloat32(), shi.ConvertToFloat32()
	var sg archsimd.Float32x8
	sg = sg.SetLo(lo).SetHi(hi)
	return sg.Mul(one.Sub(sg)).Mul(beta)
}

// sigmoid64x4x2 is surrogateGrad's float64 sigmoid on two vectors of 4 lanes: 1/(1 + e^-y) for y >= 0,
// e^y/(1 + e^y) below, with exp64x4x2. The two vectors' operations are interleaved, so that the CPU
// overlaps their dependency chains (BenchmarkLIFKernel 1.75-1.86 -> 1.30-1.62 ms against one vector at a
// time, 3 alternated runs, AVX2-only VM, 2026-12-03).
func sigmoid64x4x2(ya, yb archsimd.Float64x4) (archsimd.Float64x4, archsimd.Float64x4) {
	one := archsimd.BroadcastFloat64x4(1)
	minus := archsimd.BroadcastFloat64x4(-1)
	var zero archsimd.Float64x4
	posA, posB := ya.GreaterEqual(zero), yb.GreaterEqual(zero)
	ea, eb := exp64x4x2(ya.Mul(minus).IfElse(posA, ya), yb.Mul(minus).IfElse(posB, yb))
	return one.IfElse(posA, ea).Div(one.Add(ea)), one.IfElse(posB, eb).Div(one.Add(eb))
}

// exp64x4x2 is exp64 on two vectors of 4 lanes (x <= 0), with the same reduction, polynomial and table,
// and 0 below -708. k = trunc(x*64/ln2 - 0.5) is converted to int32, as exact as exp64's int64 for
// x >= -708 (|k| < 65400); lanes below -708 may convert to anything, and are set to 0 at the end. The
// polynomial is exp64's Horner scheme, product by product.
func exp64x4x2(xa, xb archsimd.Float64x4) (archsimd.Float64x4, archsimd.Float64x4) {
	bc := archsimd.BroadcastFloat64x4
	inv, half := bc(exp64Inv), bc(0.5)
	ka, kb := xa.Mul(inv).Sub(half).ConvertToInt32(), xb.Mul(inv).Sub(half).ConvertToInt32()
	kfa, kfb := ka.ConvertToFloat64(), kb.ConvertToFloat64()
	hi, lo := bc(exp64Hi), bc(exp64Lo)
	ra, rb := xa.Sub(kfa.Mul(hi)).Sub(kfa.Mul(lo)), xb.Sub(kfb.Mul(hi)).Sub(kfb.Mul(lo))
	mask := archsimd.BroadcastInt32x4(63)
	ja, jb := ka.And(mask), kb.And(mask)
	one := bc(1)
	c5, c4, c3, c2 := bc(1.0/120), bc(1.0/24), bc(1.0/6), bc(1.0/2)
	qa, qb := c4.Add(ra.Mul(c5)), c4.Add(rb.Mul(c5))
	qa, qb = c3.Add(ra.Mul(qa)), c3.Add(rb.Mul(qb))
	qa, qb = c2.Add(ra.Mul(qa)), c2.Add(rb.Mul(qb))
	qa, qb = one.Add(ra.Mul(qa)), one.Add(rb.Mul(qb))
	pa, pb := one.Add(ra.Mul(qa)), one.Add(rb.Mul(qb))
	var a01, a23, b01, b23 archsimd.Uint64x2
	a01 = a01.SetElem(0, exp2Bits[ja.GetElem(0)&63]).SetElem(1, exp2Bits[ja.GetElem(1)&63])
	b01 = b01.SetElem(0, exp2Bits[jb.GetElem(0)&63]).SetElem(1, exp2Bits[jb.GetElem(1)&63])
	a23 = a23.SetElem(0, exp2Bits[ja.GetElem(2)&63]).SetElem(1, exp2Bits[ja.GetElem(3)&63])
	b23 = b23.SetElem(0, exp2Bits[jb.GetElem(2)&63]).SetElem(1, exp2Bits[jb.GetElem(3)&63])
	var tb archsimd.Uint64x4
	ta, tbb := tb.SetLo(a01).SetHi(a23).BitsToFloat64(), tb.SetLo(b01).SetHi(b23).BitsToFloat64()
	bias := archsimd.BroadcastInt32x4(1023)
	sa := ka.ShiftAllRight(6).Add(bias).ExtendToInt64().ShiftAllLeft(52).ToBits().BitsToFloat64()
	sb := kb.ShiftAllRight(6).Add(bias).ExtendToInt64().ShiftAllLeft(52).ToBits().BitsToFloat64()
	cut := bc(-708)
	var zero archsimd.Float64x4
	return zero.IfElse(xa.Less(cut), pa.Mul(ta).Mul(sa)), zero.IfElse(xb.Less(cut), pb.Mul(tbb).Mul(sb))
}

// surrogates8Asm writes surrogateGrad8(v[i] - Threshold) for the first vectors*8 membranes from v to sg (beta
// as its float32 bits), in assembly (surrogate_avx2_amd64.s), with constants and table from consts. Go's
// compiler called surrogateGrad8 for each vector and read the table lane by lane.
//
//go:noescape
func surrogates8Asm(v, sg *float32, vectors int, betaBits uint32, consts *surrogateConstants8)

// surrogateConstants8 are surrogates8Asm's constants, each a whole vector, at the byte offsets its comments
// give.
type surrogateConstants8 struct {
	inv, half, hi, lo, c5, c4, c3, c2, one, minus, cut [4]float64
	one32, thr                                         [8]float32
	bias, mask                                         [4]int32
	table                                              [64]float64
}

var surrogateConsts8 = func() (c surrogateConstants8) {
	for i := range 4 {
		c.inv[i], c.half[i], c.hi[i], c.lo[i] = exp64Inv, 0.5, exp64Hi, exp64Lo
		c.c5[i], c.c4[i], c.c3[i], c.c2[i] = 1.0/120, 1.0/24, 1.0/6, 1.0/2
		c.one[i], c.minus[i], c.cut[i] = 1, -1, -708
		c.bias[i], c.mask[i] = 1023, 63
	}
	for i := range 8 {
		c.one32[i], c.thr[i] = 1, Threshold
	}
	c.table = exp2Table
	return
}()

// exp2Bits holds exp2Table's bits, read into integer registers: scalar float64 loads (legacy SSE code in Go)
// between 256-bit AVX instructions cost more than the lookup itself on some CPUs.
var exp2Bits = func() (b [64]uint64) {
	for j, x := range exp2Table {
		b[j] = math.Float64bits(x)
	}
	return
}()
