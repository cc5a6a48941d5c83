//go:build goexperiment.simd && amd64

package snn

import (
	"math"
	"simd/archsimd"
)

// The avx2 set's LIF loops: lifForwardScalar and lifBackward1 with 8 hidden units per float32 vector,
// each lane doing its scalar loop's operations in the scalar loop's order (no fused multiply-add), so the
// results are the scalar set's bit for bit where they are not NaN (TestKernelSetsAgree).
//
// The surrogate's sigmoid runs in two float64 vectors of 4 (exp64x4). AVX2 has neither the
// float64-to-int64 conversion nor the two-table permutes that the avx512 set's exp64x8 uses: exp64x4
// truncates to int32, as exp64 truncates to int64 (the same integer for exp64's arguments, whose multiples
// of 64/ln2 stay below 2^17), and reads 2^(j/64) from the table one lane at a time.
//
// Inside the loops no value passes through a scalar float register: Go compiles scalar float32/64 code
// to legacy SSE instructions, and mixing those with 256-bit AVX ones made a first version of these loops
// up to 2x slower than the scalar set on an AVX2-only VM. So the readout weights c_t are loaded as
// vectors (lifKernel.c8) and exp64x4's table is read as integers (exp2Bits).

// load8 loads m[off:off+8], with zeros for the lanes past the end of m.
func load8(m []float32, off int) archsimd.Float32x8 {
	if off+8 <= len(m) {
		return archsimd.LoadFloat32x8(m[off:])
	}
	return loadPart8(m[off:])
}

// lifForwardAVX2 is lifForwardScalar with 8 hidden units per vector: each block of 8 units runs through
// all the steps with its membrane, spikes and weighted spike sums held in registers.
func lifForwardAVX2(k *lifKernel, p, vKeep, r []float32) {
	S, H := k.steps, k.hidden
	alpha := archsimd.BroadcastFloat32x8(k.alpha)
	one := archsimd.BroadcastFloat32x8(1)
	thr := archsimd.BroadcastFloat32x8(Threshold)
	var zero archsimd.Float32x8
	for c := 0; c < H; c += 8 {
		w := min(8, H-c) // lanes of this block that are hidden units
		var v, s, rr archsimd.Float32x8
		for t := 0; t < S; t++ {
			off := t*H + c
			pt := load8(p, off)
			if vKeep != nil {
				v.StorePart(vKeep[off : off+w])
			}
			vn := alpha.Mul(v).Add(pt).Mul(one.Sub(s))
			sn := one.IfElse(v.Sub(thr).Greater(zero), zero)
			v, s = vn, sn
			// The scalar loop skips c_{t+1} = 0; adding its product (+-0) changes no sum, as no sum is -0
			// (it starts at +0, and only -0 + -0 is -0).
			rr = rr.Add(sn.Mul(archsimd.LoadFloat32x8(k.c8[8*(t+1):])))
		}
		rr.StorePart(r[c : c+w])
	}
	archsimd.ClearAVXUpperBits()
}

// lifBackwardAVX2 is lifBackwardScalar with 8 hidden units per vector.
func lifBackwardAVX2(k *lifKernel, p, v, g []float32) { lifBackward8(k, p, v, g, nil) }

// lifBackwardSpikesAVX2 is lifBackwardSpikesScalar with 8 hidden units per vector.
func lifBackwardSpikesAVX2(k *lifKernel, p, v, gS []float32) { lifBackward8(k, p, v, nil, gS) }

// lifBackward8 is lifBackward1 (and lifBackward16) 8 hidden units at a time: from the readout's
// gradient g (dL/ds_k = c_k G, gS nil) or from the spike records' own gradients gS (g nil).
func lifBackward8(k *lifKernel, p, v, g, gS []float32) {
	S, H := k.steps, k.hidden
	a := archsimd.BroadcastFloat32x8(k.alpha)
	beta := archsimd.BroadcastFloat32x8(k.beta)
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
		for t := S - 1; t >= 0; t-- {
			off := t*H + c
			pt := load8(p, off)
			vt := load8(v, off)
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
			sg := surrogateGrad8(vt.Sub(thr), beta, one)
			gvn := a.Mul(keepOn).Mul(gv).Add(sg.Mul(gs))
			gsn := a.Mul(vt).Add(pt).Mul(minusOne).Mul(gv).Add(direct)
			keepOn.Mul(gv).StorePart(p[off : off+w])
			gv, gs = gvn, gsn
		}
	}
	archsimd.ClearAVXUpperBits()
}

// surrogateGrad8 is surrogateGrad on 8 lanes: y = beta*x in float32, sigma(y) in float64 (exp64x4, two
// vectors of 4), rounded to float32, then beta * (sigma * (1 - sigma)) in float32.
func surrogateGrad8(x, beta, one archsimd.Float32x8) archsimd.Float32x8 {
	y := beta.Mul(x)
	lo := sigmoid64x4(y.GetLo().ConvertToFloat64()).ConvertToFloat32()
	hi := sigmoid64x4(y.GetHi().ConvertToFloat64()).ConvertToFloat32()
	var sg archsimd.Float32x8
	sg = sg.SetLo(lo).SetHi(hi)
	return sg.Mul(one.Sub(sg)).Mul(beta)
}

// sigmoid64x4 is surrogateGrad's float64 sigmoid on 4 lanes: 1/(1 + e^-y) for y >= 0, e^y/(1 + e^y)
// below, with exp64x4.
func sigmoid64x4(y archsimd.Float64x4) archsimd.Float64x4 {
	one := archsimd.BroadcastFloat64x4(1)
	pos := y.GreaterEqual(archsimd.Float64x4{})
	e := exp64x4(y.Mul(archsimd.BroadcastFloat64x4(-1)).IfElse(pos, y))
	return one.IfElse(pos, e).Div(one.Add(e))
}

// exp64x4 is exp64 on 4 lanes (x <= 0), with the same reduction, polynomial and table, and 0 below
// -708. k = trunc(x*64/ln2 - 0.5) is converted to int32, as exact as exp64's int64 for x >= -708
// (|k| < 65400); lanes below -708 may convert to anything, and are set to 0 at the end.
func exp64x4(x archsimd.Float64x4) archsimd.Float64x4 {
	bc := archsimd.BroadcastFloat64x4
	k := x.Mul(bc(exp64Inv)).Sub(bc(0.5)).ConvertToInt32()
	kf := k.ConvertToFloat64()
	r := x.Sub(kf.Mul(bc(exp64Hi))).Sub(kf.Mul(bc(exp64Lo)))
	j := k.And(archsimd.BroadcastInt32x4(63))
	m := k.ShiftAllRight(6) // (k - j)/64, exactly
	one := bc(1)
	p := one.Add(r.Mul(one.Add(r.Mul(bc(1.0 / 2).Add(r.Mul(bc(1.0 / 6).Add(r.Mul(bc(1.0 / 24).Add(r.Mul(bc(1.0 / 120)))))))))))
	var t01, t23 archsimd.Uint64x2
	t01 = t01.SetElem(0, exp2Bits[j.GetElem(0)&63]).SetElem(1, exp2Bits[j.GetElem(1)&63])
	t23 = t23.SetElem(0, exp2Bits[j.GetElem(2)&63]).SetElem(1, exp2Bits[j.GetElem(3)&63])
	var tb archsimd.Uint64x4
	t := tb.SetLo(t01).SetHi(t23).BitsToFloat64()
	scale := m.Add(archsimd.BroadcastInt32x4(1023)).ExtendToInt64().ShiftAllLeft(52).ToBits().BitsToFloat64()
	res := p.Mul(t).Mul(scale)
	return archsimd.Float64x4{}.IfElse(x.Less(bc(-708)), res)
}

// exp2Bits holds exp2Table's bits, read into integer registers: scalar float64 loads (legacy SSE code in Go)
// between 256-bit AVX instructions cost more than the lookup itself on some CPUs.
var exp2Bits = func() (b [64]uint64) {
	for j, x := range exp2Table {
		b[j] = math.Float64bits(x)
	}
	return
}()
